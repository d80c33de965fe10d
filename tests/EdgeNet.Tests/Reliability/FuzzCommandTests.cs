using EdgeNet.Tests.Cli;

namespace EdgeNet.Tests.Reliability;

/// <summary>`edgenet fuzz` through the real command line (a short run; the 1,000,000-case figures are in benchmarks/results/fuzz.md).</summary>
public class FuzzCommandTests
{
    [Fact]
    public void A_short_run_reports_its_figures_and_exits_0()
    {
        string folder = CliRunner.TempFolder();
        string report = Path.Combine(folder, "results", "fuzz.md");
        var r = CliRunner.Run("fuzz", "--cases", "400", "--seed", "3", "--report", report);
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Contains("400 cases", r.Out);
        Assert.Contains("0 crashes, 0 hangs, 0 build disagreements, 0 out-of-range reads", r.Out);
        string md = File.ReadAllText(report);
        Assert.Contains("| cases | 400 |", md);
        Assert.Contains("## Rejections by reason class", md);
        Assert.Contains("edgenet fuzz --cases 400 --seed 3", md);
    }

    [Fact]
    public void One_case_is_reproduced_with_both_verdicts()
    {
        string folder = CliRunner.TempFolder();
        string saved = Path.Combine(folder, "case.enet");
        var r = CliRunner.Run("fuzz", "--seed", "3", "--case", "17", "--save", saved);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("case 17: ", r.Out);
        Assert.Matches(@"net10: +(accepted|byte \d+: )", r.Out);
        Assert.Matches(@"nanoFramework: +(accepted|byte \d+: )", r.Out);
        Assert.True(File.Exists(saved));
    }

    [Theory]
    [InlineData("--cases", "0", "--cases must be at least 1")]
    [InlineData("--cases", "many", "many")]
    [InlineData("--budget-ms", "-5", "--budget-ms must be at least 1")]
    public void Bad_option_values_are_usage_errors(string option, string value, string mention)
    {
        var r = CliRunner.Run("fuzz", option, value);
        CliRunner.AssertCleanError(r, 2, mention);
    }
}
