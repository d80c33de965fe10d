namespace EdgeNet.Kernels
{
    /// <summary>
    /// The output stage shared by the recurrent kernels. A recurrent neuron has two int32 accumulators with
    /// different real scales: the input part (input scale x input weight scale) and the feedback part
    /// (state scale x feedback weight scale). Each is requantized to the pre-activation scale with its own
    /// multiplier and shift (rounded as in <see cref="FixedPoint.MultiplyByQuantizedMultiplier"/>), the two
    /// are added with saturation, the zero point is added, and the result is clamped to [min, max].
    /// </summary>
    public static class RecurrentSum
    {
        public static sbyte Requantize(int inputAcc, int inputMultiplier, int inputShift,
            int feedbackAcc, int feedbackMultiplier, int feedbackShift,
            int zeroPoint, int min, int max)
        {
            int a = FixedPoint.MultiplyByQuantizedMultiplier(inputAcc, inputMultiplier, inputShift);
            int b = FixedPoint.MultiplyByQuantizedMultiplier(feedbackAcc, feedbackMultiplier, feedbackShift);
            int v = FixedPoint.SaturatingAdd(FixedPoint.SaturatingAdd(a, b), zeroPoint);
            if (v < min) v = min;
            if (v > max) v = max;
            return (sbyte)v;
        }

        /// <summary>The same for a 16-bit recurrent kernel: int64 parts (each at most 2^47), an int16 result.</summary>
        public static short Requantize16(long inputAcc, int inputMultiplier, int inputShift,
            long feedbackAcc, int feedbackMultiplier, int feedbackShift,
            int zeroPoint, int min, int max)
        {
            int a = FixedPoint.MultiplyByQuantizedMultiplierLong(inputAcc, inputMultiplier, inputShift);
            int b = FixedPoint.MultiplyByQuantizedMultiplierLong(feedbackAcc, feedbackMultiplier, feedbackShift);
            int v = FixedPoint.SaturatingAdd(FixedPoint.SaturatingAdd(a, b), zeroPoint);
            if (v < min) v = min;
            if (v > max) v = max;
            return FixedPoint.SaturateToInt16(v);
        }
    }
}
