using EdgeNet.Kernels;
using EdgeNet.Quantization;

namespace EdgeNet.Tests;

public class FixedPointTests
{
    [Theory]
    [InlineData(100, 1 << 30, 31, 50)]          // 100 * 0.5
    [InlineData(3, 1 << 30, 31, 2)]             // 1.5 rounds half up to 2
    [InlineData(-3, 1 << 30, 31, -1)]           // -1.5 rounds half up to -1
    [InlineData(int.MaxValue, int.MaxValue, 0, int.MaxValue)] // saturates
    [InlineData(int.MinValue, int.MaxValue, 0, int.MinValue)]
    [InlineData(int.MinValue, int.MaxValue, 62, -1)]
    [InlineData(7, 0, 5, 0)]
    public void Multiply_by_quantized_multiplier(int value, int multiplier, int shift, int expected)
    {
        Assert.Equal(expected, FixedPoint.MultiplyByQuantizedMultiplier(value, multiplier, shift));
        var device = DeviceBuild.Method<Func<int, int, int, int>>("EdgeNet.Shared", "EdgeNet.Kernels.FixedPoint", "MultiplyByQuantizedMultiplier");
        Assert.Equal(expected, device(value, multiplier, shift));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.006299212598425197)]
    [InlineData(1.0)]
    [InlineData(1234.5678)]
    [InlineData(1e-12)]
    public void Quantized_multiplier_is_within_2_pow_minus_30_relative(double real)
    {
        var (m, shift) = QuantizationRule.QuantizeMultiplier(real);
        Assert.InRange(shift, 0, FixedPoint.MaxShift);
        Assert.InRange(m, 0, int.MaxValue);
        double back = m * Math.Pow(2, -shift);
        Assert.InRange(Math.Abs(back - real) / real, 0, Math.Pow(2, -30) * (shift == FixedPoint.MaxShift ? 1 << 20 : 1));
    }

    [Fact]
    public void Multiplier_of_2_pow_31_or_more_is_refused()
    {
        Assert.Throws<ArgumentException>(() => QuantizationRule.QuantizeMultiplier(3e9));
        Assert.Throws<ArgumentException>(() => QuantizationRule.QuantizeMultiplier(double.NaN));
    }

    [Fact]
    public void Range_always_contains_zero_exactly()
    {
        foreach (var (lo, hi) in new[] { (2.0, 5.0), (-5.0, -2.0), (-1.0, 3.0), (0.0, 0.0) })
        {
            var p = QuantizationRule.ForRange(lo, hi);
            Assert.Equal(0.0, p.Dequantize(p.ZeroPoint));
            Assert.InRange(p.ZeroPoint, -128, 127);
            Assert.True(p.Dequantize(-128) <= Math.Min(lo, 0) + 1e-9 && p.Dequantize(127) >= Math.Max(hi, 0) - p.Scale);
        }
    }
}
