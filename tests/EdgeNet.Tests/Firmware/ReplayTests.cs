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
            File.WriteAllText(csv, string.Join(",", names) + "\n" + row + "\n" + row.Replace("110,", "1e400,") + "\n");
            int[] raw = Trainer.Commands.ExportReplayCommand.ReadRows(TestModels.A, "a.enet", csv, 1, out int rows);
            Assert.Equal(1, rows);
            Assert.Equal(Quantization.QuantizationRule.ToRaw(135, m.Input.RawExponent[0]), raw[0]); // x.1 is the last column
            var e = Assert.Throws<InvalidDataException>(() => Trainer.Commands.ExportReplayCommand.ReadRows(TestModels.A, "a.enet", csv, 5, out _));
            Assert.Equal($"rows.csv line 3, column 41 ('{names[10]}'): '1e400' is not a finite number", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>Tests that redirect the console take this lock (xunit runs test classes in parallel).</summary>
public static class ConsoleLock
{
    public static readonly object Gate = new();
}
