namespace EdgeNet.Kernels
{
    /// <summary>
    /// Fully connected (dense) layer, int8 x int8 -> int32 -> int8.
    /// out[o] = requantize(bias[o] + sum_i weights[o, i] * input[i]).
    /// The input zero point is already folded into the bias at export (bias[o] - zIn * sum_i w[o, i]),
    /// which keeps the inner loop to one multiply-accumulate per weight.
    /// </summary>
    public static class FullyConnected
    {
        /// <summary>The straightforward reference kernel; any optimized variant must match it exactly.</summary>
        public static void Reference(
            sbyte[] input, int inputOffset, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            sbyte[] output, int outputOffset)
        {
            for (int o = 0; o < units; o++)
            {
                int acc = bias[o];
                int w = o * inputLength;
                for (int i = 0; i < inputLength; i++)
                {
                    acc += weights[w + i] * input[inputOffset + i];
                }
                output[outputOffset + o] = FixedPoint.Requantize(acc, multiplier[o], shift[o], zeroPoint, min, max);
            }
        }
    }
}
