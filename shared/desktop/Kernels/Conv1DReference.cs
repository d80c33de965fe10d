namespace EdgeNet.Kernels
{
    /// <summary>
    /// The reference 1-D convolution (the rule of <see cref="Conv1D"/> spelled out): the input zero point is
    /// subtracted on every multiply-accumulate and padded positions are skipped, since (zIn - zIn) * w = 0.
    /// <see cref="Conv1DOptimized"/> must match it exactly.
    /// </summary>
    public static class Conv1DReference
    {
        public static void Invoke(
            sbyte[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            sbyte[] output, int outSteps)
        {
            int row = kernel * channels;
            for (int t = 0; t < outSteps; t++)
            {
                int first = t * stride - padding;
                for (int f = 0; f < filters; f++)
                {
                    int acc = bias[f];
                    for (int k = 0; k < kernel; k++)
                    {
                        int s = first + k;
                        if (s < 0 || s >= steps) continue; // padding: (zIn - zIn) * w = 0
                        int x = s * channels;
                        int w = f * row + k * channels;
                        for (int c = 0; c < channels; c++)
                        {
                            acc += weights[w + c] * (input[x + c] - inputZeroPoint);
                        }
                    }
                    output[t * filters + f] = FixedPoint.Requantize(acc, multiplier[f], shift[f], zeroPoint, min, max);
                }
            }
        }
    }
}
