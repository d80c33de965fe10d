namespace EdgeNet.Kernels
{
    /// <summary>
    /// The 16x8 fully connected kernel the device runs: int16 activations, int8 weights, one requantization
    /// per neuron into int16 (docs/quantization.md, "16-bit activations"). The input zero point is folded into
    /// the bias at export, as in <see cref="FullyConnectedOptimized"/> (it is 0 for an int16 input). Two
    /// accumulator widths: <see cref="Invoke"/> sums in int32 and is used only when the reader has proven
    /// that no input can take the sum beyond int32 (<see cref="EdgeNet.Layers.Layer.WorstCaseAccumulator"/>);
    /// <see cref="InvokeLong"/> sums in int64, for fan-ins where int32 could overflow (about 516 inputs of
    /// full-scale int16 x int8). Same unrolling as the int8 kernel. The reference is FullyConnected16
    /// (shared/desktop/Kernels), which always sums in int64; with the proof both give the same bits.
    /// </summary>
    public static class FullyConnected16Optimized
    {
        public static void Invoke(
            short[] input, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output)
        {
            short[] x = input;
            sbyte[] w = weights;
            int blockEnd = inputLength & ~3;
            int j = 0;
            for (int o = 0; o < units; o++)
            {
                int acc = bias[o];
                int i = 0;
                while (i < blockEnd)
                {
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
                output[o] = FixedPoint.Requantize16(acc, multiplier[o], shift[o], zeroPoint, min, max);
            }
        }

        /// <summary>As <see cref="Invoke"/> with an int64 accumulator; each product (at most 2^22) is formed in int32.</summary>
        public static void InvokeLong(
            short[] input, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output)
        {
            short[] x = input;
            sbyte[] w = weights;
            int blockEnd = inputLength & ~3;
            int j = 0;
            for (int o = 0; o < units; o++)
            {
                long acc = bias[o];
                int i = 0;
                while (i < blockEnd)
                {
                    acc += w[j] * x[i] + w[j + 1] * x[i + 1] + w[j + 2] * x[i + 2] + w[j + 3] * x[i + 3];
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
