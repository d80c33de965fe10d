namespace EdgeNet.Kernels
{
    /// <summary>The input part of a recurrent neuron, as the reference kernels spell it out.</summary>
    public static class RecurrentInput
    {
        /// <summary>bias[o] + sum_i w[o, i] * (in[i] - zIn): the input part of neuron o.</summary>
        public static int Accumulator(sbyte[] input, int inputLength, int inputZeroPoint,
            sbyte[] weights, int[] bias, int o)
        {
            int acc = bias[o];
            int w = o * inputLength;
            for (int i = 0; i < inputLength; i++)
            {
                acc += weights[w + i] * (input[i] - inputZeroPoint);
            }
            return acc;
        }
    }
}
