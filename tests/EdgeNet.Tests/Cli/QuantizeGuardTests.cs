using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.Cli;

/// <summary>
/// One quantizer for every layer kind (issue 14 item 2): conv1d, pooling, every recurrent kind and a dense layer
/// over a window are calibrated on the rows as a stream, get the per-tensor error table, and honour the
/// calibration options; the quantize command prints the table for each; a recurrent layer that is not first is refused.
/// </summary>
public class QuantizeGuardTests
{
    private static readonly string[] Features = ["a", "b", "c", "d"];

    private static Network Wrap(params FloatLayer[] layers)
    {
        var rng = new Random(3);
        foreach (FloatLayer l in layers) l.Initialize(rng, InitKind.Xavier);
        return new Network
        {
            Name = "guard", Layers = layers, Loss = Loss.CrossEntropy, FeatureNames = Features, ClassLabels = ["alpha", "beta", "gamma"],
            Normalization = new Normalization { Mean = new float[4], Std = [1f, 1f, 1f, 1f], MaxAbs = new double[4] },
        };
    }

    public static TheoryData<string, string> Unsupported => new()
    {
        { "cnn", "conv1d" },
        { "pool", "maxpool1d" },
        { "direct", "recurrent direct" },
        { "complete", "recurrent complete" },
        { "indirect", "indirectrecurrent" },
        { "window", "dense" },
    };

    private static Network Build(string stack) => stack switch
    {
        "cnn" => Wrap(new Conv1DFloat(3, 4, 2, 3, 1, 1, Activation.Relu), new DenseFloat(6, 3, Activation.Identity, 3)),
        "pool" => Wrap(new Pool1DFloat(true, 3, 4, 3, 3), new DenseFloat(4, 3, Activation.Identity)),
        "direct" => Wrap(new RecurrentFloat(3, 4, 5, Feedback.Direct, Activation.Tanh), new DenseFloat(5, 3, Activation.Identity)),
        "complete" => Wrap(new RecurrentFloat(3, 4, 5, Feedback.Complete, Activation.Tanh), new DenseFloat(5, 3, Activation.Identity)),
        "indirect" => Wrap(new IndirectRecurrentFloat(3, 4, 5, 3, Activation.Sigmoid, Activation.Tanh), new DenseFloat(3, 3, Activation.Identity)),
        "window" => Wrap(new DenseFloat(12, 3, Activation.Identity, 3)),
        _ => Wrap(new DenseFloat(4, 5, Activation.Relu), new DenseFloat(5, 3, Activation.Identity)),
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Every_layer_kind_quantizes_with_an_error_table_and_the_calibration_options(string stack, string mention)
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir, rows: 30);
        Dataset rows = DatasetLoader.Load(data, new LoadOptions());
        Network net = Build(stack);
        QuantizeResult minmax = PostTraining.Quantize(net, rows);
        Assert.Equal(net.Layers.Length + 1, minmax.Errors.Length);
        Assert.Contains(mention, minmax.Errors[1].Layer);
        Assert.All(minmax.Errors, e => Assert.True(double.IsFinite(e.RmsError) && e.Step > 0, e.ToString()));
        // --calibration reaches every kind: percentiles narrow the input tensor's calibrated range.
        QuantizeResult pct = PostTraining.Quantize(net, rows, new QuantizeOptions { Calibration = Calibration.Percentile, Percentile = 60 });
        Assert.True(pct.Errors[0].RangeMax - pct.Errors[0].RangeMin < minmax.Errors[0].RangeMax - minmax.Errors[0].RangeMin,
            $"{stack}: percentile range [{pct.Errors[0].RangeMin}, {pct.Errors[0].RangeMax}] not inside min/max [{minmax.Errors[0].RangeMin}, {minmax.Errors[0].RangeMax}]");
        Assert.NotEqual(pct.Input.Scale, minmax.Input.Scale);

        string fnet = Path.Combine(dir, stack + ".fnet");
        net.Save(fnet);
        string enet = Path.Combine(dir, "q.enet");
        var r = CliRunner.Run("quantize", "--model", fnet, data, "--out", enet, "--calibration", "Percentile");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("Quantization error per tensor", r.Out);
        Assert.Contains(mention, r.Out);
        Assert.Equal(0, CliRunner.Run("simulate", enet, data, "--label", "kind").ExitCode);
    }

    [Fact]
    public void A_recurrent_layer_after_the_first_is_refused()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir, rows: 30);
        Network net = Wrap(new DenseFloat(4, 4, Activation.Relu, 1), new RecurrentFloat(1, 4, 3, Feedback.Direct, Activation.Tanh), new DenseFloat(3, 3, Activation.Identity));
        var e = Assert.Throws<ArgumentException>(() => PostTraining.Quantize(net, DatasetLoader.Load(data, new LoadOptions())));
        Assert.Contains("layer 2 (recurrent) is recurrent but not the first layer", e.Message);
    }

    [Fact]
    public void Dense_network_still_quantizes()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir, rows: 30);
        string fnet = Path.Combine(dir, "mlp.fnet");
        Build("mlp").Save(fnet);
        string enet = Path.Combine(dir, "q.enet");

        var r = CliRunner.Run("quantize", "--model", fnet, data, "--out", enet);

        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(enet));
        Assert.DoesNotContain("sequence quantizer", r.Out);
    }
}
