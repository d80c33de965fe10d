using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// The replay app (firmware/replay, nanoFramework-compiled, CoreLibrary only) run on CoreCLR: its output
/// must be the desktop simulation's class for every compiled-in row, and its compiled-in data must be
/// exactly what the trainer's generator writes.
/// </summary>
public class ReplayTests
{
    [Fact]
    public void Replay_prints_the_simulated_class_of_every_row()
    {
        var replay = DeviceBuild.Load("EdgeNet.Firmware.Replay");
        Assert.DoesNotContain(replay.GetReferencedAssemblies(), r => r.Name!.StartsWith("System.") || r.Name.StartsWith("nanoFramework."));
        var output = new StringWriter();
        TextWriter console = Console.Out;
        lock (ConsoleLock.Gate)
        {
            Console.SetOut(output);
            try { replay.EntryPoint!.Invoke(null, replay.EntryPoint.GetParameters().Length == 0 ? null : [Array.Empty<string>()]); }
            finally { Console.SetOut(console); }
        }
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        string[] classes = lines.Where(l => !l.StartsWith("# ")).ToArray();
        string[] expected = TestModels.Expected(TestModels.A);
        Assert.Equal(100, expected.Length);
        Assert.Equal(expected, classes);
        Assert.True(expected.Distinct().Count() >= 4, "the replay rows should cover most classes");
        Assert.All(lines.Where(l => l.StartsWith("# ")), l => Assert.StartsWith("# I\t", l));
    }

    [Fact]
    public void Replay_matches_edgenet_simulate_on_the_same_rows()
    {
        var m = TestModels.ModelA;
        string dir = Directory.CreateTempSubdirectory("edgenet-replay-sim").FullName;
        try
        {
            // The compiled-in raw rows back as real values (exact: raw / 10^exponent), one CSV row each.
            string model = Path.Combine(dir, "a.enet"), csv = Path.Combine(dir, "rows.csv");
            File.WriteAllBytes(model, TestModels.A);
            string[] expected = TestModels.Expected(TestModels.A);
            var lines = new List<string> { string.Join(",", m.FeatureNames) + ",classes" };
            for (int r = 0; r < TestModels.RowCount; r++)
            {
                lines.Add(string.Join(",", Enumerable.Range(0, m.FeatureCount).Select(f =>
                    (TestModels.Rows[r * m.FeatureCount + f] / (decimal)Math.Pow(10, m.Input.RawExponent[f])).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "," + expected[r]);
            }
            File.WriteAllLines(csv, lines);
            var run = Cli.CliRunner.Run("simulate", model, csv);
            Assert.True(run.ExitCode == 0, run.Error);
            string[] simulated = run.Out.Split('\n').Where(l => l.StartsWith("line ")).Select(l => l[(l.IndexOf(": ") + 2)..l.IndexOf(" (actual ")]).ToArray();
            Assert.Equal(expected, simulated);
            Assert.Contains("100 rows, accuracy 100", run.Out);
            Assert.Equal(ReplayOutput(), simulated);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string[] ReplayOutput()
    {
        var replay = DeviceBuild.Load("EdgeNet.Firmware.Replay");
        var output = new StringWriter();
        lock (ConsoleLock.Gate)
        {
            TextWriter console = Console.Out;
            Console.SetOut(output);
            try { replay.EntryPoint!.Invoke(null, null); }
            finally { Console.SetOut(console); }
        }
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith("# ")).ToArray();
    }

    [Fact]
    public void The_committed_replay_data_is_what_export_replay_writes()
    {
        string path = Path.Combine(DeviceBuild.RepoRoot, "firmware", "replay", "ReplayData.cs");
        string committed = File.ReadAllText(path);
        string origin = committed.Split('\n')[1]["// Written by `edgenet export-replay`: ".Length..];
        Assert.Equal(committed, ReplaySource.Generate(TestModels.A, TestModels.Rows, TestModels.RowCount, origin));
    }

    [Fact]
    public void Export_replay_reads_feature_columns_by_name_and_names_a_bad_cell()
    {
        string dir = Directory.CreateTempSubdirectory("edgenet-replay").FullName;
        try
        {
            var m = TestModels.ModelA;
            string model = Path.Combine(dir, "a.enet"), csv = Path.Combine(dir, "rows.csv");
            File.WriteAllBytes(model, TestModels.A);
            // Columns in another order, plus one the model does not use.
            var names = m.FeatureNames.Reverse().Append("classes").ToArray();
            string row = string.Join(",", Enumerable.Range(0, 36).Select(i => (100 + i).ToString()).Append("x"));
            string row2 = string.Join(",", Enumerable.Range(0, 36).Select(i => (50 + i).ToString()).Append("y"));
            File.WriteAllText(csv, string.Join(",", names) + "\n" + row + "\n" + row2 + "\n");
            int[] raw = Trainer.Commands.ExportReplayCommand.ReadRows(TestModels.A, "a.enet", csv, 1, out int rows);
            Assert.Equal(1, rows);
            Assert.Equal(36, raw.Length);
            Assert.Equal(Quantization.QuantizationRule.ToRaw(135, m.Input.RawExponent[0]), raw[0]); // x.1 is the last column
            File.WriteAllText(csv, string.Join(",", names) + "\n" + row + "\n" + row.Replace("110,", "1e400,") + "\n");
            var e = Assert.Throws<Trainer.Data.DataException>(() => Trainer.Commands.ExportReplayCommand.ReadRows(TestModels.A, "a.enet", csv, 5, out _));
            Assert.Contains("line 3", e.Message);
            Assert.Contains(names[10], e.Message);

            // The command end to end: the file it writes is the generator's output for those rows.
            string output = Path.Combine(dir, "ReplayData.cs");
            File.WriteAllText(csv, string.Join(",", names) + "\n" + row + "\n" + row2 + "\n");
            var run = Cli.CliRunner.Run("export-replay", model, csv, "--out", output);
            Assert.True(run.ExitCode == 0, run.Error);
            int[] two = Trainer.Commands.ExportReplayCommand.ReadRows(TestModels.A, "a.enet", csv, 100, out int n);
            Assert.Equal(2, n);
            Assert.Equal(ReplaySource.Generate(TestModels.A, two, 2, "a.enet, first 2 rows of rows.csv"), File.ReadAllText(output));
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>Tests that redirect the console take this lock (xunit runs test classes in parallel).</summary>
public static class ConsoleLock
{
    public static readonly object Gate = new();
}
