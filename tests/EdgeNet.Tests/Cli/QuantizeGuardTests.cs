using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.Cli;

/// <summary>
/// Row-by-row post-training quantization refuses networks it cannot calibrate (conv1d, pooling, recurrent,
/// window input) instead of writing a badly calibrated model; the quantize command routes those to the
/// sequence quantizer, and dense networks still take the row-by-row path.
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
        { "direct", "recurrent-direct" },
        { "complete", "recurrent-complete" },
        { "indirect", "recurrent-indirect" },
        { "window", "window" },
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
    public void Row_by_row_quantization_refuses_networks_it_cannot_calibrate(string stack, string mention)
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir, rows: 30);
        var e = Assert.Throws<ArgumentException>(() => PostTraining.Quantize(Build(stack), DatasetLoader.Load(data, new LoadOptions())));
        Assert.Contains(mention, e.Message);
        Assert.Contains("edgenet quantize", e.Message);

        // The quantize command sends such a file to the sequence quantizer instead: a model the device reads.
        string fnet = Path.Combine(dir, stack + ".fnet");
        Build(stack).Save(fnet);
        string enet = Path.Combine(dir, "q.enet");
        var r = CliRunner.Run("quantize", "--model", fnet, data, "--out", enet);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("sequence quantizer", r.Out);
        Assert.Equal(0, CliRunner.Run("simulate", enet, data, "--label", "kind").ExitCode);
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
