namespace EdgeNet.Kernels
{
    /// <summary>
    /// Max pooling over steps, per channel: out[t, c] = max_p in[t * stride + p, c], clamped to [min, max].
    /// The max of quantized values is the quantized max (same scale and zero point), so no requantization.
    /// </summary>
    public static class MaxPool1D
    {
        public static void Invoke(sbyte[] input, int channels, int pool, int stride,
            int min, int max, sbyte[] output, int outSteps)
        {
            for (int t = 0; t < outSteps; t++)
            {
                int first = t * stride * channels;
                for (int c = 0; c < channels; c++)
                {
                    int best = input[first + c];
                    for (int p = 1; p < pool; p++)
                    {
                        int v = input[first + p * channels + c];
                        if (v > best) best = v;
                    }
                    if (best < min) best = min;
                    if (best > max) best = max;
                    output[t * channels + c] = (sbyte)best;
                }
            }
        }
    }
}
