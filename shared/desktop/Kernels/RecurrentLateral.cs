namespace EdgeNet.Kernels
{
    /// <summary>
    /// One step of a recurrent layer with lateral feedback: each neuron sees the previous outputs of the
    /// other neurons of its layer, not its own. The recurrent matrix is stored without its diagonal,
    /// [units][units - 1] row-major: row o lists the weights from neurons 0..o-1 then o+1..units-1.
    /// </summary>
    public static class RecurrentLateral
    {
        public static void Reference(
            sbyte[] input, int inputLength, int inputZeroPoint,
            sbyte[] weights, int[] bias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, int stateZeroPoint,
            sbyte[] feedback, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            int row = units - 1;
            for (int o = 0; o < units; o++)
            {
                int inputAcc = RecurrentInput.Accumulator(input, inputLength, inputZeroPoint, weights, bias, o);
                int feedbackAcc = 0;
                int u = o * row;
                for (int j = 0; j < units; j++)
                {
                    if (j == o) continue;
                    feedbackAcc += feedback[u] * (state[j] - stateZeroPoint);
                    u++;
                }
                output[o] = RecurrentSum.Requantize(inputAcc, inputMultiplier[o], inputShift[o],
                    feedbackAcc, feedbackMultiplier[o], feedbackShift[o], zeroPoint, min, max);
            }
        }
    }
}
