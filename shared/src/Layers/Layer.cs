using EdgeNet.Format;

namespace EdgeNet.Layers
{
    /// <summary>
    /// One layer of a quantized network. Tensors are int8 or int16 (<see cref="Precision"/>), laid out as
    /// [steps][channels] (a dense layer has one step). Every layer ends in the same output stage: requantize to int8 with a zero point, then the
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
        /// Precision of the layer's output tensor (<see cref="ModelFormat.PrecisionInt8"/> or
        /// <see cref="ModelFormat.PrecisionInt16"/>): int16 tensors are symmetric, zero point 0
        /// (docs/quantization.md, "16-bit activations"). Stored in the layer record.
        /// </summary>
        public int Precision;

        /// <summary>Precision of the input tensor: the previous layer's, or for the first layer its own (the model input's). Set from the chain.</summary>
        public int InputPrecision;

        /// <summary>True when the input or the output tensor is 16-bit: the layer runs its 16x8 kernel (<see cref="InvokeWide"/>) on int16 buffers.</summary>
        public virtual bool WideKernel { get { return Precision == ModelFormat.PrecisionInt16 || InputPrecision == ModelFormat.PrecisionInt16; } }

        /// <summary>
        /// A 16x8 kernel sums in int64 because its worst case (<see cref="WorstCaseAccumulator"/>) exceeds int32;
        /// set by <see cref="Prepare"/>. int8 kernels always sum in int32 (the reader rejects anything else).
        /// </summary>
        public bool LongAccumulator;

        /// <summary>Largest |input - zero point| the input tensor can hold: 32768 for int16 (zero point 0), 255 for int8.</summary>
        public int InputSpan { get { return InputPrecision == ModelFormat.PrecisionInt16 ? 32768 : 255; } }

        /// <summary>
        /// The kernels this layer runs: null for the managed kernels (shared/src/Kernels), otherwise a backend with
        /// the same results (the C kernels). Set at load by <see cref="EdgeNet.Engine.KernelSelection"/>.
        /// </summary>
        public EdgeNet.Kernels.KernelBackend Backend;

        /// <summary>Runs the layer: input has InputLength values, output receives OutputLength values.</summary>
        public abstract void Invoke(sbyte[] input, sbyte[] output);

        /// <summary>
        /// Runs the 16x8 kernel on int16 buffers (an int8 input tensor is widened into one by the engine; an int8
        /// output tensor is written clamped to its int8 range). Only for <see cref="WideKernel"/> layers.
        /// </summary>
        public abstract void InvokeWide(short[] input, short[] output);

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

        /// <summary>
        /// Largest |accumulator| any input can produce (|input - zero point| up to <see cref="InputSpan"/>); the reader
        /// rejects an int8 layer above 2^31-1 and a 16-bit one above 2^47 (its kernel sums in int64 above 2^31-1).
        /// </summary>
        public abstract long WorstCaseAccumulator();

        /// <summary>Reads the kind-specific part; the shape fields Input* are already set.</summary>
        public abstract bool ReadBody(ByteReader r);

        /// <summary>Applies the activation table in place, if any (the common last step).</summary>
        protected void ApplyTable(sbyte[] output, int offset, int length)
        {
            if (Table != null) EdgeNet.Kernels.Lookup.Apply(Table, output, offset, length);
        }

        /// <summary>The same on a 16-bit kernel's buffer (a table layer's output is int8, so every value is in the table's range).</summary>
        protected void ApplyTable(short[] output, int offset, int length)
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
