using System.Numerics;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Kernels;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Tests.SixteenBit;

/// <summary>
/// 16-bit activations (issue #13 item 1): the int64 requantization against exact big-integer arithmetic, the
/// optimized 16x8 kernels against their references (both builds), whole mixed-precision models against the
/// independent <see cref="WideReference"/> on the desktop build and the nanoFramework-compiled IL, the format's
/// rules for 16-bit records, the arena in bytes per width, and allocation-free inference.
/// </summary>
public class SixteenBitTests
{
    private delegate void Dense16(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output);

    private delegate void Conv16(short[] input, int steps, int channels, int inputZeroPoint,
        sbyte[] weights, int[] foldedBias, int[]? tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding,
        int zeroPoint, int min, int max, short[] output, int outSteps);

    private delegate void Conv16Long(short[] input, int steps, int channels, int inputZeroPoint,
        sbyte[] weights, long[] foldedBias, int[]? tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding,
        int zeroPoint, int min, int max, short[] output, int outSteps);

    private delegate void Conv16Reference(short[] input, int steps, int channels, int inputZeroPoint,
        sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding,
        int zeroPoint, int min, int max, short[] output, int outSteps);

    private static T Device<T>(string type, string method) where T : Delegate => DeviceBuild.Method<T>("EdgeNet.Shared", type, method);
    private static T DeviceRef<T>(string type, string method) where T : Delegate => DeviceBuild.Method<T>("EdgeNet.Bench.Device", type, method);

    [Fact]
    public void The_int64_requantization_is_the_exact_rounded_product_in_both_builds()
    {
        var device = Device<Func<long, int, int, int>>("EdgeNet.Kernels.FixedPoint", "MultiplyByQuantizedMultiplierLong");
        var rng = new Random(1613);
        int saturated = 0;
        for (int n = 0; n < 20000; n++)
        {
            long v = rng.Next(4) switch
            {
                0 => FixedPoint.MaxLongAccumulator * (rng.Next(2) == 0 ? 1 : -1),
                1 => rng.NextInt64(int.MinValue, (long)int.MaxValue + 1),
                _ => rng.NextInt64(-FixedPoint.MaxLongAccumulator, FixedPoint.MaxLongAccumulator + 1) >> rng.Next(0, 40),
            };
            int m = rng.Next(3) == 0 ? int.MaxValue : rng.Next(0, int.MaxValue);
            int s = rng.Next(0, FixedPoint.MaxShift + 1);
            int expected = (int)WideReference.Scale(v, m, s);
            if (expected == int.MaxValue || expected == int.MinValue) saturated++;
            Assert.Equal(expected, FixedPoint.MultiplyByQuantizedMultiplierLong(v, m, s));
            Assert.Equal(expected, device(v, m, s));
            if (v >= int.MinValue && v <= int.MaxValue) Assert.Equal(FixedPoint.MultiplyByQuantizedMultiplier((int)v, m, s), expected);
        }
        Assert.InRange(saturated, 100, 19000); // both regimes were exercised
    }

    [Fact]
    public void The_16x8_dense_kernels_match_the_reference_exactly_in_both_builds()
    {
        var deviceInt = Device<Dense16>("EdgeNet.Kernels.FullyConnected16Optimized", "Invoke");
        var deviceLong = Device<Dense16>("EdgeNet.Kernels.FullyConnected16Optimized", "InvokeLong");
        var deviceRef = DeviceRef<Dense16>("EdgeNet.Kernels.FullyConnected16", "Reference");
        var rng = new Random(1614);
        for (int n = 0; n < 600; n++)
        {
            bool large = n % 5 == 0;
            int inputs = large ? rng.Next(520, 900) : rng.Next(1, 40), units = rng.Next(1, 6);
            short[] x = Int16s(rng, inputs);
            sbyte[] w = new sbyte[inputs * units];
            for (int i = 0; i < w.Length; i++) w[i] = RandomModels.ExtremeInt8(rng);
            int[] bias = Enumerable.Range(0, units).Select(_ => rng.Next(int.MinValue, int.MaxValue) >> rng.Next(0, 31)).ToArray();
            int[] mult = Enumerable.Range(0, units).Select(_ => rng.Next(1 << 30, int.MaxValue)).ToArray();
            byte[] shift = Enumerable.Range(0, units).Select(_ => (byte)rng.Next(20, 50)).ToArray();
            int min = rng.Next(2) == 0 ? -32768 : rng.Next(-32768, 0), max = rng.Next(2) == 0 ? 32767 : rng.Next(0, 32768);
            short[] Run(Dense16 k) { var y = new short[units]; k(x, inputs, w, bias, mult, shift, units, 0, min, max, y); return y; }
            short[] expected = Run(FullyConnected16.Reference);
            Assert.Equal(expected, Run(FullyConnected16Optimized.InvokeLong));
            Assert.Equal(expected, Run(deviceLong));
            Assert.Equal(expected, Run(deviceRef));
            // The int32 kernel is used only where the proof holds: then it gives the same bits.
            long worst = Enumerable.Range(0, units).Max(o => Math.Abs((long)bias[o]) + 32768L * w.Skip(o * inputs).Take(inputs).Sum(v => Math.Abs((int)v)));
            if (worst <= int.MaxValue)
            {
                Assert.Equal(expected, Run(FullyConnected16Optimized.Invoke));
                Assert.Equal(expected, Run(deviceInt));
            }
        }
    }

    [Fact]
    public void The_16x8_conv1d_kernels_match_the_reference_exactly_in_both_builds()
    {
        var deviceInt = Device<Conv16>("EdgeNet.Kernels.Conv1D16Optimized", "Invoke");
        var deviceLong = Device<Conv16Long>("EdgeNet.Kernels.Conv1D16Optimized", "InvokeLong");
        var deviceRef = DeviceRef<Conv16Reference>("EdgeNet.Kernels.Conv1D16Reference", "Invoke");
        var rng = new Random(1615);
        int compared = 0;
        for (int n = 0; n < 1500; n++)
        {
            int steps = rng.Next(1, 12), channels = rng.Next(1, 6), kernel = rng.Next(1, 6);
            int padding = rng.Next(0, kernel), stride = rng.Next(1, 4), filters = rng.Next(1, 5);
            int outSteps = Conv1D.OutputSteps(steps, kernel, stride, padding);
            if (outSteps < 1) continue;
            bool int8Input = rng.Next(3) == 0;
            int zIn = int8Input ? rng.Next(-128, 128) : 0;
            short[] x = int8Input ? Enumerable.Range(0, steps * channels).Select(_ => (short)rng.Next(-128, 128)).ToArray() : Int16s(rng, steps * channels);
            sbyte[] w = new sbyte[filters * kernel * channels];
            for (int i = 0; i < w.Length; i++) w[i] = RandomModels.ExtremeInt8(rng);
            int[] bias = Enumerable.Range(0, filters).Select(_ => rng.Next(-1 << 28, 1 << 28) >> rng.Next(0, 28)).ToArray();
            int[] mult = Enumerable.Range(0, filters).Select(_ => rng.Next(1 << 30, int.MaxValue)).ToArray();
            byte[] shift = Enumerable.Range(0, filters).Select(_ => (byte)rng.Next(20, 50)).ToArray();
            int zOut = int8Input ? rng.Next(-128, 128) : 0;
            int min = int8Input ? -128 : -32768, max = int8Input ? 127 : 32767;
            int row = kernel * channels;
            int[] taps = ZeroPointFold.RowSums(w, filters * kernel, channels);
            short[] expected = new short[outSteps * filters];
            Conv1D16Reference.Invoke(x, steps, channels, zIn, w, bias, mult, shift, filters, kernel, stride, padding, zOut, min, max, expected, outSteps);
            long[] foldedLong = ZeroPointFold.FoldLong(bias, w, filters, row, zIn);
            foreach (Conv16Long k in new Conv16Long[] { Conv1D16Optimized.InvokeLong, deviceLong })
            {
                var y = new short[expected.Length];
                k(x, steps, channels, zIn, w, foldedLong, padding > 0 ? taps : null, mult, shift, filters, kernel, stride, padding, zOut, min, max, y, outSteps);
                Assert.Equal(expected, y);
            }
            var r = new short[expected.Length];
            deviceRef(x, steps, channels, zIn, w, bias, mult, shift, filters, kernel, stride, padding, zOut, min, max, r, outSteps);
            Assert.Equal(expected, r);
            int span = int8Input ? 255 : 32768;
            long worst = Enumerable.Range(0, filters).Max(f => Math.Abs((long)bias[f]) + span * (long)w.Skip(f * row).Take(row).Sum(v => Math.Abs((int)v)));
            if (worst <= int.MaxValue)
            {
                int[] folded = ZeroPointFold.Fold(bias, w, filters, row, zIn);
                foreach (Conv16 k in new Conv16[] { Conv1D16Optimized.Invoke, deviceInt })
                {
                    var y = new short[expected.Length];
                    k(x, steps, channels, zIn, w, folded, padding > 0 ? taps : null, mult, shift, filters, kernel, stride, padding, zOut, min, max, y, outSteps);
                    Assert.Equal(expected, y);
                }
                compared++;
            }
        }
        Assert.True(compared > 300, $"only {compared} cases within the int32 proof");
    }

    [Fact]
    public void Mixed_precision_models_compute_what_the_independent_reference_computes_on_both_builds()
    {
        var deviceTrace = DeviceBuild.Assembly.TraceWide;
        var rng = new Random(1616);
        int models = 0, wide = 0, longSums = 0, conversions = 0;
        long values = 0;
        for (int n = 0; n < 300; n++)
        {
            Model m = MixedModels.Create(rng, n % 3, largeFanIn: n % 10 == 9);
            byte[] file = ModelWriter.Write(m);
            Model back = ModelReader.Read(file, file.Length, int.MaxValue, out string error);
            Assert.True(back != null, error);
            int[] raw = RandomModels.Readings(rng, m.FeatureCount);
            for (int f = 0; f < raw.Length; f++) raw[f] = raw[f] >> rng.Next(0, 24);
            int[] expected = WideReference.Trace(back, raw).SelectMany(t => t).ToArray();
            short[] desktop = DeviceProbe.TraceWide(file, raw, 1)!;
            short[] device = deviceTrace(file, raw, 1);
            Assert.Equal(expected, desktop.Select(v => (int)v).ToArray());
            Assert.Equal(expected, device.Select(v => (int)v).ToArray());
            models++;
            values += expected.Length;
            if (back.Layers.Any(l => l.Precision == ModelFormat.PrecisionInt16)) wide++;
            if (back.Layers.Any(l => l.LongAccumulator)) longSums++;
            if (Enumerable.Range(0, back.Layers.Length).Any(i => ArenaPlan.NeedsConversion(back, i))) conversions++;
        }
        Assert.True(wide > 100 && longSums > 5 && conversions > 30, $"{wide} 16-bit models, {longSums} with int64 sums, {conversions} with conversions");
    }

    [Fact]
    public void Recurrent_models_of_every_feedback_kind_compute_what_the_independent_reference_computes_over_a_stream_on_both_builds()
    {
        var deviceTrace = DeviceBuild.Assembly.TraceWide;
        var rng = new Random(1621);
        int wide = 0;
        var kinds = new HashSet<string>();
        for (int n = 0; n < 240; n++)
        {
            Model m = MixedModels.CreateRecurrent(rng, 3 + n % 2);
            byte[] file = ModelWriter.Write(m);
            Model back = ModelReader.Read(file, file.Length, int.MaxValue, out string error);
            Assert.True(back != null, error);
            const int readings = 5;
            int[] raw = RandomModels.Readings(rng, m.FeatureCount * readings).Select(v => v >> rng.Next(0, 24)).ToArray();
            var run = new WideReference.Run(back);
            int[] expected = Enumerable.Range(0, readings).SelectMany(r => run.Step(raw.Skip(r * m.FeatureCount).Take(m.FeatureCount).ToArray()).SelectMany(t => t)).ToArray();
            Assert.Equal(expected, DeviceProbe.TraceWide(file, raw, readings)!.Select(v => (int)v).ToArray());
            Assert.Equal(expected, deviceTrace(file, raw, readings).Select(v => (int)v).ToArray());
            if (back.Layers[0].Precision == ModelFormat.PrecisionInt16)
            {
                wide++;
                kinds.Add(back.Layers[0] is RecurrentLayer r ? r.Feedback.ToString() : "Indirect");
            }
        }
        Assert.True(wide > 60 && kinds.Count == 4, $"{wide} 16-bit recurrent models, kinds {string.Join(", ", kinds)}");
    }

    [Fact]
    public void The_16x8_recurrent_kernels_match_the_reference_exactly_in_both_builds()
    {
        var rng = new Random(1622);
        foreach (string kind in new[] { "Direct", "Lateral", "Complete" })
        {
            var device = DeviceBuild.Shared.GetType("EdgeNet.Kernels.Recurrent16Optimized")!.GetMethod(kind)!;
            var deviceRef = DeviceBuild.Load("EdgeNet.Bench.Device").GetType("EdgeNet.Kernels.Recurrent16Reference")!.GetMethod("Step")!;
            var desktop = typeof(Recurrent16Optimized).GetMethod(kind)!;
            for (int n = 0; n < 300; n++)
            {
                int inputs = rng.Next(1, 30), units = rng.Next(1, 8);
                int stateLength = kind == "Complete" ? rng.Next(1, 8) : units;
                int rowLength = kind == "Direct" ? 1 : kind == "Lateral" ? units - 1 : stateLength;
                bool narrow = rng.Next(3) == 0;
                int zIn = narrow ? rng.Next(-128, 128) : 0, zState = rng.Next(2) == 0 ? 0 : rng.Next(-128, 128);
                short[] x = narrow ? Enumerable.Range(0, inputs).Select(_ => (short)rng.Next(-128, 128)).ToArray() : Int16s(rng, inputs);
                short[] state = zState != 0 ? Enumerable.Range(0, stateLength).Select(_ => (short)rng.Next(-128, 128)).ToArray() : Int16s(rng, stateLength);
                sbyte[] w = Enumerable.Range(0, inputs * units).Select(_ => RandomModels.ExtremeInt8(rng)).ToArray();
                sbyte[] u = Enumerable.Range(0, rowLength * units).Select(_ => RandomModels.ExtremeInt8(rng)).ToArray();
                int[] bias = Enumerable.Range(0, units).Select(_ => rng.Next(int.MinValue, int.MaxValue) >> rng.Next(0, 31)).ToArray();
                int[] m1 = Enumerable.Range(0, units).Select(_ => rng.Next(1 << 30, int.MaxValue)).ToArray();
                int[] m2 = Enumerable.Range(0, units).Select(_ => rng.Next(1 << 30, int.MaxValue)).ToArray();
                byte[] s1 = Enumerable.Range(0, units).Select(_ => (byte)rng.Next(20, 50)).ToArray();
                byte[] s2 = Enumerable.Range(0, units).Select(_ => (byte)rng.Next(20, 50)).ToArray();
                int feedbackKind = kind == "Direct" ? 1 : kind == "Lateral" ? 2 : 3;
                var expected = new short[units];
                Recurrent16Reference.Step(feedbackKind, x, inputs, zIn, w, bias, m1, s1, state, stateLength, zState, u, m2, s2, units, 0, -32768, 32767, expected);
                var fromDeviceRef = new short[units];
                deviceRef.Invoke(null, [feedbackKind, x, inputs, zIn, w, bias, m1, s1, state, stateLength, zState, u, m2, s2, units, 0, -32768, 32767, fromDeviceRef]);
                Assert.Equal(expected, fromDeviceRef);
                long[] inBias = ZeroPointFold.FoldLong(bias, w, units, inputs, zIn);
                long[] fbBias = ZeroPointFold.FoldLong(null, u, units, rowLength, zState);
                foreach (var method in new[] { desktop, device })
                {
                    var y = new short[units];
                    object[] args = kind == "Complete"
                        ? [x, inputs, w, inBias, m1, s1, state, stateLength, u, fbBias, m2, s2, units, 0, -32768, 32767, y]
                        : [x, inputs, w, inBias, m1, s1, state, u, fbBias, m2, s2, units, 0, -32768, 32767, y];
                    method.Invoke(null, args);
                    Assert.Equal(expected, y);
                }
            }
        }
    }

    [Fact]
    public void The_int8_trace_of_a_model_without_16_bit_layers_is_the_wide_trace_and_a_16_bit_model_has_only_the_wide_one()
    {
        var rng = new Random(1617);
        Model int8 = RandomModels.Dense(rng, 4, [5, 3]);
        byte[] file = ModelWriter.Write(int8);
        int[] raw = RandomModels.Readings(rng, 4 * 3);
        Assert.Equal(DeviceProbe.Trace(file, raw, 3)!.Select(v => (short)v).ToArray(), DeviceProbe.TraceWide(file, raw, 3));
        Model wide = ForceFirstWide(rng);
        Assert.Null(DeviceProbe.Trace(ModelWriter.Write(wide), RandomModels.Readings(rng, wide.FeatureCount), 1));
    }

    private static Model ForceFirstWide(Random rng, int family = 0)
    {
        for (;;)
        {
            Model m = family >= 3 ? MixedModels.CreateRecurrent(rng, family) : MixedModels.Create(rng, family);
            if (m.Layers[0].Precision == ModelFormat.PrecisionInt16) return m;
        }
    }

    [Fact]
    public void A_16_bit_record_rejects_what_its_rule_forbids()
    {
        var rng = new Random(1618);
        Model m = ForceFirstWide(rng);
        byte[] good = ModelWriter.Write(m);
        Assert.NotNull(ModelReader.Read(good, good.Length, int.MaxValue, out _));
        int at = EdgeNet.Golden.RejectedCases.FirstLayerOffset(m);
        Assert.Equal(ModelFormat.PrecisionInt16, (good[at] >> ModelFormat.CodePrecisionShift) & 3);

        byte[] zp = (byte[])good.Clone();
        zp[at + 3] = 5;
        Assert.Equal($"byte {at + 3}: layer 0: a 16-bit layer's zero point must be 0 (int16 tensors are symmetric), not 5", Error(zp));

        byte[] table = (byte[])good.Clone();
        table[at + 2] = (byte)(table[at + 2] & 0x8F | ((int)Activation.Sigmoid << 4));
        Assert.Equal($"byte {at + 1}: layer 0: a table activation has an int8 output, so its layer cannot be 16-bit", Error(table));

        // An int16 input needs zero point 0 (the input's zero point byte sits before the flags and normalization).
        byte[] input = (byte[])good.Clone();
        input[at - 2 - 10 * m.FeatureCount - 1] = 3;
        Assert.Contains("the first layer is 16-bit, so the input is int16 and its zero point must be 0, not 3", Error(input));

        // An indirect block's hidden layer has the block's precision.
        Model block = ForceFirstWide(rng, 4);
        byte[] bb = ModelWriter.Write(block);
        int hiddenAt = EdgeNet.Golden.RejectedCases.FirstLayerOffset(block) + 4;
        Assert.Equal((int)LayerKind.Recurrent | (1 << ModelFormat.CodePrecisionShift), bb[hiddenAt] & 0x3F);
        bb[hiddenAt] = (byte)(bb[hiddenAt] & ~(3 << ModelFormat.CodePrecisionShift));
        Assert.Contains("an indirect block's hidden layer must have the block's precision", Error(bb));

        // Format v1 has no precision field: the writer refuses rather than drop it.
        Assert.Contains("format v1 has no 16-bit layers", Assert.Throws<ArgumentException>(() => ModelWriter.Write(m, 1)).Message);
    }

    [Fact]
    public void A_pool_keeps_its_inputs_precision()
    {
        var rng = new Random(1619);
        Model mixed = PoolAfterWide(rng);
        byte[] bytes = ModelWriter.Write(mixed);
        int at = FindSecondRecord(mixed, bytes);
        bytes[at] = (byte)(bytes[at] & ~(3 << ModelFormat.CodePrecisionShift));
        Assert.Contains("layer 1: max pool keeps its input's quantization, but its precision differs from its input's", Error(bytes));
    }

    private static Model PoolAfterWide(Random rng)
    {
        var conv = new Conv1DLayer
        {
            InputSteps = 4, InputChannels = 1, OutputSteps = 4, OutputChannels = 2, KernelSize = 1, Stride = 1, Padding = 0,
            Precision = 1, InputPrecision = 1, Weights = [3, -7], Bias = [0, 0], Multiplier = [1 << 30, 1 << 30], Shift = [31, 31],
            ClampMin = -32768, ClampMax = 32767, OutputScale = 1f,
        };
        var pool = new MaxPool1DLayer
        {
            InputSteps = 4, InputChannels = 2, OutputSteps = 2, OutputChannels = 2, PoolSize = 2, Stride = 2,
            Precision = 1, InputPrecision = 1, ClampMin = -32768, ClampMax = 32767, OutputScale = 1f,
        };
        var last = new DenseLayer
        {
            InputSteps = 2, InputChannels = 2, OutputSteps = 1, OutputChannels = 2, InputPrecision = 1,
            Weights = [1, 2, 3, 4, 5, 6, 7, 8], Bias = [0, 0], Multiplier = [1 << 30, 1 << 30], Shift = [40, 40],
            ClampMin = -128, ClampMax = 127, OutputScale = 0.1f,
        };
        Model m = RandomModels.Wrap(rng, 1, 4, [conv, pool, last]);
        m.Input.ZeroPoint = 0;
        return m;
    }

    private static int FindSecondRecord(Model m, byte[] bytes)
    {
        int at = EdgeNet.Golden.RejectedCases.FirstLayerOffset(m);
        // The conv record: 4-byte header (a hidden layer stores no scale; its clamp is the default), kernel/stride/padding,
        // per filter bias, multiplier and shift (9 bytes), then the weights.
        Conv1DLayer c = (Conv1DLayer)m.Layers[0];
        return at + 4 + 3 + c.Filters * 9 + c.Weights.Length;
    }

    [Fact]
    public void The_engine_allocates_exactly_the_planned_arena_in_bytes_per_width_and_nothing_per_inference()
    {
        var rng = new Random(1620);
        int checkedModels = 0;
        for (int n = 0; n < 60; n++)
        {
            Model m = n % 4 == 3 ? MixedModels.CreateRecurrent(rng, 3 + n % 2) : MixedModels.Create(rng, n % 3);
            foreach (bool dump in new[] { false, true })
            {
                var engine = new InferenceEngine(m, dump);
                Assert.Equal(dump ? m.DumpArenaBytes : m.ArenaBytes, BufferBytes(engine));
                SteadyInference.AssertAllocatesNothing(engine, RandomModels.Readings(rng, m.FeatureCount));
            }
            checkedModels++;
        }
        // A 16-bit input of 3 x 2 values takes 12 bytes, its int8 twin 6.
        Model wide = ForceFirstWide(rng);
        Assert.Equal(2 * wide.InputLength, ArenaPlan.InputBytes(wide));
    }

    /// <summary>Bytes of every distinct int8 and int16 buffer the engine holds, plus layer state (as ArenaPlanTests counts).</summary>
    private static int BufferBytes(InferenceEngine engine)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        int total = 0;
        void Add(object? a)
        {
            if (a is sbyte[] b && seen.Add(b)) total += b.Length;
            if (a is short[] s && seen.Add(s)) total += 2 * s.Length;
        }
        var flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        foreach (string name in new[] { "_input", "_inputWide" }) Add(typeof(InferenceEngine).GetField(name, flags)!.GetValue(engine));
        foreach (string name in new[] { "_outputs", "_wideOutputs", "_narrowed", "_widened" })
            foreach (object? o in (Array?)typeof(InferenceEngine).GetField(name, flags)!.GetValue(engine) ?? Array.Empty<object>()) Add(o);
        foreach (Layer l in engine.Model.Layers) total += l.StateBytes;
        return total;
    }

    private static string Error(byte[] file)
    {
        byte[] signed = EdgeNet.Golden.RejectedCases.Resign(file);
        Assert.Null(ModelReader.Read(signed, signed.Length, int.MaxValue, out string error));
        return error;
    }

    private static short[] Int16s(Random rng, int n) => Enumerable.Range(0, n).Select(_ => rng.Next(5) switch
    {
        0 => (short)-32768,
        1 => (short)32767,
        _ => (short)rng.Next(-32768, 32768),
    }).ToArray();
}
