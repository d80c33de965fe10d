namespace EdgeNet.Kernels
{
    /// <summary>
    /// Average pooling over steps, per channel, in the input's quantization:
    /// out[t, c] = zIn + round(sum_p (in[t * stride + p, c] - zIn) / pool), clamped to [min, max].
    /// Rounding is half away from zero on the zero-point-relative sum, i.e. symmetric in the real value.
    /// pool is at least 1 (the reader checks it), so there is no division by zero; |sum| is at most
    /// 255 * 255, so nothing overflows, and the result lies between the smallest and largest input.
    /// </summary>
    public static class AvgPool1D
    {
        public static int RoundedDivide(int sum, int count)
        {
            int half = count / 2;
            if (sum >= 0) return (sum + half) / count;
            return -((half - sum) / count);
        }

        public static void Invoke(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint,
            int min, int max, sbyte[] output, int outSteps)
        {
            for (int t = 0; t < outSteps; t++)
            {
                int first = t * stride * channels;
                for (int c = 0; c < channels; c++)
                {
                    int sum = 0;
                    for (int p = 0; p < pool; p++)
                    {
                        sum += input[first + p * channels + c] - inputZeroPoint;
                    }
                    int v = inputZeroPoint + RoundedDivide(sum, pool);
                    if (v < min) v = min;
                    if (v > max) v = max;
                    output[t * channels + c] = (sbyte)v;
                }
            }
        }
    }
}
