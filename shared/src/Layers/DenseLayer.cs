using EdgeNet.Format;
using EdgeNet.Kernels;

namespace EdgeNet.Layers
{
    /// <summary>
    /// Fully connected layer: every output neuron sees the whole input (all steps and channels, flattened).
    /// Weights are int8, symmetric, one scale per output neuron (folded into that neuron's multiplier); a layer
    /// that runs its 16-bit kernel may instead hold int16 weights (<see cref="WideWeights"/>, format v3: the
    /// 16x16 kernel, int64 sums).
    /// </summary>
    public sealed class DenseLayer : Layer
    {
        public DenseLayer() : base(LayerKind.Dense) { }

        /// <summary>[units][inputs] row-major, int8; null when the layer has int16 weights (<see cref="Weights16"/>).</summary>
        public sbyte[] Weights;
        /// <summary>
        /// [units][inputs] row-major, int16, symmetric, one scale per neuron; non-null exactly when the layer has
        /// 16-bit weights (then <see cref="Weights"/> is null). Only on a layer that runs its 16-bit kernel
        /// (<see cref="Layer.WideKernel"/>); stored as bit 15 of the units word (ModelFormat.UnitsWideWeights).
        /// </summary>
        public short[] Weights16;

        /// <summary>True when the layer has int16 weights and runs the 16x16 kernel (<see cref="FullyConnected16x16Optimized"/>).</summary>
        public bool WideWeights { get { return Weights16 != null; } }

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

        /// <summary>Chooses the accumulator width of the 16x8 kernel from the proven worst case; the 16x16 kernel always sums in int64.</summary>
        public override void Prepare()
        {
            LongAccumulator = WideKernel && (Weights16 != null || (Weights != null && WorstCaseAccumulator() > int.MaxValue));
        }

        public override void InvokeWide(short[] input, short[] output)
        {
            if (Weights16 != null)
            {
                if (Backend != null) Backend.Dense16x16(input, InputLength, Weights16, Bias, Multiplier, Shift,
                    OutputChannels, RequantZeroPoint, ClampMin, ClampMax, output);
                else FullyConnected16x16Optimized.Invoke(input, InputLength, Weights16, Bias, Multiplier, Shift,
                    OutputChannels, RequantZeroPoint, ClampMin, ClampMax, output);
            }
            else if (LongAccumulator)
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
            get { return WeightCount * (Weights16 != null ? 2 : 1) + Bias.Length * 4 + Multiplier.Length * 4 + Shift.Length + (Table == null ? 0 : 256); }
        }

        public override int MacCount { get { return WeightCount; } }

        private int WeightCount { get { return Weights16 != null ? Weights16.Length : Weights.Length; } }

        public override long WorstCaseAccumulator()
        {
            long worst = 0;
            int n = InputLength;
            for (int o = 0; o < OutputChannels; o++)
            {
                // The input zero point is folded into the bias, so |x| <= 128 for int8 (conv's unfolded bound is
                // 255) and 32768 for int16 (zero point 0). With int16 weights the bound is at most
                // 2^31 + 32768 * 32768 * 65535 < 2^47 (MaxTensor caps the fan-in), so the reader's 2^47 check
                // always holds for them and their int64 sum never leaves the range Requantize16Long takes.
                long b = Bias[o];
                long span = InputPrecision == ModelFormat.PrecisionInt16 ? 32768 : 128;
                long absSum = Weights16 != null ? LayerRecords.AbsSum(Weights16, o * n, n) : LayerRecords.AbsSum(Weights, o * n, n);
                long bound = (b < 0 ? -b : b) + span * absSum;
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
            // The record header saw bit 15 of the units word (ModelReader.ReadPackedHeader): int16 weights.
            int wideAt = r.WideWeightsAt;
            r.WideWeightsAt = -1;
            if (wideAt >= 0)
            {
                // int16 weights only on a layer whose input or output is int16: the int8 kernel has no 16x16 twin.
                if (!WideKernel) return r.FailAt(wideAt, "bit 15 of the units word (int16 weights) is set on a layer with int8 input and output; int16 weights need the 16-bit kernel (an int16 input or output)");
                Weights = null;
                Weights16 = LayerRecords.Weights16(r, count, "dense int16 weights");
                if (Weights16 == null) return false;
            }
            else
            {
                Weights16 = null;
                Weights = LayerRecords.Weights(r, count, "dense weights");
                if (Weights == null) return false;
            }
            Prepare();
            return true;
        }
    }
}
