using System.Text.Json.Nodes;

namespace EdgeNet.Tests.Cli;

/// <summary>Issue 18 through the command line: --qat-epochs fine-tunes and quantize exports its ranges; the old --qat is refused.</summary>
public class QatCliTests
{
    private const string Split = "rows:1-120/121-150";

    [Fact]
    public void Qat_epochs_fine_tune_and_quantize_exports_the_stored_ranges()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir);
        string model = Path.Combine(dir, "blobs.float.json"), enet = Path.Combine(dir, "blobs.enet");
        var train = CliRunner.Run("train", data, "--label", "kind", "--split", Split, "--epochs", "20", "--qat-epochs", "3", "--qat-lr-factor", "0.2", "--out", model);
        Assert.True(train.ExitCode == 0, train.Error + train.Out);
        JsonNode? ranges = JsonNode.Parse(File.ReadAllText(model))!["quantizationAwareRanges"];
        Assert.NotNull(ranges);
        Assert.Equal(2, ranges!["OutputMin"]!.AsArray().Count);
        var quantize = CliRunner.Run("quantize", "--model", model, data, "--label", "kind", "--split", Split, "--out", enet);
        Assert.True(quantize.ExitCode == 0, quantize.Error + quantize.Out);
        Assert.Contains("quantization-aware", quantize.Out);
    }

    [Fact]
    public void The_old_qat_flag_is_refused_with_the_replacement()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir);
        var r = CliRunner.Run("train", data, "--label", "kind", "--split", Split, "--epochs", "2", "--qat", "--out", Path.Combine(dir, "m.float.json"));
        Assert.Equal(EdgeNet.Trainer.Commands.ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--qat-epochs", r.Error);
        Assert.False(File.Exists(Path.Combine(dir, "m.float.json")));
    }
}
