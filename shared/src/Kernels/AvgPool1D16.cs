namespace EdgeNet.Kernels
{
    /// <summary>
    /// Average pooling over steps of a 16-bit tensor: the rule of <see cref="AvgPool1D"/> (rounding half away
    /// from zero on the zero-point-relative sum) on int16 values. |sum| is at most 65535 * 255 (pool is a byte),
    /// within int32; the average lies between the smallest and largest input, so it fits int16.
    /// </summary>
    public static class AvgPool1D16
    {
        public static void Invoke(short[] input, int channels, int pool, int stride, int inputZeroPoint,
            int min, int max, short[] output, int outSteps)
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
                    int v = inputZeroPoint + AvgPool1D.RoundedDivide(sum, pool);
                    if (v < min) v = min;
                    if (v > max) v = max;
                    output[t * channels + c] = (short)v;
                }
            }
        }
    }
}
