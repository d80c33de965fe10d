namespace EdgeNet.Kernels
{
    /// <summary>
    /// The fully connected kernel tuned for the nanoFramework interpreter, which pays per IL instruction:
    /// array references and bounds in locals, one weight index that runs through all rows (they are
    /// consecutive, row-major), and the inner loop unrolled four times so the index arithmetic and the
    /// loop test are paid once per four multiply-accumulates. About 14 IL instructions per MAC against
    /// 21 in FullyConnected.Reference (shared/desktop/Kernels; benchmarks/results/device.md counts them).
    /// Same arguments and bit-identical results as the reference kernel (tests/EdgeNet.Tests/FullyConnectedOptimizedTests.cs):
    /// the int32 sum is taken in the same order, so even wrap-around would agree.
    /// </summary>
    public static class FullyConnectedOptimized
    {
        public static void Invoke(
            sbyte[] input, int inputOffset, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            sbyte[] output, int outputOffset)
        {
            sbyte[] x = input;
            sbyte[] w = weights;
            int blockEnd = inputOffset + (inputLength & ~3);
            int rowEnd = inputOffset + inputLength;
            int j = 0;
            for (int o = 0; o < units; o++)
            {
                int acc = bias[o];
                int i = inputOffset;
                while (i < blockEnd)
                {
                    acc = acc + w[j] * x[i] + w[j + 1] * x[i + 1] + w[j + 2] * x[i + 2] + w[j + 3] * x[i + 3];
                    i += 4;
                    j += 4;
                }
                while (i < rowEnd)
                {
                    acc += w[j] * x[i];
                    i++;
                    j++;
                }
                output[outputOffset + o] = FixedPoint.Requantize(acc, multiplier[o], shift[o], zeroPoint, min, max);
            }
        }
    }
}
