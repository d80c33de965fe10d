namespace EdgeNet.Tests.Cli;

/// <summary>Bad input ends with one clear line naming the file (and line and column) and a non-zero exit code.</summary>
public class ErrorTests
{
    [Fact]
    public void Missing_data_file()
    {
        var r = CliRunner.Run("train", "/nonexistent/rows.csv", "--epochs", "1");
        CliRunner.AssertCleanError(r, 1, "/nonexistent/rows.csv");
    }

    [Fact]
    public void Non_numeric_cell_names_file_line_and_column()
    {
        string dir = CliRunner.TempFolder();
        string path = Path.Combine(dir, "bad.csv");
        File.WriteAllLines(path, ["a,b,label", "1,2,x", "3,oops,y", "5,6,x"]);
        var r = CliRunner.Run("train", path, "--epochs", "1", "--out", Path.Combine(dir, "m.fnet"));
        CliRunner.AssertCleanError(r, 1, "bad.csv", "3", "b");
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "m.fnet")));
    }

    [Fact]
    public void Unknown_label_column()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir);
        var r = CliRunner.Run("train", data, "--label", "nosuch", "--epochs", "1", "--out", Path.Combine(dir, "m.fnet"));
        CliRunner.AssertCleanError(r, 1, "nosuch");
    }

    [Fact]
    public void Unknown_option_and_missing_argument_are_usage_errors()
    {
        Assert.Equal(2, CliRunner.Run("train", "--no-such-option").ExitCode);
        Assert.Equal(2, CliRunner.Run("simulate").ExitCode);
        Assert.Equal(2, CliRunner.Run("frobnicate").ExitCode);
        CliRunner.AssertCleanError(CliRunner.Run("train", "--epochs", "1"), 2, "no data");
        CliRunner.AssertCleanError(CliRunner.Run("evaluate", "--benchmark", "no-such-benchmark"), 2, "no-such-benchmark");
    }

    [Fact]
    public void Corrupt_model_files_are_rejected_with_their_name()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir);
        string enet = Path.Combine(dir, "broken.enet");
        File.WriteAllBytes(enet, [0x45, 0x4E, 0x45, 0x54, 1, 0, 0, 0, 9, 9]);
        CliRunner.AssertCleanError(CliRunner.Run("simulate", enet, data), 1, "broken.enet");

        string fnet = Path.Combine(dir, "broken.fnet");
        File.WriteAllText(fnet, "not a model");
        CliRunner.AssertCleanError(CliRunner.Run("quantize", "--model", fnet, data, "--out", Path.Combine(dir, "q.enet")), 1, "broken.fnet");
        Assert.False(File.Exists(Path.Combine(dir, "q.enet")));
    }

    [Fact]
    public void Absent_benchmark_data_says_where_to_get_it()
    {
        string empty = CliRunner.TempFolder();
        CliRunner.AssertCleanError(CliRunner.Run("train", "--benchmark", "shuttle", "--datasets", empty, "--epochs", "1"), 1,
            "shuttle/shuttle.csv", "r-cran-mlbench");
    }
}
