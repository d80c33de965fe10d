namespace EdgeNet.Kernels
{
    /// <summary>
    /// The reference step of a recurrent layer with 16-bit activations, every feedback kind spelled out with
    /// the zero points subtracted on every multiply-accumulate and int64 sums:
    /// out[o] = requantize(bias[o] + sum_i w[o, i] * (in[i] - zIn) ; sum_j u[o, j] * (state[j] - zState)).
    /// feedback: 1 direct (u[o] only), 2 lateral (row o without the diagonal), 3 complete or 4 indirect ([units][stateLength]).
    /// <see cref="Recurrent16Optimized"/> must match it exactly.
    /// </summary>
    public static class Recurrent16Reference
    {
        public static void Step(int feedbackKind,
            short[] input, int inputLength, int inputZeroPoint,
            sbyte[] weights, int[] bias, int[] inputMultiplier, byte[] inputShift,
            short[] state, int stateLength, int stateZeroPoint,
            sbyte[] feedback, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output)
        {
            for (int o = 0; o < units; o++)
            {
                long inputAcc = bias[o];
                for (int i = 0; i < inputLength; i++) inputAcc += (long)weights[o * inputLength + i] * (input[i] - inputZeroPoint);
                long feedbackAcc = 0;
                if (feedbackKind == 1)
                {
                    feedbackAcc = (long)feedback[o] * (state[o] - stateZeroPoint);
                }
                else if (feedbackKind == 2)
                {
                    int u = o * (units - 1);
                    for (int j = 0; j < units; j++)
                    {
                        if (j == o) continue;
                        feedbackAcc += (long)feedback[u++] * (state[j] - stateZeroPoint);
                    }
                }
                else
                {
                    for (int j = 0; j < stateLength; j++) feedbackAcc += (long)feedback[o * stateLength + j] * (state[j] - stateZeroPoint);
                }
                output[o] = RecurrentSum.Requantize16(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }
    }
}
