using EdgeNet.Engine;
using EdgeNet.Layers;

namespace EdgeNet.Tests.Cli;

/// <summary>
/// --precision int16x16 through the command line: quantize exports every dense layer with 16-bit weights (a v3
/// file) and its summary says so with the bytes; evaluate quantizes the same way; train --qat-epochs stores the widths
/// and quantize exports them.
/// </summary>
public class WideWeightsCliTests
{
    private const string Split = "rows:1-120/121-150";

    [Fact]
    public void Precision_int16x16_exports_16_bit_weights_and_the_summary_names_them()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir);
        string model = Path.Combine(dir, "blobs.float.json"), enet = Path.Combine(dir, "blobs.enet"), narrow = Path.Combine(dir, "narrow.enet");
        var train = CliRunner.Run("train", data, "--label", "kind", "--split", Split, "--epochs", "20", "--out", model);
        Assert.True(train.ExitCode == 0, train.Error + train.Out);

        var quantize = CliRunner.Run("quantize", "--model", model, data, "--label", "kind", "--split", Split, "--precision", "int16x16", "--out", enet);
        Assert.True(quantize.ExitCode == 0, quantize.Error + quantize.Out);
        Assert.Contains("Precision int16x16:", quantize.Out);
        Model m = EdgeNet.Trainer.Commands.QuantizeCommand.ReadEnet(enet);
        Assert.All(m.Layers, l => Assert.True(((DenseLayer)l).WideWeights));
        Assert.Equal(3, BitConverter.ToUInt16(File.ReadAllBytes(enet), 4));
        // The console wraps long lines: one layer's summary runs from "layer N (" to the next one (or "Wrote").
        string flat = System.Text.RegularExpressions.Regex.Replace(quantize.Out, @"\s+", " ");
        string[] lines = System.Text.RegularExpressions.Regex.Matches(flat, @"layer \d+ \(dense \d+\): .*?(?= layer \d+ \(| Wrote )").Select(x => x.Value).ToArray();
        Assert.Equal(m.Layers.Length, lines.Length);
        for (int l = 0; l < lines.Length; l++)
        {
            Assert.Contains("int16x16 (int16 output, int16x16 kernel, 16-bit weights, int64 sums)", lines[l]);
            Assert.Contains($"{m.Layers[l].ParameterBytes:N0} parameter bytes", lines[l]);
            Assert.Contains("forced by --precision int16x16", lines[l]);
        }

        // The 16x8 export of the same network: one byte less per weight.
        var int16 = CliRunner.Run("quantize", "--model", model, data, "--label", "kind", "--split", Split, "--precision", "int16", "--out", narrow);
        Assert.True(int16.ExitCode == 0, int16.Error + int16.Out);
        Model n = EdgeNet.Trainer.Commands.QuantizeCommand.ReadEnet(narrow);
        Assert.Equal(n.Layers.Sum(l => l.ParameterBytes + l.MacCount), m.Layers.Sum(l => l.ParameterBytes));
        Assert.Contains("int16 (int16 output, 16x8 kernel", System.Text.RegularExpressions.Regex.Replace(int16.Out, @"\s+", " "));

        var evaluate = CliRunner.Run("evaluate", "--model", model, data, "--label", "kind", "--split", Split, "--precision", "int16x16");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error + evaluate.Out);
        Assert.Contains("balanced accuracy", evaluate.Out);
    }

    [Fact]
    public void Fine_tuning_with_precision_int16x16_stores_the_widths_and_quantize_exports_them()
    {
        var (_, _, enet, trainOut) = QatCliTests.FineTuneAndExport("int16x16");
        Assert.Contains("Fine-tuning precision int16x16, chosen before it: layers int16x16, int16x16", trainOut);
        Assert.All(EdgeNet.Trainer.Commands.QuantizeCommand.ReadEnet(enet).Layers, l => Assert.True(((DenseLayer)l).WideWeights));
    }
}
