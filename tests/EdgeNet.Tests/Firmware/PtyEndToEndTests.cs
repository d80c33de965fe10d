using System.Diagnostics;
using EdgeNet.Trainer.Commands;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>A pair of connected pseudo-terminals made by socat: a real serial line without a board.</summary>
public sealed class PtyPair : IDisposable
{
    private readonly Process _socat;
    private readonly string _dir;

    public PtyPair()
    {
        _dir = Directory.CreateTempSubdirectory("edgenet-pty").FullName;
        DevicePath = Path.Combine(_dir, "device");
        HostPath = Path.Combine(_dir, "host");
        try
        {
            _socat = Process.Start(new ProcessStartInfo("socat", ["-d", $"pty,raw,echo=0,link={DevicePath}", $"pty,raw,echo=0,link={HostPath}"])
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("socat is needed for the serial end-to-end tests and is not installed (apt-get install -y socat; .ci/run installs it): " + e.Message);
        }
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(DevicePath) && File.Exists(HostPath)))
        {
            if (_socat.HasExited) throw new InvalidOperationException($"socat exited with {_socat.ExitCode}: {_socat.StandardError.ReadToEnd()}");
            if (clock.ElapsedMilliseconds > 20000) throw new TimeoutException("socat made no pseudo-terminals within 20 s");
            Thread.Sleep(20);
        }
    }

    public string DevicePath { get; }

    /// <summary>
    /// Holds the host end open without reading, so that a program closing its own handle (each edgenet
    /// command does) does not end socat's side of the line.
    /// </summary>
    public IDisposable KeepHostOpen() => File.OpenHandle(HostPath, FileMode.Open, FileAccess.ReadWrite);
    public string HostPath { get; }

    public void Dispose()
    {
        try { if (!_socat.HasExited) _socat.Kill(); } catch (InvalidOperationException) { }
        _socat.WaitForExit(5000);
        _socat.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>
/// End to end over a real serial line (socat pseudo-terminals): the nanoFramework-compiled firmware on
/// one end, the trainer's deploy and monitor code with System.IO.Ports on the other. Deploy, switch
/// models back and forth under wire faults, cut the connection mid-update; every classification line
/// must be the simulation's class for the row the sensors gave, by the model active at that moment.
/// </summary>
public class PtyEndToEndTests
{
    /// <summary>Stops writing after a number of bytes, as if the cable were pulled (the port stays open).</summary>
    private sealed class CuttableLink(IByteLink inner) : IByteLink
    {
        public long CutAfter = long.MaxValue;
        private long _sent;
        public long Sent => _sent;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs) => inner.Read(buffer, offset, count, timeoutMs);

        public void Write(byte[] buffer, int offset, int count)
        {
            int keep = (int)Math.Clamp(CutAfter - _sent, 0, count);
            _sent += count;
            if (keep > 0) inner.Write(buffer, offset, keep);
            if (keep < count) throw new IOException("cable pulled");
        }

        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void Deploy_switch_and_classify_over_a_pseudo_terminal_with_faults()
    {
        using var pty = new PtyPair();
        using var devicePort = new PtyDevicePort(pty.DevicePath);
        var sensors = new RowSensors(TestModels.Rows, TestModels.Features);
        var storage = UpdateBench.WithActive(TestModels.A);
        using var serial = new SerialLink(pty.HostPath);
        var cut = new CuttableLink(serial);
        var link = new DeviceLink(cut) { TimeoutMs = 1000, Retries = 8 };
        var lines = new List<string>();
        link.OnLine = lines.Add;

        using var device = new DeviceRunner(TestModels.Config(rateHz: 50, extra: "update_timeout_ms 3000\n"), storage, devicePort, sensors, new WallClock(), new TestLed(), null).Boot().Start();

        var watch = Stopwatch.StartNew();
        Assert.Contains($"model {TestModels.NameA} from flash", ModelDeployer.Ping(link));
        WaitClassifications(link, lines, 10);

        // A -> B with dropped and flipped bytes on the way to the device.
        devicePort.Faults.DropAt.UnionWith([100, 900]);
        devicePort.Faults.FlipAt.UnionWith([500, 1400]);
        var toB = ModelDeployer.Deploy(link, TestModels.B, "b.enet", 200);
        Assert.StartsWith("model model-b active", toB.Done);
        Assert.True(toB.Resent >= 3, $"{toB.Resent} resent");
        WaitClassifications(link, lines, 10);

        // Cable pulled in the middle of B -> A: the device gives up after its timeout, B keeps running.
        cut.CutAfter = cut.Sent + 500;
        Assert.Throws<IOException>(() => ModelDeployer.Deploy(link, TestModels.A, "a.enet", 128));
        string timeout = WaitLine(link, lines, "update failed: timeout");
        Assert.Contains("model model-b still active", timeout);
        Assert.Equal(TestModels.B, storage.File("model.enet"));
        cut.CutAfter = long.MaxValue;
        WaitClassifications(link, lines, 5);

        // Back to A.
        var toA = ModelDeployer.Deploy(link, TestModels.A, "a.enet");
        Assert.StartsWith($"model {TestModels.NameA} active", toA.Done);
        // The monitor command's loop shows the live classifications.
        var shown = new List<string>();
        Assert.Equal(10, MonitorCommand.Monitor(link, 10, CancellationToken.None, shown.Add));
        Assert.Contains(shown, l => l.Contains(" s  "));

        // Every classification line: the class the simulation gives for that sample's row under the model
        // active then (the device announces each switch with an I line, in stream order).
        string[] expectedA = TestModels.Expected(TestModels.A), expectedB = TestModels.Expected(TestModels.B);
        string[] current = expectedA;
        int sample = 0, checkedA = 0, checkedB = 0;
        // Nothing garbled: every line the host saw is a whole device line.
        Assert.All(lines, l => Assert.Matches("^[CEIHR]\t[0-9]+\t", l));
        Assert.Equal(0, link.BadFrames);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            if (line.StartsWith("I\t") && line.Contains("model model-b active")) current = expectedB;
            if (line.StartsWith("I\t") && line.Contains($"model {TestModels.NameA} active")) current = expectedA;
            if (!DeviceLines.TryClassification(line, out var c)) continue;
            string expected = current[sensors.RowOf(sample)];
            Assert.True(expected == c.Label, $"classification {sample} (row {sensors.RowOf(sample)}, model {(current == expectedA ? "A" : "B")}): " +
                $"expected '{expected}', line '{line}'; {sensors.Samples} samples taken; lines before: {string.Join(" | ", lines.Skip(Math.Max(0, i - 4)).Take(Math.Min(i, 4)))}");
            if (current == expectedA) checkedA++; else checkedB++;
            sample++;
        }
        Assert.True(checkedA >= 20 && checkedB >= 15, $"checked {checkedA} lines of A and {checkedB} of B");
        Assert.Contains(lines, l => l.StartsWith("E\t") && l.Contains("update failed: timeout"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
    }

    [Fact]
    public void The_edgenet_deploy_and_monitor_commands_work_over_a_pseudo_terminal()
    {
        using var pty = new PtyPair();
        using var keep = pty.KeepHostOpen();
        using var devicePort = new PtyDevicePort(pty.DevicePath);
        var storage = UpdateBench.WithActive(TestModels.A);
        using var device = new DeviceRunner(TestModels.Config(rateHz: 20), storage, devicePort, new RowSensors(TestModels.Rows, TestModels.Features), new WallClock(), new TestLed(), null).Boot().Start();
        string folder = Cli.CliRunner.TempFolder();
        try
        {
            string b = Path.Combine(folder, "b.enet"), bad = Path.Combine(folder, "bad.enet");
            File.WriteAllBytes(b, TestModels.B);
            byte[] corrupt = (byte[])TestModels.B.Clone();
            corrupt[40] ^= 4;
            File.WriteAllBytes(bad, corrupt);

            var refused = Cli.CliRunner.Run("deploy", bad, "--port", pty.HostPath);
            Assert.Equal(1, refused.ExitCode);
            Assert.StartsWith("error: bad.enet: byte 12: CRC-32 mismatch", refused.Error);

            var deployed = Cli.CliRunner.Run("deploy", b, "--port", pty.HostPath);
            Assert.True(deployed.ExitCode == 0, deployed.Error);
            Assert.Contains("device: EdgeNet firmware; protocol 1; model format 3", deployed.Out);
            Assert.Contains("model model-b active", deployed.Out);
            Assert.Equal(TestModels.B, storage.File("model.enet"));

            var monitored = Cli.CliRunner.Run("monitor", "--port", pty.HostPath, "--count", "5");
            Assert.True(monitored.ExitCode == 0, monitored.Error);
            Assert.Contains("model model-b from flash", monitored.Out);
            string[] labels = TestModels.ModelA.ClassLabels;
            var classified = monitored.Out.Split('\n').Where(l => l.Contains(" s  ")).ToList();
            Assert.Equal(5, classified.Count);
            Assert.All(classified, l => Assert.Contains(labels, label => l.Contains(label)));

            var noPort = Cli.CliRunner.Run("monitor", "--port", Path.Combine(folder, "no-such-port"));
            Assert.Equal(1, noPort.ExitCode);
            Assert.Contains("error: cannot open serial port", noPort.Error);
        }
        finally { Directory.Delete(folder, true); }
    }

    private static void WaitClassifications(DeviceLink link, List<string> lines, int count)
    {
        int start = lines.Count(l => l.StartsWith("C\t"));
        var clock = Stopwatch.StartNew();
        while (lines.Count(l => l.StartsWith("C\t")) < start + count)
        {
            Assert.True(clock.ElapsedMilliseconds < 20000, $"fewer than {count} classifications in 20 s");
            link.NextLine(200);
        }
    }

    private static string WaitLine(DeviceLink link, List<string> lines, string text)
    {
        var clock = Stopwatch.StartNew();
        string? hit;
        while ((hit = lines.FirstOrDefault(l => l.Contains(text))) == null)
        {
            Assert.True(clock.ElapsedMilliseconds < 20000, $"no line with '{text}' in 20 s");
            link.NextLine(200);
        }
        return hit;
    }
}
