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

    /// <summary>
    /// train --precision: the fine-tuning trains with the mode's precisions, the model file keeps them, quantize
    /// exports them without being told, refuses another mode (its model was never trained) and re-chooses with --recalibrate.
    /// </summary>
    /// <summary>
    /// Trains the blobs MLP with two fine-tuning epochs in the given width, checks the model file stores that width for
    /// both layers, and exports it with quantize (no --precision); returns the files and train's output.
    /// </summary>
    internal static (string Data, string Model, string Enet, string TrainOut) FineTuneAndExport(string precision)
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir);
        string model = Path.Combine(dir, "blobs.float.json"), enet = Path.Combine(dir, "blobs.enet");
        var train = CliRunner.Run("train", data, "--label", "kind", "--split", Split, "--epochs", "20", "--qat-epochs", "2", "--precision", precision, "--out", model);
        Assert.True(train.ExitCode == 0, train.Error + train.Out);
        Assert.Contains("Fine-tuning precision " + precision, train.Out);
        JsonNode? stored = JsonNode.Parse(File.ReadAllText(model))!["quantizationAwarePrecision"];
        Assert.Equal(precision, (string?)stored!["mode"]);
        Assert.Equal([precision, precision], stored["layers"]!.AsArray().Select(n => (string?)n));

        var quantize = CliRunner.Run("quantize", "--model", model, data, "--label", "kind", "--split", Split, "--out", enet);
        Assert.True(quantize.ExitCode == 0, quantize.Error + quantize.Out);
        return (data, model, enet, train.Out);
    }

    [Fact]
    public void Qat_precision_is_stored_and_quantize_exports_it()
    {
        var (data, model, enet, _) = FineTuneAndExport("int16");
        Assert.All(EdgeNet.Trainer.Commands.QuantizeCommand.ReadEnet(enet).Layers, l => Assert.Equal(EdgeNet.Format.ModelFormat.PrecisionInt16, l.Precision));

        byte[] before = File.ReadAllBytes(enet);
        var other = CliRunner.Run("quantize", "--model", model, data, "--label", "kind", "--split", Split, "--precision", "int8", "--out", enet);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("fine-tuned with --precision int16", other.Error);
        Assert.Equal(before, File.ReadAllBytes(enet));

        var again = CliRunner.Run("quantize", "--model", model, data, "--label", "kind", "--split", Split, "--precision", "int8", "--recalibrate", "--out", enet);
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        Assert.All(EdgeNet.Trainer.Commands.QuantizeCommand.ReadEnet(enet).Layers, l => Assert.Equal(EdgeNet.Format.ModelFormat.PrecisionInt8, l.Precision));
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
