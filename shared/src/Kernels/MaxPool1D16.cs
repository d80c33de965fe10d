namespace EdgeNet.Kernels
{
    /// <summary>Max pooling over steps of a 16-bit tensor: the rule of <see cref="MaxPool1D"/> on int16 values.</summary>
    public static class MaxPool1D16
    {
        public static void Invoke(short[] input, int channels, int pool, int stride,
            int min, int max, short[] output, int outSteps)
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
                    output[t * channels + c] = (short)best;
                }
            }
        }
    }
}
