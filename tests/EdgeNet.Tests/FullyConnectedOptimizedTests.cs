using EdgeNet.Kernels;

namespace EdgeNet.Tests;

/// <summary>
/// The interpreter-tuned fully connected kernel against the reference kernel: identical int8 outputs on
/// random shapes (every remainder of the 4x unrolling), offsets, extreme values and accumulators that
/// wrap, in the desktop build and in the nanoFramework build.
/// </summary>
public class FullyConnectedOptimizedTests
{
    private delegate void Kernel(
        sbyte[] input, int inputOffset, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, sbyte[] output, int outputOffset);

    private static readonly Kernel DeviceReference =
        DeviceBuild.Method<Kernel>("EdgeNet.Bench.Device", "EdgeNet.Kernels.FullyConnected", "Reference");

    private static readonly Kernel DeviceOptimized =
        DeviceBuild.Method<Kernel>("EdgeNet.Shared", "EdgeNet.Kernels.FullyConnectedOptimized", "Invoke");

    [Fact]
    public void Optimized_kernel_matches_the_reference_exactly_in_both_builds()
    {
        var rng = new Random(4242);
        int compared = 0, saturated = 0;
        for (int n = 0; n < 3000; n++)
        {
            int inputs = rng.Next(4) == 0 ? rng.Next(0, 9) : rng.Next(1, 80);
            int units = rng.Next(1, 24);
            int inOffset = rng.Next(3) == 0 ? rng.Next(1, 5) : 0;
            int outOffset = rng.Next(3) == 0 ? rng.Next(1, 5) : 0;
            var input = Int8s(rng, inOffset + inputs + rng.Next(0, 3));
            var weights = Int8s(rng, units * inputs);
            var bias = new int[units];
            var multiplier = new int[units];
            var shift = new byte[units];
            for (int o = 0; o < units; o++)
            {
                // Mostly realistic biases, sometimes extreme ones so the int32 sum wraps.
                bias[o] = rng.Next(5) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-100_000, 100_000);
                multiplier[o] = rng.Next(4) == 0 ? int.MaxValue : rng.Next(1 << 30, int.MaxValue);
                shift[o] = (byte)rng.Next(0, 63);
            }
            int zeroPoint = rng.Next(-128, 128);
            int min = rng.Next(2) == 0 ? -128 : rng.Next(-128, 128);
            int max = rng.Next(2) == 0 ? 127 : rng.Next(min, 128);

            var expected = Run(FullyConnected.Reference, input, inOffset, inputs, weights, bias, multiplier, shift, units, zeroPoint, min, max, outOffset);
            Assert.Equal(expected, Run(FullyConnectedOptimized.Invoke, input, inOffset, inputs, weights, bias, multiplier, shift, units, zeroPoint, min, max, outOffset));
            Assert.Equal(expected, Run(DeviceOptimized, input, inOffset, inputs, weights, bias, multiplier, shift, units, zeroPoint, min, max, outOffset));
            Assert.Equal(expected, Run(DeviceReference, input, inOffset, inputs, weights, bias, multiplier, shift, units, zeroPoint, min, max, outOffset));
            compared += units;
            foreach (sbyte v in expected) if (v == min || v == max) saturated++;
        }
        Assert.True(compared > 20_000, $"compared only {compared} outputs");
        // Both ends of the clamp were reached and so were values in between.
        Assert.InRange(saturated, 1, compared - 1000);
    }

    private static sbyte[] Run(Kernel k, sbyte[] input, int inOffset, int inputs, sbyte[] weights, int[] bias, int[] multiplier,
        byte[] shift, int units, int zeroPoint, int min, int max, int outOffset)
    {
        // Untouched output cells keep a marker, so writing outside [outOffset, outOffset + units) shows too.
        var output = new sbyte[outOffset + units + 2];
        Array.Fill(output, (sbyte)0x5A);
        k(input, inOffset, inputs, weights, bias, multiplier, shift, units, zeroPoint, min, max, output, outOffset);
        return output;
    }

    private static sbyte[] Int8s(Random rng, int n)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = rng.Next(6) switch { 0 => -128, 1 => 127, _ => (sbyte)rng.Next(-128, 128) };
        return a;
    }
}
