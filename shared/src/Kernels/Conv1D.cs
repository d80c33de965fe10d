namespace EdgeNet.Kernels
{
    /// <summary>
    /// 1-D convolution over a window of readings, int8 x int8 -> int32 -> int8.
    /// input is [steps][channels], weights are [filters][kernel][channels], output is [outSteps][filters]:
    /// out[t, f] = requantize_f(bias[f] + sum_k sum_c w[f, k, c] * (in[t * stride + k - padding, c] - zIn)),
    /// where a padded position (outside the input) holds the real value 0, i.e. the quantized value zIn,
    /// and so contributes exactly 0. Each filter has its own weight scale, hence its own multiplier and shift.
    /// The reference kernel that spells this out is Conv1DReference (shared/desktop/Kernels); the device runs
    /// <see cref="Conv1DOptimized"/>, which must match it bit for bit.
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
    }
}
