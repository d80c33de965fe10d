using EdgeNet.Format;

namespace EdgeNet.Layers
{
    /// <summary>
    /// Pooling over steps, per channel (no padding): output steps = (steps - PoolSize) / Stride + 1.
    /// The pooled values stay in the input's quantization, so the record's requantization zero point must
    /// equal the input zero point; the common output stage then clamps and, if any, applies the table.
    /// </summary>
    public abstract class Pool1DLayer : Layer
    {
        protected Pool1DLayer(LayerKind kind) : base(kind) { }

        public int PoolSize = 2;
        public int Stride = 2;

        /// <summary>The shape rule: output steps of pooling `pool` steps every `stride` steps, no padding.</summary>
        public static int OutputStepsOf(int steps, int pool, int stride)
        {
            return (steps - pool) / stride + 1;
        }

        public override int ParameterBytes { get { return 2 + (Table == null ? 0 : 256); } }

        /// <summary>Pooling multiplies nothing.</summary>
        public override int MacCount { get { return 0; } }

        /// <summary>The largest |sum of (input - zero point)| an average can form.</summary>
        public override long WorstCaseAccumulator() { return (long)InputSpan * PoolSize; }

        public override bool ReadBody(ByteReader r)
        {
            int at = r.Position;
            string name = Kind == LayerKind.MaxPool1D ? "max pool" : "average pool";
            PoolSize = r.U8(name + " size");
            Stride = r.U8(name + " stride");
            if (r.Failed) return false;
            if (PoolSize < 1) return r.FailAt(at, name + " size is 0");
            if (Stride < 1) return r.FailAt(at + 1, name + " stride is 0");
            if (PoolSize > InputSteps) return r.FailAt(at, name + " of " + PoolSize.ToString() + " steps is longer than the " + InputSteps.ToString() + " input steps");
            if (OutputChannels != InputChannels) return r.FailAt(at, name + " has " + OutputChannels.ToString() + " channels but its input has " + InputChannels.ToString());
            if (RequantZeroPoint != InputZeroPoint) return r.FailAt(at, name + " zero point " + RequantZeroPoint.ToString() + " differs from its input's " + InputZeroPoint.ToString());
            if (Precision != InputPrecision) return r.FailAt(at, name + " keeps its input's quantization, but its precision differs from its input's");
            OutputSteps = OutputStepsOf(InputSteps, PoolSize, Stride);
            return true;
        }
    }
}
