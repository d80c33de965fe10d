namespace EdgeNet.Trainer.Benchmarks;

/// <summary>
/// TensorFlow Lite's integer arithmetic as its reference kernels define it, reimplemented for the converter
/// reference (<see cref="TfliteReference"/>); a benchmark reference, not EdgeNet's rule. Written from the
/// behaviour of tensorflow/lite/kernels/internal/quantization_util.cc (QuantizeMultiplier),
/// tensorflow/lite/kernels/internal/common.h (MultiplyByQuantizedMultiplier, int32 and int64 forms) and
/// gemmlowp's fixedpoint.h (SaturatingRoundingDoublingHighMul, RoundingDivideByPOT), in the default build
/// (TFLITE_SINGLE_ROUNDING off: the int32 form rounds twice). EdgeNet's own requantization
/// (<see cref="EdgeNet.Kernels.FixedPoint"/>) rounds once, so the two may differ by one step on a tie.
/// </summary>
public static class TfliteArithmetic
{
    /// <summary>TfLiteRound / std::round on a float: halves away from zero.</summary>
    public static float Round(float x) => MathF.Round(x, MidpointRounding.AwayFromZero);

    /// <summary>tflite::SafeCast of a float to int32: saturates, NaN gives 0.</summary>
    public static long SafeCastInt32(float x) => float.IsNaN(x) ? 0 : x >= 2147483648f ? int.MaxValue : x < -2147483648f ? int.MinValue : (long)x;

    /// <summary>tflite::SafeCast of a float to int64: saturates, NaN gives 0.</summary>
    public static long SafeCastInt64(float x) => float.IsNaN(x) ? 0 : x >= 9.223372e18f ? long.MaxValue : x < -9.223372e18f ? long.MinValue : (long)x;

    /// <summary>
    /// QuantizeMultiplier: real = multiplier * 2^(shift - 31) with multiplier in [2^30, 2^31): frexp's fraction
    /// times 2^31 rounded (half away from zero), a fraction that rounds up to 2^31 halved with the exponent
    /// raised, and a real below about 2^-31 (exponent under -31) flushed to (0, 0). Real 0 gives (0, 0).
    /// </summary>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
    {
        if (real == 0) return (0, 0);
        if (!(real > 0) || double.IsInfinity(real)) throw new ArgumentException($"multiplier {real} is not a positive finite number");
        int exponent = Math.ILogB(real) + 1;               // frexp: real = fraction * 2^exponent, fraction in [0.5, 1)
        double fraction = Math.ScaleB(real, -exponent);
        long q = (long)Math.Round(fraction * (1L << 31), MidpointRounding.AwayFromZero);
        if (q == 1L << 31)
        {
            q /= 2;
            exponent++;
        }
        if (exponent < -31) return (0, 0);
        return ((int)q, exponent);
    }

    /// <summary>gemmlowp SaturatingRoundingDoublingHighMul: (a * b + nudge) / 2^31 truncated, nudge 2^30 or 1 - 2^30 by sign.</summary>
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == b && a == int.MinValue) return int.MaxValue;
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int)((ab + nudge) / (1L << 31)); // C# long division truncates toward zero, as C++'s does
    }

    /// <summary>gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, halves away from zero.</summary>
    public static int RoundingDivideByPOT(int x, int exponent)
    {
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>
    /// The int32 MultiplyByQuantizedMultiplier of the int8 kernels: a left shift for a positive shift (wrapping
    /// like the C++ int32 product it stands for), the doubling high multiply, then a rounding right shift.
    /// </summary>
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
        return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(unchecked(x * (1 << left)), multiplier), right);
    }

    /// <summary>
    /// The int64 MultiplyByQuantizedMultiplier of the 16x8 kernels: the multiplier rounded to 15 bits
    /// ((M + 2^15) >> 16, or 0x7FFF at the top), then (x * reduced + 2^(14 - shift)) >> (15 - shift).
    /// Valid for shift in [-31, 7] and |x| below 2^47, as TFLite asserts.
    /// </summary>
    public static int MultiplyByQuantizedMultiplier(long x, int multiplier, int shift)
    {
        int reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
        int totalShift = 15 - shift;
        long result = (x * reduced + (1L << (totalShift - 1))) >> totalShift;
        return (int)result;
    }
}
