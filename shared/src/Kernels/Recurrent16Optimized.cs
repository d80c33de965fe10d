namespace EdgeNet.Kernels
{
    /// <summary>
    /// One step of a recurrent layer with 16-bit activations (int16 input and state, int8 weights), for every
    /// feedback kind: the rule of <see cref="RecurrentOptimized"/> with int64 sums. Both zero points are folded
    /// at load into int64 constants (<see cref="ZeroPointFold.FoldLong"/>; they are 0 for int16
    /// tensors, the int8 zero point when an int8 tensor is widened into the kernel), and the two parts are
    /// requantized as in <see cref="RecurrentSum.Requantize16"/>. Recurrent kernels always sum in int64:
    /// a step is a few hundred MACs at most, and one variant keeps one proof (the reader's 2^47 bound).
    /// Reference: Recurrent16Reference (shared/desktop/Kernels); same bits.
    /// </summary>
    public static class Recurrent16Optimized
    {
        public static void Direct(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output)
        {
            for (int o = 0; o < units; o++)
            {
                long inputAcc = Dot(inputBias[o], weights, o * inputLength, input, 0, inputLength);
                long feedbackAcc = feedbackBias[o] + feedback[o] * state[o];
                output[o] = RecurrentSum.Requantize16(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }

        public static void Lateral(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output)
        {
            int row = units - 1;
            for (int o = 0; o < units; o++)
            {
                long inputAcc = Dot(inputBias[o], weights, o * inputLength, input, 0, inputLength);
                int u = o * row;
                long feedbackAcc = Dot(feedbackBias[o], feedback, u, state, 0, o);
                feedbackAcc = Dot(feedbackAcc, feedback, u + o, state, o + 1, row - o);
                output[o] = RecurrentSum.Requantize16(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }

        public static void Complete(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output)
        {
            for (int o = 0; o < units; o++)
            {
                long inputAcc = Dot(inputBias[o], weights, o * inputLength, input, 0, inputLength);
                long feedbackAcc = Dot(feedbackBias[o], feedback, o * stateLength, state, 0, stateLength);
                output[o] = RecurrentSum.Requantize16(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }

        /// <summary>acc + sum_k w[j + k] * x[i + k] for k in [0, n), four products (each at most 2^22) per int64 add.</summary>
        public static long Dot(long acc, sbyte[] w, int j, short[] x, int i, int n)
        {
            int end = i + n;
            int blockEnd = i + (n & ~3);
            while (i < blockEnd)
            {
                acc += w[j] * x[i] + w[j + 1] * x[i + 1] + w[j + 2] * x[i + 2] + w[j + 3] * x[i + 3];
                i += 4;
                j += 4;
            }
            while (i < end)
            {
                acc += w[j] * x[i];
                i++;
                j++;
            }
            return acc;
        }
    }
}
