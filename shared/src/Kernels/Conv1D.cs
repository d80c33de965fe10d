namespace EdgeNet.Kernels
{
    /// <summary>
    /// 1-D convolution over a window of readings, int8 x int8 -> int32 -> int8.
    /// input is [steps][channels], weights are [filters][kernel][channels], output is [outSteps][filters]:
    /// out[t, f] = requantize_f(bias[f] + sum_k sum_c w[f, k, c] * (in[t * stride + k - padding, c] - zIn)).
    /// The input zero point is subtracted explicitly rather than folded into the bias: a padded position
    /// holds the real value 0, i.e. the quantized value zIn, which contributes exactly 0 here and is skipped.
    /// Each filter has its own weight scale, hence its own multiplier and shift.
    /// </summary>
    public static class Conv1D
    {
        /// <summary>Output steps of a convolution: (steps + 2 * padding - kernel) / stride + 1 (0 if the kernel does not fit).</summary>
        public static int OutputSteps(int steps, int kernel, int stride, int padding)
        {
            int span = steps + 2 * padding - kernel;
            if (span < 0 || stride < 1) return 0;
            return span / stride + 1;
        }

        public static void Reference(
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
