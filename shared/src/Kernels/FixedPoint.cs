namespace EdgeNet.Kernels
{
    /// <summary>
    /// The integer arithmetic every EdgeNet kernel shares: requantization by a multiplier and shift,
    /// and saturation. Written so that nothing here can overflow, divide or depend on float, on CoreCLR
    /// or on the nanoFramework interpreter alike. The rule is documented in docs/quantization.md.
    /// </summary>
    public static class FixedPoint
    {
        /// <summary>Largest right shift a model may use (the product of two int32 needs at most 62 bits).</summary>
        public const int MaxShift = 62;

        /// <summary>
        /// round(value * multiplier / 2^shift), rounding halves toward +infinity, saturated to int32.
        /// multiplier is in [0, 2^31-1] and shift in [0, 62], so the 64-bit product and the rounding
        /// term cannot overflow.
        /// </summary>
        public static int MultiplyByQuantizedMultiplier(int value, int multiplier, int shift)
        {
            long product = (long)value * multiplier;
            if (shift > 0)
            {
                product = (product + (1L << (shift - 1))) >> shift;
            }
            if (product > int.MaxValue) return int.MaxValue;
            if (product < int.MinValue) return int.MinValue;
            return (int)product;
        }

        /// <summary>Clamps to [-128, 127].</summary>
        public static sbyte SaturateToInt8(int value)
        {
            if (value > 127) return 127;
            if (value < -128) return -128;
            return (sbyte)value;
        }

        /// <summary>a - b saturated to int32 (raw sensor readings minus their offset).</summary>
        public static int SaturatingSubtract(int a, int b)
        {
            long d = (long)a - b;
            if (d > int.MaxValue) return int.MaxValue;
            if (d < int.MinValue) return int.MinValue;
            return (int)d;
        }

        /// <summary>a + b saturated to int32.</summary>
        public static int SaturatingAdd(int a, int b)
        {
            long s = (long)a + b;
            if (s > int.MaxValue) return int.MaxValue;
            if (s < int.MinValue) return int.MinValue;
            return (int)s;
        }

        /// <summary>
        /// The last step of every layer: requantize an int32 accumulator, add the zero point,
        /// saturate to int8 and clamp to the activation range [min, max].
        /// </summary>
        public static sbyte Requantize(int acc, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            int v = SaturatingAdd(MultiplyByQuantizedMultiplier(acc, multiplier, shift), zeroPoint);
            if (v < min) v = min;
            if (v > max) v = max;
            return (sbyte)v;
        }
    }
}
