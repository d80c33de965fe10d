namespace EdgeNet.Kernels
{
    /// <summary>
    /// The 1-D convolution the device runs, with the input zero point folded out of the inner loop:
    ///   sum over valid taps of w * (x - zIn) = sum w * x - zIn * sum over all taps of w + zIn * sum over padded taps of w
    /// so at load each filter gets foldedBias[f] = bias[f] - zIn * sum_k,c w[f, k, c] (<see cref="ZeroPointFold.Fold"/>)
    /// and, when the layer pads, tapSums[f * kernel + k] = sum_c w[f, k, c] (<see cref="ZeroPointFold.RowSums"/>) to add
    /// back the taps that fall on padding at the first and last output steps. The valid taps of one output
    /// step are consecutive in both the input and the filter, so the inner loop is one run of plain
    /// multiply-accumulates, unrolled four times as in <see cref="FullyConnectedOptimized"/>.
    /// int32 arithmetic wraps identically in every order, so the result equals Conv1DReference (shared/desktop)
    /// bit for bit (tests/EdgeNet.Tests/KernelOptimizedTests.cs).
    /// </summary>
    public static class Conv1DOptimized
    {
        public static void Invoke(
            sbyte[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            sbyte[] output, int outSteps)
        {
            sbyte[] x = input;
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
                    output[o + f] = FixedPoint.Requantize(acc, multiplier[f], shift[f], zeroPoint, min, max);
                }
            }
        }
    }
}
