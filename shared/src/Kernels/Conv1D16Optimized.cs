namespace EdgeNet.Kernels
{
    /// <summary>
    /// The 16x8 1-D convolution the device runs (int16 activations, int8 weights, per-filter requantization
    /// into int16): the rule of <see cref="Conv1D"/> with the input zero point folded out of the inner loop
    /// exactly as in <see cref="Conv1DOptimized"/> (same folded bias and tap sums; the zero point is 0 for an
    /// int16 input and the int8 one when an int8 tensor feeds this layer). <see cref="Invoke"/> sums in int32
    /// where the reader has proven it cannot overflow, <see cref="InvokeLong"/> in int64 (its folded bias is
    /// int64 too, <see cref="ZeroPointFold.FoldLong"/>). Reference: Conv1D16Reference (shared/desktop/Kernels), always int64; same bits.
    /// </summary>
    public static class Conv1D16Optimized
    {
        public static void Invoke(
            short[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            short[] output, int outSteps)
        {
            short[] x = input;
            sbyte[] w = weights;
            int row = kernel * channels;
            for (int t = 0; t < outSteps; t++)
            {
                int first = t * stride - padding;
                int kLo = first < 0 ? -first : 0;
                int kHi = first + kernel > steps ? steps - first : kernel;
                int start = (first + kLo) * channels;
                int end = (first + kHi) * channels;
                int blockEnd = start + ((end - start) & ~3);
                bool padded = kLo > 0 || kHi < kernel;
                int o = t * filters;
                for (int f = 0; f < filters; f++)
                {
                    int acc = foldedBias[f];
                    if (padded)
                    {
                        int taps = f * kernel;
                        for (int k = 0; k < kLo; k++) acc += inputZeroPoint * tapSums[taps + k];
                        for (int k = kHi; k < kernel; k++) acc += inputZeroPoint * tapSums[taps + k];
                    }
                    int j = f * row + kLo * channels;
                    int i = start;
                    while (i < blockEnd)
                    {
                        acc = acc + w[j] * x[i] + w[j + 1] * x[i + 1] + w[j + 2] * x[i + 2] + w[j + 3] * x[i + 3];
                        i += 4;
                        j += 4;
                    }
                    while (i < end)
                    {
                        acc += w[j] * x[i];
                        i++;
                        j++;
                    }
                    output[o + f] = FixedPoint.Requantize16(acc, multiplier[f], shift[f], zeroPoint, min, max);
                }
            }
        }

        public static void InvokeLong(
            short[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, long[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            short[] output, int outSteps)
        {
            short[] x = input;
            sbyte[] w = weights;
            int row = kernel * channels;
            for (int t = 0; t < outSteps; t++)
            {
                int first = t * stride - padding;
                int kLo = first < 0 ? -first : 0;
                int kHi = first + kernel > steps ? steps - first : kernel;
                int start = (first + kLo) * channels;
                int end = (first + kHi) * channels;
                int blockEnd = start + ((end - start) & ~3);
                bool padded = kLo > 0 || kHi < kernel;
                int o = t * filters;
                for (int f = 0; f < filters; f++)
                {
                    long acc = foldedBias[f];
                    if (padded)
                    {
                        int taps = f * kernel;
                        for (int k = 0; k < kLo; k++) acc += (long)inputZeroPoint * tapSums[taps + k];
                        for (int k = kHi; k < kernel; k++) acc += (long)inputZeroPoint * tapSums[taps + k];
                    }
                    int j = f * row + kLo * channels;
                    int i = start;
                    while (i < blockEnd)
                    {
                        acc += w[j] * x[i] + w[j + 1] * x[i + 1] + w[j + 2] * x[i + 2] + w[j + 3] * x[i + 3];
                        i += 4;
                        j += 4;
                    }
                    while (i < end)
                    {
                        acc += w[j] * x[i];
                        i++;
                        j++;
                    }
                    output[o + f] = FixedPoint.Requantize16Long(acc, multiplier[f], shift[f], zeroPoint, min, max);
                }
            }
        }
    }
}
