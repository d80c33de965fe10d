namespace EdgeNet.Kernels
{
    /// <summary>
    /// Fully connected layer, 16x16: int16 activations x int16 weights -> int64 -> int16 (docs/quantization.md,
    /// "16-bit weights"). out[o] = requantize(bias[o] + sum_i weights[o, i] * input[i]), the input zero point
    /// folded into the bias at export (0 for an int16 input). Every product is widened to int64 before it is
    /// added; <see cref="FullyConnected16x16Optimized"/> must match it exactly.
    /// </summary>
    public static class FullyConnected16x16
    {
        public static void Reference(
            short[] input, int inputLength,
            short[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output)
        {
            for (int o = 0; o < units; o++)
            {
                long acc = bias[o];
                for (int i = 0; i < inputLength; i++)
                {
                    acc += (long)weights[o * inputLength + i] * input[i];
                }
                output[o] = FixedPoint.Requantize16Long(acc, multiplier[o], shift[o], zeroPoint, min, max);
            }
        }
    }
}
