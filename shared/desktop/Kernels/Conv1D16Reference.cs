namespace EdgeNet.Kernels
{
    /// <summary>
    /// The reference 16x8 1-D convolution (the rule of <see cref="Conv1D"/> on int16 activations, int64 sums):
    /// the input zero point is subtracted on every multiply-accumulate and padded positions are skipped.
    /// <see cref="Conv1D16Optimized"/> must match it exactly.
    /// </summary>
    public static class Conv1D16Reference
    {
        public static void Invoke(
            short[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            short[] output, int outSteps)
        {
            int row = kernel * channels;
            for (int t = 0; t < outSteps; t++)
            {
                int first = t * stride - padding;
                for (int f = 0; f < filters; f++)
                {
                    long acc = bias[f];
                    for (int k = 0; k < kernel; k++)
                    {
                        int s = first + k;
                        if (s < 0 || s >= steps) continue; // padding: (zIn - zIn) * w = 0
                        for (int c = 0; c < channels; c++)
                        {
                            acc += (long)weights[f * row + k * channels + c] * (input[s * channels + c] - inputZeroPoint);
                        }
                    }
                    output[t * filters + f] = FixedPoint.Requantize16Long(acc, multiplier[f], shift[f], zeroPoint, min, max);
                }
            }
        }
    }
}
