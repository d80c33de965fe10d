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

        /// <summary>
        /// Largest |int64 accumulator| a 16-bit layer may reach (the reader proves it from the weights, as it
        /// proves the int32 bound of int8 layers): 2^47, so <see cref="MultiplyByQuantizedMultiplierLong"/>
        /// never overflows its partial products.
        /// </summary>
        public const long MaxLongAccumulator = 1L << 47;

        /// <summary>
        /// The same rounding as <see cref="MultiplyByQuantizedMultiplier"/> for a 64-bit accumulator with
        /// |value| at most 2^47: the exact round(value * multiplier / 2^shift), halves toward +infinity,
        /// saturated to int32. value * multiplier needs up to 78 bits, so it is formed in two parts,
        /// value = hi * 2^16 + lo with 0 <= lo < 2^16, each part's product fitting a long.
        /// For |value| within int32 it returns what the int32 version returns.
        /// </summary>
        public static int MultiplyByQuantizedMultiplierLong(long value, int multiplier, int shift)
        {
            long hi = value >> 16;          // floor(value / 2^16), |hi| <= 2^31
            long lo = value & 0xFFFF;       // value - hi * 2^16, in [0, 2^16)
            long a = hi * multiplier;       // |a| <= 2^62
            long b = lo * multiplier + (shift > 0 ? 1L << (shift - 1) : 0); // in [0, 2^48)
            long result;
            if (shift >= 16)
            {
                // floor((a * 2^16 + b) / 2^shift) = floor((a + floor(b / 2^16)) / 2^(shift - 16))
                result = (a + (b >> 16)) >> (shift - 16);
            }
            else
            {
                // a * 2^(16 - shift) + floor(b / 2^shift); beyond 2^46 the result saturates anyway.
                if (a > (1L << 46)) return int.MaxValue;
                if (a < -(1L << 46)) return int.MinValue;
                result = (a << (16 - shift)) + (b >> shift);
            }
            if (result > int.MaxValue) return int.MaxValue;
            if (result < int.MinValue) return int.MinValue;
            return (int)result;
        }

        /// <summary>Clamps to [-32768, 32767].</summary>
        public static short SaturateToInt16(int value)
        {
            if (value > 32767) return 32767;
            if (value < -32768) return -32768;
            return (short)value;
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

        /// <summary>
        /// The last step of a 16-bit kernel (int32 accumulator): as <see cref="Requantize"/>, saturated to
        /// int16 and clamped to [min, max], which lies in [-32768, 32767] (an int8 output tensor has its int8 range).
        /// </summary>
        public static short Requantize16(int acc, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            int v = SaturatingAdd(MultiplyByQuantizedMultiplier(acc, multiplier, shift), zeroPoint);
            if (v < min) v = min;
            if (v > max) v = max;
            return SaturateToInt16(v);
        }

        /// <summary>The last step of a 16-bit kernel with an int64 accumulator (|acc| at most <see cref="MaxLongAccumulator"/>).</summary>
        public static short Requantize16Long(long acc, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            int v = SaturatingAdd(MultiplyByQuantizedMultiplierLong(acc, multiplier, shift), zeroPoint);
            if (v < min) v = min;
            if (v > max) v = max;
            return SaturateToInt16(v);
        }
    }
}
