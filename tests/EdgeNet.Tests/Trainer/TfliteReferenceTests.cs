using EdgeNet.Layers;
using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.Training;

/// <summary>
/// The TensorFlow Lite converter reference of the accuracy benchmark (TfliteReference): its rules on numbers worked
/// out by hand below, a tiny network end to end, the 1,000-row representative sample, and the benchmark's section
/// rendering from a results file written before the reference existed.
/// </summary>
public class TfliteReferenceTests
{
    [Fact]
    public void Int8ActivationRangeContainsZeroAndRoundsTheZeroPoint()
    {
        // [-1, 3]: scale 4/255; zero point -128 - (-1) / (4/255) = -128 + 63.75 = -64.25 -> -64.
        TfliteTensor t = TfliteReference.Asymmetric8(-1f, 3f);
        Assert.Equal(4f / 255f, t.Scale);
        Assert.Equal(-64, t.ZeroPoint);
        // [0.5, 2] widens to [0, 2]: zero point -128. [-3, -1] widens to [-3, 0]: zero point -128 + 255 = 127.
        Assert.Equal(-128, TfliteReference.Asymmetric8(0.5f, 2f).ZeroPoint);
        Assert.Equal(2f / 255f, TfliteReference.Asymmetric8(0.5f, 2f).Scale);
        Assert.Equal(127, TfliteReference.Asymmetric8(-3f, -1f).ZeroPoint);
        // Quantize: round(x / scale) half away from zero, plus the zero point, clamped: 0.5 / (4/255) = 31.875 -> 32.
        Assert.Equal(32 - 64, t.Quantize(0.5f));
        Assert.Equal(127, t.Quantize(100f));
        // Halves go away from zero (TfLiteRound), not to even: 1.25 / 0.5 = 2.5 -> 3, -2.5 -> -3.
        var half = new TfliteTensor(0.5f, 0, -128, 127);
        Assert.Equal(3, half.Quantize(1.25f));
        Assert.Equal(-3, half.Quantize(-1.25f));
        Assert.Equal(-128, t.Quantize(-100f));
    }

    [Fact]
    public void Int16ActivationsAreSymmetricWithZeroPointZero()
    {
        TfliteTensor t = TfliteReference.Symmetric16(-2f, 1f);
        Assert.Equal(2f / 32767f, t.Scale);
        Assert.Equal(0, t.ZeroPoint);
        Assert.Equal(3f / 32767f, TfliteReference.Symmetric16(0.5f, 3f).Scale);
        // 0.8 / (2/32767) = 13106.8 -> 13107.
        Assert.Equal(13107, t.Quantize(0.8f));
        Assert.Equal(-32768, t.Quantize(-5f));
    }

    [Fact]
    public void WeightsArePerChannelSymmetricInMinus127To127()
    {
        var q = new sbyte[3];
        // max |w| = 1.27 -> scale 0.01; 0.5 -> 50, -1.27 -> -127, 0.333 -> 33.3 -> 33.
        float scale = TfliteReference.QuantizeChannel([0.5f, -1.27f, 0.333f], q);
        Assert.Equal(1.27f / 127f, scale);
        Assert.Equal(new sbyte[] { 50, -127, 33 }, q);
        // A channel's scale depends on its own weights only: [0.02, 0.005, 0] -> scale 0.02/127, values 127, 31.75 -> 32, 0.
        float small = TfliteReference.QuantizeChannel([0.02f, 0.005f, 0f], q);
        Assert.Equal(0.02f / 127f, small);
        Assert.Equal(new sbyte[] { 127, 32, 0 }, q);
        // An all-zero channel: scale 0, values 0.
        Assert.Equal(0f, TfliteReference.QuantizeChannel([0f, 0f, 0f], q));
        Assert.Equal(new sbyte[] { 0, 0, 0 }, q);
    }

    [Fact]
    public void BiasIsAtInputTimesWeightScaleAndSaturates()
    {
        Assert.Equal(2000, TfliteReference.QuantizeBias(0.2f, 1e-4f, wide: false));
        Assert.Equal(-2000, TfliteReference.QuantizeBias(-0.2f, 1e-4f, wide: false));
        // int32 bias saturates at +-(2^31 - 1); the 16x8 bias is int64 and does not.
        Assert.Equal(int.MaxValue, TfliteReference.QuantizeBias(1f, 1e-12f, wide: false));
        Assert.Equal(-int.MaxValue, TfliteReference.QuantizeBias(-1f, 1e-12f, wide: false));
        Assert.InRange(TfliteReference.QuantizeBias(1f, 1e-12f, wide: true), 999_000_000_000L, 1_001_000_000_000L);
    }

    [Fact]
    public void RequantizationFollowsTfliteRounding()
    {
        // 0.75 = 0.75 * 2^0: multiplier 0.75 * 2^31 = 1610612736, shift 0. 0.1 = 0.8 * 2^-3: round(0.8 * 2^31) = 1717986918, shift -3.
        Assert.Equal((1610612736, 0), TfliteArithmetic.QuantizeMultiplier(0.75));
        Assert.Equal((1717986918, -3), TfliteArithmetic.QuantizeMultiplier(0.1));
        Assert.Equal((1 << 30, 2), TfliteArithmetic.QuantizeMultiplier(2.0));
        Assert.Equal((0, 0), TfliteArithmetic.QuantizeMultiplier(1e-12));
        Assert.Equal(75, TfliteArithmetic.MultiplyByQuantizedMultiplier(100, 1610612736, 0));
        // The doubling high multiply rounds +1.5 to 2 and -1.5 to -1 (its nudge is 2^30 or 1 - 2^30, then truncation).
        Assert.Equal(2, TfliteArithmetic.SaturatingRoundingDoublingHighMul(3, 1 << 30));
        Assert.Equal(-1, TfliteArithmetic.SaturatingRoundingDoublingHighMul(-3, 1 << 30));
        // Off ties it rounds to nearest on both sides: 858993459 is 0.4 * 2^31, so 3 * 0.4 = 1.2 -> 1 and -1.2 -> -1.
        Assert.Equal(1, TfliteArithmetic.SaturatingRoundingDoublingHighMul(3, 858993459));
        Assert.Equal(-1, TfliteArithmetic.SaturatingRoundingDoublingHighMul(-3, 858993459));
        Assert.Equal(-2, TfliteArithmetic.SaturatingRoundingDoublingHighMul(-5, 858993459));
        // The rounding shift takes halves away from zero: 3/2 -> 2, -3/2 -> -2, 5/4 -> 1.
        Assert.Equal(2, TfliteArithmetic.RoundingDivideByPOT(3, 1));
        Assert.Equal(-2, TfliteArithmetic.RoundingDivideByPOT(-3, 1));
        Assert.Equal(1, TfliteArithmetic.RoundingDivideByPOT(5, 2));
        // Two roundings: 7 * 0.25 with multiplier 2^30 and shift -1: high mul gives round(3.5) = 4, then 4 / 2 = 2 (one rounding of 1.75 also gives 2);
        // 5 * 0.25: high mul round(2.5) = 3, 3 / 2 = 1.5 -> 2, where a single rounding of 1.25 gives 1.
        Assert.Equal(2, TfliteArithmetic.MultiplyByQuantizedMultiplier(7, 1 << 30, -1));
        Assert.Equal(2, TfliteArithmetic.MultiplyByQuantizedMultiplier(5, 1 << 30, -1));
        // The int64 form rounds the multiplier to 15 bits: 2^30 -> (2^30 + 2^15) >> 16 = 16384; 1000 * 16384 + 2^14 >> 15 = 500.
        Assert.Equal(500, TfliteArithmetic.MultiplyByQuantizedMultiplier(1000L, 1 << 30, 0));
        // 1717986918 -> (1717986918 + 32768) >> 16 = 26214; 10^6 * 26214 / 2^18 = 99998.47 -> 99998 (0.1 exactly would give 100000).
        Assert.Equal(99998, TfliteArithmetic.MultiplyByQuantizedMultiplier(1_000_000L, 1717986918, -3));
    }

    /// <summary>
    /// 2 inputs -> dense 2 ReLU -> dense 2 identity; inputs already normalized (mean 0, std 1).
    /// W1 = [[1, 0.5], [-0.5, 1]], b1 = [0.2, 0]; W2 = [[1, -1], [0.5, 0.3]], b2 = [0, 0.2].
    /// Representative rows (1, 0), (0, 1), (-1, 2): input range [-1, 2]; hidden (after ReLU) (1.2, 0), (0.7, 1), (0.2, 2.5)
    /// -> [0, 2.5]; outputs (1.2, 0.8), (-0.3, 0.85), (-2.3, 1.05) -> [-2.3, 1.2].
    /// </summary>
    private static (Network Net, Dataset Rows) Tiny()
    {
        var l1 = new DenseFloat(2, 2, Activation.Relu);
        float[] w1 = [1f, 0.5f, -0.5f, 1f, 0.2f, 0f];
        w1.CopyTo(l1.Parameters, 0);
        var l2 = new DenseFloat(2, 2, Activation.Identity);
        float[] w2 = [1f, -1f, 0.5f, 0.3f, 0f, 0.2f];
        w2.CopyTo(l2.Parameters, 0);
        var net = new Network
        {
            Name = "tiny", Layers = [l1, l2], FeatureNames = ["a", "b"], ClassLabels = ["p", "q"],
            Normalization = new Normalization { Mean = [0f, 0f], Std = [1f, 1f], MaxAbs = [1, 2] },
        };
        var rows = new Dataset
        {
            Name = "tiny", SourceFile = "memory", FeatureNames = ["a", "b"], ClassLabels = ["p", "q"],
            Rows = [[1f, 0f], [0f, 1f], [-1f, 2f]], Labels = [0, 1, 1], SourceLines = [2, 3, 4],
        };
        return (net, rows);
    }

    [Fact]
    public void Int8SchemeOnATinyNetworkGivesTheHandComputedIntegers()
    {
        var (net, rows) = Tiny();
        TfliteModel m = TfliteReference.Convert(net, rows, TfliteScheme.Int8, seed: 1);
        // Input [-1, 2]: scale 3/255, zero point -128 + 85 = -43. Hidden [0, 2.5]: scale 2.5/255, zero point -128.
        // Output [-2.3, 1.2]: scale 3.5/255, zero point -128 + 2.3 / (3.5/255) = 39.57 -> 40.
        Assert.Equal((3f / 255f, -43), (m.Input.Scale, m.Input.ZeroPoint));
        Assert.Equal((2.5f / 255f, -128), (m.Layers[0].Output.Scale, m.Layers[0].Output.ZeroPoint));
        Assert.Equal((3.5f / 255f, 40), (m.Layers[1].Output.Scale, m.Layers[1].Output.ZeroPoint));
        // Layer 1: both rows have max |w| = 1 -> scale 1/127; 0.5 -> 63.5 -> 64. Bias 0.2 / ((3/255) (1/127)) = 2159.
        Assert.Equal(new sbyte[] { 127, 64, -64, 127 }, m.Layers[0].Weights);
        Assert.Equal(new long[] { 2159, 0 }, m.Layers[0].Bias);
        Assert.Equal(-128, m.Layers[0].ActivationMin); // ReLU clamps at the zero point
        // Layer 2: row 0 scale 1/127 -> (127, -127); row 1 scale 0.5/127 -> (127, 0.3 * 254 = 76.2 -> 76).
        // Bias 0.2 / ((2.5/255) (0.5/127)) = 5181.6 -> 5182.
        Assert.Equal(new sbyte[] { 127, -127, 127, 76 }, m.Layers[1].Weights);
        Assert.Equal(new long[] { 0, 5182 }, m.Layers[1].Bias);

        // x = (0.8, 0.25): 68 + (-43) = 25, 21.25 -> 21 - 43 = -22.
        // Hidden 0: 127 * 68 + 64 * 21 + 2159 = 12139; * (3/255)(1/127)/(2.5/255) = 114.70 -> 115; -128 + 115 = -13.
        // Hidden 1: -64 * 68 + 127 * 21 = -1685; * same = -15.92 -> -16; -144 clamps (ReLU) to -128.
        // Output 0: 127 * 115 - 127 * 0 = 14605; * (2.5/255)(1/127)/(3.5/255) = 82.14 -> 82; + 40 = 122.
        // Output 1: 127 * 115 + 76 * 0 + 5182 = 19787; * (2.5/255)(0.5/127)/(3.5/255) = 55.64 -> 56; + 40 = 96.
        Assert.Equal(new[] { 122, 96 }, m.Run([0.8f, 0.25f]));
        var probe = new Dataset { Name = "p", SourceFile = "memory", FeatureNames = ["a", "b"], ClassLabels = ["p", "q"], Rows = [[0.8f, 0.25f], [-1f, 2f]], Labels = [0, 1], SourceLines = [2, 3] };
        // The second row's float outputs (-2.3, 1.05) pick class 1; so must the integers.
        Assert.Equal(new[] { 0, 1 }, m.Classify(net, probe));
    }

    [Fact]
    public void Int16x8SchemeOnATinyNetwork()
    {
        var (net, rows) = Tiny();
        TfliteModel m = TfliteReference.Convert(net, rows, TfliteScheme.Int16x8, seed: 1);
        // Input: max(|-1|, 2) / 32767, zero point 0; hidden 2.5 / 32767; output max(2.3, 1.2) / 32767.
        Assert.Equal((2f / 32767f, 0), (m.Input.Scale, m.Input.ZeroPoint));
        Assert.Equal(2.5f / 32767f, m.Layers[0].Output.Scale);
        Assert.Equal((2.3f / 32767f, 0), (m.Layers[1].Output.Scale, m.Layers[1].Output.ZeroPoint));
        Assert.Equal(new sbyte[] { 127, 64, -64, 127 }, m.Layers[0].Weights);
        // Bias at (2/32767)(1/127): 0.2 * 32767 * 127 / 2 = 416140.9 -> 416141 (beyond int16, as int64 allows).
        Assert.Equal(new long[] { 416141, 0 }, m.Layers[0].Bias);
        Assert.Equal(0, m.Layers[0].ActivationMin);
        // Real-valued: inputs 13107, 4096; hidden 0: (127 * 13107 + 64 * 4096 + 416141) * 2 / 317.5 = 14758.26; hidden 1 < 0 -> 0;
        // outputs 16041.3 and 10869.95. The 15-bit multiplier of the int64 requantization may move a value by one step.
        int[] y = m.Run([0.8f, 0.25f]);
        Assert.InRange(y[0], 16040, 16042);
        Assert.InRange(y[1], 10869, 10871);
    }

    [Fact]
    public void RepresentativeRowsAreCappedAtOneThousandSeededDistinctRows()
    {
        Assert.Equal(Enumerable.Range(0, 800), TfliteReference.RepresentativeRows(800, seed: 5));
        int[] a = TfliteReference.RepresentativeRows(5000, seed: 5);
        Assert.Equal(TfliteReference.MaxRepresentativeRows, a.Length);
        Assert.Equal(1000, a.Distinct().Count());
        Assert.All(a, i => Assert.InRange(i, 0, 4999));
        Assert.Equal(a.Order(), a);
        Assert.Equal(a, TfliteReference.RepresentativeRows(5000, seed: 5));
        Assert.NotEqual(a, TfliteReference.RepresentativeRows(5000, seed: 6));
        // Spread over the rows, not the first thousand.
        Assert.True(a.Max() > 4000 && a.Min() < 1000);
    }

    [Fact]
    public void CalibrationSeesOnlyTheSampledRows()
    {
        // 1,500 rows with inputs in [0, 2.25] and one far row (50, 50): the far row sets the input range only when it is sampled.
        var (net, _) = Tiny();
        var x = new float[1501][];
        for (int i = 0; i < 1500; i++) x[i] = [0.25f * (i % 10), 0.25f];
        x[1500] = [50f, 50f];
        var rows = new Dataset { Name = "many", SourceFile = "memory", FeatureNames = ["a", "b"], ClassLabels = ["p", "q"], Rows = x, Labels = new int[1501], SourceLines = Enumerable.Range(2, 1501).ToArray() };
        var seen = new HashSet<bool>();
        for (int seed = 1; seed <= 10; seed++)
        {
            TfliteModel m = TfliteReference.Convert(net, rows, TfliteScheme.Int8, seed);
            Assert.Equal(1000, m.RepresentativeRows.Length);
            bool far = m.RepresentativeRows.Contains(1500);
            Assert.Equal(far ? 50f / 255f : 2.25f / 255f, m.Input.Scale);
            seen.Add(far);
        }
        Assert.Equal(2, seen.Count); // both cases occurred
    }

    [Fact]
    public void OnlyDenseIdentityAndReluNetworksAreConverted()
    {
        var (net, rows) = Tiny();
        Assert.Null(TfliteReference.Unsupported(net));
        net.Layers[0].Activation = Activation.Tanh;
        Assert.Contains("tanh", TfliteReference.Unsupported(net));
        Assert.Throws<ArgumentException>(() => TfliteReference.Convert(net, rows, TfliteScheme.Int8, 1));
    }

    [Fact]
    public void SectionRendersFromAResultsFileWithoutTheReference()
    {
        // The committed results file with every "tflite" field removed: what a file written before the reference holds.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "benchmarks", "results", "accuracy.json")))!;
        foreach (var bench in json["benchmarks"]!.AsArray()) bench!.AsObject().Remove("tflite");
        AccuracyResults old = System.Text.Json.JsonSerializer.Deserialize<AccuracyResults>(json.ToJsonString(), EdgeNet.Trainer.Reports.Json.Options)!;
        Assert.All(old.Benchmarks, b => Assert.Null(b.Tflite));
        string md = AccuracyMarkdown.Write(old, null);
        Assert.Contains("## TensorFlow Lite converter scheme on the same float networks", md);
        Assert.Contains("Not in this results file", md);
        Assert.Contains("| gas-drift-b9 |", md);

        // With the figures of one benchmark: they are rendered beside EdgeNet's, and the targets judge against them.
        BenchmarkResult b9 = old.Benchmarks.Single(b => b.Id == "gas-drift-b9");
        double int8 = b9.Quantized["int8"].Agreement.Mean, auto = b9.Quantized["auto"].Agreement.Mean;
        // TFLite int8 agrees more than both EdgeNet columns, 16x8 less than auto.
        double t8 = Math.Max(int8, auto) + 0.0123, t16 = auto - 0.05;
        Stat S(double v) => Stat.Of([v]);
        string P(double v) => (v * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " %";
        var withTflite = new BenchmarkResult
        {
            Id = b9.Id, TrainRows = b9.TrainRows, TestRows = b9.TestRows, Features = b9.Features, Classes = b9.Classes,
            Float = b9.Float, Int8 = b9.Int8, Quantized = b9.Quantized,
            Tflite = new Dictionary<string, KindResult>
            {
                ["int8"] = new KindResult { Accuracy = S(0.30), BalancedAccuracy = S(0.31), MacroF1 = S(0.2), Agreement = S(t8) },
                ["16x8"] = new KindResult { Accuracy = S(0.34), BalancedAccuracy = S(0.33), MacroF1 = S(0.2), Agreement = S(t16) },
            },
        };
        old.Benchmarks[old.Benchmarks.IndexOf(b9)] = withTflite;
        md = AccuracyMarkdown.Write(old, null);
        string section = md[md.IndexOf("## TensorFlow Lite converter")..md.IndexOf("## Calibration rules on the validation rows")];
        string row = section.Split('\n').Single(l => l.StartsWith("| gas-drift-b9 |"));
        Assert.Contains(P(t8), row);
        Assert.Contains(P(t16), row);
        Assert.Contains(section.Split('\n'), l => l.StartsWith("| gas-drift-b8 |") && l.EndsWith("– | – | – | – |"));
        string target = md[md.IndexOf("## Targets")..].Split('\n').First(l => l.StartsWith("| gas-drift-b9 |"));
        // |drop| in points, the larger of accuracy's and balanced accuracy's; each verdict counts agreement and |drop|.
        string D(KindResult k) => (Math.Round(Math.Max(Math.Abs(b9.Float.Accuracy.Mean - k.Accuracy.Mean), Math.Abs(b9.Float.BalancedAccuracy.Mean - k.BalancedAccuracy.Mean)) * 100, 2) + 0.0)
            .ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        string Verdict(KindResult ours, KindResult reference)
        {
            int wins = (ours.Agreement.Mean >= reference.Agreement.Mean ? 1 : 0) + (double.Parse(D(ours)) <= double.Parse(D(reference)) ? 1 : 0);
            return (wins == 2 ? "yes" : wins == 1 ? "**partly**" : "**no**") + $" ({P(ours.Agreement.Mean)} vs {P(reference.Agreement.Mean)}; {D(ours)} vs {D(reference)} pt)";
        }
        KindResult i8 = b9.Quantized["int8"], a = b9.Quantized["auto"], r8 = withTflite.Tflite["int8"], r16 = withTflite.Tflite["16x8"];
        Assert.Contains(Verdict(i8, r8), target);
        Assert.Contains(Verdict(a, r8) + " / " + Verdict(a, r16), target);
        Assert.StartsWith("**partly**", Verdict(i8, r8)); // the case is built so agreement and |drop| disagree: both halves count
    }
}
