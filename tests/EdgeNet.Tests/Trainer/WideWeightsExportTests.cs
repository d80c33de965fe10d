using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.Training;

using Trainer = EdgeNet.Trainer.Training.Trainer;

/// <summary>
/// 16-bit weights, trainer side (issue #13, width int16x16): the export rule <see cref="QuantizationRule.WeightScale16"/>
/// (largest |w| to 32767, coarser only so the bias fits int32), exported models bit-exact between the simulator, the
/// device-IL engine (nanoFramework-compiled, on CoreCLR) and the integer formula, the ladder int8 -> int16 -> int16x16
/// of the automatic choice, and quantization-aware fine-tuning in int16x16.
/// </summary>
public class WideWeightsExportTests
{
    private static readonly Lazy<(Dataset Train, Dataset Test, Network Net)> Wine = new(() =>
    {
        var (train, test) = Splits.Validation(TestData.Wine(), 0.33, 42);
        return (train, test, Trainer.Train(train, new TrainOptions { Epochs = 60, Seed = 3, Hidden = [16, 8] }).Network);
    });

    [Fact]
    public void The_weight_scale_maps_the_largest_weight_to_32767_unless_the_bias_would_leave_int32()
    {
        float[] w = [0.5f, -0.25f, 0.125f];
        double sIn = 1e-3;
        Assert.Equal(0.5 / 32767, QuantizationRule.WeightScale16(w, 0.01, sIn), 15);
        Assert.Equal(0.5 / 32767, QuantizationRule.WeightScale16(w, -0.01, sIn), 15);
        // A bias of 100 at the finest scale would be round(100 / (1e-3 * 0.5 / 32767)) = 6.6e9, beyond int32:
        // the scale is the finest at which it fits, |b| / (s_in * (2^31 - 1)).
        double coarse = QuantizationRule.WeightScale16(w, 100, sIn);
        Assert.Equal(100 / (sIn * int.MaxValue), coarse, 15);
        Assert.InRange(QuantizationRule.RoundToInt(100 / (sIn * coarse)), int.MaxValue - 1, int.MaxValue);
        Assert.InRange(QuantizationRule.RoundToInt(-100 / (sIn * coarse)), int.MinValue, -int.MaxValue + 1);
        Assert.Equal(1.0, QuantizationRule.WeightScale16(new float[3], 0, sIn));
        // The int8 rule beside it is unchanged (largest |w| to 127).
        Assert.Equal(0.5 / 127, QuantizationRule.WeightScale(w), 15);
    }

    /// <summary>
    /// A neuron whose bias cannot be stored at the finest int16 scale gets the coarser one (its bias at int32's edge,
    /// weights about 10x coarser), its neighbour keeps 32767; the model then runs the same integers on the desktop
    /// engine, the nanoFramework-compiled engine and the kernel's formula spelled out here, and stays close to float.
    /// </summary>
    [Fact]
    public void A_bias_too_large_for_the_finest_scale_gets_a_coarser_one_and_stays_exact()
    {
        // int16 input over [-4, 4] (scale 4 / 32767), weights up to 1: the finest scale keeps |bias| below
        // 2^31 * s_in * s_w = 2^31 * (4 / 32767) / 32767 = 8.0, so a bias of 80 needs a scale 10x coarser.
        (Network net, Dataset data) = Tie(0.003f, 1, bias1: 80f);
        QuantizeResult q = PrecisionChoice.Quantize(net, data, null, new QuantizeOptions(), PrecisionMode.Int16x16, out _);
        var dense = (DenseLayer)q.Model.Layers[0];
        Assert.True(dense.WideWeights);
        Assert.Null(dense.Weights);
        Assert.Equal(32767, Math.Abs((int)dense.Weights16[0]));
        Assert.InRange(Math.Abs(dense.Bias[1]), int.MaxValue - 2, int.MaxValue);
        int coarsest = Math.Max(Math.Abs((int)dense.Weights16[2]), Math.Abs((int)dense.Weights16[3]));
        Assert.InRange(coarsest, 32767 / 30, 32767 / 5);

        byte[] file = ModelWriter.Write(q.Model);
        Model read = ModelReader.Read(file, file.Length, int.MaxValue, out string why) ?? throw new InvalidOperationException(why);
        Assert.Null(DeviceProbe.Check(file, int.MaxValue));
        int[] raw = data.Rows.Take(200).SelectMany(r => Simulator.RawReading(read, r)).ToArray();
        short[] desktop = DeviceProbe.TraceWide(file, raw, 200);
        short[] device = DeviceBuild.Assembly.TraceWide(file, raw, 200);
        Assert.Equal(desktop, device);
        var readLayer = (DenseLayer)read.Layers[0];
        QuantParams output = q.Outputs[0];
        for (int r = 0; r < 200; r++)
        {
            // Per reading: the 2 input values then the 2 outputs.
            int at = r * 4;
            for (int o = 0; o < 2; o++)
            {
                long acc = readLayer.Bias[o];
                for (int i = 0; i < 2; i++) acc += readLayer.Weights16[o * 2 + i] * (long)desktop[at + i];
                long scaled = (long)EdgeNet.Tests.SixteenBit.WideReference.Scale(acc, readLayer.Multiplier[o], readLayer.Shift[o]);
                int expected = (int)Math.Clamp(scaled + readLayer.RequantZeroPoint, readLayer.ClampMin, readLayer.ClampMax);
                Assert.Equal(expected, desktop[at + 2 + o]);
            }
            float[] f = net.Forward(data.Rows[r]);
            Assert.InRange(output.Dequantize(desktop[at + 3]) - f[1], -0.01, 0.01);
        }
    }

    /// <summary>
    /// The ladder: per layer the narrowest width that still agrees. Two outputs differ by delta * x1 (|x1| in [1, 2]),
    /// which decides the class. delta 0.5: int8 resolves it. delta 0.05 beside a wide x0 (spread 10): int8 activations
    /// (and the per-feature input fold) lose it, 16-bit activations with int8 weights keep it. delta 0.003: below half
    /// an int8 weight step (1/127) the two neurons' int8 weights are equal, so int8 and 16x8 tie on every row;
    /// only 16-bit weights keep the difference.
    /// </summary>
    [Theory]
    [InlineData(0.5f, 1f, LayerWidths.Int8)]
    [InlineData(0.05f, 10f, LayerWidths.Int16)]
    [InlineData(0.003f, 1f, LayerWidths.Int16x16)]
    public void The_automatic_choice_takes_int16x16_only_when_16x8_does_not_agree(float delta, float spread, string expected)
    {
        (Network net, Dataset data) = Tie(delta, spread);
        // Every row judges (1,000: enough for the acceptance test to pass a width none of whose rows differ).
        int[] judged = Enumerable.Range(0, data.Count).ToArray();
        QuantizeResult chosen = PrecisionChoice.Quantize(net, data, judged, new QuantizeOptions(), PrecisionMode.Auto, out PrecisionReport report);
        Assert.Equal(expected, LayerWidths.Name(report.Precisions, report.WideWeights, 0));
        Assert.Equal(1.0, report.Agreement);
        // The narrower widths, forced, agree on about half the rows (ties always go to the first class).
        string[] ladder = [LayerWidths.Int8, LayerWidths.Int16, LayerWidths.Int16x16];
        PrecisionMode[] modes = [PrecisionMode.Int8, PrecisionMode.Int16, PrecisionMode.Int16x16];
        int[] floatClasses = net.Classify(data);
        for (int w = 0; w < ladder.Length; w++)
        {
            Model m = PrecisionChoice.Forced(net, data, new QuantizeOptions(), modes[w]).Model;
            Assert.Equal(ladder[w], LayerWidths.Name(m.Layers[0]));
            double agree = Simulator.Classify(m, data).Zip(floatClasses).Count(p => p.First == p.Second) / (double)data.Count;
            if (w < Array.IndexOf(ladder, expected)) Assert.InRange(agree, 0.3, 0.7);
            else Assert.Equal(1.0, agree);
        }
        Assert.Contains($"): {expected} (", PrecisionChoice.Describe(chosen.Model, report).ElementAt(1));
    }

    /// <summary>
    /// A trained MLP with every dense layer int16x16: a version-3 file whose classes and every layer's integers are the
    /// same on the simulator and the nanoFramework-compiled engine, and which agrees with float at least as well as 16x8.
    /// </summary>
    [Fact]
    public void An_int16x16_model_is_bit_exact_between_the_simulator_and_the_device_build()
    {
        var (train, test, net) = Wine.Value;
        QuantizeResult q = PrecisionChoice.Quantize(net, train, new QuantizeOptions(), PrecisionMode.Int16x16, out PrecisionReport report);
        Assert.All(q.Model.Layers, l => Assert.Equal(LayerWidths.Int16x16, LayerWidths.Name(l)));
        Assert.All(report.WideWeights, w => Assert.True(w));
        byte[] file = ModelWriter.Write(q.Model);
        Assert.Equal(3, BitConverter.ToUInt16(file, 4));
        Assert.Null(DeviceBuild.Assembly.Check(file, int.MaxValue));
        Model read = ModelReader.Read(file, file.Length, int.MaxValue, out string why) ?? throw new InvalidOperationException(why);
        int[] raw = test.Rows.SelectMany(r => Simulator.RawReading(read, r)).ToArray();
        int[] simulated = Simulator.Classify(q.Model, test);
        Assert.Equal(simulated, DeviceBuild.Assembly.Classify(file, raw, test.Count));
        Assert.Equal(DeviceProbe.TraceWide(file, raw, test.Count), DeviceBuild.Assembly.TraceWide(file, raw, test.Count));
        int[] f = net.Classify(test);
        double Agree(int[] c) => c.Zip(f).Count(p => p.First == p.Second) / (double)f.Length;
        Model wide8 = PrecisionChoice.Forced(net, train, new QuantizeOptions(), PrecisionMode.Int16).Model;
        Assert.True(Agree(simulated) >= Agree(Simulator.Classify(wide8, test)), $"16x16 {Agree(simulated)}");
    }

    /// <summary>
    /// Quantization-aware fine-tuning in int16x16: the forward pass's quantized validation outputs at the kept epoch
    /// are what the device engine gives on the model quantize exports from the saved network (the widths kept in the
    /// file); exporting the same trained ranges with int8 weights (16x8) gives other integers.
    /// </summary>
    [Fact]
    public void Fine_tuning_in_int16x16_trains_the_exported_model()
    {
        var (train, _) = Splits.Validation(TestData.Wine(), 0.33, 42);
        var r = Trainer.Train(train, new TrainOptions
        {
            Epochs = 30, QatEpochs = 3, Seed = 2, ValidationFraction = 0.3, MinValidationRowsPerClass = 0, L2 = 1e-3f,
            Hidden = [16, 8], QatPrecision = PrecisionMode.Int16x16,
        });
        Assert.All(r.Network.QuantizationWideWeights, w => Assert.True(w));
        string path = Path.Combine(Path.GetTempPath(), $"qat16-{Guid.NewGuid():N}.float.json");
        r.Network.Save(path);
        Network loaded = Network.Load(path);
        File.Delete(path);
        Assert.Equal(r.Network.QuantizationWideWeights, loaded.QuantizationWideWeights);
        Model exported = PrecisionChoice.Quantize(loaded, train, new QuantizeOptions(), PrecisionMode.Int16x16, out _).Model;
        Assert.All(exported.Layers, l => Assert.Equal(LayerWidths.Int16x16, LayerWidths.Name(l)));
        Assert.Equal(r.QuantizedValidationOutputs, Outputs(exported, train, r.ValidationRowIndices));
        Model narrow = PostTraining.Quantize(loaded, train, new QuantizeOptions { LayerPrecisions = loaded.QuantizationPrecisions }).Model;
        Assert.NotEqual(r.QuantizedValidationOutputs, Outputs(narrow, train, r.ValidationRowIndices));
    }

    private static int[] Outputs(Model model, Dataset data, int[] rows)
    {
        var engine = new InferenceEngine(model);
        var outputs = new List<int>();
        int last = model.Layers.Length - 1;
        foreach (int r in rows)
        {
            engine.Reset();
            engine.PushReading(Simulator.RawReading(model, data.Rows[r]));
            engine.Invoke();
            for (int i = 0; i < model.Layers[last].OutputLength; i++) outputs.Add(engine.TensorValue(last, i));
        }
        return outputs.ToArray();
    }

    /// <summary>
    /// A one-layer network out0 = x0, out1 = x0 + delta * x1 + bias1, x0 ~ N(0, spread), x1 = +-[1, 2]: float's class
    /// is x1 > 0 (with bias1 0), decided by delta alone. Normalization is the identity.
    /// </summary>
    private static (Network, Dataset) Tie(float delta, float spread, float bias1 = 0)
    {
        var rng = new Random(17);
        const int n = 1000;
        var rows = new float[n][];
        var labels = new int[n];
        for (int r = 0; r < n; r++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            float x1 = (rng.Next(2) == 0 ? -1 : 1) * (1 + (float)rng.NextDouble());
            rows[r] = [(float)(g * spread), x1];
            labels[r] = x1 > 0 ? 1 : 0;
        }
        var layer = new DenseFloat(2, 2, Activation.Identity);
        float[] p = [1f, 0f, 1f, delta];
        p.CopyTo(layer.Weights);
        layer.Bias[1] = bias1;
        var net = new Network
        {
            Name = "tie", Layers = [layer], FeatureNames = ["x0", "x1"], ClassLabels = ["a", "b"], Loss = Loss.CrossEntropy,
            Normalization = new Normalization { Mean = [0f, 0f], Std = [1f, 1f], MaxAbs = [rows.Max(x => Math.Abs(x[0])), 2] },
        };
        var data = new Dataset { Name = "tie", SourceFile = "tie", FeatureNames = net.FeatureNames, ClassLabels = net.ClassLabels, Rows = rows, Labels = labels, SourceLines = new int[n] };
        return (net, data);
    }
}
