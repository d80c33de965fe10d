namespace EdgeNet.Tests.Firmware;

/// <summary>
/// `edgenet record` over a real serial line (socat pseudo-terminals) to the nanoFramework-compiled firmware:
/// appending to a file whose last line has no line break, and rows on disk while recording goes on.
/// </summary>
public class RecordCommandTests
{
    private static string Header => string.Join(",", Enumerable.Range(0, TestModels.Features).Select(f => "s" + f)) + ",label";

    [Fact]
    public async Task Record_ends_a_last_line_without_a_line_break_before_appending_and_flushes_every_row()
    {
        using var pty = new PtyPair();
        using var keep = pty.KeepHostOpen();
        using var devicePort = new PtyDevicePort(pty.DevicePath);
        using var device = new DeviceRunner(TestModels.Config(rateHz: 20), UpdateBench.WithActive(TestModels.A), devicePort,
            new RowSensors(TestModels.Rows, TestModels.Features), new WallClock(), new TestLed(), null).Boot().Start();
        string folder = Cli.CliRunner.TempFolder();
        try
        {
            string csv = Path.Combine(folder, "light.csv");
            string lastRow = string.Join(",", Enumerable.Range(0, TestModels.Features).Select(f => "7")) + ",dark";
            File.WriteAllText(csv, Header + "\n" + lastRow); // saved by an editor without the final line break

            // While a 6 s recording runs, its first rows are already in the file (flushed row by row).
            var run = Task.Run(() => Cli.CliRunner.Run("record", "--port", pty.HostPath, "--label", "bright", "--seconds", "6", "-o", csv));
            bool seenEarly = false;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!run.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                string text = ReadShared(csv);
                if (text.Split('\n').Count(l => l.EndsWith(",bright")) >= 2) { seenEarly = !run.IsCompleted; break; }
                await Task.Delay(20);
            }
            var r = await run;
            Assert.True(r.ExitCode == 0, r.Error + r.Out);
            Assert.True(seenEarly, "no recorded row reached the file before the recording ended");

            string[] lines = File.ReadAllText(csv).Split('\n');
            Assert.Equal(Header, lines[0]);
            Assert.Equal(lastRow, lines[1]); // the old last row is intact, not glued to the first new row
            Assert.True(lines.Skip(2).Where(l => l.Length > 0).All(l => l.EndsWith(",bright") && l.Split(',').Length == TestModels.Features + 1));
            Assert.True(lines.Length > 4);
            Assert.Equal("", lines[^1]); // every row ends with its line break
        }
        finally { Directory.Delete(folder, true); }
    }

    private static string ReadShared(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }
}
