using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Golden;
using EdgeNet.Kernels;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Tests;

/// <summary>
/// The worked example of the seed article: inputs 0.5 and 0.7, weights 0.3 and 0.8, no bias
/// -> propagation 0.71 -> ReLU 0.71 -> identity output 0.71.
/// </summary>
public class SeedArticleGoldenTests
{
    [Fact]
    public void Float_neuron_gives_0_71()
    {
        double propagation = 0.5 * 0.3 + 0.7 * 0.8;
        double activation = QuantizationRule.Apply(Activation.Relu, propagation);
        double output = activation; // identity output function
        Assert.Equal(0.71, propagation, 12);
        Assert.Equal(0.71, output, 12);
    }

    /// <summary>The neuron quantized with inputs and output on [0, 1] (one definition, shared with the golden vectors).</summary>
    public static Model QuantizedNeuron() => DenseCases.SeedArticleNeuron();

    [Fact]
    public void Fixed_point_neuron_integers_are_pinned()
    {
        Model m = QuantizedNeuron();
        var layer = (DenseLayer)m.Layers[0];
        Assert.Equal(1.0 / 255, m.Input.Scale, 6);
        Assert.Equal(-128, m.Input.ZeroPoint);
        Assert.Equal(new sbyte[] { 48, 127 }, layer.Weights);   // round(0.3 / (0.8/127)), 0.8 -> 127
        Assert.Equal(new[] { 22400 }, layer.Bias);              // 0 - (-128) * (48 + 127)
        Assert.Equal(new[] { 1731514400 }, layer.Multiplier);   // 0.8f/127 = 1731514400 * 2^-38
        Assert.Equal(new byte[] { 38 }, layer.Shift);
        Assert.Equal(-128, layer.RequantZeroPoint);
        Assert.Equal(-128, layer.ClampMin);                     // ReLU floor = real 0

        var engine = new InferenceEngine(m);
        engine.PushReading([QuantizationRule.ToRaw(0.5, m.Input.RawExponent[0]), QuantizationRule.ToRaw(0.7, m.Input.RawExponent[1])]);
        // 0.5 * 255 = 127.5 and 0.7 * 255 = 178.5 are ties; the 31-bit input multiplier
        // (1121501860 * 2^-42, a hair under 255e-6) puts both just below, so they round down.
        Assert.Equal(1121501860, m.Input.Multiplier[0]);
        Assert.Equal(42, m.Input.Shift[0]);
        Assert.Equal(new sbyte[] { -1, 50 }, engine.Input);
        engine.Invoke();
        // acc = 22400 + 48*(-1) + 127*50 = 28702; 28702 * 0.8/127 = 180.80 -> 181; + zero point -128 = 53.
        Assert.Equal(53, engine.Output[0]);
        double real = m.Layers[0].OutputScale * (engine.Output[0] - m.Layers[0].OutputZeroPoint);
        Assert.InRange(Math.Abs(real - 0.71), 0, 1.0 / 255);
    }

    [Fact]
    public void Device_build_computes_the_same_integers()
    {
        byte[] file = ModelWriter.Write(QuantizedNeuron());
        var trace = DeviceBuild.Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");
        int e = QuantizedNeuron().Input.RawExponent[0];
        int[] raw = [QuantizationRule.ToRaw(0.5, e), QuantizationRule.ToRaw(0.7, e)];
        Assert.Equal(new sbyte[] { -1, 50, 53 }, trace(file, raw, 1));
        Assert.Equal(new sbyte[] { -1, 50, 53 }, DeviceProbe.Trace(file, raw, 1));
    }
}
