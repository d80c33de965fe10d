using EdgeNet.Link;
using EdgeNet.Trainer.Commands;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// `edgenet config push/pull` and `edgenet dump` against the nanoFramework-compiled firmware: through the
/// socat pseudo-terminal pair with the real commands, and over the in-memory cable for a device whose
/// computation was made to differ.
/// </summary>
public class DumpAndConfigTests
{
    /// <summary>The first rows of the satellite data (model A's inputs by name), as a CSV file.</summary>
    private static string RowsCsv(string folder, int rows)
    {
        string path = Path.Combine(folder, "rows.csv");
        var lines = File.ReadLines(Path.Combine(DeviceBuild.RepoRoot, "data", "satellite", "satellite.csv")).Take(rows + 1);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Config_push_pull_and_dump_commands_work_over_a_pseudo_terminal()
    {
        using var pty = new PtyPair();
        using var keep = pty.KeepHostOpen();
        using var devicePort = new PtyDevicePort(pty.DevicePath);
        var storage = UpdateBench.WithActive(TestModels.A);
        using var device = new DeviceRunner(TestModels.Config(rateHz: 20), storage, devicePort, new RowSensors(TestModels.Rows, TestModels.Features), new WallClock(), new TestLed(), null, new FakeMemory()).Boot().Start();
        string folder = Cli.CliRunner.TempFolder();
        try
        {
            // No board.cfg yet: pull says the board runs its built-in configuration.
            var none = Cli.CliRunner.Run("config", "pull", "--port", pty.HostPath);
            Assert.Equal(1, none.ExitCode);
            Assert.Contains("no-file: no board.cfg on flash: the board runs its built-in configuration", none.Error);

            string cfg = Path.Combine(folder, "board.cfg"), bad = Path.Combine(folder, "bad.cfg");
            File.WriteAllText(cfg, TestModels.Esp32Config(rateHz: 10));
            File.WriteAllText(bad, "rate_hz 10\nsensor a adc channel=0\nsensor a adc channel=1\n");
            var refused = Cli.CliRunner.Run("config", "push", bad, "--port", pty.HostPath);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("invalid-config: board.cfg line 3", refused.Error);
            Assert.Null(storage.File("board.cfg"));
            // Syntax fine, but boot would refuse it (TX on an input-only GPIO): refused the same way.
            File.WriteAllText(bad, TestModels.Esp32Config(rateHz: 10).Replace("pin COM2_TX 33", "pin COM2_TX 35"));
            var unbootable = Cli.CliRunner.Run("config", "push", bad, "--port", pty.HostPath);
            Assert.Equal(1, unbootable.ExitCode);
            Assert.Contains("invalid-config: board.cfg line 4: COM2_TX drives its pin but GPIO35 is input-only on ESP32", unbootable.Error);
            Assert.Null(storage.File("board.cfg"));

            var pushed = Cli.CliRunner.Run("config", "push", cfg, "--port", pty.HostPath);
            Assert.True(pushed.ExitCode == 0, pushed.Error);
            Assert.Contains("board configuration stored in board.cfg", pushed.Out);
            Assert.Equal(File.ReadAllBytes(cfg), storage.File("board.cfg"));

            string copy = Path.Combine(folder, "pulled.cfg");
            var pulled = Cli.CliRunner.Run("config", "pull", "--port", pty.HostPath, "--output", copy);
            Assert.True(pulled.ExitCode == 0, pulled.Error);
            Assert.Equal(File.ReadAllBytes(cfg), File.ReadAllBytes(copy));

            // The device's layers on five rows and on its live reading, compared with the host's.
            var dumped = Cli.CliRunner.Run("dump", "--port", pty.HostPath, "--rows", RowsCsv(folder, 5));
            Assert.True(dumped.ExitCode == 0, dumped.Error + dumped.Out);
            Assert.Contains($"device model {TestModels.NameA}: {TestModels.A.Length} bytes", dumped.Out);
            int per = TestModels.ModelA.InputLength + TestModels.ModelA.Layers.Sum(l => l.OutputLength);
            Assert.Contains($"identical: 5 rows, {5 * per} integers", dumped.Out);
            var live = Cli.CliRunner.Run("dump", "--port", pty.HostPath);
            Assert.True(live.ExitCode == 0, live.Error + live.Out);
            Assert.Contains($"identical: 1 row, {per} integers", live.Out);
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void Dump_names_the_first_layer_and_index_where_the_device_differs()
    {
        using var bench = new UpdateBench();
        // A fault in the device's RAM copy of the model (the file on flash, which the host pulls, is intact):
        // the bias of one neuron of the second layer changes by a lot.
        dynamic layer = bench.Device.Firmware.Store.Active.Layers[1];
        int[] bias = layer.Bias;
        bias[0] += 1_000_000; // saturates that output at 127
        string folder = Cli.CliRunner.TempFolder();
        try
        {
            var output = new List<string>();
            int code = DumpCommand.Run(bench.Host, RowsCsv(folder, 20), 0, output.Add);
            Assert.True(code == ExitCodes.CheckFailed, string.Join(" / ", output));
            string verdict = output.Last();
            Assert.Matches(@"^rows\.csv line \d+: first difference in layer 1 \(dense \d+->\d+ \w+\) at index \d+: device -?\d+, host -?\d+$", verdict);
        }
        finally { Directory.Delete(folder, true); }
    }
}
