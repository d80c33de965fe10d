namespace EdgeNet.Kernels
{
    /// <summary>
    /// One step of a recurrent layer with direct feedback: each neuron sees its own previous output only
    /// (a diagonal recurrent matrix, stored as one weight per neuron).
    /// out[o] = requantize(bias[o] + sum_i w[o, i] * (in[i] - zIn) ; u[o] * (state[o] - zState)).
    /// </summary>
    public static class RecurrentDirect
    {
        public static void Reference(
            sbyte[] input, int inputLength, int inputZeroPoint,
            sbyte[] weights, int[] bias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, int stateZeroPoint,
            sbyte[] feedback, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            for (int o = 0; o < units; o++)
            {
                int inputAcc = RecurrentInput.Accumulator(input, inputLength, inputZeroPoint, weights, bias, o);
                int feedbackAcc = feedback[o] * (state[o] - stateZeroPoint);
                output[o] = RecurrentSum.Requantize(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }
    }
}
