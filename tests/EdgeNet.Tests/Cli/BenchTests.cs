using System.Text.Json;

namespace EdgeNet.Tests.Cli;

public class BenchTests
{
    [Fact]
    public void Accuracy_benchmark_writes_markdown_and_json_and_names_absent_data()
    {
        string datasets = CliRunner.SharedDatasets;
        Assert.True(File.Exists(Path.Combine(datasets, "ionosphere", "ionosphere.arff")), "the test reads ../shared/datasets/ionosphere (see SPLITS.md); not found at " + datasets);
        string dir = CliRunner.TempFolder();
        string prefix = Path.Combine(dir, "accuracy");
        var r = CliRunner.Run("bench", "accuracy", "--datasets", datasets, "--only", "ionosphere", "--seeds", "2", "--epochs", "3", "--out", prefix, "--sklearn", Path.Combine(dir, "none.json"));
        Assert.True(r.ExitCode == 0, r.Error + r.Out);

        using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".json"));
        var b = json.RootElement.GetProperty("benchmarks")[0];
        Assert.Equal("ionosphere", b.GetProperty("id").GetString());
        Assert.Equal(200, b.GetProperty("trainRows").GetInt32());
        Assert.Equal(151, b.GetProperty("testRows").GetInt32());
        Assert.Equal(2, b.GetProperty("float").GetProperty("accuracy").GetProperty("values").GetArrayLength());
        var agreement = b.GetProperty("int8").GetProperty("percentile").GetProperty("agreement").GetProperty("mean").GetDouble();
        Assert.InRange(agreement, 0.0, 1.0);
        string md = File.ReadAllText(prefix + ".md");
        Assert.Contains("| ionosphere | 200 / 151 |", md);
        Assert.Contains("| ionosphere | accuracy |", md); // the headline summary

        // --render rewrites the Markdown from the JSON alone, identically.
        var rendered = CliRunner.Run("bench", "accuracy", "--render", prefix + ".json", "--out", prefix + "-again", "--sklearn", Path.Combine(dir, "none.json"));
        Assert.True(rendered.ExitCode == 0, rendered.Error);
        Assert.Equal(md, File.ReadAllText(prefix + "-again.md"));

        string empty = CliRunner.TempFolder();
        var absent = CliRunner.Run("bench", "accuracy", "--datasets", empty, "--only", "room-occupancy", "--seeds", "1", "--out", prefix);
        Assert.Equal(0, absent.ExitCode);
        Assert.Contains("archive.ics.uci.edu/dataset/864", File.ReadAllText(prefix + ".md"));
    }
}
