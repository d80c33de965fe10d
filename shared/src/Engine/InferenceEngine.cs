using EdgeNet.Layers;
using EdgeNet.Format;
using EdgeNet.Kernels;

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
        private readonly short[] _inputWide;
        private readonly sbyte[][] _outputs;
        private readonly short[][] _wideOutputs;
        private readonly sbyte[][] _narrowed;
        private readonly short[][] _widened;
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
            // A model built in memory gets its precision chain here (the reader sets it while reading).
            Layer[] layers = model.Layers;
            for (int i = 0; i < layers.Length; i++)
            {
                layers[i].InputPrecision = i == 0 ? layers[0].Precision : layers[i - 1].Precision;
                layers[i].Prepare();
            }
            KernelSelection.Apply(model, !probe || KernelSelection.Usable(native) ? native : null);
            model.Input.Precision = layers[0].Precision;
            if (layers[0].WideKernel) _inputWide = new short[model.InputLength];
            else _input = new sbyte[model.InputLength];
            FillInput();
            int last = layers.Length - 1;
            _outputs = new sbyte[layers.Length][];
            // An all-int8 model holds no 16-bit bookkeeping at all (the same RAM as before 16-bit activations).
            bool anyWide = false;
            for (int i = 0; i < layers.Length; i++) anyWide = anyWide || layers[i].WideKernel;
            if (anyWide)
            {
                _wideOutputs = new short[layers.Length][];
                _narrowed = new sbyte[layers.Length][];
                _widened = new short[layers.Length][];
            }
            sbyte[] even = null, odd = null;
            short[] evenWide = null, oddWide = null;
            if (!keepEveryOutput)
            {
                even = new sbyte[ArenaPlan.SharedBufferBytes(model, 0)];
                odd = new sbyte[ArenaPlan.SharedBufferBytes(model, 1)];
                if (anyWide)
                {
                    evenWide = new short[ArenaPlan.SharedWideBufferLength(model, 0)];
                    oddWide = new short[ArenaPlan.SharedWideBufferLength(model, 1)];
                }
            }
            for (int i = 0; i < layers.Length; i++)
            {
                bool own = keepEveryOutput || i == last;
                if (layers[i].WideKernel) _wideOutputs[i] = own ? new short[layers[i].OutputLength] : (i % 2 == 0 ? evenWide : oddWide);
                else _outputs[i] = own ? new sbyte[layers[i].OutputLength] : (i % 2 == 0 ? even : odd);
                if (ArenaPlan.NeedsConversion(model, i))
                {
                    if (layers[i].WideKernel) _widened[i] = new short[layers[i].InputLength];
                    else _narrowed[i] = new sbyte[layers[i].InputLength];
                }
            }
            _binaryThreshold = BinaryThreshold(model.OutputLayer);
        }

        /// <summary>Which kernels run: "managed", "native", or per layer kind (<see cref="KernelSelection.Describe"/>).</summary>
        public string Kernels { get { return KernelSelection.Describe(_model); } }

        /// <summary>True in dump mode (every layer's output kept).</summary>
        public bool KeepsEveryOutput { get { return _dump; } }

        public Model Model { get { return _model; } }

        /// <summary>The int8 input tensor, [window step][feature], oldest reading first; null when the input is int16 (<see cref="InputWide"/>).</summary>
        public sbyte[] Input { get { return _input; } }

        /// <summary>The int16 input tensor when the first layer is 16-bit, else null.</summary>
        public short[] InputWide { get { return _inputWide; } }

        /// <summary>
        /// The int8 output of layer i after the last inference (OutputLength values). Every layer in dump mode;
        /// otherwise only the last layer's (a hidden layer's buffer is reused), and null for the others.
        /// Null too for a layer that runs a 16x8 kernel: its output is in <see cref="LayerOutputWide"/>.
        /// </summary>
        public sbyte[] LayerOutput(int i) { return _dump || i == _outputs.Length - 1 ? _outputs[i] : null; }

        /// <summary>The int16 buffer of a layer that runs a 16x8 kernel (as <see cref="LayerOutput"/>); null otherwise.</summary>
        public short[] LayerOutputWide(int i) { return _wideOutputs != null && (_dump || i == _outputs.Length - 1) ? _wideOutputs[i] : null; }

        /// <summary>The last layer's int8 output, or null when it is in <see cref="OutputWide"/>.</summary>
        public sbyte[] Output { get { return _outputs[_outputs.Length - 1]; } }

        /// <summary>The last layer's output when it runs a 16x8 kernel, else null.</summary>
        public short[] OutputWide { get { return _wideOutputs == null ? null : _wideOutputs[_outputs.Length - 1]; } }

        /// <summary>
        /// Value i of tensor t after the last inference, whatever its width: t = -1 is the input, t >= 0 layer t's
        /// output (readable as <see cref="LayerOutput"/> says).
        /// </summary>
        public int TensorValue(int t, int i)
        {
            if (t < 0) return _input != null ? _input[i] : _inputWide[i];
            sbyte[] narrow = LayerOutput(t);
            if (narrow != null) return narrow[i];
            return LayerOutputWide(t)[i];
        }

        /// <summary>Bytes of int8 and int16 buffers this engine allocated (the model's planned arena, or the dump-mode one).</summary>
        public int ArenaBytes { get { return _dump ? _model.DumpArenaBytes : _model.ArenaBytes; } }

        /// <summary>
        /// Quantizes one raw reading into the newest slot of the input window, moving older readings
        /// one step back (a model without a window simply gets its input replaced).
        /// </summary>
        public void PushReading(int[] raw)
        {
            int features = _model.FeatureCount;
            if (_input != null)
            {
                int keep = _input.Length - features;
                if (keep > 0) System.Array.Copy(_input, features, _input, 0, keep);
                _model.Input.Quantize(raw, _input, keep);
            }
            else
            {
                int keep = _inputWide.Length - features;
                if (keep > 0) System.Array.Copy(_inputWide, features, _inputWide, 0, keep);
                _model.Input.Quantize(raw, _inputWide, keep);
            }
        }

        /// <summary>Runs every layer on the current input; returns the predicted class index.</summary>
        public int Invoke()
        {
            Layer[] layers = _model.Layers;
            for (int i = 0; i < layers.Length; i++)
            {
                Layer layer = layers[i];
                if (layer.WideKernel)
                {
                    short[] x = i == 0 ? _inputWide : _wideOutputs[i - 1];
                    if (x == null) x = Widen(_outputs[i - 1], _widened[i]);
                    layer.InvokeWide(x, _wideOutputs[i]);
                }
                else
                {
                    sbyte[] x = i == 0 ? _input : _outputs[i - 1];
                    if (x == null) x = Narrow(_wideOutputs[i - 1], _narrowed[i]);
                    layer.Invoke(x, _outputs[i]);
                }
            }
            return PredictedClass();
        }

        // An int8 tensor for a 16x8 kernel: the same integers in int16 (its zero point stays the layer's input zero point).
        private static short[] Widen(sbyte[] from, short[] to)
        {
            for (int i = 0; i < to.Length; i++) to[i] = from[i];
            return to;
        }

        // An int8 tensor a 16x8 kernel wrote into int16 (already clamped to int8), for an int8 kernel; saturated anyway.
        private static sbyte[] Narrow(short[] from, sbyte[] to)
        {
            for (int i = 0; i < to.Length; i++) to[i] = FixedPoint.SaturateToInt8(from[i]);
            return to;
        }

        /// <summary>Clears recurrent state and the input window (a new stream starts).</summary>
        public void Reset()
        {
            FillInput();
            for (int i = 0; i < _model.Layers.Length; i++) _model.Layers[i].ResetState();
        }

        private void FillInput()
        {
            int z = _model.Input.ZeroPoint;
            if (_input != null) for (int i = 0; i < _input.Length; i++) _input[i] = (sbyte)z;
            if (_inputWide != null) for (int i = 0; i < _inputWide.Length; i++) _inputWide[i] = (short)z;
        }

        /// <summary>Index of the largest output (the first on ties); a single output is compared with its threshold.</summary>
        public int PredictedClass()
        {
            sbyte[] y = Output;
            if (y == null) return PredictedClassWide(OutputWide);
            if (y.Length == 1) return y[0] >= _binaryThreshold ? 1 : 0;
            int best = 0;
            for (int i = 1; i < y.Length; i++)
            {
                if (y[i] > y[best]) best = i;
            }
            return best;
        }

        private int PredictedClassWide(short[] y)
        {
            if (y.Length == 1) return y[0] >= _binaryThreshold ? 1 : 0;
            int best = 0;
            for (int i = 1; i < y.Length; i++)
            {
                if (y[i] > y[best]) best = i;
            }
            return best;
        }

        /// <summary>The winning output's integer value (its score before dequantization).</summary>
        public int PredictedScore()
        {
            int last = _outputs.Length - 1;
            return TensorValue(last, OutputLengthOne() ? 0 : PredictedClass());
        }

        private bool OutputLengthOne() { return _model.OutputLayer.OutputLength == 1; }

        // A single output decides between two classes: at real 0.5 for sigmoid/step outputs (0..1),
        // at real 0 otherwise. Computed once at load, saturated, so inference stays integer-only.
        private static int BinaryThreshold(Layer last)
        {
            if (last.OutputLength != 1) return 0;
            bool unit = last.Activation == Activation.Sigmoid || last.Activation == Activation.Step;
            if (!unit) return last.OutputZeroPoint;
            // A unit activation is a table, whose output is int8 (the reader allows no 16-bit table layer).
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
