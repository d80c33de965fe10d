using EdgeNet.Layers;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>The trainer's float model file keeps conv1d, pooling and recurrent layers: kinds, options, parameters.</summary>
public class NetworkTypeModelFileTests
{
    private static Network Wrap(FloatLayer[] layers, int features)
    {
        var rng = new Random(5);
        foreach (FloatLayer l in layers) { l.Initialize(rng, InitKind.Xavier); for (int i = 0; i < l.Parameters.Length; i++) l.Parameters[i] += (float)rng.NextDouble() * 0.1f; }
        return new Network
        {
            Name = "file-test", Layers = layers, Loss = Loss.CrossEntropy,
            FeatureNames = Enumerable.Range(0, features).Select(i => "f" + i).ToArray(), ClassLabels = ["a", "b", "c"],
            Normalization = new Normalization { Mean = new float[features], Std = Enumerable.Repeat(1f, features).ToArray(), MaxAbs = new double[features] },
        };
    }

    public static TheoryData<string> Stacks => new() { "cnn", "direct", "lateral", "complete", "indirect" };

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Save_and_load_keep_every_layer(string stack)
    {
        FloatLayer[] layers = stack switch
        {
            "cnn" => Cnn(),
            "indirect" => [new IndirectRecurrentFloat(6, 4, 5, 3, Activation.Sigmoid, Activation.Tanh), new DenseFloat(3, 3, Activation.Identity)],
            _ => [new RecurrentFloat(6, 4, 5, stack == "direct" ? Feedback.Direct : stack == "lateral" ? Feedback.Lateral : Feedback.Complete, Activation.Tanh), new DenseFloat(5, 3, Activation.Identity)],
        };
        Network net = Wrap(layers, 4);
        string path = Path.Combine(Path.GetTempPath(), $"edgenet-{stack}-{Guid.NewGuid():N}.float.json");
        try
        {
            net.Save(path);
            Network back = Network.Load(path);
            Assert.Equal(net.Layers.Length, back.Layers.Length);
            for (int l = 0; l < net.Layers.Length; l++)
            {
                Assert.Equal(net.Layers[l].GetType(), back.Layers[l].GetType());
                Assert.Equal(net.Layers[l].Kind, back.Layers[l].Kind);
                Assert.Equal(LayerFactory.OptionsOf(net.Layers[l]), LayerFactory.OptionsOf(back.Layers[l]));
                Assert.Equal(net.Layers[l].Parameters, back.Layers[l].Parameters);
                Assert.Equal((net.Layers[l].InputSteps, net.Layers[l].OutputSteps, net.Layers[l].OutputChannels),
                             (back.Layers[l].InputSteps, back.Layers[l].OutputSteps, back.Layers[l].OutputChannels));
            }
            var x = Enumerable.Range(0, 24).Select(i => (float)Math.Cos(i)).ToArray();
            Assert.Equal(Run(net.Layers, x), Run(back.Layers, x));
        }
        finally { File.Delete(path); }
    }

    private static FloatLayer[] Cnn()
    {
        var conv = new Conv1DFloat(6, 4, 3, 3, 1, 1, Activation.Relu);
        var pool = new Pool1DFloat(false, 6, 3, 2, 2);
        return [conv, pool, new DenseFloat(pool.OutputLength, 3, Activation.Identity, pool.OutputSteps)];
    }

    private static float[] Run(FloatLayer[] layers, float[] x)
    {
        foreach (FloatLayer l in layers) { var y = new float[l.OutputLength]; l.Forward(x, y, 1); x = y; }
        return x;
    }
}
