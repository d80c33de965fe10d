namespace EdgeNet.Kernels
{
    /// <summary>
    /// The 16x16 fully connected kernel the device runs: int16 activations, int16 weights, one requantization
    /// per neuron into int16 (docs/quantization.md, "16-bit weights"). The input zero point is folded into the
    /// bias at export (it is 0 for an int16 input). Always sums in int64: one full-scale product is 2^30, so
    /// four of them already leave int32. Each product is formed in int32 (|w * x| &lt;= 2^30 fits) and added to
    /// the int64 sum on its own. Same unrolling as <see cref="FullyConnected16Optimized"/>; the reference is
    /// FullyConnected16x16 (shared/desktop/Kernels) and both give the same bits.
    /// </summary>
    public static class FullyConnected16x16Optimized
    {
        public static void Invoke(
            short[] input, int inputLength,
            short[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output)
        {
            short[] x = input;
            short[] w = weights;
            int blockEnd = inputLength & ~3;
            int j = 0;
            for (int o = 0; o < units; o++)
            {
                long acc = bias[o];
                int i = 0;
                while (i < blockEnd)
                {
                    // acc is long, so the additions run left to right in int64; only the products are int32.
                    acc = acc + w[j] * x[i] + w[j + 1] * x[i + 1] + w[j + 2] * x[i + 2] + w[j + 3] * x[i + 3];
                    i += 4;
                    j += 4;
                }
                while (i < inputLength)
                {
                    acc += w[j] * x[i];
                    i++;
                    j++;
                }
                output[o] = FixedPoint.Requantize16Long(acc, multiplier[o], shift[o], zeroPoint, min, max);
            }
        }
    }
}
