using EdgeNet.Format;
using EdgeNet.Kernels;

namespace EdgeNet.Layers
{
    /// <summary>
    /// Fully connected layer: every output neuron sees the whole input (all steps and channels, flattened).
    /// Weights are int8, symmetric, one scale per output neuron (folded into that neuron's multiplier).
    /// </summary>
    public sealed class DenseLayer : Layer
    {
        public DenseLayer() : base(LayerKind.Dense) { }

        /// <summary>[units][inputs] row-major.</summary>
        public sbyte[] Weights;
        /// <summary>int32 bias per neuron, the input zero-point term already folded in.</summary>
        public int[] Bias;
        /// <summary>Per-neuron requantization multiplier in [0, 2^31-1] and right shift in [0, 62].</summary>
        public int[] Multiplier;
        public byte[] Shift;

        public int Units { get { return OutputChannels; } }

        public override void Invoke(sbyte[] input, sbyte[] output)
        {
            if (Backend != null) Backend.Dense(input, 0, InputLength, Weights, Bias, Multiplier, Shift,
                OutputChannels, RequantZeroPoint, ClampMin, ClampMax, output, 0);
            else FullyConnectedOptimized.Invoke(input, 0, InputLength, Weights, Bias, Multiplier, Shift,
                OutputChannels, RequantZeroPoint, ClampMin, ClampMax, output, 0);
            ApplyTable(output, 0, OutputChannels);
        }

        /// <summary>Chooses the accumulator width of the 16x8 kernel from the proven worst case.</summary>
        public override void Prepare()
        {
            LongAccumulator = WideKernel && Weights != null && WorstCaseAccumulator() > int.MaxValue;
        }

        public override void InvokeWide(short[] input, short[] output)
        {
            if (LongAccumulator)
            {
                if (Backend != null) Backend.Dense16Long(input, InputLength, Weights, Bias, Multiplier, Shift,
                    OutputChannels, RequantZeroPoint, ClampMin, ClampMax, output);
                else FullyConnected16Optimized.InvokeLong(input, InputLength, Weights, Bias, Multiplier, Shift,
                    OutputChannels, RequantZeroPoint, ClampMin, ClampMax, output);
            }
            else
            {
                if (Backend != null) Backend.Dense16(input, InputLength, Weights, Bias, Multiplier, Shift,
                    OutputChannels, RequantZeroPoint, ClampMin, ClampMax, output);
                else FullyConnected16Optimized.Invoke(input, InputLength, Weights, Bias, Multiplier, Shift,
                    OutputChannels, RequantZeroPoint, ClampMin, ClampMax, output);
            }
            ApplyTable(output, 0, OutputChannels);
        }

        public override int ParameterBytes
        {
            get { return Weights.Length + Bias.Length * 4 + Multiplier.Length * 4 + Shift.Length + (Table == null ? 0 : 256); }
        }

        public override int MacCount { get { return Weights.Length; } }

        public override long WorstCaseAccumulator()
        {
            long worst = 0;
            int n = InputLength;
            for (int o = 0; o < OutputChannels; o++)
            {
                // The input zero point is folded into the bias, so |x| <= 128 for int8 (conv's unfolded bound is
                // 255) and 32768 for int16 (zero point 0).
                long b = Bias[o];
                long span = InputPrecision == ModelFormat.PrecisionInt16 ? 32768 : 128;
                long bound = (b < 0 ? -b : b) + span * LayerRecords.AbsSum(Weights, o * n, n);
                if (bound > worst) worst = bound;
            }
            return worst;
        }

        public override bool ReadBody(ByteReader r)
        {
            int units = OutputChannels;
            OutputSteps = 1;
            Bias = r.Int32Array(units, "dense bias");
            int multiplierAt = r.Position;
            Multiplier = r.Int32Array(units, "dense multipliers");
            int shiftAt = r.Position;
            Shift = r.UInt8Array(units, "dense shifts");
            if (r.Failed) return false;
            for (int o = 0; o < units; o++)
            {
                if (Multiplier[o] < 0) return r.FailAt(multiplierAt + 4 * o, "neuron " + o.ToString() + " has a negative multiplier");
                if (Shift[o] > FixedPoint.MaxShift) return r.FailAt(shiftAt + o, "neuron " + o.ToString() + " shift " + Shift[o].ToString() + " above " + FixedPoint.MaxShift.ToString());
            }
            long count = (long)units * InputLength;
            if (count > r.Remaining) return r.Fail("file ends inside dense weights (needs " + count.ToString() + " bytes, " + r.Remaining.ToString() + " left)");
            Weights = r.Int8Array((int)count, "dense weights");
            if (Weights == null) return false;
            Prepare();
            return true;
        }
    }
}
