using EdgeNet.Native.Desktop;

namespace EdgeNet.Tests.Native;

/// <summary>
/// The 16x8 and 16x16 C kernels (firmware/native, through P/Invoke) against the managed 16-bit kernels of the
/// nanoFramework-compiled EdgeNet.Shared (artifacts/nf): thousands of random layers of every kind and both
/// accumulator widths, every mix of widths (int16 in and out, int8 in widened with its zero point, int8 out
/// clamped to its int8 range with a zero point), int32 and int64 extremes in the biases and folded constants
/// (sums that wrap in the managed int32 kernels and int64 constants beyond the reader's 2^47 bound, where both
/// sides wrap alike), and the long requantization over every shift. Identical int16 outputs, or the test fails
/// naming the case and the first differing element.
/// </summary>
public class NativeKernel16Tests
{
    private delegate void Dense16Kernel(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output);
    private delegate void Conv16Kernel(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, int[] foldedBias, int[]? tapSums,
        int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps);
    private delegate void Conv16LongKernel(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, long[] foldedBias, int[]? tapSums,
        int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps);
    private delegate void Pool16Kernel(short[] input, int channels, int pool, int stride, int min, int max, short[] output, int outSteps);
    private delegate void AvgPool16Kernel(short[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, short[] output, int outSteps);
    private delegate void Self16Kernel(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
        short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output);
    private delegate void Complete16Kernel(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
        short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output);
    private delegate short Requantize16Fn(int acc, int multiplier, int shift, int zeroPoint, int min, int max);
    private delegate short Requantize16LongFn(long acc, int multiplier, int shift, int zeroPoint, int min, int max);
    private delegate short RecurrentSum16Fn(long a, int am, int ash, long b, int bm, int bsh, int zeroPoint, int min, int max);

    private static T Managed<T>(string type, string method) where T : Delegate => DeviceBuild.Method<T>("EdgeNet.Shared", "EdgeNet.Kernels." + type, method);

    [Fact]
    public void Long_requantization_is_identical_at_the_int64_extremes_and_every_shift()
    {
        var multiply = Managed<Func<long, int, int, int>>("FixedPoint", "MultiplyByQuantizedMultiplierLong");
        var requantize = Managed<Requantize16Fn>("FixedPoint", "Requantize16");
        var requantizeLong = Managed<Requantize16LongFn>("FixedPoint", "Requantize16Long");
        var recurrent = Managed<RecurrentSum16Fn>("RecurrentSum", "Requantize16");
        const long Bound = 1L << 47;
        long[] values =
        {
            long.MinValue, long.MinValue + 1, -Bound - 1, -Bound, -Bound + 1, -(1L << 46) - 1, -(1L << 40), (long)int.MinValue - 1, int.MinValue,
            -65537, -65536, -65535, -3, -2, -1, 0, 1, 2, 3, 65535, 65536, 65537, int.MaxValue, (long)int.MaxValue + 1, 1L << 40,
            (1L << 46) + 1, Bound - 1, Bound, Bound + 1, long.MaxValue - 1, long.MaxValue,
        };
        int[] multipliers = { 0, 1, 2, 3, 1 << 29, (1 << 30) - 1, 1 << 30, 1431655765, int.MaxValue - 1, int.MaxValue };
        (int Z, int Min, int Max)[] stages = { (0, -32768, 32767), (0, 0, 32767), (-7, -128, 127), (127, -128, 127), (int.MinValue, -32768, 32767), (int.MaxValue, -100, 100),
            (0, int.MinValue, int.MaxValue), (5, -40000, 40000) }; // the last two outside the rule: the int16 saturation itself is compared
        int compared = 0;
        foreach (long v in values)
            foreach (int m in multipliers)
                for (int shift = 0; shift <= 62; shift++)
                {
                    NativeKernelTests.Same(multiply(v, m, shift), CKernels.MultiplyByQuantizedMultiplierLong(v, m, shift), $"MultiplyByQuantizedMultiplierLong({v}, {m}, {shift})");
                    foreach (var (z, min, max) in stages)
                    {
                        Same(requantizeLong(v, m, shift, z, min, max), CKernels.Requantize16Long(v, m, shift, z, min, max), $"Requantize16Long({v}, {m}, {shift}, {z}, [{min}, {max}])");
                        int acc = (int)v; // the int32 stage on the low bits: every int32 extreme appears among them
                        Same(requantize(acc, m, shift, z, min, max), CKernels.Requantize16(acc, m, shift, z, min, max), $"Requantize16({acc}, {m}, {shift}, {z}, [{min}, {max}])");
                        Same(recurrent(v, m, shift, -v, m, 62 - shift, z, min, max), CKernels.RecurrentSum16(v, m, shift, -v, m, 62 - shift, z, min, max),
                            $"RecurrentSum.Requantize16({v}, {m}, {shift}, {-v}, {m}, {62 - shift}, {z}, [{min}, {max}])");
                        compared += 3;
                    }
                    compared++;
                }
        var rng = new Random(1716);
        for (int n = 0; n < 200_000; n++)
        {
            long v = RandomKernelArgs.Int64(rng);
            int m = rng.Next(0, int.MaxValue), shift = rng.Next(0, 63);
            NativeKernelTests.Same(multiply(v, m, shift), CKernels.MultiplyByQuantizedMultiplierLong(v, m, shift), $"MultiplyByQuantizedMultiplierLong({v}, {m}, {shift})");
            compared++;
        }
        Assert.True(compared > 600_000, compared + " comparisons");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dense16_is_identical_on_random_layers_of_every_width_mix(bool longSum)
    {
        var managed = Managed<Dense16Kernel>("FullyConnected16Optimized", longSum ? "InvokeLong" : "Invoke");
        Dense16Kernel native = longSum ? CKernels.Dense16Long : CKernels.Dense16;
        var rng = new Random(longSum ? 1718 : 1719);
        int elements = 0;
        for (int n = 0; n < 3000; n++)
        {
            int length = rng.Next(0, 70), units = rng.Next(1, 20);
            // A wide input of full-scale int16, or an int8 tensor widened (the input zero point is folded into the bias).
            var (input, inWidth) = RandomKernelArgs.Int16Tensor(rng, length);
            var weights = RandomKernelArgs.Int8s(rng, units * length);
            var (bias, multiplier, shift) = RandomKernelArgs.Requant(rng, units);
            var (z, min, max, outWidth) = RandomKernelArgs.OutputStage16(rng);
            var expected = new short[units];
            var actual = new short[units];
            managed(input, length, weights, bias, multiplier, shift, units, z, min, max, expected);
            native(input, length, weights, bias, multiplier, shift, units, z, min, max, actual);
            Same(expected, actual, $"dense16{(longSum ? " long" : "")} case {n} ({units} units x {length} inputs, {inWidth} in, {outWidth} out, zp {z}, clamp [{min}, {max}])");
            elements += units;
        }
        Assert.True(elements > 20_000);
    }

    private delegate void Dense16x16Kernel(short[] input, int inputLength, short[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output);

    [Fact]
    public void Dense16x16_is_identical_on_random_layers_including_full_scale_sums_beyond_int32()
    {
        var managed = Managed<Dense16x16Kernel>("FullyConnected16x16Optimized", "Invoke");
        var rng = new Random(1616);
        int elements = 0, beyondInt32 = 0, inRange = 0;
        for (int n = 0; n < 4000; n++)
        {
            // One case in four a large fan-in (up to 3000 inputs: sums up to 3000 * 2^30), one in eight of those all -32768.
            bool large = rng.Next(4) == 0, allExtreme = large && rng.Next(2) == 0;
            int length = large ? rng.Next(500, 3000) : rng.Next(0, 70), units = rng.Next(1, large ? 6 : 20);
            short[] input;
            string inWidth;
            if (allExtreme) { input = RandomKernelArgs.Int16Weights(rng, length, true); inWidth = "all -32768"; }
            else (input, inWidth) = RandomKernelArgs.Int16Tensor(rng, length);
            var weights = RandomKernelArgs.Int16Weights(rng, units * length, allExtreme);
            var (bias, multiplier, shift) = RandomKernelArgs.Requant(rng, units);
            // Large sums need large shifts to land inside int16, where a wrong sum shows as a different output.
            if (large) for (int u = 0; u < units; u++) shift[u] = (byte)rng.Next(40, 63);
            var (z, min, max, outWidth) = RandomKernelArgs.OutputStage16(rng);
            var expected = new short[units];
            var actual = new short[units];
            managed(input, length, weights, bias, multiplier, shift, units, z, min, max, expected);
            CKernels.Dense16x16(input, length, weights, bias, multiplier, shift, units, z, min, max, actual);
            Same(expected, actual, $"dense16x16 case {n} ({units} units x {length} inputs, {inWidth} in, {outWidth} out, zp {z}, clamp [{min}, {max}])");
            for (int u = 0; u < units; u++)
            {
                long sum = bias[u];
                for (int i = 0; i < length; i++) sum += weights[u * length + i] * input[i];
                if (sum > int.MaxValue || sum < int.MinValue) beyondInt32++;
                if (expected[u] > min && expected[u] < max) inRange++;
            }
            elements += units;
        }
        // The suite must reach the cases it is for: sums beyond int32 and outputs that are not clamped.
        Assert.True(elements > 20_000, elements + " outputs");
        Assert.True(beyondInt32 > 1000, beyondInt32 + " sums beyond int32");
        Assert.True(inRange > 5000, inRange + " outputs inside the clamp");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Conv1d16_is_identical_on_random_layers_with_every_padding_stride_and_width_mix(bool longSum)
    {
        var managed32 = Managed<Conv16Kernel>("Conv1D16Optimized", "Invoke");
        var managed64 = Managed<Conv16LongKernel>("Conv1D16Optimized", "InvokeLong");
        var fold = Managed<Func<int[]?, sbyte[], int, int, int, int[]>>("ZeroPointFold", "Fold");
        var foldLong = Managed<Func<int[]?, sbyte[], int, int, int, long[]>>("ZeroPointFold", "FoldLong");
        var rowSums = Managed<Func<sbyte[], int, int, int[]>>("ZeroPointFold", "RowSums");
        var rng = new Random(longSum ? 1720 : 1721);
        int cases = 0, padded = 0, narrowIn = 0;
        for (int n = 0; n < 4000; n++)
        {
            if (RandomKernelArgs.Conv(rng) is not { } shape) continue;
            var (steps, channels, kernel, padding, stride, filters, outSteps) = shape;
            var (input, inWidth) = RandomKernelArgs.Int16Tensor(rng, steps * channels);
            // Conv1d folds the zero point at load: an int8 input brings its own, an int16 one has 0.
            int zIn = inWidth == "int8" ? RandomKernelArgs.Extreme(rng) : 0;
            var weights = RandomKernelArgs.Int8s(rng, filters * kernel * channels);
            var (bias, multiplier, shift) = RandomKernelArgs.Requant(rng, filters);
            var (z, min, max, outWidth) = RandomKernelArgs.OutputStage16(rng);
            int[]? taps = padding > 0 ? rowSums(weights, filters * kernel, channels) : null;
            var expected = new short[outSteps * filters];
            var actual = new short[outSteps * filters];
            string what = $"conv1d16{(longSum ? " long" : "")} case {n} ({steps}x{channels}, {filters} filters of {kernel}, stride {stride}, padding {padding}, {inWidth} in zIn {zIn}, {outWidth} out)";
            if (longSum)
            {
                long[] folded = foldLong(bias, weights, filters, kernel * channels, zIn);
                if (rng.Next(8) == 0) folded[rng.Next(filters)] = RandomKernelArgs.Int64(rng); // beyond the bound: both sides wrap alike
                managed64(input, steps, channels, zIn, weights, folded, taps, multiplier, shift, filters, kernel, stride, padding, z, min, max, expected, outSteps);
                CKernels.Conv1D16Long(input, steps, channels, zIn, weights, folded, taps, multiplier, shift, filters, kernel, stride, padding, z, min, max, actual, outSteps);
            }
            else
            {
                int[] folded = fold(bias, weights, filters, kernel * channels, zIn);
                managed32(input, steps, channels, zIn, weights, folded, taps, multiplier, shift, filters, kernel, stride, padding, z, min, max, expected, outSteps);
                CKernels.Conv1D16(input, steps, channels, zIn, weights, folded, taps, multiplier, shift, filters, kernel, stride, padding, z, min, max, actual, outSteps);
            }
            Same(expected, actual, what);
            cases++;
            if (padding > 0) padded++;
            if (inWidth == "int8") narrowIn++;
        }
        Assert.True(cases > 2500 && padded > 1000 && narrowIn > 1000, $"{cases} cases, {padded} padded, {narrowIn} with an int8 input");
    }

    [Fact]
    public void Max_and_average_pooling_of_int16_tensors_are_identical_on_random_layers()
    {
        var max = Managed<Pool16Kernel>("MaxPool1D16", "Invoke");
        var avg = Managed<AvgPool16Kernel>("AvgPool1D16", "Invoke");
        var rng = new Random(1722);
        for (int n = 0; n < 4000; n++)
        {
            var (steps, channels, pool, stride, outSteps) = RandomKernelArgs.Pool(rng);
            var (input, _) = RandomKernelArgs.Int16Tensor(rng, steps * channels);
            // A pool keeps its input's quantization: an int16 tensor has zero point 0 and its clamp within int16.
            int lo = rng.Next(3) == 0 ? rng.Next(-32768, 32768) : -32768;
            int hi = rng.Next(3) == 0 ? rng.Next(lo, 32768) : 32767;
            var expected = new short[outSteps * channels];
            var actual = new short[outSteps * channels];
            max(input, channels, pool, stride, lo, hi, expected, outSteps);
            CKernels.MaxPool1D16(input, channels, pool, stride, lo, hi, actual, outSteps);
            Same(expected, actual, $"max pool 16 case {n} ({steps}x{channels}, pool {pool}, stride {stride}, clamp [{lo}, {hi}])");
            avg(input, channels, pool, stride, 0, lo, hi, expected, outSteps);
            CKernels.AvgPool1D16(input, channels, pool, stride, 0, lo, hi, actual, outSteps);
            Same(expected, actual, $"average pool 16 case {n} ({steps}x{channels}, pool {pool}, stride {stride}, clamp [{lo}, {hi}])");
        }
        // Pools of up to 255 full-scale values: the largest sums the rule allows.
        for (int pool = 1; pool <= 255; pool += 2)
        {
            var input = new short[pool * 2];
            for (int i = 0; i < input.Length; i++) input[i] = (short)(i % 2 == 0 ? -32768 : 32767);
            var expected = new short[2];
            var actual = new short[2];
            avg(input, 2, pool, 1, 0, -32768, 32767, expected, 1);
            CKernels.AvgPool1D16(input, 2, pool, 1, 0, -32768, 32767, actual, 1);
            Same(expected, actual, $"average pool 16 of {pool} full-scale steps");
        }
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("lateral")]
    [InlineData("complete")]
    public void Every_recurrent16_kind_is_identical_on_random_layers_of_every_width_mix(string kind)
    {
        var foldLong = Managed<Func<int[]?, sbyte[], int, int, int, long[]>>("ZeroPointFold", "FoldLong");
        var self = kind == "complete" ? null : Managed<Self16Kernel>("Recurrent16Optimized", kind == "direct" ? "Direct" : "Lateral");
        Self16Kernel? nativeSelf = kind switch { "direct" => new Self16Kernel(CKernels.Recurrent16Direct), "lateral" => new Self16Kernel(CKernels.Recurrent16Lateral), _ => null };
        var complete = Managed<Complete16Kernel>("Recurrent16Optimized", "Complete");
        var rng = new Random(1723 + kind.Length);
        for (int n = 0; n < 3000; n++)
        {
            var (inputs, units, stateLength, row) = RandomKernelArgs.Recurrent(rng, kind);
            var (input, inWidth) = RandomKernelArgs.Int16Tensor(rng, inputs);
            int zIn = inWidth == "int8" ? RandomKernelArgs.Extreme(rng) : 0;
            var (state, stateWidth) = RandomKernelArgs.Int16Tensor(rng, stateLength);
            int zState = stateWidth == "int8" ? RandomKernelArgs.Extreme(rng) : 0;
            var weights = RandomKernelArgs.Int8s(rng, units * inputs);
            var feedback = RandomKernelArgs.Int8s(rng, units * row);
            var (bias, inMult, inShift) = RandomKernelArgs.Requant(rng, units);
            var (_, fbMult, fbShift) = RandomKernelArgs.Requant(rng, units);
            var (z, min, max, outWidth) = RandomKernelArgs.OutputStage16(rng);
            long[] inputBias = foldLong(bias, weights, units, inputs, zIn);
            long[] feedbackBias = foldLong(null, feedback, units, row, zState);
            if (rng.Next(8) == 0) inputBias[rng.Next(units)] = RandomKernelArgs.Int64(rng);
            if (rng.Next(8) == 0) feedbackBias[rng.Next(units)] = RandomKernelArgs.Int64(rng);
            var expected = new short[units];
            var actual = new short[units];
            if (nativeSelf is null)
            {
                complete(input, inputs, weights, inputBias, inMult, inShift, state, stateLength, feedback, feedbackBias, fbMult, fbShift, units, z, min, max, expected);
                CKernels.Recurrent16Complete(input, inputs, weights, inputBias, inMult, inShift, state, stateLength, feedback, feedbackBias, fbMult, fbShift, units, z, min, max, actual);
            }
            else
            {
                self!(input, inputs, weights, inputBias, inMult, inShift, state, feedback, feedbackBias, fbMult, fbShift, units, z, min, max, expected);
                nativeSelf(input, inputs, weights, inputBias, inMult, inShift, state, feedback, feedbackBias, fbMult, fbShift, units, z, min, max, actual);
            }
            Same(expected, actual, $"recurrent16 {kind} case {n} ({units} units, {inputs} inputs, state {stateLength}, {inWidth} in zIn {zIn}, {stateWidth} state zState {zState}, {outWidth} out)");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /// <summary>Fails naming the first differing element.</summary>
    internal static void Same(short[] expected, short[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {expected.Length} managed outputs, {actual.Length} native");
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i]) Assert.Fail($"{what}: first difference at element {i}: managed {expected[i]}, native {actual[i]}");
        }
    }

    private static void Same(short expected, short actual, string what)
    {
        if (expected != actual) Assert.Fail($"{what}: managed {expected}, native {actual}");
    }
}
