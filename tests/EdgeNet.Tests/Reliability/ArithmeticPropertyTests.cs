using System.Numerics;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Kernels;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EdgeNet.Tests.Reliability;

/// <summary>Generators for the arithmetic properties: full-range integers with their edges, wide-range reals.</summary>
public static class ArithmeticGenerators
{
    public record struct Range(double Min, double Max, double Fraction);
    public record struct Requant(int Value, int Multiplier, int Shift);
    public record struct RealMultiplier(double Value);
    public record struct Accumulator(int Value);
    public record struct FloatLayer(int Seed, int Inputs, int Units, int WeightExponent, int BiasExponent, int InputExponent);
    public record struct Network(int Seed, int Features, int Window, int[] Units);

    private static Gen<int> FullInt() => Gen.Frequency(
        (1, Gen.Elements(int.MinValue, int.MinValue + 1, -1, 0, 1, int.MaxValue - 1, int.MaxValue)),
        (4, Gen.Choose(int.MinValue, int.MaxValue)),
        (2, Gen.Choose(-100_000, 100_000)));

    /// <summary>mantissa in [1, 10) times 10^exponent, exponent in [lo, hi].</summary>
    private static Gen<double> Magnitude(int lo, int hi) =>
        from m in Gen.Choose(1_000_000, 9_999_999)
        from e in Gen.Choose(lo, hi)
        select m / 1e6 * Math.Pow(10, e);

    private static Gen<double> Signed(int lo, int hi) =>
        from v in Magnitude(lo, hi)
        from negative in Gen.Elements(false, true)
        select negative ? -v : v;

    public static Arbitrary<Range> Ranges() => Arb.From(
        from a in Gen.OneOf(Signed(-6, 6), Gen.Constant(0.0))
        from b in Signed(-6, 6)
        from t in Gen.Choose(0, 1_000_000)
        select new Range(Math.Min(a, b), Math.Max(a, b), t / 1e6));

    public static Arbitrary<Requant> Requants() => Arb.From(
        from v in FullInt()
        from m in Gen.Frequency((1, Gen.Elements(0, 1, int.MaxValue)), (6, Gen.Choose(0, int.MaxValue)))
        from s in Gen.Choose(0, FixedPoint.MaxShift)
        select new Requant(v, m, s));

    public static Arbitrary<RealMultiplier> RealMultipliers() => Arb.From(
        from m in Gen.Choose(0, int.MaxValue)
        from e in Gen.Choose(-100, 30)
        select new RealMultiplier((0.5 + m / (2.0 * int.MaxValue)) * Math.Pow(2, e)));

    public static Arbitrary<Accumulator> Accumulators() => Arb.From(FullInt().Select(v => new Accumulator(v)));

    public static Arbitrary<FloatLayer> FloatLayers() => Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from inputs in Gen.Choose(1, 64)
        from units in Gen.Choose(1, 8)
        from we in Gen.Choose(-12, 3)
        from be in Gen.Choose(-4, 12)
        from ie in Gen.Choose(-6, 4)
        select new FloatLayer(seed, inputs, units, we, be, ie));

    public static Arbitrary<Network> Networks() => Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from features in Gen.Choose(1, 16)
        from window in Gen.Frequency((3, Gen.Constant(1)), (1, Gen.Choose(2, 5)))
        from units in Gen.ArrayOf(Gen.Choose(1, 24)).Where(u => u.Length is >= 1 and <= 4)
        select new Network(seed, features, window, units));
}

/// <summary>
/// Property tests (FsCheck) of the integer arithmetic: quantization error bounds, the multiplier's
/// precision, requantization against exact rational arithmetic, the export-time overflow guarantee, and
/// bit-exact agreement of the two builds on random networks.
/// </summary>
[Properties(Arbitrary = new[] { typeof(ArithmeticGenerators) }, MaxTest = 1000)]
public class ArithmeticPropertyTests
{
    private static readonly Func<byte[], int[], int, sbyte[]> DeviceTrace =
        DeviceBuild.Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");

    private static readonly Func<byte[], int, string> DeviceCheck =
        DeviceBuild.Method<Func<byte[], int, string>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Check");

    [Property]
    public Property Dequantized_value_is_within_half_a_step_inside_the_range(ArithmeticGenerators.Range r)
    {
        QuantParams p = QuantizationRule.ForRange(r.Min, r.Max);
        double lo = Math.Min(r.Min, 0), hi = Math.Max(r.Max, 0);
        double x = lo + (hi - lo) * r.Fraction;
        double error = Math.Abs(p.Dequantize(p.Quantize(x)) - x);
        return (error <= p.Scale / 2 * (1 + 1e-9)).Label($"x {x}, scale {p.Scale}, zero point {p.ZeroPoint}, error {error}");
    }

    [Property]
    public Property Values_outside_the_range_saturate_to_the_nearest_end(ArithmeticGenerators.Range r)
    {
        QuantParams p = QuantizationRule.ForRange(r.Min, r.Max);
        double span = Math.Max(r.Max, 0) - Math.Min(r.Min, 0);
        double above = Math.Max(r.Max, 0) + span * (1 + r.Fraction * 1e6);
        double below = Math.Min(r.Min, 0) - span * (1 + r.Fraction * 1e6);
        return (p.Quantize(above) == 127 && p.Quantize(below) == -128).Label($"scale {p.Scale}, zero point {p.ZeroPoint}");
    }

    [Property]
    public Property Quantized_multiplier_is_within_half_an_ulp_of_31_bits(ArithmeticGenerators.RealMultiplier r)
    {
        double real = r.Value;
        if (real >= 2147483648.0)
        {
            return Prop.ToProperty(() => Assert.Throws<ArgumentException>(() => QuantizationRule.QuantizeMultiplier(real)));
        }
        (int m, int s) = QuantizationRule.QuantizeMultiplier(real);
        double represented = m * Math.Pow(2, -s);
        double error = Math.Abs(represented - real);
        bool inRange = m >= 0 && s >= 0 && s <= FixedPoint.MaxShift;
        // Normal case: a 31-bit mantissa rounded to nearest. At the smallest scale (or 0) the last bit is 2^-62.
        bool precise = s < FixedPoint.MaxShift && m != 0
            ? m >= 1 << 30 && error <= real * Math.Pow(2, -31) * (1 + 1e-12)
            : error <= Math.Pow(2, -62);
        return (inRange && precise).Label($"real {real:R} -> {m} * 2^-{s}, error {error:G3}");
    }

    [Property]
    public Property Requantization_rounds_the_exact_rational_product_half_up_and_saturates(ArithmeticGenerators.Requant q)
    {
        int actual = FixedPoint.MultiplyByQuantizedMultiplier(q.Value, q.Multiplier, q.Shift);
        // round(v * m / 2^s), halves toward +infinity = floor((2 v m + 2^s) / 2^(s+1)), in exact integers.
        BigInteger numerator = 2 * (BigInteger)q.Value * q.Multiplier + BigInteger.Pow(2, q.Shift);
        BigInteger exact = FloorDiv(numerator, BigInteger.Pow(2, q.Shift + 1));
        BigInteger expected = BigInteger.Clamp(exact, int.MinValue, int.MaxValue);
        return (actual == expected).Label($"{q.Value} * {q.Multiplier} / 2^{q.Shift}: kernel {actual}, exact {expected}");
    }

    [Property]
    public Property Requantize_matches_real_arithmetic_within_half_a_step(ArithmeticGenerators.Accumulator acc,
        ArithmeticGenerators.RealMultiplier r, sbyte zeroPoint)
    {
        double real = r.Value;
        if (real >= 1 << 30) return Prop.ToProperty(true);
        (int m, int s) = QuantizationRule.QuantizeMultiplier(real);
        sbyte q = FixedPoint.Requantize(acc.Value, m, s, zeroPoint, -128, 127);
        double exact = acc.Value * real + zeroPoint;
        double multiplierError = Math.Abs(m * Math.Pow(2, -s) - real);
        double expected = Math.Clamp(exact, -128, 127);
        double bound = 0.5 + Math.Abs((double)acc.Value) * multiplierError + 1e-9;
        return (Math.Abs(q - expected) <= bound).Label($"acc {acc.Value} * {real:R} + {zeroPoint}: got {q}, exact {exact}");
    }

    [Property]
    public Property Narrowing_steps_saturate_instead_of_wrapping(ArithmeticGenerators.Accumulator a, ArithmeticGenerators.Accumulator b)
    {
        long sum = (long)a.Value + b.Value, difference = (long)a.Value - b.Value;
        bool ok = FixedPoint.SaturatingAdd(a.Value, b.Value) == Math.Clamp(sum, int.MinValue, int.MaxValue)
            && FixedPoint.SaturatingSubtract(a.Value, b.Value) == Math.Clamp(difference, int.MinValue, int.MaxValue)
            && FixedPoint.SaturateToInt8(a.Value) == Math.Clamp(a.Value, -128, 127)
            && QuantizationRule.SaturateInt32((long)a.Value * b.Value) == Math.Clamp((long)a.Value * b.Value, int.MinValue, int.MaxValue);
        return ok.Label($"{a.Value}, {b.Value}");
    }

    [Property(MaxTest = 300)]
    public Property Quantized_float_layers_never_overflow_and_load_on_both_builds(ArithmeticGenerators.FloatLayer f)
    {
        // Weights and biases of wildly different magnitudes: tiny weights with a large bias would need an
        // integer bias far beyond int32 at the natural weight scale; the quantizer must still be safe.
        var rng = new Random(f.Seed);
        float[] weights = new float[f.Inputs * f.Units], bias = new float[f.Units];
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, f.WeightExponent));
        for (int o = 0; o < bias.Length; o++) bias[o] = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, f.BiasExponent));
        QuantParams input = QuantizationRule.ForRange(-rng.NextDouble() * Math.Pow(10, f.InputExponent), rng.NextDouble() * Math.Pow(10, f.InputExponent));
        double pre = Math.Pow(10, Math.Max(f.BiasExponent, f.WeightExponent + f.InputExponent + 2));
        DenseLayer layer = QuantizationRule.QuantizeDense(weights, bias, f.Inputs, f.Units, Activation.Identity, input, -pre, pre);

        Model model = RandomModels.Wrap(rng, f.Inputs, 1, [layer]);
        model.Input.ZeroPoint = input.ZeroPoint;
        byte[] file = ModelWriter.Write(model);
        string desktop = DeviceProbe.Check(file, int.MaxValue), device = DeviceCheck(file, int.MaxValue);
        int[] raw = RandomModels.Readings(rng, 3 * f.Inputs);
        bool same = desktop == null && device == null && DeviceProbe.Trace(file, raw, 3).AsSpan().SequenceEqual(DeviceTrace(file, raw, 3));
        return (AccumulatorSafety.Headroom(layer) >= 0 && same).Label($"headroom {AccumulatorSafety.Headroom(layer)}, desktop {desktop}, device {device}");
    }

    [Property(MaxTest = 200)]
    public Property Quantized_conv_and_recurrent_layers_never_overflow_and_agree_across_builds(ArithmeticGenerators.FloatLayer f)
    {
        var rng = new Random(f.Seed);
        float[] Reals(int count, int exponent)
        {
            var a = new float[count];
            for (int i = 0; i < count; i++) a[i] = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, exponent));
            return a;
        }
        QuantParams input = QuantizationRule.ForRange(-rng.NextDouble() * Math.Pow(10, f.InputExponent), rng.NextDouble() * Math.Pow(10, f.InputExponent));
        double pre = Math.Pow(10, Math.Max(f.BiasExponent, f.WeightExponent + f.InputExponent + 2));
        int channels = Math.Min(f.Inputs, 8), units = Math.Min(f.Units, 6);
        Layer layer;
        int window = 1;
        if (f.Seed % 2 == 0)
        {
            window = rng.Next(3, 9);
            int kernel = rng.Next(1, 4);
            layer = QuantizationRule.QuantizeConv1D(Reals(units * kernel * channels, f.WeightExponent), Reals(units, f.BiasExponent),
                window, channels, units, kernel, 1, rng.Next(kernel), Activation.Relu, input, -pre, pre);
        }
        else
        {
            var feedback = (Feedback)rng.Next(1, 4);
            int fb = (int)RecurrentLayer.FeedbackWeightCount(feedback, units, units);
            layer = QuantizationRule.QuantizeRecurrent(Reals(units * channels, f.WeightExponent), Reals(fb, f.WeightExponent),
                Reals(units, f.BiasExponent), feedback, channels, units, Activation.Tanh, input, -pre, pre);
        }
        if (layer.OutputLength > 200) return Prop.ToProperty(true);
        Model model = RandomModels.Wrap(rng, channels, window, [layer]);
        model.Input.ZeroPoint = input.ZeroPoint;
        byte[] file = ModelWriter.Write(model);
        string desktop = DeviceProbe.Check(file, int.MaxValue), device = DeviceCheck(file, int.MaxValue);
        int[] raw = RandomModels.Readings(rng, (window + 2) * channels);
        bool same = desktop == null && device == null && DeviceProbe.Trace(file, raw, window + 2).AsSpan().SequenceEqual(DeviceTrace(file, raw, window + 2));
        return (AccumulatorSafety.Headroom(layer) >= 0 && same).Label($"{layer.Kind}: headroom {AccumulatorSafety.Headroom(layer)}, desktop {desktop}, device {device}");
    }

    [Property(MaxTest = 300)]
    public Property Random_networks_are_bit_exact_across_the_two_builds(ArithmeticGenerators.Network n)
    {
        var rng = new Random(n.Seed);
        Model model = RandomModels.Dense(rng, n.Features, n.Units, n.Window);
        byte[] file = ModelWriter.Write(model);
        int readings = rng.Next(1, 5);
        int[] raw = RandomModels.Readings(rng, readings * n.Features);
        sbyte[] desktop = DeviceProbe.Trace(file, raw, readings);
        sbyte[] device = DeviceTrace(file, raw, readings);
        return (desktop != null && desktop.AsSpan().SequenceEqual(device)).Label($"{n.Features} features x {n.Window}, units [{string.Join(",", n.Units)}]");
    }

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        BigInteger q = BigInteger.DivRem(a, b, out BigInteger r);
        return r.Sign != 0 && (r.Sign < 0) != (b.Sign < 0) ? q - 1 : q;
    }
}

/// <summary>Example-based checks of the export-time overflow guarantee, including the cases that motivate it.</summary>
public class AccumulatorSafetyTests
{
    [Fact]
    public void Tiny_weights_with_a_large_bias_would_overflow_at_the_natural_scale_and_are_widened()
    {
        float[] weights = [1e-9f, -2e-9f, 3e-9f];
        float[] bias = [1000f];
        QuantParams input = QuantizationRule.ForRange(-1, 1);
        // At the natural weight scale the integer bias is ~1e14: the reader would reject such a layer.
        double ws = QuantizationRule.WeightScale(weights);
        Assert.False(QuantizationRule.QuantizeNeuron(weights, bias[0], input, ws, new sbyte[3], out _));

        DenseLayer layer = QuantizationRule.QuantizeDense(weights, bias, 3, 1, Activation.Identity, input, -2000, 2000);
        Assert.True(AccumulatorSafety.Headroom(layer) >= 0);
        // The neuron still computes its (bias-dominated) value: dequantized output near 1000.
        var model = RandomModels.Wrap(new Random(1), 3, 1, [layer]);
        var engine = new InferenceEngine(ModelReader.Read(ModelWriter.Write(model), ModelWriter.Write(model).Length, int.MaxValue, out string error));
        Assert.Null(error);
        engine.Invoke();
        double output = layer.OutputScale * (engine.Output[0] - layer.OutputZeroPoint);
        Assert.InRange(output, 1000 - 2 * 4000.0 / 255, 1000 + 2 * 4000.0 / 255);
    }

    [Fact]
    public void A_layer_at_the_format_size_limit_fits_int32_when_its_bias_is_small()
    {
        // 65,535 inputs, every weight at full scale and the input zero point at -128: the folded bias
        // (-z * sum w = 128 * 127 * 65,535) plus 128 * sum |w| is 2,130,673,920, just under 2^31 - 1.
        int n = ModelFormat.MaxTensor;
        float[] weights = Enumerable.Repeat(1f, n).ToArray();
        QuantParams input = QuantizationRule.ForRange(0, 10);
        Assert.Equal(-128, input.ZeroPoint);
        DenseLayer layer = QuantizationRule.QuantizeDense(weights, [0f], n, 1, Activation.Identity, input, 0, 1e6);
        Assert.Equal(2_130_673_920L, layer.WorstCaseAccumulator());
        Assert.True(AccumulatorSafety.Headroom(layer) > 0);
    }

    [Fact]
    public void Verify_names_the_layer_that_could_overflow()
    {
        Model model = RandomModels.Dense(new Random(4), 3, [4, 2]);
        ((DenseLayer)model.Layers[1]).Bias[1] = int.MaxValue - 10;
        var e = Assert.Throws<InvalidOperationException>(() => AccumulatorSafety.Verify(model));
        Assert.Contains("layer 1 (Dense)", e.Message);
        AccumulatorSafety.Verify(RandomModels.Dense(new Random(4), 3, [4, 2]));
    }
}
