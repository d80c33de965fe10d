using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Tests.Firmware;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>
/// The firmware's sensor pipeline (nanoFramework build, run on CoreCLR) with a recurrent and a CNN model:
/// a recurrent model classifies every reading with its state carried from the previous samples (no window),
/// a CNN model classifies once its window of readings is full. Both must match the desktop simulation of
/// the same stream reading for reading.
/// </summary>
public class NetworkTypePipelineTests
{
    /// <summary>A model with test model A's inputs and classes and the given layers (input quantizer from A).</summary>
    private static byte[] WithLayers(int window, Func<Random, int, int, Layer[]> layers)
    {
        Model a = TestModels.ModelA;
        var rng = new Random(window * 7 + 3);
        var m = new Model
        {
            Name = "stream-test", ClassLabels = a.ClassLabels, FeatureNames = a.FeatureNames, WindowLength = window,
            Input = a.Input, Layers = layers(rng, a.FeatureCount, a.ClassCount),
        };
        return ModelWriter.Write(m);
    }

    private static List<string> Run(byte[] model, int samples)
    {
        var clock = new ManualClock();
        var cable = new MemoryCable();
        var sensors = new RowSensors(TestModels.Rows, TestModels.Features);
        using var device = new DeviceRunner(TestModels.Config(rateHz: 10), new FaultStorage(), cable.Device, sensors, clock, new TestLed(), model).Boot();
        for (int t = 0; t < samples * 100; t += 25)
        {
            clock.Now = t;
            device.Poll();
        }
        var host = new DeviceLink(cable.Host);
        var lines = new List<string>();
        for (string? l; (l = host.NextLine(50)) != null;) lines.Add(l);
        return lines.Where(l => l.StartsWith("C\t")).ToList();
    }

    private static string[] Simulated(byte[] model, int samples)
    {
        Model m = ModelReader.Read(model, model.Length, int.MaxValue, out _)!;
        int f = TestModels.Features;
        var raw = new int[samples * f];
        for (int s = 0; s < samples; s++) Array.Copy(TestModels.Rows, (s % TestModels.RowCount) * f, raw, s * f, f);
        return DeviceProbe.Classify(model, raw, samples).Select(c => m.ClassLabels[c]).ToArray();
    }

    [Theory]
    [InlineData(Feedback.Direct)]
    [InlineData(Feedback.Complete)]
    public void A_recurrent_model_streams_one_reading_at_a_time_with_state(Feedback feedback)
    {
        // Float weights quantized by the shared rule: strong feedback, so earlier readings sway the class.
        byte[] model = WithLayers(1, (rng, f, c) =>
        {
            const int units = 6;
            var input = new QuantParams(TestModels.ModelA.Input.Scale, TestModels.ModelA.Input.ZeroPoint);
            float[] w = Floats(rng, units * f, 0.3);
            float[] u = feedback == Feedback.Direct ? Enumerable.Repeat(0.95f, units).ToArray() : Floats(rng, units * units, 0.8);
            RecurrentLayer r = QuantizationRule.QuantizeRecurrent(w, u, new float[units], feedback, f, units, Activation.Tanh, input, -3, 3);
            var hidden = new QuantParams(r.OutputScale, r.OutputZeroPoint);
            DenseLayer d = QuantizationRule.QuantizeDense(Floats(rng, c * units, 1.0), Floats(rng, c, 0.2), units, c, Activation.Identity, hidden, -3, 3);
            return [r, d];
        });
        const int samples = 24;
        List<string> lines = Run(model, samples);
        string[] expected = Simulated(model, samples);
        Assert.Equal(samples, lines.Count);
        for (int s = 0; s < samples; s++)
        {
            Assert.True(DeviceLines.TryClassification(lines[s], out var k));
            Assert.Equal(expected[s], k.Label);
        }
        // The state matters: the same model restarted at every reading classifies some readings differently.
        Model m = ModelReader.Read(model, model.Length, int.MaxValue, out _)!;
        var engine = new InferenceEngine(m);
        int f = TestModels.Features, differ = 0;
        var reading = new int[f];
        for (int s = 0; s < samples; s++)
        {
            engine.Reset();
            Array.Copy(TestModels.Rows, (s % TestModels.RowCount) * f, reading, 0, f);
            engine.PushReading(reading);
            if (m.ClassLabels[engine.Invoke()] != expected[s]) differ++;
        }
        Assert.True(differ > 0, "the recurrent state never changed a classification; the test would not notice a stateless pipeline");
    }

    private static float[] Floats(Random rng, int n, double a) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * a)).ToArray();

    [Fact]
    public void A_cnn_model_gets_its_window_from_the_pipeline()
    {
        const int window = 4;
        byte[] model = WithLayers(window, (rng, f, c) =>
        {
            int zp = TestModels.ModelA.Input.ZeroPoint;
            Conv1DLayer conv = RandomLayers.Conv1D(rng, window, f, zp);
            Pool1DLayer pool = RandomLayers.Pool(rng, true, conv.OutputSteps, conv.OutputChannels, conv.OutputZeroPoint);
            DenseLayer d = (DenseLayer)RandomModels.Dense(rng, pool.OutputChannels, [c], pool.OutputSteps).Layers[0];
            return [conv, pool, d];
        });
        const int samples = 16;
        List<string> lines = Run(model, samples);
        string[] expected = Simulated(model, samples);
        // No classification until the window holds `window` readings, then one per reading.
        Assert.Equal(samples - (window - 1), lines.Count);
        for (int s = window - 1; s < samples; s++)
        {
            Assert.True(DeviceLines.TryClassification(lines[s - (window - 1)], out var k));
            Assert.Equal(expected[s], k.Label);
        }
    }
}
