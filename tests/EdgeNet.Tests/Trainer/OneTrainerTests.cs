using EdgeNet.Engine;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Tests.Training;

/// <summary>
/// The one training loop, layer spec, float layers keyed by the shared LayerKind, and sessions (issue 14 items
/// 1, 3, 4) at the API level.
/// </summary>
public class OneTrainerTests
{
    private static Dataset Stream(int rows, int takeLength, int seed = 3)
    {
        var rng = new Random(seed);
        var x = new float[rows][];
        var y = new int[rows];
        var take = new string[rows];
        int regime = 0;
        for (int r = 0; r < rows; r++)
        {
            if (r % 15 == 0) regime = rng.Next(3);
            x[r] = [(float)(regime - 1 + rng.NextDouble() - 0.5), (float)rng.NextDouble()];
            y[r] = regime;
            take[r] = (1 + r / takeLength).ToString();
        }
        var d = new Dataset
        {
            Name = "takes", SourceFile = "memory", FeatureNames = ["x", "noise"], ClassLabels = ["a", "b", "c"],
            Rows = x, Labels = y, SourceLines = Enumerable.Range(2, rows).ToArray(),
        };
        d.OtherColumns["take"] = take;
        return d;
    }

    [Fact]
    public void Hidden_is_shorthand_for_a_dense_spec()
    {
        Dataset data = Stream(300, 300);
        var viaHidden = new TrainOptions { Hidden = [7, 5], HiddenActivation = Activation.Tanh, Epochs = 5 };
        var viaSpec = new TrainOptions { Layers = "dense:7,tanh,dense:5,tanh", Epochs = 5 };
        float[] a = TrainingLoop.Train(data, viaHidden).Network.Layers.SelectMany(l => l.Parameters).ToArray();
        float[] b = TrainingLoop.Train(data, viaSpec).Network.Layers.SelectMany(l => l.Parameters).ToArray();
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("conv1d:4k3p1,relu,maxpool:2,dense:8,relu", 6)]
    [InlineData("rnn-direct:6", 5)]
    [InlineData("rnn-indirect:6o3", 5)]
    public void Every_type_trains_with_validation_and_early_stopping(string layers, int window)
    {
        Dataset data = Stream(400, 400);
        TrainResult r = TrainingLoop.Train(data, new TrainOptions { Layers = layers, Window = window, Epochs = 300, Patience = 2, ValidationFraction = 0.2, Seed = 4, MinValidationRowsPerClass = 0 });
        Assert.True(r.History.Count < 300, $"{layers}: {r.History.Count} epochs, no early stop");
        Assert.Equal(r.History.Count - 2, r.BestEpoch);
        Assert.InRange(r.ValidationRows, 78, 82);
        Assert.All(r.History, s => Assert.True(double.IsFinite(s.ValidationLoss)));
        Assert.Equal(window, r.Network.Window);
    }

    [Fact]
    public void Without_validation_the_last_epoch_is_kept()
    {
        Dataset data = Stream(200, 200);
        TrainResult r = TrainingLoop.Train(data, new TrainOptions { Layers = "rnn-lateral:4", Window = 4, Epochs = 5, ValidationFraction = 0 });
        Assert.Equal(5, r.BestEpoch);
        Assert.Equal(5, r.History.Count);
    }

    [Fact]
    public void Every_layer_kind_has_one_float_layer_and_one_name()
    {
        var options = new Dictionary<string, int> { ["kernel"] = 2, ["stride"] = 1, ["padding"] = 0, ["pool"] = 2, ["feedback"] = (int)Feedback.Complete, ["hidden"] = 3, ["hiddenActivation"] = (int)Activation.Tanh };
        foreach (LayerKind kind in Enum.GetValues<LayerKind>())
        {
            FloatLayer l = LayerFactory.Create(kind, 4, 2, 3, kind is LayerKind.MaxPool1D or LayerKind.AvgPool1D ? Activation.Identity : Activation.Tanh, options);
            Assert.Equal(kind, l.Kind);
            Assert.Equal((kind, (Feedback)0), LayerFactory.Parse(l.KindName));
            // The shape rule is the int8 layer's: the quantized layer has the float layer's output shape.
            var rng = new Random(1);
            l.Initialize(rng, InitKind.Xavier);
            if (l is IndirectRecurrentFloat ind) (ind.HiddenPreMin, ind.HiddenPreMax) = (-1, 1);
            Layer q = l.Quantize(QuantizationRule.ForRange(-1, 1), -1, 1);
            Assert.Equal(kind, q.Kind);
            Assert.Equal(l.OutputSteps, q.OutputSteps);
            Assert.Equal(l.OutputChannels, q.OutputChannels);
        }
        Assert.Equal((LayerKind.Recurrent, Feedback.Direct), LayerFactory.Parse("recurrent-direct")); // version 1 files
        Assert.Null(LayerFactory.Parse("lstm"));
    }

    [Theory]
    [InlineData("conv1d:3k3p1,relu", 5)]
    [InlineData("rnn-complete:5", 4)]
    public void Sessions_reset_windows_and_state_in_float_and_int8(string layers, int window)
    {
        Dataset data = Stream(240, 60);
        Network net = TrainingLoop.Train(data, new TrainOptions { Layers = layers, Window = window, Epochs = 15, SessionColumn = "take" }).Network;
        Assert.Equal("take", net.SessionColumn);
        bool[] starts = data.SessionStarts("take");
        Assert.Equal(4, starts.Count(s => s));
        Model model = PostTraining.Quantize(net, data, new QuantizeOptions { SessionColumn = "take" }).Model;

        int[] floatAll = net.Classify(data, starts), int8All = Simulator.Classify(model, data, starts);
        var floatParts = new List<int>();
        var int8Parts = new List<int>();
        for (int t = 0; t < 4; t++)
        {
            Dataset part = data.Subset(Enumerable.Range(t * 60, 60).ToArray());
            floatParts.AddRange(net.Classify(part));
            int8Parts.AddRange(Simulator.Classify(model, part));
        }
        Assert.Equal(floatParts, floatAll);
        Assert.Equal(int8Parts, int8All);
        // As one stream the windows and the state cross the joins, and some rows after a join differ.
        Assert.NotEqual(floatAll, net.Classify(data));
    }

    [Fact]
    public void Training_samples_do_not_cross_sessions()
    {
        Dataset data = Stream(30, 10);
        SequenceSet set = SequenceSet.Build(data, Normalization.Fit(data), 4, data.SessionStarts("take"));
        // Row 10 starts take 2: its window holds three readings of zeros (before the take) and its own.
        Assert.All(set.X.AsSpan(10 * 8, 6).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(set.Readings.AsSpan(10 * 2, 2).ToArray(), set.X.AsSpan(10 * 8 + 6, 2).ToArray());
    }
}
