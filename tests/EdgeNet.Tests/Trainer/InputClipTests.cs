using EdgeNet.Format;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Tests.Training;

using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

/// <summary>Train-time input clipping (TrainOptions.InputClip): the float network sees what the device's saturating input sees.</summary>
public class InputClipTests
{
    private static readonly Lazy<(Dataset Train, Network Net)> Wine = new(() =>
    {
        Dataset train = TestData.Wine();
        Network net = TrainingLoop.Train(train, new TrainOptions { Epochs = 40, Seed = 3 }).Network;
        return (train, net);
    });

    [Fact]
    public void Apply_clamps_to_the_bounds_before_standardizing()
    {
        var n = new Normalization { Mean = [1f, 0f], Std = [2f, 1f], MaxAbs = [10, 10], ClipLow = [0f, -1f], ClipHigh = [3f, 1f] };
        var z = new float[2];
        n.Apply([9f, -5f], z);
        Assert.Equal((3f - 1f) / 2f, z[0]);
        Assert.Equal(-1f, z[1]);
        n.Apply([2f, 0.5f], z);
        Assert.Equal(0.5f, z[0]);
        Assert.Equal(0.5f, z[1]);
    }

    [Fact]
    public void Fitted_bounds_are_the_fit_rows_quantiles_and_the_mean_is_of_the_clamped_values()
    {
        var rows = Enumerable.Range(0, 1001).Select(i => new[] { (float)i }).ToArray();
        var d = new Dataset { Name = "q", SourceFile = "q", FeatureNames = ["x"], ClassLabels = ["a"], Rows = rows, Labels = new int[rows.Length] };
        Normalization n = Normalization.FitClipped(d, 0.01);
        Assert.Equal(10f, n.ClipLow[0]);
        Assert.Equal(990f, n.ClipHigh[0]);
        Assert.Equal(500f, n.Mean[0], 1e-3f);
        Assert.Equal(1000, n.MaxAbs[0]); // raw: the reading exponent keeps room for the readings themselves
        Assert.Null(Normalization.FitClipped(d, 0).ClipLow);
    }

    [Fact]
    public void A_trained_mlp_has_bounds_of_its_fit_rows()
    {
        var (train, net) = Wine.Value;
        Assert.True(net.Normalization.Clips);
        var (fit, _) = Splits.ValidationRows(train, new TrainOptions().ValidationFraction, 3);
        float max0 = fit.Max(r => train.Rows[r][0]);
        Assert.True(net.Normalization.ClipHigh[0] <= max0);
        Assert.True(net.Normalization.ClipLow[0] < net.Normalization.ClipHigh[0]);
    }

    [Theory]
    [InlineData(ModelFormat.PrecisionInt8)]
    [InlineData(ModelFormat.PrecisionInt16)]
    public void The_per_feature_input_range_is_the_bounds_and_far_rows_classify_as_float(int precision)
    {
        var (train, net) = Wine.Value;
        var options = new QuantizeOptions { LayerPrecisions = Enumerable.Repeat(precision, net.Layers.Length).ToArray() };
        QuantizeResult q = PostTraining.Quantize(net, train, options);
        Assert.NotNull(q.Ranges.FeatureScale);
        Normalization n = net.Normalization;
        for (int j = 0; j < n.Count; j++)
        {
            double lo = n.Mean[j] + n.Std[j] * (q.Ranges.FeatureShift[j] - q.Ranges.FeatureScale[j]);
            double hi = n.Mean[j] + n.Std[j] * (q.Ranges.FeatureShift[j] + q.Ranges.FeatureScale[j]);
            double span = n.ClipHigh[j] - n.ClipLow[j];
            Assert.Equal(n.ClipLow[j], lo, span * 1e-4);
            Assert.Equal(n.ClipHigh[j], hi, span * 1e-4);
        }
        // Rows far beyond the bounds: the device saturates where the float network clamps.
        var rng = new Random(5);
        var far = train.Rows.Select(r => r.Select((v, j) => rng.Next(2) == 0 ? n.ClipLow[j] - 50 * n.Std[j] : n.ClipHigh[j] + 50 * n.Std[j]).ToArray()).ToArray();
        var farData = new Dataset { Name = "far", SourceFile = "far", FeatureNames = train.FeatureNames, ClassLabels = train.ClassLabels, Rows = far, Labels = train.Labels };
        int[] f = Comparison.PredictFloat(net, farData), s = Simulator.Classify(q.Model, farData);
        // Corner rows sit on decision ties the quantization may move; unclamped they would be unrecognizable.
        double agreement = Metrics.Agreement(f, s);
        Assert.True(agreement >= 0.95, $"agreement {agreement:F3} on rows beyond the bounds");
    }

    [Fact]
    public void An_old_file_without_bounds_loads_and_quantizes_as_before()
    {
        var (train, trained) = Wine.Value;
        Network net = trained.Copy();
        net.Normalization = new Normalization { Mean = trained.Normalization.Mean, Std = trained.Normalization.Std, MaxAbs = trained.Normalization.MaxAbs };
        string path = TestData.Write("", ".json");
        net.Save(path);
        Assert.DoesNotContain("clipLow", File.ReadAllText(path));
        Network loaded = Network.Load(path);
        Assert.False(loaded.Normalization.Clips);
        QuantizeResult a = PostTraining.Quantize(net, train), b = PostTraining.Quantize(loaded, train);
        Assert.Equal(a.Ranges.FeatureScale, b.Ranges.FeatureScale);
        // int16 keeps the shared range without bounds.
        var int16 = new QuantizeOptions { LayerPrecisions = Enumerable.Repeat(ModelFormat.PrecisionInt16, net.Layers.Length).ToArray() };
        Assert.Null(PostTraining.Quantize(loaded, train, int16).Ranges.FeatureScale);
    }

    [Fact]
    public void The_bounds_survive_a_save_and_load()
    {
        var (_, net) = Wine.Value;
        string path = TestData.Write("", ".json");
        net.Save(path);
        Network loaded = Network.Load(path);
        Assert.Equal(net.Normalization.ClipLow, loaded.Normalization.ClipLow);
        Assert.Equal(net.Normalization.ClipHigh, loaded.Normalization.ClipHigh);
    }

    [Fact]
    public void A_window_network_gets_no_bounds()
    {
        Dataset train = TestData.Wine();
        Network net = TrainingLoop.Train(train, new TrainOptions { Epochs = 2, Window = 3 }).Network;
        Assert.False(net.Normalization.Clips);
        Network rnn = TrainingLoop.Train(train, new TrainOptions { Epochs = 2, Layers = "rnn-lateral:4" }).Network;
        Assert.False(rnn.Normalization.Clips);
    }

    [Fact]
    public void A_corrupt_bound_is_one_clear_error_naming_the_file()
    {
        var (_, net) = Wine.Value;
        string path = TestData.Write("", ".json");
        net.Save(path);
        string text = File.ReadAllText(path);
        int at = text.IndexOf("\"clipHigh\"", StringComparison.Ordinal);
        int open = text.IndexOf('[', at);
        int comma = text.IndexOf(',', open);
        File.WriteAllText(path, text[..(open + 1)] + "-1e30" + text[comma..]);
        var e = Assert.Throws<DataException>(() => Network.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("normalization.clipHigh[0]", e.Message);
    }
}
