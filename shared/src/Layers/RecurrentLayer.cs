using EdgeNet.Format;
using EdgeNet.Kernels;

namespace EdgeNet.Layers
{
    /// <summary>
    /// A recurrent layer: consumes one input vector (one reading, or the flattened input tensor) per
    /// inference and keeps its previous output (int8, or int16 with 16-bit activations) as state between inferences, so a stream is
    /// classified one reading at a time with no window buffer. The state saturates like every int8 tensor.
    ///   pre[o] = requantize(bias[o] + sum_i w[o, i] * (in[i] - zIn))
    ///          + requantize(sum_j u[o, j] * (state[j] - zState))      (two scales, see <see cref="RecurrentSum"/>)
    /// The recurrent weights u follow the feedback kind: <see cref="Feedback.Direct"/> one per neuron
    /// (diagonal), <see cref="Feedback.Lateral"/> [units][units-1] (no diagonal), <see cref="Feedback.Complete"/>
    /// [units][units]. With <see cref="Feedback.Indirect"/> (only inside <see cref="IndirectRecurrentLayer"/>)
    /// the state is the next layer's previous output, [units][FeedbackLength].
    /// </summary>
    public sealed class RecurrentLayer : Layer
    {
        public RecurrentLayer() : base(LayerKind.Recurrent) { }

        public Feedback Feedback = Feedback.Complete;

        /// <summary>[units][inputs] row-major, per-neuron symmetric scale.</summary>
        public sbyte[] Weights;
        /// <summary>Real bias / (input scale x weight scale); the input zero point is subtracted in the kernel.</summary>
        public int[] Bias;
        public int[] InputMultiplier;
        public byte[] InputShift;

        /// <summary>Recurrent weights, laid out as the feedback kind says; per-neuron symmetric scale.</summary>
        public sbyte[] FeedbackWeights;
        public int[] FeedbackMultiplier;
        public byte[] FeedbackShift;

        /// <summary>Length of the state vector: the units for self feedback, the next layer's units for indirect.</summary>
        public int FeedbackLength;
        /// <summary>Zero point of the state: the layer's output zero point for self feedback.</summary>
        public int FeedbackZeroPoint;

        /// <summary>
        /// Precision of the state: the layer's own for self feedback; for indirect, the block's output (set by the block).
        /// </summary>
        public int FeedbackPrecision;

        private sbyte[] _state;
        private short[] _stateWide;
        private int[] _inputBias;
        private int[] _feedbackBias;
        private long[] _inputBiasLong;
        private long[] _feedbackBiasLong;

        /// <summary>A recurrent layer also runs its 16x8 kernel when its state is 16-bit.</summary>
        public override bool WideKernel { get { return base.WideKernel || StatePrecision == ModelFormat.PrecisionInt16; } }

        private int StatePrecision { get { return Feedback == Feedback.Indirect ? FeedbackPrecision : Precision; } }

        public int Units { get { return OutputChannels; } }

        /// <summary>Number of recurrent weights a layer of this feedback kind and size stores.</summary>
        public static long FeedbackWeightCount(Feedback feedback, int units, int stateLength)
        {
            switch (feedback)
            {
                case Feedback.Direct: return units;
                case Feedback.Lateral: return (long)units * (units - 1);
                case Feedback.Complete: return (long)units * units;
                case Feedback.Indirect: return (long)units * stateLength;
                default: return -1;
            }
        }

        /// <summary>
        /// Sizes the state, sets it to real 0 and folds the zero points. The reader calls it at load and the
        /// engine when it is created (a layer built in memory too); Invoke never does.
        /// </summary>
        public override void Prepare()
        {
            if (Feedback != Feedback.Indirect)
            {
                FeedbackLength = OutputChannels;
                FeedbackZeroPoint = OutputZeroPoint;
                FeedbackPrecision = Precision;
                // The state is kept in the width the kernel reads (int16 for a 16x8 kernel, whatever the output's range).
                if (WideKernel) { _state = null; if (_stateWide == null || _stateWide.Length != FeedbackLength) _stateWide = new short[FeedbackLength]; }
                else { _stateWide = null; if (_state == null || _state.Length != FeedbackLength) _state = new sbyte[FeedbackLength]; }
            }
            LongAccumulator = WideKernel;
            FoldZeroPoints();
            ResetState();
        }

        /// <summary>
        /// Folds both zero points into per-neuron constants for <see cref="RecurrentOptimized"/> with <see cref="ZeroPointFold"/> (bias - zIn * sum w,
        /// -zState * sum u); skipped while the weights are not read yet (the indirect block prepares early).
        /// </summary>
        private void FoldZeroPoints()
        {
            if (Weights == null || FeedbackWeights == null || Bias == null) return;
            int units = OutputChannels;
            int row = (int)FeedbackWeightCount(Feedback, units, FeedbackLength) / units;
            int zState = Feedback == Feedback.Indirect ? FeedbackZeroPoint : OutputZeroPoint;
            if (WideKernel)
            {
                _inputBiasLong = ZeroPointFold.FoldLong(Bias, Weights, units, InputLength, InputZeroPoint);
                _feedbackBiasLong = ZeroPointFold.FoldLong(null, FeedbackWeights, units, row, zState);
                return;
            }
            _inputBias = ZeroPointFold.Fold(Bias, Weights, units, InputLength, InputZeroPoint);
            _feedbackBias = ZeroPointFold.Fold(null, FeedbackWeights, units, row, zState);
        }

        /// <summary>The state carried to the next inference (this layer's previous output); null for indirect.</summary>
        public sbyte[] State { get { return _state; } }

        /// <summary>The state of a layer that runs its 16x8 kernel (null otherwise, and for indirect).</summary>
        public short[] StateWide { get { return _stateWide; } }

        public override void ResetState()
        {
            if (_state != null) for (int i = 0; i < _state.Length; i++) _state[i] = (sbyte)FeedbackZeroPoint;
            if (_stateWide != null) for (int i = 0; i < _stateWide.Length; i++) _stateWide[i] = (short)FeedbackZeroPoint;
        }

        public override void InvokeWide(short[] input, short[] output)
        {
            StepWide(input, _stateWide, output);
            System.Array.Copy(output, 0, _stateWide, 0, OutputChannels);
        }

        /// <summary>One step of the 16x8 kernel with the given int16 state vector (FeedbackLength values); updates no state.</summary>
        public void StepWide(short[] input, short[] state, short[] output)
        {
            int n = InputLength, units = OutputChannels;
            switch (Feedback)
            {
                case Feedback.Direct:
                    if (Backend != null) Backend.Recurrent16Direct(input, n, Weights, _inputBiasLong, InputMultiplier, InputShift,
                        state, FeedbackWeights, _feedbackBiasLong, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    else Recurrent16Optimized.Direct(input, n, Weights, _inputBiasLong, InputMultiplier, InputShift,
                        state, FeedbackWeights, _feedbackBiasLong, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    break;
                case Feedback.Lateral:
                    if (Backend != null) Backend.Recurrent16Lateral(input, n, Weights, _inputBiasLong, InputMultiplier, InputShift,
                        state, FeedbackWeights, _feedbackBiasLong, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    else Recurrent16Optimized.Lateral(input, n, Weights, _inputBiasLong, InputMultiplier, InputShift,
                        state, FeedbackWeights, _feedbackBiasLong, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    break;
                default:
                    if (Backend != null) Backend.Recurrent16Complete(input, n, Weights, _inputBiasLong, InputMultiplier, InputShift,
                        state, FeedbackLength, FeedbackWeights, _feedbackBiasLong, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    else Recurrent16Optimized.Complete(input, n, Weights, _inputBiasLong, InputMultiplier, InputShift,
                        state, FeedbackLength, FeedbackWeights, _feedbackBiasLong, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    break;
            }
            ApplyTable(output, 0, units);
        }

        public override void Invoke(sbyte[] input, sbyte[] output)
        {
            Step(input, _state, output);
            System.Array.Copy(output, 0, _state, 0, OutputChannels);
        }

        /// <summary>One step with the given state vector (FeedbackLength values); does not update any state.</summary>
        public void Step(sbyte[] input, sbyte[] state, sbyte[] output)
        {
            int n = InputLength, units = OutputChannels;
            switch (Feedback)
            {
                case Feedback.Direct:
                    if (Backend != null) Backend.RecurrentDirect(input, n, Weights, _inputBias, InputMultiplier, InputShift,
                        state, FeedbackWeights, _feedbackBias, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    else RecurrentOptimized.Direct(input, n, Weights, _inputBias, InputMultiplier, InputShift,
                        state, FeedbackWeights, _feedbackBias, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    break;
                case Feedback.Lateral:
                    if (Backend != null) Backend.RecurrentLateral(input, n, Weights, _inputBias, InputMultiplier, InputShift,
                        state, FeedbackWeights, _feedbackBias, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    else RecurrentOptimized.Lateral(input, n, Weights, _inputBias, InputMultiplier, InputShift,
                        state, FeedbackWeights, _feedbackBias, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    break;
                default:
                    if (Backend != null) Backend.RecurrentComplete(input, n, Weights, _inputBias, InputMultiplier, InputShift,
                        state, FeedbackLength, FeedbackWeights, _feedbackBias, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    else RecurrentOptimized.Complete(input, n, Weights, _inputBias, InputMultiplier, InputShift,
                        state, FeedbackLength, FeedbackWeights, _feedbackBias, FeedbackMultiplier, FeedbackShift,
                        units, RequantZeroPoint, ClampMin, ClampMax, output);
                    break;
            }
            ApplyTable(output, 0, units);
        }

        public override int ParameterBytes
        {
            get
            {
                return 1 + Weights.Length + FeedbackWeights.Length + Bias.Length * 4
                    + (InputMultiplier.Length + FeedbackMultiplier.Length) * 5 + (Table == null ? 0 : 256);
            }
        }

        /// <summary>The folded input and feedback constants, one int32 each per neuron.</summary>
        public override int PreparedBytes { get { return (WideKernel ? 16 : 8) * OutputChannels; } }

        /// <summary>The previous output kept between inferences, 2 bytes a value for a 16x8 kernel (indirect: kept by the block instead).</summary>
        public override int StateBytes { get { return Feedback == Feedback.Indirect ? 0 : (WideKernel ? 2 : 1) * OutputChannels; } }

        public override int MacCount { get { return Weights.Length + FeedbackWeights.Length; } }

        /// <summary>The larger of the two accumulators' bounds (they are requantized separately).</summary>
        public override long WorstCaseAccumulator()
        {
            long worst = 0;
            int n = InputLength, units = OutputChannels;
            int row = FeedbackWeights.Length / units;
            for (int o = 0; o < units; o++)
            {
                long a = LayerRecords.Bound(Bias[o], LayerRecords.AbsSum(Weights, o * n, n), InputSpan);
                long b = LayerRecords.Bound(0, LayerRecords.AbsSum(FeedbackWeights, o * row, row), StatePrecision == ModelFormat.PrecisionInt16 ? 32768 : 255);
                if (a > worst) worst = a;
                if (b > worst) worst = b;
            }
            return worst;
        }

        /// <summary>
        /// Reads the record. A standalone layer accepts direct, lateral and complete feedback; the indirect
        /// block sets FeedbackLength and FeedbackZeroPoint first and calls <see cref="ReadIndirectBody"/>.
        /// </summary>
        public override bool ReadBody(ByteReader r)
        {
            return ReadBody(r, false);
        }

        public bool ReadIndirectBody(ByteReader r)
        {
            return ReadBody(r, true);
        }

        private bool ReadBody(ByteReader r, bool indirect)
        {
            int at = r.Position;
            int kind = r.U8("feedback kind");
            if (r.Failed) return false;
            if (kind < (int)Feedback.Direct || kind > (int)Feedback.Indirect) return r.FailAt(at, "unknown feedback kind " + kind.ToString());
            Feedback = (Feedback)kind;
            if (indirect && Feedback != Feedback.Indirect) return r.FailAt(at, "the first layer of an indirect block must have indirect feedback");
            if (!indirect && Feedback == Feedback.Indirect) return r.FailAt(at, "indirect feedback is only allowed inside an indirect block");
            int units = OutputChannels;
            if (!indirect) FeedbackLength = units;
            Bias = r.Int32Array(units, "recurrent bias");
            InputMultiplier = LayerRecords.Multipliers(r, units, "recurrent input multiplier");
            InputShift = LayerRecords.Shifts(r, units, "recurrent input shift");
            FeedbackMultiplier = LayerRecords.Multipliers(r, units, "recurrent feedback multiplier");
            FeedbackShift = LayerRecords.Shifts(r, units, "recurrent feedback shift");
            Weights = LayerRecords.Weights(r, (long)units * InputLength, "recurrent input weights");
            FeedbackWeights = LayerRecords.Weights(r, FeedbackWeightCount(Feedback, units, FeedbackLength), "recurrent feedback weights");
            if (FeedbackWeights == null || r.Failed) return false;
            Prepare();
            return true;
        }
    }
}
