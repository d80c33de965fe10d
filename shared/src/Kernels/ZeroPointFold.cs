namespace EdgeNet.Kernels
{
    /// <summary>
    /// The one definition of folding a zero point out of a multiply-accumulate, used at load by every kernel
    /// that folds (conv1d filters and padded taps, recurrent input and feedback rows):
    ///   sum_i w[r, i] * (x[i] - z) = sum_i w[r, i] * x[i] - z * rowSum[r]
    /// so a row's constant is its bias minus z times the sum of its weights. Weights are [rows][rowLength]
    /// row-major; int32 arithmetic wraps identically in every order, so folding never changes a result.
    /// </summary>
    public static class ZeroPointFold
    {
        /// <summary>bias[r] - zeroPoint * sum_i w[r * rowLength + i] for every row (bias null counts as 0).</summary>
        public static int[] Fold(int[] bias, sbyte[] weights, int rows, int rowLength, int zeroPoint)
        {
            int[] folded = new int[rows];
            for (int r = 0; r < rows; r++)
            {
                int b = bias == null ? 0 : bias[r];
                folded[r] = b - zeroPoint * RowSum(weights, r * rowLength, rowLength);
            }
            return folded;
        }

        /// <summary>
        /// The same fold in int64, for the 16x8 kernels that sum in int64 (no wrap is allowed there: the reader's
        /// 2^47 proof covers the true sum).
        /// </summary>
        public static long[] FoldLong(int[] bias, sbyte[] weights, int rows, int rowLength, int zeroPoint)
        {
            long[] folded = new long[rows];
            for (int r = 0; r < rows; r++)
            {
                long b = bias == null ? 0 : bias[r];
                folded[r] = b - (long)zeroPoint * RowSum(weights, r * rowLength, rowLength);
            }
            return folded;
        }

        /// <summary>sum_i w[r * rowLength + i] for every row (conv1d: one row per filter tap, added back on padding).</summary>
        public static int[] RowSums(sbyte[] weights, int rows, int rowLength)
        {
            int[] sums = new int[rows];
            for (int r = 0; r < rows; r++) sums[r] = RowSum(weights, r * rowLength, rowLength);
            return sums;
        }

        private static int RowSum(sbyte[] w, int offset, int count)
        {
            int sum = 0;
            for (int i = offset, end = offset + count; i < end; i++) sum += w[i];
            return sum;
        }
    }
}
