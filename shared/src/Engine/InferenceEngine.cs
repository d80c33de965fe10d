using EdgeNet.Layers;
using EdgeNet.Format;

namespace EdgeNet.Engine
{
    /// <summary>
    /// Runs a quantized model. Every buffer is allocated here, sized from the model; <see cref="Invoke"/>
    /// and <see cref="PushReading"/> allocate nothing. The arena follows <see cref="ArenaPlan"/>: the input
    /// window and the last layer's output have their own buffers, the hidden layers' outputs take turns in
    /// two shared buffers (a hidden output lives only until the next layer has read it), recurrent state
    /// stays in its layer. In dump mode every layer keeps its own output buffer instead, so all intermediate
    /// results stay readable after an inference (simulate --dump, the device dump, the bit-exact checks).
    /// </summary>
    public sealed class InferenceEngine
    {
        private readonly Model _model;
        private readonly sbyte[] _input;
        private readonly sbyte[][] _outputs;
        private readonly bool _dump;
        private readonly int _binaryThreshold;

        /// <summary>The planned (lean) arena: only the last layer's output is readable after an inference.</summary>
        public InferenceEngine(Model model) : this(model, false) { }

        /// <summary>keepEveryOutput: dump mode, every layer's output readable after an inference (<see cref="LayerOutput"/>).</summary>
        public InferenceEngine(Model model, bool keepEveryOutput) : this(model, keepEveryOutput, KernelSelection.Installed, false) { }

        /// <summary>
        /// With a kernel backend (the C kernels) for the layers it runs, probed here, once; if the probe fails
        /// (a firmware without the interop module) every layer runs the managed kernels. Same outputs either way.
        /// </summary>
        public InferenceEngine(Model model, bool keepEveryOutput, EdgeNet.Kernels.KernelBackend native) : this(model, keepEveryOutput, native, true) { }

        private InferenceEngine(Model model, bool keepEveryOutput, EdgeNet.Kernels.KernelBackend native, bool probe)
        {
            _model = model;
            _dump = keepEveryOutput;
            // Load time: every layer sizes its state and folds its constants now, so Invoke allocates nothing.
            Layer[] layers = model.Layers;
            for (int i = 0; i < layers.Length; i++) layers[i].Prepare();
            KernelSelection.Apply(model, !probe || KernelSelection.Usable(native) ? native : null);
            _input = new sbyte[model.InputLength];
            for (int i = 0; i < _input.Length; i++) _input[i] = (sbyte)model.Input.ZeroPoint;
            _outputs = new sbyte[layers.Length][];
            int last = layers.Length - 1;
            sbyte[] even = null, odd = null;
            if (!keepEveryOutput)
            {
                even = new sbyte[ArenaPlan.SharedBufferBytes(model, 0)];
                odd = new sbyte[ArenaPlan.SharedBufferBytes(model, 1)];
            }
            for (int i = 0; i < layers.Length; i++)
            {
                if (keepEveryOutput || i == last) _outputs[i] = new sbyte[layers[i].OutputLength];
                else _outputs[i] = i % 2 == 0 ? even : odd;
            }
            _binaryThreshold = BinaryThreshold(model.OutputLayer);
        }

        /// <summary>Which kernels run: "managed", "native", or per layer kind (<see cref="KernelSelection.Describe"/>).</summary>
        public string Kernels { get { return KernelSelection.Describe(_model); } }

        /// <summary>True in dump mode (every layer's output kept).</summary>
        public bool KeepsEveryOutput { get { return _dump; } }

        public Model Model { get { return _model; } }

        /// <summary>The int8 input tensor, [window step][feature], oldest reading first.</summary>
        public sbyte[] Input { get { return _input; } }

        /// <summary>
        /// The int8 output of layer i after the last inference (OutputLength values). Every layer in dump mode;
        /// otherwise only the last layer's (a hidden layer's buffer is reused), and null for the others.
        /// </summary>
        public sbyte[] LayerOutput(int i) { return _dump || i == _outputs.Length - 1 ? _outputs[i] : null; }

        public sbyte[] Output { get { return _outputs[_outputs.Length - 1]; } }

        /// <summary>Bytes of int8 buffers this engine allocated (the model's planned arena, or the dump-mode one).</summary>
        public int ArenaBytes { get { return _dump ? _model.DumpArenaBytes : _model.ArenaBytes; } }

        /// <summary>
        /// Quantizes one raw reading into the newest slot of the input window, moving older readings
        /// one step back (a model without a window simply gets its input replaced).
        /// </summary>
        public void PushReading(int[] raw)
        {
            int features = _model.FeatureCount;
            int keep = _input.Length - features;
            if (keep > 0) System.Array.Copy(_input, features, _input, 0, keep);
            _model.Input.Quantize(raw, _input, keep);
        }

        /// <summary>Runs every layer on the current input; returns the predicted class index.</summary>
        public int Invoke()
        {
            Layer[] layers = _model.Layers;
            sbyte[] x = _input;
            for (int i = 0; i < layers.Length; i++)
            {
                layers[i].Invoke(x, _outputs[i]);
                x = _outputs[i];
            }
            return PredictedClass();
        }

        /// <summary>Clears recurrent state and the input window (a new stream starts).</summary>
        public void Reset()
        {
            for (int i = 0; i < _input.Length; i++) _input[i] = (sbyte)_model.Input.ZeroPoint;
            for (int i = 0; i < _model.Layers.Length; i++) _model.Layers[i].ResetState();
        }

        /// <summary>Index of the largest output (the first on ties); a single output is compared with its threshold.</summary>
        public int PredictedClass()
        {
            sbyte[] y = Output;
            if (y.Length == 1) return y[0] >= _binaryThreshold ? 1 : 0;
            int best = 0;
            for (int i = 1; i < y.Length; i++)
            {
                if (y[i] > y[best]) best = i;
            }
            return best;
        }

        /// <summary>The winning output's int8 value (its score before dequantization).</summary>
        public int PredictedScore()
        {
            sbyte[] y = Output;
            return y.Length == 1 ? y[0] : y[PredictedClass()];
        }

        // A single output decides between two classes: at real 0.5 for sigmoid/step outputs (0..1),
        // at real 0 otherwise. Computed once at load, saturated, so inference stays integer-only.
        private static int BinaryThreshold(Layer last)
        {
            if (last.OutputLength != 1) return 0;
            bool unit = last.Activation == Activation.Sigmoid || last.Activation == Activation.Step;
            if (!unit) return last.OutputZeroPoint;
            // Compared by bit pattern: a NaN would pass a float comparison on the interpreter. The reader
            // guarantees a positive finite scale; a model built in memory is checked here (the division would
            // throw on the device for 0, and give NaN for NaN).
            if (!FloatBits.IsPositiveFinite(FloatBits.Bits(last.OutputScale))) throw new System.ArgumentException("output scale must be a positive finite number");
            float steps = 0.5f / last.OutputScale; // positive, or +infinity for a subnormal scale; never NaN
            int half = FloatBits.AtLeast(steps, 255f) ? 255 : (int)(steps + 0.5f);
            int t = last.OutputZeroPoint + half;
            return t > 127 ? 127 : t;
        }
    }
}
