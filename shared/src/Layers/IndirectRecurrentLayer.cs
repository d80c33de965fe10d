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

        public int HiddenUnits { get { return Hidden.OutputChannels; } }

        /// <summary>
        /// Links the two layers to the block's shape and output stage, sizes the buffers and clears the state.
        /// At load only (see <see cref="Layer.Prepare"/>).
        /// </summary>
        public override void Prepare()
        {
            Hidden.InputSteps = InputSteps;
            Hidden.InputChannels = InputChannels;
            Hidden.InputZeroPoint = InputZeroPoint;
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
            if (_feedback == null || _feedback.Length != OutputChannels) _feedback = new sbyte[OutputChannels];
            if (_hidden == null || _hidden.Length != Hidden.OutputChannels) _hidden = new sbyte[Hidden.OutputChannels];
            ResetState();
        }

        /// <summary>The block's previous output (the fed-back state).</summary>
        public sbyte[] State { get { return _feedback; } }

        /// <summary>The hidden layer's output after the last inference.</summary>
        public sbyte[] HiddenOutput { get { return _hidden; } }

        public override void ResetState()
        {
            if (_feedback == null) return;
            for (int i = 0; i < _feedback.Length; i++) _feedback[i] = (sbyte)OutputZeroPoint;
        }

        public override void Invoke(sbyte[] input, sbyte[] output)
        {
            Hidden.Step(input, _feedback, _hidden);
            Output.Invoke(_hidden, output);
            System.Array.Copy(output, 0, _feedback, 0, OutputChannels);
        }

        public override int ParameterBytes { get { return 2 + Hidden.ParameterBytes + Output.ParameterBytes; } }

        public override int StateBytes { get { return OutputChannels + Hidden.OutputChannels; } }

        public override int MacCount { get { return Hidden.MacCount + Output.MacCount; } }

        public override long WorstCaseAccumulator()
        {
            long a = Hidden.WorstCaseAccumulator();
            long b = Output.WorstCaseAccumulator();
            return a > b ? a : b;
        }

        public override void WriteBody(ByteWriter w)
        {
            w.U16(Hidden.OutputChannels);
            Hidden.WriteCommon(w);
            Hidden.WriteBody(w);
            Output.WriteBody(w);
        }

        public override bool ReadBody(ByteReader r)
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
            Output.InputZeroPoint = Hidden.OutputZeroPoint;
            if (!Hidden.ReadIndirectBody(r)) return false;
            if (!Output.ReadBody(r)) return false;
            return true;
        }
    }
}
