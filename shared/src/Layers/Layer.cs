using EdgeNet.Format;

namespace EdgeNet.Layers
{
    /// <summary>
    /// One layer of a quantized network. Tensors are int8, laid out as [steps][channels] (a dense layer has
    /// one step). Every layer ends in the same output stage: requantize to int8 with a zero point, then the
    /// activation (a clamp or a lookup table). Subclasses add their propagation function and parameters.
    /// </summary>
    public abstract class Layer
    {
        protected Layer(LayerKind kind)
        {
            Kind = kind;
        }

        public readonly LayerKind Kind;

        public int InputSteps;
        public int InputChannels;
        public int OutputSteps;
        public int OutputChannels;

        /// <summary>
        /// Zero point of the input tensor (the model input's or the previous layer's output zero point).
        /// Not stored in the layer record: the reader sets it from the chain before reading the body.
        /// </summary>
        public int InputZeroPoint;

        public int InputLength { get { return InputSteps * InputChannels; } }
        public int OutputLength { get { return OutputSteps * OutputChannels; } }

        /// <summary>The activation function applied after requantization.</summary>
        public Activation Activation;

        /// <summary>Zero point added after requantization (the pre-activation tensor's zero point).</summary>
        public int RequantZeroPoint;

        /// <summary>Clamp after requantization: ReLU clamps at the zero point; otherwise [-128, 127].</summary>
        public int ClampMin = -128;
        public int ClampMax = 127;

        /// <summary>256-entry table for sigmoid, tanh and step (null otherwise); index is value + 128.</summary>
        public sbyte[] Table;

        /// <summary>Output tensor quantization: real = OutputScale * (q - OutputZeroPoint). Scale is metadata only.</summary>
        public float OutputScale;
        public int OutputZeroPoint;

        /// <summary>
        /// The kernels this layer runs: null for the managed kernels (shared/src/Kernels), otherwise a backend with
        /// the same results (the C kernels). Set at load by <see cref="EdgeNet.Engine.KernelSelection"/>.
        /// </summary>
        public EdgeNet.Kernels.KernelBackend Backend;

        /// <summary>Runs the layer: input has InputLength values, output receives OutputLength values.</summary>
        public abstract void Invoke(sbyte[] input, sbyte[] output);

        /// <summary>
        /// Load-time preparation: sizes state buffers and computes the constants the kernels fold in (zero-point
        /// terms). The reader calls it after reading the record and the engine when it is created, so that
        /// <see cref="Invoke"/> never allocates; a layer built in memory is prepared by the engine as well.
        /// </summary>
        public virtual void Prepare() { }

        /// <summary>Recurrent layers clear their state here; stateless layers do nothing.</summary>
        public virtual void ResetState() { }

        /// <summary>Bytes of parameters (weights, biases, multipliers, shifts, tables) the layer holds.</summary>
        public abstract int ParameterBytes { get; }

        /// <summary>Bytes of the constants <see cref="Prepare"/> derives at load (folded zero-point terms); held in RAM beside the parameters.</summary>
        public virtual int PreparedBytes { get { return 0; } }

        /// <summary>Working memory beyond the output buffer (recurrent state, scratch); part of the arena.</summary>
        public virtual int StateBytes { get { return 0; } }

        /// <summary>Multiply-accumulates per inference.</summary>
        public abstract int MacCount { get; }

        /// <summary>Largest |int32 accumulator| any int8 input can produce; the reader rejects a layer above 2^31-1.</summary>
        public abstract long WorstCaseAccumulator();

        /// <summary>Reads the kind-specific part; the shape fields Input* are already set.</summary>
        public abstract bool ReadBody(ByteReader r);

        /// <summary>Applies the activation table in place, if any (the common last step).</summary>
        protected void ApplyTable(sbyte[] output, int offset, int length)
        {
            if (Table != null) EdgeNet.Kernels.Lookup.Apply(Table, output, offset, length);
        }

        // ---- the common part of every layer record -----------------------------------------------

        public bool ReadCommon(ByteReader r)
        {
            int at = r.Position;
            int act = r.U8("activation");
            RequantZeroPoint = r.I8("requantization zero point");
            ClampMin = r.I8("clamp minimum");
            ClampMax = r.I8("clamp maximum");
            OutputScale = r.F32("output scale", out int scaleBits);
            OutputZeroPoint = r.I8("output zero point");
            if (r.Failed) return false;
            if (act >= Activations.Count) return r.FailAt(at, "unknown activation code " + act.ToString());
            Activation = (Activation)act;
            if (ClampMin > ClampMax) return r.FailAt(at + 2, "clamp minimum " + ClampMin.ToString() + " above maximum " + ClampMax.ToString());
            if (!FloatBits.IsPositiveFinite(scaleBits)) return r.FailAt(at + 4, "output scale must be a positive finite number");
            if (Activations.UsesTable(Activation))
            {
                Table = r.Int8Array(256, "activation table");
                if (Table == null) return false;
            }
            else
            {
                Table = null;
                if (RequantZeroPoint != OutputZeroPoint) return r.FailAt(at + 1, "zero points differ but the activation has no table");
            }
            return true;
        }
    }
}
