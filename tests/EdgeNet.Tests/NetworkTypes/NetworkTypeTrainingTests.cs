using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.NetworkTypes;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>
/// Every network type of the time-series benchmark trained, quantized and run on a stream task that needs
/// memory: the class of reading t is the sign of the sum of feature 0 over readings t-2..t. Networks that see the
/// window (MLP on the window, CNNs) or keep state (every recurrent kind) learn it; the MLP on the current
/// reading cannot. The int8 models agree with float, and the nanoFramework build classifies like the desktop.
/// </summary>
public class NetworkTypeTrainingTests
{
    private static readonly Func<byte[], int[], int, int[]> DeviceClassify =
        DeviceBuild.Method<Func<byte[], int[], int, int[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Classify");

    private static Dataset DelayedSign(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows][];
        var y = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            x[r] = [(float)(rng.NextDouble() * 2 - 1) * 5 + 20, (float)rng.NextDouble() * 100];
        }
        for (int r = 0; r < rows; r++)
        {
            // The class: is the sum of the last three readings of the signal above its mean (20 each)?
            double sum = 0;
            for (int k = 0; k < 3; k++) sum += r - k >= 0 ? x[r - k][0] - 20 : 0;
            y[r] = sum > 0 ? 1 : 0;
        }
        return new Dataset
        {
            Name = "delayed-sign", SourceFile = "memory", FeatureNames = ["signal", "noise"], ClassLabels = ["low", "high"],
            Rows = x, Labels = y, SourceLines = Enumerable.Range(2, rows).ToArray(),
        };
    }

    public static TheoryData<string> Networks => new(TimeSeriesBenchmark.Configs.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Networks))]
    public void Trains_quantizes_and_runs_bit_exact(string name)
    {
        TimeSeriesBenchmark.Config config = TimeSeriesBenchmark.Configs.Single(c => c.Name == name);
        Dataset train = DelayedSign(1200, 1), test = DelayedSign(400, 2);
        int window = name == "mlp-current" ? 1 : 4;
        var options = new TrainOptions
        {
            Layers = config.Layers, Window = window, Epochs = 8, BatchSize = 16, Seed = 1, LearningRate = 0.01f,
            Init = InitKind.Xavier, L2 = 0, ValidationFraction = 0,
        };
        TrainResult trained = EdgeNet.Trainer.Training.Trainer.Train(train, options);
        Network net = trained.Network;
        List<double> losses = trained.History.Select(h => h.TrainLoss).ToList();
        Assert.True(losses[^1] < losses[0], $"{name}: loss did not fall ({losses[0]:F3} -> {losses[^1]:F3})");
        Assert.Equal(window, net.Window);

        int[] floatPred = net.Classify(test);
        double accuracy = floatPred.Zip(test.Labels).Count(p => p.First == p.Second) / (double)test.Count;
        // Without memory the MLP sees a third of the sum (about 73 %); a window sees all of it; a recurrent layer
        // must carry it in its state (direct feedback, a leaky memory per neuron, is the weakest at this).
        if (name == "mlp-current") Assert.True(accuracy < 0.8, $"{name}: float accuracy {accuracy:P1} without memory");
        else if (net.Streaming) Assert.True(accuracy > 0.85, $"{name}: float accuracy {accuracy:P1}");
        else Assert.True(accuracy > 0.95, $"{name}: float accuracy {accuracy:P1}");

        Model model = PostTraining.Quantize(net, train).Model;
        byte[] file = ModelWriter.Write(model);
        Assert.Null(DeviceProbe.Check(file, int.MaxValue));
        Assert.Equal(net.Streaming ? 1 : window, model.WindowLength);
        int[] int8Pred = Simulator.Classify(ModelReader.Read(file, file.Length, int.MaxValue, out _)!, test);
        double agreement = floatPred.Zip(int8Pred).Count(p => p.First == p.Second) / (double)test.Count;
        Assert.True(agreement >= 0.95, $"{name}: int8 agrees with float on {agreement:P1} of the stream");

        // The same stream through the nanoFramework-compiled kernels: identical classes.
        int[] raw = test.Rows.SelectMany(r => QuantizationRule.ToRaw(r, model.Input)).ToArray();
        int[] desktop = DeviceProbe.Classify(file, raw, test.Count);
        Assert.Equal(int8Pred, desktop);
        Assert.Equal(desktop, DeviceClassify(file, raw, test.Count));
    }
}
