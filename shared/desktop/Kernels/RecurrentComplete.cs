namespace EdgeNet.Kernels
{
    /// <summary>
    /// One step of a recurrent layer with complete feedback: every neuron sees every value of the state
    /// vector, its own previous output included. The recurrent matrix is [units][stateLength] row-major.
    /// With the layer's own output as state this is complete feedback; the indirect block uses it with
    /// the next layer's previous output as state.
    /// </summary>
    public static class RecurrentComplete
    {
        public static void Reference(
            sbyte[] input, int inputLength, int inputZeroPoint,
            sbyte[] weights, int[] bias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, int stateLength, int stateZeroPoint,
            sbyte[] feedback, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            for (int o = 0; o < units; o++)
            {
                int inputAcc = RecurrentInput.Accumulator(input, inputLength, inputZeroPoint, weights, bias, o);
                int feedbackAcc = 0;
                int u = o * stateLength;
                for (int j = 0; j < stateLength; j++)
                {
                    feedbackAcc += feedback[u + j] * (state[j] - stateZeroPoint);
                }
                output[o] = RecurrentSum.Requantize(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }
    }
}
