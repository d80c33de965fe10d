using System.Numerics;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Golden;
using EdgeNet.Kernels;
using EdgeNet.Layers;
using EdgeNet.Native.Desktop;
using EdgeNet.Quantization;

namespace EdgeNet.Tests.SixteenBit;

/// <summary>
/// 16-bit weights for dense layers (issue #13, the "16x16" kernel: int16 activations, int16 weights, int64 sums):
/// the optimized kernel against the reference and exact big-integer sums on both builds, a hand-worked model,
/// int16 extremes, whole models against the independent <see cref="WideReference"/>, format v3 (bit 15 of the
/// dense units word) round trip and refusals, v2 models still written as v2, the C backend running such layers on
/// its 16x16 kernel (a backend without one keeps them managed), and allocation-free inference.
/// </summary>
public class WideWeightsTests
{
    private delegate void Dense16x16(short[] input, int inputLength, short[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output);

    private static readonly Dense16x16 DeviceOptimized =
        DeviceBuild.Method<Dense16x16>("EdgeNet.Shared", "EdgeNet.Kernels.FullyConnected16x16Optimized", "Invoke");
    private static readonly Dense16x16 DeviceReference =
        DeviceBuild.Method<Dense16x16>("EdgeNet.Bench.Device", "EdgeNet.Kernels.FullyConnected16x16", "Reference");

    /// <summary>out[o] from the documented rule in BigInteger: round(acc * m / 2^s) halves up, saturate, + zero point, clamp.</summary>
    private static short Exact(short[] x, short[] w, int bias, int m, int s, int o, int n, int zeroPoint, int min, int max)
    {
        BigInteger acc = bias;
        for (int i = 0; i < n; i++) acc += (BigInteger)w[o * n + i] * x[i];
        BigInteger v = WideReference.Scale(acc, m, s) + zeroPoint;
        return (short)BigInteger.Min(BigInteger.Max(v, min), max);
    }

    [Fact]
    public void The_16x16_kernel_matches_the_reference_and_the_exact_sum_in_both_builds()
    {
        var rng = new Random(1631);
        int saturated = 0, beyondInt32 = 0, layers = 0;
        for (int n = 0; n < 3000; n++)
        {
            int inputs = n % 10 == 0 ? rng.Next(200, 700) : rng.Next(1, 40), units = rng.Next(1, 6);
            // A quarter of the layers have small values and shifts 0..6, where every bit of the sum reaches the
            // output and the rounding of halves decides many results.
            bool small = n % 4 == 1;
            short[] x = small ? Small(rng, inputs) : Int16s(rng, inputs);
            short[] w = small ? Small(rng, inputs * units) : Int16s(rng, inputs * units);
            int[] bias = Enumerable.Range(0, units).Select(_ => small ? rng.Next(-99, 100) : rng.Next(int.MinValue, int.MaxValue) >> rng.Next(0, 31)).ToArray();
            int[] mult = Enumerable.Range(0, units).Select(_ => small ? 1 << 30 : rng.Next(3) == 0 ? int.MaxValue : rng.Next(1 << 30, int.MaxValue)).ToArray();
            byte[] shift = Enumerable.Range(0, units).Select(_ => (byte)(small ? rng.Next(30, 37) : rng.Next(30, 63))).ToArray();
            bool int8Output = rng.Next(3) == 0;
            int min = int8Output ? -128 : rng.Next(2) == 0 ? -32768 : rng.Next(-32768, 0);
            int max = int8Output ? 127 : rng.Next(2) == 0 ? 32767 : rng.Next(0, 32768);
            short[] Run(Dense16x16 k) { var y = new short[units]; k(x, inputs, w, bias, mult, shift, units, 0, min, max, y); return y; }
            short[] expected = Run(FullyConnected16x16.Reference);
            Assert.Equal(expected, Run(FullyConnected16x16Optimized.Invoke));
            Assert.Equal(expected, Run(DeviceOptimized));
            Assert.Equal(expected, Run(DeviceReference));
            for (int o = 0; o < units; o++)
            {
                Assert.Equal(Exact(x, w, bias[o], mult[o], shift[o], o, inputs, 0, min, max), expected[o]);
                if (expected[o] == min || expected[o] == max) saturated++;
                long sum = bias[o];
                for (int i = 0; i < inputs; i++) sum += (long)w[o * inputs + i] * x[i];
                if (sum > int.MaxValue || sum < int.MinValue) beyondInt32++;
            }
            layers++;
        }
        // Both regimes exercised: sums beyond int32 (where four int32 products already overflow) and clamping.
        Assert.True(beyondInt32 > 1000 && saturated > 500 && layers == 3000, $"{beyondInt32} sums beyond int32, {saturated} clamped outputs");
    }

    [Fact]
    public void Int16_extremes_sum_exactly_and_saturate()
    {
        // Every input and weight -32768: each product is 2^30 (fits int32, but four of them do not), the sum
        // 2^30 * n + bias. With n = 600 that is 644,245,094,400 + 2^31 - 1.
        const int n = 600;
        short[] x = Enumerable.Repeat(short.MinValue, n).ToArray();
        short[] w = Enumerable.Repeat(short.MinValue, 3 * n).ToArray();
        int[] bias = { int.MaxValue, int.MinValue, 0 };
        int[] mult = { 1 << 30, 1 << 30, 1 << 30 };
        byte[] shift = { 62, 50, 31 };
        foreach (Dense16x16 k in new Dense16x16[] { FullyConnected16x16Optimized.Invoke, FullyConnected16x16.Reference, DeviceOptimized, DeviceReference })
        {
            var y = new short[3];
            k(x, n, w, bias, mult, shift, 3, 0, -32768, 32767, y);
            // (2^30 * 600 + 2^31 - 1) / 2^32 = 150.4999999998 -> 150; (2^30 * 600 - 2^31) / 2^20 = 612,352 -> clamped
            // at 32767; 2^30 * 600 / 2 saturates int32 first, then the int16 clamp.
            Assert.Equal(new short[] { 150, 32767, 32767 }, y);
            // Mixed signs: -32768 x 32767 = -1,073,709,056 each, sum -644,225,433,600.
            // (sum + 2^31 - 1) / 2^32 = -149.495 -> -149 (halves up); the other two clamp at -32768.
            short[] maxW = Enumerable.Repeat(short.MaxValue, 3 * n).ToArray();
            k(x, n, maxW, bias, mult, shift, 3, 0, -32768, 32767, y);
            Assert.Equal(new short[] { -149, -32768, -32768 }, y);
            // A zero point and an int8 output's range: sum * 2^28 / 2^62 = -37.499 -> -37, + 5 = -32; with clamp
            // [-20, 127] it stops at -20.
            int[] quarter = { 1 << 28, 1 << 28, 1 << 28 };
            k(x, n, maxW, new[] { 0, 0, 0 }, quarter, new byte[] { 62, 62, 62 }, 3, 5, -128, 127, y);
            Assert.Equal(new short[] { -32, -32, -32 }, y);
            k(x, n, maxW, new[] { 0, 0, 0 }, quarter, new byte[] { 62, 62, 62 }, 3, 5, -20, 127, y);
            Assert.Equal(new short[] { -20, -20, -20 }, y);
        }
    }

    [Fact]
    public void The_hand_worked_model_gives_the_pinned_integers_on_both_builds()
    {
        // Inputs are the readings (scale 1), saturated to int16. Layer 0: round(acc / 1024) with
        //   acc0 = 1000 + 300 * 1000 - 200 * 2000 = -99,000 -> -96.68 -> -97
        //   acc1 = -5 - 32768 * 1000 + 32767 * 2000 = 32,765,995 -> 31,998.04 -> 31,998
        // Layer 1 (int8 output): unit 0 round(acc / 1024), unit 1 round(acc / 32768), clamped to -128..127:
        //   97 + 2 * 31,998 = 64,093 -> 62.59 -> 63;   32767 * -97 + 31,998 = -3,146,401 -> -96.02 -> -96
        // Reading 2 (-40000, 40000) saturates to (-32768, 32767):
        //   acc0 = 1000 - 300 * 32768 - 200 * 32767 = -16,382,800 -> -15,998.83 -> -15,999
        //   acc1 = -5 + 32768^2 + 32767^2 = 2,147,418,108 -> 2,097,088 -> clamped 32,767
        //   15,999 + 2 * 32,767 = 81,533 -> 79.62 -> 80;   32767 * -15,999 + 32,767 = -524,206,466 -> -15,997.5 -> clamped -128
        short[] pinned = { 1000, 2000, -97, 31998, 63, -96, -32768, 32767, -15999, 32767, 80, -128 };
        byte[] file = ModelWriter.Write(WideWeightCases.HandModel());
        Assert.Equal(ModelFormat.VersionWideWeights, file[ModelFormat.OffsetVersion]);
        Assert.Equal(pinned, DeviceProbe.TraceWide(file, WideWeightCases.HandReadings, 2));
        Assert.Equal(pinned, DeviceBuild.Assembly.TraceWide(file, WideWeightCases.HandReadings, 2));
        Assert.Equal(pinned, EdgeNet.Reference.IntegerReference.Instance.TraceWide(WideWeightCases.HandModel(), WideWeightCases.HandReadings, 2));
        Assert.Equal(new[] { 0, 0 }, DeviceProbe.Classify(file, WideWeightCases.HandReadings, 2));
    }

    /// <summary>Gives about half of the dense layers that run a 16-bit kernel int16 weights (at least one when there is one).</summary>
    private static int WidenSome(Random rng, Model m)
    {
        int widened = 0;
        DenseLayer? candidate = null;
        foreach (Layer l in m.Layers)
        {
            if (l is not DenseLayer d || !d.WideKernel) continue;
            candidate = d;
            if (rng.Next(2) == 0) continue;
            RandomModels.GiveInt16Weights(rng, d);
            widened++;
        }
        if (widened == 0 && candidate != null)
        {
            RandomModels.GiveInt16Weights(rng, candidate);
            widened++;
        }
        return widened;
    }

    [Fact]
    public void Models_with_int16_weights_compute_what_the_independent_reference_computes_on_both_builds()
    {
        var rng = new Random(1632);
        int models = 0, wideLayers = 0;
        for (int n = 0; n < 400; n++)
        {
            Model m = n % 5 == 4 ? MixedModels.CreateRecurrent(rng, 3 + n % 2) : MixedModels.Create(rng, n % 3, largeFanIn: n % 10 == 9);
            int widened = WidenSome(rng, m);
            if (widened == 0) continue;
            byte[] file = ModelWriter.Write(m);
            Assert.Equal(3, file[ModelFormat.OffsetVersion]);
            Model back = ModelReader.Read(file, file.Length, int.MaxValue, out string error)!;
            Assert.True(back != null, error);
            Assert.Equal(widened, back.Layers.Count(l => l is DenseLayer { WideWeights: true }));
            int[] raw = RandomModels.Readings(rng, m.FeatureCount).Select(v => v >> rng.Next(0, 24)).ToArray();
            int[] expected = WideReference.Trace(back, raw).SelectMany(t => t).ToArray();
            Assert.Equal(expected, DeviceProbe.TraceWide(file, raw, 1)!.Select(v => (int)v).ToArray());
            Assert.Equal(expected, DeviceBuild.Assembly.TraceWide(file, raw, 1).Select(v => (int)v).ToArray());
            models++;
            wideLayers += widened;
        }
        Assert.True(models > 150 && wideLayers > 200, $"{models} models, {wideLayers} layers with int16 weights");
    }

    [Fact]
    public void A_v3_file_round_trips_and_counts_two_bytes_per_weight()
    {
        var rng = new Random(1633);
        for (int n = 0; n < 100; n++)
        {
            Model m = MixedModels.Create(rng, n % 3);
            if (WidenSome(rng, m) == 0) continue;
            byte[] file = ModelWriter.Write(m);
            Model back = ModelReader.Read(file, file.Length, int.MaxValue, out string error)!;
            Assert.True(back != null, error);
            Assert.Equal(file, ModelWriter.Write(back));
            for (int i = 0; i < m.Layers.Length; i++)
            {
                if (m.Layers[i] is not DenseLayer d) continue;
                var b = (DenseLayer)back.Layers[i];
                Assert.Equal(d.WideWeights, b.WideWeights);
                Assert.Equal(d.Weights16, b.Weights16);
                Assert.Equal(d.Weights, b.Weights);
                Assert.True(b.Weights == null ^ b.Weights16 == null);
                int weights = d.OutputChannels * d.InputLength;
                Assert.Equal(weights * (d.WideWeights ? 2 : 1) + 9 * d.OutputChannels + (d.Table == null ? 0 : 256), b.ParameterBytes);
                Assert.Equal(weights, b.MacCount);
                // The 16x16 kernel always sums in int64; the bound stays far under the reader's 2^47.
                if (b.WideWeights) Assert.True(b.LongAccumulator && b.WorstCaseAccumulator() < FixedPoint.MaxLongAccumulator);
            }
        }
    }

    [Fact]
    public void The_worst_case_of_int16_weights_is_within_the_reader_bound_at_the_largest_fan_in()
    {
        // MaxTensor inputs, every weight -32768, bias int.MinValue: |b| + 32768 * sum|w| = 2^31 + 2^30 * 65535 < 2^47.
        int n = ModelFormat.MaxTensor;
        var d = new DenseLayer
        {
            InputSteps = 1, InputChannels = n, OutputSteps = 1, OutputChannels = 1, InputPrecision = 1, Precision = 1,
            Weights16 = Enumerable.Repeat(short.MinValue, n).ToArray(), Bias = new[] { int.MinValue }, Multiplier = new[] { 1 }, Shift = new byte[] { 0 },
        };
        Assert.Equal((1L << 31) + (1L << 30) * n, d.WorstCaseAccumulator());
        Assert.True(d.WorstCaseAccumulator() < FixedPoint.MaxLongAccumulator);
    }

    private static string Error(byte[] file, bool resign = true)
    {
        byte[] signed = resign ? RejectedCases.Resign(file) : file;
        Assert.Null(ModelReader.Read(signed, signed.Length, int.MaxValue, out string error));
        Assert.Equal(error, DeviceBuild.Method<Func<byte[], int, string>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Check")(signed, int.MaxValue));
        return error;
    }

    [Fact]
    public void The_reader_refuses_int16_weights_where_the_format_forbids_them()
    {
        Model hand = WideWeightCases.HandModel();
        byte[] v3 = ModelWriter.Write(hand);
        int at = RejectedCases.FirstLayerOffset(hand);
        Assert.Equal(0x80, v3[at + 2] & 0x80);

        // The same bytes labelled v2: bit 15 is not a v2 field.
        byte[] v2 = (byte[])v3.Clone();
        v2[ModelFormat.OffsetVersion] = 2;
        Assert.Equal($"byte {at + 1}: layer 0: bit 15 of the units word (int16 weights) is set in a format v2 file; it needs format v3", Error(v2));

        // Bit 15 on a conv1d record.
        Model conv = WideWeightCases.ConvThenWideDense(new Random(1634));
        byte[] c = ModelWriter.Write(conv);
        at = RejectedCases.FirstLayerOffset(conv); // the conv record is first
        c[at + 2] |= 0x80;
        Assert.Equal($"byte {at + 1}: layer 0: bit 15 of the units word (int16 weights) is set on a layer of kind 2; only dense layers have int16 weights", Error(c));

        // Bit 15 on a dense layer with int8 input and output (no 16-bit kernel to run int16 weights).
        Model narrow = WideWeightCases.Chain(new Random(1635), 3, 1, [2, 2], [ModelFormat.PrecisionInt8, ModelFormat.PrecisionInt16], [false, true]);
        byte[] nb = ModelWriter.Write(narrow);
        at = RejectedCases.FirstLayerOffset(narrow);
        nb[at + 2] |= 0x80;
        Assert.Equal($"byte {at + 1}: layer 0: bit 15 of the units word (int16 weights) is set on a layer with int8 input and output; int16 weights need the 16-bit kernel (an int16 input or output)", Error(nb));

        // Truncated weights: each cut inside the last layer's 8 weight bytes names them.
        for (int cut = 1; cut <= 8; cut++)
        {
            string e = Error(v3[..^cut]);
            Assert.EndsWith($"layer 1: file ends inside dense int16 weights (needs 8 bytes, {8 - cut} left)", e);
        }
    }

    [Fact]
    public void Mutated_v3_files_give_both_builds_the_same_verdict_and_never_a_crash()
    {
        var deviceCheck = DeviceBuild.Method<Func<byte[], int, string>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Check");
        var deviceWide = DeviceBuild.Assembly.TraceWide;
        var rng = new Random(1639);
        byte[][] seeds =
        {
            ModelWriter.Write(WideWeightCases.HandModel()),
            ModelWriter.Write(WideWeightCases.ConvThenWideDense(new Random(1640))),
            ModelWriter.Write(WideWeightCases.Chain(new Random(1641), 3, 2, [6, 4, 3], [ModelFormat.PrecisionInt8, ModelFormat.PrecisionInt16, ModelFormat.PrecisionInt8], [false, true, true])),
        };
        int accepted = 0, rejected = 0, wideAccepted = 0;
        for (int n = 0; n < 3000; n++)
        {
            byte[] bad = (byte[])seeds[n % seeds.Length].Clone();
            int flips = rng.Next(1, 4);
            for (int f = 0; f < flips; f++) bad[rng.Next(bad.Length)] ^= (byte)(1 << rng.Next(8));
            if (rng.Next(4) == 0) bad = bad[..rng.Next(ModelFormat.HeaderBytes, bad.Length)];
            bad = RejectedCases.Resign(bad);
            string? desktop = DeviceProbe.Check(bad, int.MaxValue);
            Assert.Equal(desktop, deviceCheck(bad, int.MaxValue));
            if (desktop != null) { Assert.StartsWith("byte ", desktop); rejected++; continue; }
            accepted++;
            Model m = ModelReader.Read(bad, bad.Length, int.MaxValue, out _)!;
            if (!m.Layers.Any(l => l is DenseLayer { WideWeights: true })) continue;
            int[] raw = RandomModels.Readings(rng, m.FeatureCount);
            Assert.Equal(DeviceProbe.TraceWide(bad, raw, 1), deviceWide(bad, raw, 1));
            wideAccepted++;
        }
        Assert.True(rejected > 1000 && wideAccepted > 300, $"{accepted} accepted ({wideAccepted} with int16 weights), {rejected} rejected");
    }

    [Fact]
    public void The_writer_picks_v3_only_for_int16_weights_and_refuses_older_versions_for_them()
    {
        Model hand = WideWeightCases.HandModel();
        Assert.Equal(3, ModelWriter.VersionFor(hand));
        var e = Assert.Throws<ArgumentException>(() => ModelWriter.Write(hand, 2));
        Assert.Equal("cannot write model: a dense layer has int16 weights, which need format v3 (asked for v2)", e.Message);
        Assert.Contains("which need format v3 (asked for v1)", Assert.Throws<ArgumentException>(() => ModelWriter.Write(hand, 1)).Message);

        // int16 weights on a layer that has no 16-bit kernel, and both weight arrays at once, are refused.
        Model narrow = WideWeightCases.HandModel();
        var d = (DenseLayer)narrow.Layers[1];
        d.InputPrecision = 0;
        narrow.Layers[0].Precision = 0;
        narrow.Layers[0].InputPrecision = 0;
        narrow.Layers[0].ClampMin = -128;
        narrow.Layers[0].ClampMax = 127;
        ((DenseLayer)narrow.Layers[0]).Weights = new sbyte[4];
        ((DenseLayer)narrow.Layers[0]).Weights16 = null;
        Assert.Contains("int16 weights need the 16-bit kernel", Assert.Throws<ArgumentException>(() => ModelWriter.Write(narrow)).Message);
        Model both = WideWeightCases.HandModel();
        ((DenseLayer)both.Layers[0]).Weights = new sbyte[4];
        Assert.Contains("both int8 and int16 weights", Assert.Throws<ArgumentException>(() => ModelWriter.Write(both)).Message);
    }

    [Fact]
    public void A_model_without_int16_weights_is_still_written_as_v2_byte_for_byte()
    {
        var rng = new Random(1636);
        for (int n = 0; n < 200; n++)
        {
            Model m = n % 2 == 0 ? MixedModels.Create(rng, n % 3) : RandomLayers.Model(rng, Families[n % Families.Length]);
            byte[] file = ModelWriter.Write(m);
            Assert.Equal(ModelFormat.VersionWithoutWideWeights, file[ModelFormat.OffsetVersion]);
            Assert.Equal(file, ModelWriter.Write(m, 2));
            // One version per model: v3 is refused for it by the writer, and a v2 file relabelled v3 by the reader.
            Assert.Contains("format v3 is only for models with int16 dense weights; this one is written as v2", Assert.Throws<ArgumentException>(() => ModelWriter.Write(m, 3)).Message);
            byte[] relabelled = (byte[])file.Clone();
            relabelled[ModelFormat.OffsetVersion] = 3;
            Assert.Equal("byte 4: format version 3 is only for models with int16 dense weights, and this one has none (it is written as version 2)", Error(relabelled, resign: false));
        }
        // The committed golden files of int8 and 16x8 models (written before format v3) read and write back identically.
        int golden = 0;
        for (int i = 0; i < EdgeNet.GoldenData.GoldenVectorTable.Count; i++)
        {
            var v = EdgeNet.GoldenData.GoldenVectorTable.Get(i);
            if (v.Kind != EdgeNet.GoldenData.GoldenVector.Model || v.File[ModelFormat.OffsetVersion] != 2) continue;
            Model back = ModelReader.Read(v.File, v.File.Length, int.MaxValue, out _)!;
            Assert.Equal(v.File, ModelWriter.Write(back));
            golden++;
        }
        Assert.True(golden >= 20, $"only {golden} v2 golden models");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_layer_with_int16_weights_runs_the_C_16x16_kernel_or_stays_managed_on_a_backend_without_it_and_gives_the_same_integers(bool withKernel)
    {
        var rng = new Random(withKernel ? 1637 : 1639);
        int wideNative = 0, wideManaged = 0, otherNative = 0;
        for (int n = 0; n < 120; n++)
        {
            Model m = MixedModels.Create(rng, n % 3);
            if (WidenSome(rng, m) == 0) continue;
            byte[] file = ModelWriter.Write(m);
            Model a = ModelReader.Read(file, file.Length, int.MaxValue, out _)!, b = ModelReader.Read(file, file.Length, int.MaxValue, out _)!;
            var managed = new InferenceEngine(a, true, null);
            var native = new InferenceEngine(b, true, withKernel ? new CKernelBackend() : new WithoutDense16x16());
            foreach (Layer l in b.Layers)
            {
                if (l is DenseLayer { WideWeights: true })
                {
                    if (l.Backend != null) wideNative++;
                    else wideManaged++;
                }
                else if (l.Backend != null) otherNative++;
            }
            for (int reading = 0; reading < 4; reading++)
            {
                int[] raw = RandomModels.Readings(rng, m.FeatureCount).Select(v => v >> rng.Next(0, 24)).ToArray();
                managed.PushReading(raw);
                native.PushReading(raw);
                managed.Invoke();
                native.Invoke();
                for (int t = -1; t < a.Layers.Length; t++)
                {
                    int length = t < 0 ? a.InputLength : a.Layers[t].OutputLength;
                    for (int i = 0; i < length; i++)
                        if (managed.TensorValue(t, i) != native.TensorValue(t, i))
                            Assert.Fail($"model {n} reading {reading} tensor {t} element {i}: managed {managed.TensorValue(t, i)}, native {native.TensorValue(t, i)}");
                }
            }
        }
        // With the kernel every int16-weight layer is on C; without it every one stays managed, the rest still on C.
        Assert.Equal(0, withKernel ? wideManaged : wideNative);
        int wide = withKernel ? wideNative : wideManaged;
        Assert.True(wide > 40 && otherNative > 40, $"{wide} int16-weight layers {(withKernel ? "on the C kernel" : "kept managed")}, {otherNative} other layers on the C kernels");
    }

    [Fact]
    public void The_base_backends_16x16_method_is_the_managed_kernel()
    {
        var rng = new Random(1640);
        for (int n = 0; n < 200; n++)
        {
            int length = rng.Next(0, 40), units = rng.Next(1, 8);
            short[] x = Enumerable.Range(0, length).Select(_ => (short)rng.Next(-32768, 32768)).ToArray();
            short[] w = Enumerable.Range(0, units * length).Select(_ => (short)rng.Next(-32768, 32768)).ToArray();
            int[] bias = Enumerable.Range(0, units).Select(_ => rng.Next()).ToArray(), mult = Enumerable.Range(0, units).Select(_ => rng.Next(1 << 30, int.MaxValue)).ToArray();
            byte[] shift = Enumerable.Range(0, units).Select(_ => (byte)rng.Next(30, 50)).ToArray();
            short[] expected = new short[units], actual = new short[units];
            FullyConnected16x16Optimized.Invoke(x, length, w, bias, mult, shift, units, 0, -32768, 32767, expected);
            new WithoutDense16x16().Dense16x16(x, length, w, bias, mult, shift, units, 0, -32768, 32767, actual);
            Assert.Equal(expected, actual);
        }
        Assert.False(new WithoutDense16x16().RunsDense16x16);
        Assert.True(new CKernelBackend().RunsDense16x16);
    }

    [Fact]
    public void Inference_with_int16_weights_allocates_nothing()
    {
        var rng = new Random(1638);
        int checkedModels = 0;
        for (int n = 0; n < 30; n++)
        {
            Model m = MixedModels.Create(rng, n % 3);
            if (WidenSome(rng, m) == 0) continue;
            var engine = new InferenceEngine(m);
            SteadyInference.AssertAllocatesNothing(engine, RandomModels.Readings(rng, m.FeatureCount));
            checkedModels++;
        }
        Assert.True(checkedModels > 10, $"only {checkedModels} models");
    }

    private static readonly string[] Families = { "cnn", "direct", "lateral", "complete", "indirect" };

    private static short[] Small(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (short)rng.Next(-60, 61)).ToArray();

    private static short[] Int16s(Random rng, int n) => Enumerable.Range(0, n).Select(_ => RandomModels.ExtremeInt16(rng)).ToArray();

    /// <summary>
    /// The C kernels as a backend written before the 16x16 kernel: it forwards every abstract method to
    /// <see cref="CKernelBackend"/> and leaves <see cref="KernelBackend.RunsDense16x16"/> and Dense16x16 to the base.
    /// </summary>
    private sealed class WithoutDense16x16 : KernelBackend
    {
        private readonly CKernelBackend _c = new();
        public override string Name => "native";
        public override bool Probe() => _c.Probe();
        public override bool Runs(Layer layer) => _c.Runs(layer);
        public override void Dense(sbyte[] input, int inputOffset, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int units, int zeroPoint, int min, int max, sbyte[] output, int outputOffset) => _c.Dense(input, inputOffset, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output, outputOffset);
        public override void Conv1D(sbyte[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, sbyte[] output, int outSteps) => _c.Conv1D(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift, filters, kernel, stride, padding, zeroPoint, min, max, output, outSteps);
        public override void MaxPool1D(sbyte[] input, int channels, int pool, int stride, int min, int max, sbyte[] output, int outSteps) => _c.MaxPool1D(input, channels, pool, stride, min, max, output, outSteps);
        public override void AvgPool1D(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, sbyte[] output, int outSteps) => _c.AvgPool1D(input, channels, pool, stride, inputZeroPoint, min, max, output, outSteps);
        public override void RecurrentDirect(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift, sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) => _c.RecurrentDirect(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        public override void RecurrentLateral(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift, sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) => _c.RecurrentLateral(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        public override void RecurrentComplete(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift, sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) => _c.RecurrentComplete(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, stateLength, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        public override void Dense16(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int units, int zeroPoint, int min, int max, short[] output) => _c.Dense16(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output);
        public override void Dense16Long(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int units, int zeroPoint, int min, int max, short[] output) => _c.Dense16Long(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output);
        public override void Conv1D16(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps) => _c.Conv1D16(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift, filters, kernel, stride, padding, zeroPoint, min, max, output, outSteps);
        public override void Conv1D16Long(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, long[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps) => _c.Conv1D16Long(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift, filters, kernel, stride, padding, zeroPoint, min, max, output, outSteps);
        public override void MaxPool1D16(short[] input, int channels, int pool, int stride, int min, int max, short[] output, int outSteps) => _c.MaxPool1D16(input, channels, pool, stride, min, max, output, outSteps);
        public override void AvgPool1D16(short[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, short[] output, int outSteps) => _c.AvgPool1D16(input, channels, pool, stride, inputZeroPoint, min, max, output, outSteps);
        public override void Recurrent16Direct(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift, short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) => _c.Recurrent16Direct(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        public override void Recurrent16Lateral(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift, short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) => _c.Recurrent16Lateral(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        public override void Recurrent16Complete(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift, short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) => _c.Recurrent16Complete(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, stateLength, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
    }
}
