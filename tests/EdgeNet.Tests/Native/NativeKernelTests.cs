using EdgeNet.Kernels;
using EdgeNet.Native.Desktop;

namespace EdgeNet.Tests.Native;

/// <summary>
/// The C kernels (firmware/native, through P/Invoke) against the managed kernels from the nanoFramework-compiled
/// EdgeNet.Shared (artifacts/nf, the IL that goes to the device): thousands of random layers of every kind, with
/// extreme zero points, biases that make the int32 sums wrap, every remainder and every padding; the int32
/// extremes of the requantization over every shift. Identical int8 outputs, or the test fails naming the case
/// and the first differing element.
/// </summary>
public class NativeKernelTests
{
    private delegate void DenseKernel(sbyte[] input, int inputOffset, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, sbyte[] output, int outputOffset);
    private delegate void ConvKernel(sbyte[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, int[] foldedBias, int[]? tapSums,
        int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, sbyte[] output, int outSteps);
    private delegate void MaxPoolKernel(sbyte[] input, int channels, int pool, int stride, int min, int max, sbyte[] output, int outSteps);
    private delegate void AvgPoolKernel(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, sbyte[] output, int outSteps);
    private delegate void SelfKernel(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output);
    private delegate void CompleteKernel(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output);
    private delegate sbyte Requantize6(int acc, int multiplier, int shift, int zeroPoint, int min, int max);
    private delegate sbyte RecurrentSum9(int a, int am, int ash, int b, int bm, int bsh, int zeroPoint, int min, int max);

    private static T Managed<T>(string type, string method) where T : Delegate => DeviceBuild.Method<T>("EdgeNet.Shared", "EdgeNet.Kernels." + type, method);

    [Fact]
    public void The_library_is_the_version_this_suite_was_written_to()
    {
        Assert.True(File.Exists(CKernels.LibraryPath), CKernels.LibraryPath + " missing");
        Assert.Equal(CKernels.ApiVersion, CKernels.LibraryVersion());
        Assert.Equal(3, CKernels.ApiVersion);
    }

    [Fact]
    public void Requantization_is_identical_at_the_int32_extremes_and_every_shift()
    {
        var multiply = Managed<Func<int, int, int, int>>("FixedPoint", "MultiplyByQuantizedMultiplier");
        var requantize = Managed<Requantize6>("FixedPoint", "Requantize");
        var recurrent = Managed<RecurrentSum9>("RecurrentSum", "Requantize");
        int[] accs = { int.MinValue, int.MinValue + 1, -(1 << 30), -65537, -3, -2, -1, 0, 1, 2, 3, 65537, 1 << 30, int.MaxValue - 1, int.MaxValue };
        int[] multipliers = { 0, 1, 2, 3, 1 << 29, (1 << 30) - 1, 1 << 30, 1431655765, int.MaxValue - 1, int.MaxValue };
        int[] zeroPoints = { -128, -1, 0, 127, int.MinValue, int.MaxValue };
        int compared = 0;
        foreach (int acc in accs)
            foreach (int m in multipliers)
                for (int shift = 0; shift <= FixedPoint.MaxShift; shift++)
                {
                    Same(multiply(acc, m, shift), CKernels.MultiplyByQuantizedMultiplier(acc, m, shift), $"MultiplyByQuantizedMultiplier({acc}, {m}, {shift})");
                    foreach (int z in zeroPoints)
                    {
                        Same(requantize(acc, m, shift, z, -128, 127), CKernels.Requantize(acc, m, shift, z, -128, 127), $"Requantize({acc}, {m}, {shift}, {z}, -128, 127)");
                        Same(requantize(acc, m, shift, z, z & 127, 127), CKernels.Requantize(acc, m, shift, z, z & 127, 127), $"Requantize({acc}, {m}, {shift}, {z}, relu)");
                        Same(recurrent(acc, m, shift, -acc, m, 62 - shift, z, -128, 127), CKernels.RecurrentSum(acc, m, shift, -acc, m, 62 - shift, z, -128, 127),
                            $"RecurrentSum({acc}, {m}, {shift}, {-acc}, {m}, {62 - shift}, {z})");
                        compared += 3;
                    }
                    compared++;
                }
        var rng = new Random(1701);
        for (int n = 0; n < 100_000; n++)
        {
            int acc = RandomKernelArgs.Int32(rng), m = rng.Next(0, int.MaxValue), shift = rng.Next(0, 63), z = rng.Next(-128, 128);
            int min = rng.Next(-128, 128), max = rng.Next(min, 128);
            Same(requantize(acc, m, shift, z, min, max), CKernels.Requantize(acc, m, shift, z, min, max), $"Requantize({acc}, {m}, {shift}, {z}, {min}, {max})");
            compared++;
        }
        Assert.True(compared > 150_000);
    }

    [Fact]
    public void Dense_is_identical_on_random_layers()
    {
        var managed = Managed<DenseKernel>("FullyConnectedOptimized", "Invoke");
        var rng = new Random(1702);
        int elements = 0;
        for (int n = 0; n < 3000; n++)
        {
            int length = rng.Next(0, 70), units = rng.Next(1, 20);
            int inOffset = rng.Next(3) == 0 ? rng.Next(0, 5) : 0, outOffset = rng.Next(3) == 0 ? rng.Next(0, 5) : 0;
            var input = RandomKernelArgs.Int8s(rng, inOffset + length);
            var weights = RandomKernelArgs.Int8s(rng, units * length);
            var (bias, multiplier, shift) = RandomKernelArgs.Requant(rng, units);
            int z = RandomKernelArgs.Extreme(rng), min = RandomKernelArgs.ClampMin(rng), max = RandomKernelArgs.ClampMax(rng, min);
            var expected = new sbyte[outOffset + units];
            var actual = new sbyte[outOffset + units];
            managed(input, inOffset, length, weights, bias, multiplier, shift, units, z, min, max, expected, outOffset);
            CKernels.Dense(input, inOffset, length, weights, bias, multiplier, shift, units, z, min, max, actual, outOffset);
            Same(expected, actual, $"dense case {n} ({units} units x {length} inputs, offsets {inOffset}/{outOffset}, zp {z}, clamp [{min}, {max}])");
            elements += units;
        }
        Assert.True(elements > 20_000);
    }

    [Fact]
    public void Conv1d_is_identical_on_random_layers_with_every_padding_and_stride()
    {
        var managed = Managed<ConvKernel>("Conv1DOptimized", "Invoke");
        var fold = Managed<Func<int[]?, sbyte[], int, int, int, int[]>>("ZeroPointFold", "Fold");
        var rowSums = Managed<Func<sbyte[], int, int, int[]>>("ZeroPointFold", "RowSums");
        var rng = new Random(1703);
        int cases = 0, padded = 0;
        for (int n = 0; n < 4000; n++)
        {
            if (RandomKernelArgs.Conv(rng) is not { } shape) continue;
            var (steps, channels, kernel, padding, stride, filters, outSteps) = shape;
            var input = RandomKernelArgs.Int8s(rng, steps * channels);
            var weights = RandomKernelArgs.Int8s(rng, filters * kernel * channels);
            var (bias, multiplier, shift) = RandomKernelArgs.Requant(rng, filters);
            int zIn = RandomKernelArgs.Extreme(rng), z = rng.Next(-128, 128), min = RandomKernelArgs.ClampMin(rng), max = RandomKernelArgs.ClampMax(rng, min);
            int[] folded = fold(bias, weights, filters, kernel * channels, zIn);
            int[]? taps = padding > 0 ? rowSums(weights, filters * kernel, channels) : null;
            var expected = new sbyte[outSteps * filters];
            var actual = new sbyte[outSteps * filters];
            managed(input, steps, channels, zIn, weights, folded, taps, multiplier, shift, filters, kernel, stride, padding, z, min, max, expected, outSteps);
            CKernels.Conv1D(input, steps, channels, zIn, weights, folded, taps, multiplier, shift, filters, kernel, stride, padding, z, min, max, actual, outSteps);
            Same(expected, actual, $"conv1d case {n} ({steps}x{channels}, {filters} filters of {kernel}, stride {stride}, padding {padding}, zIn {zIn})");
            cases++;
            if (padding > 0) padded++;
        }
        Assert.True(cases > 2500 && padded > 1000, $"{cases} cases, {padded} padded");
    }

    [Fact]
    public void Max_and_average_pooling_are_identical_on_random_layers()
    {
        var max = Managed<MaxPoolKernel>("MaxPool1D", "Invoke");
        var avg = Managed<AvgPoolKernel>("AvgPool1D", "Invoke");
        var divide = Managed<Func<int, int, int>>("AvgPool1D", "RoundedDivide");
        var rng = new Random(1704);
        for (int n = 0; n < 4000; n++)
        {
            var (steps, channels, pool, stride, outSteps) = RandomKernelArgs.Pool(rng);
            var input = RandomKernelArgs.Int8s(rng, steps * channels);
            int zIn = RandomKernelArgs.Extreme(rng), lo = RandomKernelArgs.ClampMin(rng), hi = RandomKernelArgs.ClampMax(rng, lo);
            var expected = new sbyte[outSteps * channels];
            var actual = new sbyte[outSteps * channels];
            max(input, channels, pool, stride, lo, hi, expected, outSteps);
            CKernels.MaxPool1D(input, channels, pool, stride, lo, hi, actual, outSteps);
            Same(expected, actual, $"max pool case {n} ({steps}x{channels}, pool {pool}, stride {stride}, clamp [{lo}, {hi}])");
            avg(input, channels, pool, stride, zIn, lo, hi, expected, outSteps);
            CKernels.AvgPool1D(input, channels, pool, stride, zIn, lo, hi, actual, outSteps);
            Same(expected, actual, $"average pool case {n} ({steps}x{channels}, pool {pool}, stride {stride}, zIn {zIn}, clamp [{lo}, {hi}])");
        }
        for (int count = 1; count <= 255; count++)
            for (int sum = -255 * count; sum <= 255 * count; sum += 1 + count / 3)
                Same(divide(sum, count), CKernels.RoundedDivide(sum, count), $"RoundedDivide({sum}, {count})");
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("lateral")]
    [InlineData("complete")]
    public void Every_recurrent_kind_is_identical_on_random_layers(string kind)
    {
        var fold = Managed<Func<int[]?, sbyte[], int, int, int, int[]>>("ZeroPointFold", "Fold");
        var self = kind == "complete" ? null : Managed<SelfKernel>("RecurrentOptimized", kind == "direct" ? "Direct" : "Lateral");
        SelfKernel? nativeSelf = kind switch { "direct" => new SelfKernel(CKernels.RecurrentDirect), "lateral" => new SelfKernel(CKernels.RecurrentLateral), _ => null };
        var complete = Managed<CompleteKernel>("RecurrentOptimized", "Complete");
        var rng = new Random(1705 + kind.Length);
        for (int n = 0; n < 3000; n++)
        {
            var (inputs, units, stateLength, row) = RandomKernelArgs.Recurrent(rng, kind);
            var input = RandomKernelArgs.Int8s(rng, inputs);
            var state = RandomKernelArgs.Int8s(rng, stateLength);
            var weights = RandomKernelArgs.Int8s(rng, units * inputs);
            var feedback = RandomKernelArgs.Int8s(rng, units * row);
            var (bias, inMult, inShift) = RandomKernelArgs.Requant(rng, units);
            var (_, fbMult, fbShift) = RandomKernelArgs.Requant(rng, units);
            int zIn = RandomKernelArgs.Extreme(rng), zState = RandomKernelArgs.Extreme(rng), z = rng.Next(-128, 128), min = RandomKernelArgs.ClampMin(rng), max = RandomKernelArgs.ClampMax(rng, min);
            int[] inputBias = fold(bias, weights, units, inputs, zIn);
            int[] feedbackBias = fold(null, feedback, units, row, zState);
            var expected = new sbyte[units];
            var actual = new sbyte[units];
            if (nativeSelf is null)
            {
                complete(input, inputs, weights, inputBias, inMult, inShift, state, stateLength, feedback, feedbackBias, fbMult, fbShift, units, z, min, max, expected);
                CKernels.RecurrentComplete(input, inputs, weights, inputBias, inMult, inShift, state, stateLength, feedback, feedbackBias, fbMult, fbShift, units, z, min, max, actual);
            }
            else
            {
                self!(input, inputs, weights, inputBias, inMult, inShift, state, feedback, feedbackBias, fbMult, fbShift, units, z, min, max, expected);
                nativeSelf(input, inputs, weights, inputBias, inMult, inShift, state, feedback, feedbackBias, fbMult, fbShift, units, z, min, max, actual);
            }
            Same(expected, actual, $"recurrent {kind} case {n} ({units} units, {inputs} inputs, state {stateLength}, zIn {zIn}, zState {zState})");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /// <summary>Fails naming the first differing element.</summary>
    internal static void Same(sbyte[] expected, sbyte[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {expected.Length} managed outputs, {actual.Length} native");
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i]) Assert.Fail($"{what}: first difference at element {i}: managed {expected[i]}, native {actual[i]}");
        }
    }

    internal static void Same(int expected, int actual, string what)
    {
        if (expected != actual) Assert.Fail($"{what}: managed {expected}, native {actual}");
    }
}
