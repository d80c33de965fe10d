namespace EdgeNet.Kernels
{
    /// <summary>
    /// One step of a recurrent layer as the device runs it, for every feedback kind, with both zero points
    /// folded out of the inner loops at load:
    ///   input part    bias[o] + sum_i w[o, i] * (in[i] - zIn)     = inputBias[o]    + sum_i w[o, i] * in[i]
    ///   feedback part sum_j u[o, j] * (state[j] - zState)        = feedbackBias[o] + sum_j u[o, j] * state[j]
    /// with inputBias[o] = bias[o] - zIn * sum_i w[o, i] and feedbackBias[o] = -zState * sum_j u[o, j]
    /// (both <see cref="ZeroPointFold.Fold"/>). Every run of weights is consecutive, so each
    /// part is one <see cref="Dot"/>, unrolled four times as in <see cref="FullyConnectedOptimized"/>.
    /// The two parts are requantized as in <see cref="RecurrentSum"/>. int32 arithmetic wraps identically in
    /// every order, so the results equal the reference kernels (shared/desktop/Kernels/RecurrentDirect,
    /// RecurrentLateral, RecurrentComplete) bit for bit (tests/EdgeNet.Tests/KernelOptimizedTests.cs).
    /// </summary>
    public static class RecurrentOptimized
    {
        /// <summary>Direct feedback: neuron o sees its own previous output only (one weight per neuron).</summary>
        public static void Direct(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            for (int o = 0; o < units; o++)
            {
                int inputAcc = Dot(inputBias[o], weights, o * inputLength, input, 0, inputLength);
                int feedbackAcc = feedbackBias[o] + feedback[o] * state[o];
                output[o] = RecurrentSum.Requantize(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }

        /// <summary>Lateral feedback: neuron o sees the others' previous outputs; row o of u is [units - 1] without the diagonal.</summary>
        public static void Lateral(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            int row = units - 1;
            for (int o = 0; o < units; o++)
            {
                int inputAcc = Dot(inputBias[o], weights, o * inputLength, input, 0, inputLength);
                // Neurons 0..o-1 are the first o weights of the row, neurons o+1.. the rest.
                int u = o * row;
                int feedbackAcc = Dot(feedbackBias[o], feedback, u, state, 0, o);
                feedbackAcc = Dot(feedbackAcc, feedback, u + o, state, o + 1, row - o);
                output[o] = RecurrentSum.Requantize(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }

        /// <summary>Complete feedback (or the indirect block's hidden layer): u is [units][stateLength].</summary>
        public static void Complete(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            for (int o = 0; o < units; o++)
            {
                int inputAcc = Dot(inputBias[o], weights, o * inputLength, input, 0, inputLength);
                int feedbackAcc = Dot(feedbackBias[o], feedback, o * stateLength, state, 0, stateLength);
                output[o] = RecurrentSum.Requantize(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }

        /// <summary>acc + sum_k w[j + k] * x[i + k] for k in [0, n), four at a time, in index order.</summary>
        public static int Dot(int acc, sbyte[] w, int j, sbyte[] x, int i, int n)
        {
            int end = i + n;
            int blockEnd = i + (n & ~3);
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
            return acc;
        }
    }
}
