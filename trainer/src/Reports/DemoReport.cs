using System.Globalization;
using System.Text;
using EdgeNet.Engine;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Reports;

/// <summary>Everything the demo measured, and its Markdown summary (summary.md in the output folder).</summary>
public sealed class DemoReport
{
    public string DataFile;
    public string Split;
    public int TrainRows;
    public int TestRows;
    public string[] FeatureNames;
    public TrainOptions Options;
    public TrainResult Training;
    public QuantizeOptions Quantize;
    public QuantizeResult Quantized;
    public PrecisionReport Precision;
    public byte[] Enet;
    public Comparison Comparison;
    public BitExactCheck BitExact;
    public List<(string Step, double Seconds)> Timings = new();
    public string[] Figures = [];

    /// <summary>The layers' widths (<see cref="LayerWidths"/>): one phrase when they are all the same, else each layer's.</summary>
    private static string Widths(Model m)
    {
        string[] widths = m.Layers.Select(LayerWidths.Name).ToArray();
        if (widths.Distinct().Count() > 1) return "per layer " + string.Join(", ", widths);
        return widths[0] switch
        {
            LayerWidths.Int16 => "16-bit activations (int8 weights)",
            LayerWidths.Int16x16 => "16-bit activations and weights (int16x16)",
            _ => "int8",
        };
    }

    public string Markdown()
    {
        var s = new StringBuilder();
        Comparison c = Comparison;
        Model m = Quantized.Model;
        s.AppendLine("# EdgeNet demo: Statlog Landsat Satellite");
        s.AppendLine();
        s.AppendLine($"Data: `{Relative(DataFile)}` (UCI #146, A. Srinivasan 1993, CC BY 4.0), {FeatureNames.Length} features, {c.ClassLabels.Length} classes.");
        s.AppendLine($"Split ({Split}): {TrainRows} training rows (the Statlog training file), {TestRows} test rows (the Statlog test file). " +
                     "The test rows are never seen in training, normalization or calibration.");
        s.AppendLine();
        s.AppendLine($"Network: {FeatureNames.Length} → {string.Join(" → ", Options.Hidden)} ({Options.HiddenActivation}) → {c.ClassLabels.Length}; " +
                     $"{Options.Loss} loss, {Options.Optimizer}, learning rate {F(Options.EffectiveLearningRate)}, batch {Options.BatchSize}, seed {Options.Seed}; " +
                     $"trained {Training.History.Count} epochs, best epoch {Training.BestEpoch}.");
        s.AppendLine($"Quantization: {Widths(m)}, calibration {Quantize.Calibration}" + (Quantize.Calibration == Calibration.Percentile ? $" ({F(Quantize.Percentile)}th percentile)" : "") +
                     $" on the training rows. Model file {Enet.Length} bytes, parameters {m.ParameterBytes} bytes, arena {m.ArenaBytes} bytes, {m.MacCount} MACs per inference.");
        s.AppendLine();
        if (Precision != null)
        {
            foreach (string line in PrecisionChoice.Describe(m, Precision)) s.AppendLine(line.StartsWith("  ", StringComparison.Ordinal) ? "- " + line.Trim() : line);
            s.AppendLine();
        }
        s.AppendLine("## Float vs quantized");
        s.AppendLine();
        s.AppendLine("| | float | quantized | quantized − float |");
        s.AppendLine("|---|---:|---:|---:|");
        Row(s, "test accuracy", c.FloatTest.Accuracy, c.Int8Test.Accuracy);
        Row(s, "test balanced accuracy", c.FloatTest.BalancedAccuracy, c.Int8Test.BalancedAccuracy);
        Row(s, "test macro-F1", c.FloatTest.MacroF1, c.Int8Test.MacroF1);
        if (c.FloatTrain != null) Row(s, "learned accuracy (training rows)", c.FloatTrain.Accuracy, c.Int8Train.Accuracy);
        Row(s, "unlearned accuracy (test rows)", c.FloatTest.Accuracy, c.Int8Test.Accuracy);
        s.AppendLine();
        s.AppendLine($"The quantized model predicts the same class as float on **{P(c.Agreement)}** of the test rows.");
        s.AppendLine();
        s.AppendLine("| class | test rows | float recall | quantized recall |");
        s.AppendLine("|---|---:|---:|---:|");
        for (int k = 0; k < c.ClassLabels.Length; k++)
            s.AppendLine($"| {c.ClassLabels[k]} | {Metrics.Support(c.FloatTest.Confusion, k)} | {P(c.FloatTest.Recall[k])} | {P(c.Int8Test.Recall[k])} |");
        s.AppendLine();
        s.AppendLine("## Quantization error per tensor (calibration rows)");
        s.AppendLine();
        s.AppendLine("| tensor | range | step | RMS error | max error | RMS added by this layer |");
        s.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (LayerError e in Quantized.Errors)
            s.AppendLine($"| {e.Layer} | [{G(e.RangeMin)}, {G(e.RangeMax)}] | {G(e.Step)} | {G(e.RmsError)} | {G(e.MaxAbsError)} | {G(e.AddedRmsError)} |");
        s.AppendLine();
        s.AppendLine("## Device kernels, bit for bit");
        s.AppendLine();
        s.AppendLine($"The nanoFramework-compiled EdgeNet.Shared.dll (`{Relative(BitExact.DeviceFolder)}`), loaded into CoreCLR, ran the exported model on every test row: " +
                     (BitExact.Exact
                         ? $"**bit-exact** — all {BitExact.ValuesCompared:N0} integers (input tensor and every layer's output, {BitExact.Rows} rows) and every predicted class equal the trainer's simulation."
                         : $"**MISMATCH** — {BitExact.ValueMismatches:N0} of {BitExact.ValuesCompared:N0} integers and {BitExact.ClassMismatches} classes differ (first at test row {BitExact.FirstMismatchRow + 1})."));
        s.AppendLine();
        s.AppendLine("## Figures");
        s.AppendLine();
        foreach (string f in Figures) s.AppendLine($"![{Path.GetFileNameWithoutExtension(f)}]({f})");
        s.AppendLine();
        s.AppendLine("## Time");
        s.AppendLine();
        s.AppendLine("| step | seconds |");
        s.AppendLine("|---|---:|");
        foreach (var (step, seconds) in Timings) s.AppendLine($"| {step} | {seconds.ToString("F2", CultureInfo.InvariantCulture)} |");
        return s.ToString();
    }

    private static void Row(StringBuilder s, string name, double f, double q) =>
        s.AppendLine($"| {name} | {P(f)} | {P(q)} | {((q - f) * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)} pt |");

    private static string P(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);
    private static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(path));

    private static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
    private static string F(float v) => v.ToString("G", CultureInfo.InvariantCulture);
}
