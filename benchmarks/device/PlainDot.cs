namespace EdgeNet.Bench.Device
{
    /// <summary>
    /// The interpreter's ceiling for int8 multiply-accumulate: the plainest loop that does the arithmetic,
    /// one running index over two equally long arrays, no requantization, no per-row work.
    /// </summary>
    public static class PlainDot
    {
        public static int Run(sbyte[] a, sbyte[] b, int n)
        {
            int acc = 0;
            for (int i = 0; i < n; i++)
            {
                acc += a[i] * b[i];
            }
            return acc;
        }
    }
}
