using EdgeNet.Format;

namespace EdgeNet.Layers
{
    /// <summary>
    /// Indirect feedback: two layers where the second one's output is fed back into the first one's input
    /// at the next step (a Jordan-style block), recorded as one layer so the state stays inside it.
    ///   hidden_t = Hidden(input_t, output_{t-1})     a <see cref="RecurrentLayer"/> with <see cref="Feedback.Indirect"/>
    ///   output_t = Output(hidden_t)                  a <see cref="DenseLayer"/>
    /// The block's common output stage (activation, zero points, table) is the output layer's. The block
    /// keeps output_{t-1} (its state) and hidden_t (scratch) in buffers sized at load.
    /// </summary>
    public sealed class IndirectRecurrentLayer : Layer
    {
        public IndirectRecurrentLayer() : base(LayerKind.IndirectRecurrent) { }

        /// <summary>The first layer: input plus the block's previous output.</summary>
        public RecurrentLayer Hidden;
        /// <summary>The second layer: its output is the block's output and the fed-back state.</summary>
        public DenseLayer Output;

        private sbyte[] _feedback;
        private sbyte[] _hidden;
        private short[] _feedbackWide;
        private short[] _hiddenWide;

        public int HiddenUnits { get { return Hidden.OutputChannels; } }

        /// <summary>
        /// Links the two layers to the block's shape and output stage, sizes the buffers and clears the state.
        /// The reader calls it at load and the engine when it is created (a block built in memory too).
        /// </summary>
        public override void Prepare()
        {
            Hidden.InputSteps = InputSteps;
            Hidden.InputChannels = InputChannels;
            Hidden.InputZeroPoint = InputZeroPoint;
            // 16-bit block: its three tensors are 16-bit (the reader checks that the hidden layer has the block's
            // precision), so both parts run their 16x8 kernels on int16 buffers.
            Hidden.InputPrecision = InputPrecision;
            Hidden.FeedbackPrecision = Precision;
            Output.InputPrecision = Hidden.Precision;
            Output.Precision = Precision;
            Hidden.OutputSteps = 1;
            Hidden.Feedback = Feedback.Indirect;
            Hidden.FeedbackLength = OutputChannels;
            Hidden.FeedbackZeroPoint = OutputZeroPoint;
            Output.InputSteps = 1;
            Output.InputChannels = Hidden.OutputChannels;
            Output.InputZeroPoint = Hidden.OutputZeroPoint;
            Output.OutputSteps = 1;
            Output.OutputChannels = OutputChannels;
            Output.Activation = Activation;
            Output.RequantZeroPoint = RequantZeroPoint;
            Output.ClampMin = ClampMin;
            Output.ClampMax = ClampMax;
            Output.Table = Table;
            Output.OutputScale = OutputScale;
            Output.OutputZeroPoint = OutputZeroPoint;
            if (WideKernel)
            {
                _feedback = null;
                _hidden = null;
                if (_feedbackWide == null || _feedbackWide.Length != OutputChannels) _feedbackWide = new short[OutputChannels];
                if (_hiddenWide == null || _hiddenWide.Length != Hidden.OutputChannels) _hiddenWide = new short[Hidden.OutputChannels];
            }
            else
            {
                _feedbackWide = null;
                _hiddenWide = null;
                if (_feedback == null || _feedback.Length != OutputChannels) _feedback = new sbyte[OutputChannels];
                if (_hidden == null || _hidden.Length != Hidden.OutputChannels) _hidden = new sbyte[Hidden.OutputChannels];
            }
            Hidden.Prepare();
            Output.Prepare();
            LongAccumulator = Hidden.LongAccumulator || Output.LongAccumulator;
            ResetState();
        }

        /// <summary>The block's previous output (the fed-back state).</summary>
        public sbyte[] State { get { return _feedback; } }

        /// <summary>The hidden layer's output after the last inference.</summary>
        public sbyte[] HiddenOutput { get { return _hidden; } }

        /// <summary>The block's previous output of a 16-bit block, and its hidden output (null for an int8 block).</summary>
        public short[] StateWide { get { return _feedbackWide; } }
        public short[] HiddenOutputWide { get { return _hiddenWide; } }

        public override void ResetState()
        {
            if (_feedback != null) for (int i = 0; i < _feedback.Length; i++) _feedback[i] = (sbyte)OutputZeroPoint;
            if (_feedbackWide != null) for (int i = 0; i < _feedbackWide.Length; i++) _feedbackWide[i] = (short)OutputZeroPoint;
        }

        public override void InvokeWide(short[] input, short[] output)
        {
            Hidden.StepWide(input, _feedbackWide, _hiddenWide);
            Output.InvokeWide(_hiddenWide, output);
            System.Array.Copy(output, 0, _feedbackWide, 0, OutputChannels);
        }

        public override void Invoke(sbyte[] input, sbyte[] output)
        {
            Hidden.Step(input, _feedback, _hidden);
            Output.Invoke(_hidden, output);
            System.Array.Copy(output, 0, _feedback, 0, OutputChannels);
        }

        public override int ParameterBytes { get { return 2 + Hidden.ParameterBytes + Output.ParameterBytes; } }

        public override int PreparedBytes { get { return Hidden.PreparedBytes; } }

        public override int StateBytes { get { return (WideKernel ? 2 : 1) * (OutputChannels + Hidden.OutputChannels); } }

        public override int MacCount { get { return Hidden.MacCount + Output.MacCount; } }

        public override long WorstCaseAccumulator()
        {
            long a = Hidden.WorstCaseAccumulator();
            long b = Output.WorstCaseAccumulator();
            return a > b ? a : b;
        }

        /// <summary>
        /// v1: u16 hidden units, the hidden layer's common part, its body, the output layer's body.
        /// v2: the hidden layer's packed record header (kind Recurrent), its body, the output layer's body.
        /// </summary>
        public override bool ReadBody(ByteReader r)
        {
            if (r.Version >= 2)
            {
                Hidden = (RecurrentLayer)ModelReader.ReadPackedHeader(r, (int)LayerKind.Recurrent);
                if (Hidden == null) return false;
                Output = new DenseLayer();
                Prepare();
            }
            else
            {
                int at = r.Position;
                int hidden = r.U16("indirect block hidden units");
                if (r.Failed) return false;
                if (hidden < 1 || hidden > ModelFormat.MaxUnits) return r.FailAt(at, "indirect block hidden units " + hidden.ToString() + " outside 1.." + ModelFormat.MaxUnits.ToString());
                Hidden = new RecurrentLayer();
                Hidden.OutputChannels = hidden;
                Output = new DenseLayer();
                Prepare();
                if (!Hidden.ReadCommon(r)) return false;
            }
            Output.InputZeroPoint = Hidden.OutputZeroPoint;
            if (Hidden.Precision != Precision) return r.Fail("an indirect block's hidden layer must have the block's precision");
            if (InputPrecision == ModelFormat.PrecisionInt16 && Precision != ModelFormat.PrecisionInt16) return r.Fail("an indirect block fed by a 16-bit tensor must be 16-bit");
            if (!Hidden.ReadIndirectBody(r)) return false;
            if (!Output.ReadBody(r)) return false;
            return true;
        }
    }
}
