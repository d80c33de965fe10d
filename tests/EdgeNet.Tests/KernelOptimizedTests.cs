using EdgeNet.Kernels;

namespace EdgeNet.Tests;

/// <summary>
/// The device's conv1d and recurrent kernels (zero points folded at load, inner loops unrolled) against the
/// reference kernels that subtract the zero point on every MAC: identical int8 outputs on random layers —
/// every padding and stride, every remainder of the unrolling, extreme zero points and biases that make
/// the int32 sum wrap — in the desktop build and in the nanoFramework build (the optimized kernels from
/// artifacts/nf/EdgeNet.Shared, the references from artifacts/nf/EdgeNet.Bench.Device, which compiles them).
/// </summary>
public class KernelOptimizedTests
{
    private delegate void ConvReference(sbyte[] input, int steps, int channels, int inputZeroPoint,
        sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding,
        int zeroPoint, int min, int max, sbyte[] output, int outSteps);

    private delegate void ConvOptimized(sbyte[] input, int steps, int channels, int inputZeroPoint,
        sbyte[] weights, int[] foldedBias, int[]? tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding,
        int zeroPoint, int min, int max, sbyte[] output, int outSteps);

    private delegate void SelfReference(sbyte[] input, int inputLength, int inputZeroPoint,
        sbyte[] weights, int[] bias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, int stateZeroPoint, sbyte[] feedback, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, sbyte[] output);

    private delegate void CompleteReference(sbyte[] input, int inputLength, int inputZeroPoint,
        sbyte[] weights, int[] bias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, int stateLength, int stateZeroPoint, sbyte[] feedback, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, sbyte[] output);

    private delegate void SelfOptimized(sbyte[] input, int inputLength,
        sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, sbyte[] output);

    private delegate void CompleteOptimized(sbyte[] input, int inputLength,
        sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, sbyte[] output);

    private static T Device<T>(string type, string method) where T : Delegate => DeviceBuild.Method<T>("EdgeNet.Shared", type, method);
    private static T DeviceRef<T>(string type, string method) where T : Delegate => DeviceBuild.Method<T>("EdgeNet.Bench.Device", type, method);

    [Fact]
    public void Conv1d_with_the_zero_point_folded_matches_the_reference_exactly_in_both_builds()
    {
        var deviceOptimized = Device<ConvOptimized>("EdgeNet.Kernels.Conv1DOptimized", "Invoke");
        var deviceReference = DeviceRef<ConvReference>("EdgeNet.Kernels.Conv1DReference", "Invoke");
        var deviceFold = Device<Func<int[], sbyte[], int, int, int, int[]>>("EdgeNet.Kernels.ZeroPointFold", "Fold");
        var deviceTaps = Device<Func<sbyte[], int, int, int[]>>("EdgeNet.Kernels.ZeroPointFold", "RowSums");
        var rng = new Random(1406);
        int compared = 0, padded = 0;
        for (int n = 0; n < 2000; n++)
        {
            int steps = rng.Next(1, 14), channels = rng.Next(1, 7), kernel = rng.Next(1, 6);
            int padding = rng.Next(0, kernel), stride = rng.Next(1, 4), filters = rng.Next(1, 7);
            int outSteps = Conv1D.OutputSteps(steps, kernel, stride, padding);
            if (outSteps < 1) continue;
            var input = Int8s(rng, steps * channels);
            var weights = Int8s(rng, filters * kernel * channels);
            var (bias, multiplier, shift) = Requant(rng, filters);
            int zIn = Extreme(rng), zOut = rng.Next(-128, 128);
            int min = rng.Next(2) == 0 ? -128 : rng.Next(-128, 128), max = rng.Next(2) == 0 ? 127 : rng.Next(min, 128);

            var expected = Output(outSteps * filters, y => Conv1DReference.Invoke(input, steps, channels, zIn, weights, bias, multiplier, shift,
                filters, kernel, stride, padding, zOut, min, max, y, outSteps));
            int[] folded = ZeroPointFold.Fold(bias, weights, filters, kernel * channels, zIn);
            int[] taps = ZeroPointFold.RowSums(weights, filters * kernel, channels);
            Assert.Equal(folded, deviceFold(bias, weights, filters, kernel * channels, zIn));
            Assert.Equal(taps, deviceTaps(weights, filters * kernel, channels));
            Assert.Equal(expected, Output(outSteps * filters, y => Conv1DOptimized.Invoke(input, steps, channels, zIn, weights, folded, padding > 0 ? taps : null,
                multiplier, shift, filters, kernel, stride, padding, zOut, min, max, y, outSteps)));
            Assert.Equal(expected, Output(outSteps * filters, y => deviceOptimized(input, steps, channels, zIn, weights, folded, padding > 0 ? taps : null,
                multiplier, shift, filters, kernel, stride, padding, zOut, min, max, y, outSteps)));
            Assert.Equal(expected, Output(outSteps * filters, y => deviceReference(input, steps, channels, zIn, weights, bias, multiplier, shift,
                filters, kernel, stride, padding, zOut, min, max, y, outSteps)));
            compared += expected.Length;
            if (padding > 0) padded++;
        }
        Assert.True(compared > 20_000 && padded > 500, $"compared {compared} outputs, {padded} padded layers");
    }

    [Theory]
    [InlineData("Direct")]
    [InlineData("Lateral")]
    [InlineData("Complete")]
    public void Recurrent_step_with_both_zero_points_folded_matches_the_reference_exactly_in_both_builds(string kind)
    {
        var rng = new Random(kind.Length * 977);
        int compared = 0;
        for (int n = 0; n < 1500; n++)
        {
            int inputs = rng.Next(1, 40), units = rng.Next(1, 20);
            int stateLength = kind == "Complete" && rng.Next(2) == 0 ? rng.Next(1, 12) : units; // indirect blocks use another length
            int row = kind switch { "Direct" => 1, "Lateral" => units - 1, _ => stateLength };
            var input = Int8s(rng, inputs);
            var state = Int8s(rng, stateLength);
            var weights = Int8s(rng, units * inputs);
            var feedback = Int8s(rng, units * row);
            var (bias, inMul, inShift) = Requant(rng, units);
            var (_, fbMul, fbShift) = Requant(rng, units);
            int zIn = Extreme(rng), zState = Extreme(rng), zOut = rng.Next(-128, 128);
            int min = rng.Next(2) == 0 ? -128 : rng.Next(-128, 128), max = rng.Next(2) == 0 ? 127 : rng.Next(min, 128);
            int[] inputBias = ZeroPointFold.Fold(bias, weights, units, inputs, zIn);
            int[] feedbackBias = ZeroPointFold.Fold(null, feedback, units, row, zState);

            sbyte[] expected;
            var results = new List<sbyte[]>();
            if (kind == "Complete")
            {
                var reference = DeviceRef<CompleteReference>("EdgeNet.Kernels.RecurrentComplete", "Reference");
                var optimized = Device<CompleteOptimized>("EdgeNet.Kernels.RecurrentOptimized", "Complete");
                expected = Output(units, y => RecurrentComplete.Reference(input, inputs, zIn, weights, bias, inMul, inShift, state, stateLength, zState, feedback, fbMul, fbShift, units, zOut, min, max, y));
                results.Add(Output(units, y => reference(input, inputs, zIn, weights, bias, inMul, inShift, state, stateLength, zState, feedback, fbMul, fbShift, units, zOut, min, max, y)));
                results.Add(Output(units, y => RecurrentOptimized.Complete(input, inputs, weights, inputBias, inMul, inShift, state, stateLength, feedback, feedbackBias, fbMul, fbShift, units, zOut, min, max, y)));
                results.Add(Output(units, y => optimized(input, inputs, weights, inputBias, inMul, inShift, state, stateLength, feedback, feedbackBias, fbMul, fbShift, units, zOut, min, max, y)));
            }
            else
            {
                SelfReference desktopReference = kind == "Direct" ? RecurrentDirect.Reference : RecurrentLateral.Reference;
                SelfOptimized desktopOptimized = kind == "Direct" ? RecurrentOptimized.Direct : RecurrentOptimized.Lateral;
                var reference = DeviceRef<SelfReference>("EdgeNet.Kernels.Recurrent" + kind, "Reference");
                var optimized = Device<SelfOptimized>("EdgeNet.Kernels.RecurrentOptimized", kind);
                expected = Output(units, y => desktopReference(input, inputs, zIn, weights, bias, inMul, inShift, state, zState, feedback, fbMul, fbShift, units, zOut, min, max, y));
                results.Add(Output(units, y => reference(input, inputs, zIn, weights, bias, inMul, inShift, state, zState, feedback, fbMul, fbShift, units, zOut, min, max, y)));
                results.Add(Output(units, y => desktopOptimized(input, inputs, weights, inputBias, inMul, inShift, state, feedback, feedbackBias, fbMul, fbShift, units, zOut, min, max, y)));
                results.Add(Output(units, y => optimized(input, inputs, weights, inputBias, inMul, inShift, state, feedback, feedbackBias, fbMul, fbShift, units, zOut, min, max, y)));
            }
            foreach (var r in results) Assert.Equal(expected, r);
            compared += units;
        }
        Assert.True(compared > 10_000, $"compared only {compared} outputs");
    }

    /// <summary>Runs a kernel into a buffer with marker cells after it, so writing past the end shows too.</summary>
    private static sbyte[] Output(int length, Action<sbyte[]> kernel)
    {
        var y = new sbyte[length + 2];
        Array.Fill(y, (sbyte)0x5A);
        kernel(y);
        return y;
    }

    private static (int[] Bias, int[] Multiplier, byte[] Shift) Requant(Random rng, int n)
    {
        var bias = new int[n];
        var multiplier = new int[n];
        var shift = new byte[n];
        for (int o = 0; o < n; o++)
        {
            // Mostly realistic biases, sometimes extreme ones so the int32 sum wraps.
            bias[o] = rng.Next(5) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-100_000, 100_000);
            multiplier[o] = rng.Next(4) == 0 ? int.MaxValue : rng.Next(1 << 30, int.MaxValue);
            shift[o] = (byte)rng.Next(20, 40);
        }
        return (bias, multiplier, shift);
    }

    private static int Extreme(Random rng) => rng.Next(4) switch { 0 => -128, 1 => 127, 2 => 0, _ => rng.Next(-128, 128) };

    private static sbyte[] Int8s(Random rng, int n)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = rng.Next(6) switch { 0 => -128, 1 => 127, _ => (sbyte)rng.Next(-128, 128) };
        return a;
    }
}

/// <summary>The folded constants are sized at load and counted: PreparedBytes is what Prepare allocates.</summary>
public class PreparedBytesTests
{
    [Theory]
    [InlineData("cnn")]
    [InlineData("direct")]
    [InlineData("lateral")]
    [InlineData("complete")]
    [InlineData("indirect")]
    public void Prepared_bytes_are_the_int32_arrays_the_layers_hold_after_load(string family)
    {
        var rng = new Random(family.Length * 13);
        for (int n = 0; n < 30; n++)
        {
            var m = EdgeNet.Quantization.RandomLayers.Model(rng, family);
            byte[] file = EdgeNet.Format.ModelWriter.Write(m);
            var read = EdgeNet.Format.ModelReader.Read(file, file.Length, int.MaxValue, out _)!;
            int held = 0;
            foreach (var layer in read.Layers) held += Folded(layer);
            Assert.Equal(read.PreparedBytes, held);
            if (family != "cnn") Assert.True(held > 0);
        }
    }

    private static int Folded(object layer)
    {
        int bytes = 0;
        var flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        foreach (var f in layer.GetType().GetFields(flags))
        {
            if (f.FieldType == typeof(int[]) && f.GetValue(layer) is int[] a) bytes += 4 * a.Length;
        }
        // An indirect block's folded constants are its hidden layer's.
        foreach (var f in layer.GetType().GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (f.FieldType == typeof(EdgeNet.Layers.RecurrentLayer) && f.GetValue(layer) is object inner) bytes += Folded(inner);
        }
        return bytes;
    }
}
