using EdgeNet.Format;
using EdgeNet.Kernels;

namespace EdgeNet.Layers
{
    /// <summary>
    /// 1-D convolution over the steps of a [steps][channels] tensor (a window of readings): Filters output
    /// channels, each a kernel of KernelSize steps x input channels, moved by Stride steps, with Padding
    /// steps of real zeros on both ends. Weights are int8, symmetric, one scale per filter (folded into
    /// that filter's multiplier). The bias in the record holds the real bias only (padding must stay exact,
    /// see <see cref="Conv1D"/>); <see cref="Prepare"/> folds the input zero point into a per-filter bias
    /// and per-tap sums at load, so the kernel (<see cref="Conv1DOptimized"/>) multiplies raw int8 values.
    /// </summary>
    public sealed class Conv1DLayer : Layer
    {
        public Conv1DLayer() : base(LayerKind.Conv1D) { }

        public const int MaxKernel = 255;

        public int KernelSize;
        public int Stride = 1;
        public int Padding;

        /// <summary>[filters][kernel][input channels] row-major.</summary>
        public sbyte[] Weights;
        public int[] Bias;
        public int[] Multiplier;
        public byte[] Shift;

        private int[] _foldedBias;
        private long[] _foldedBiasLong;
        private int[] _tapSums;

        public int Filters { get { return OutputChannels; } }

        /// <summary>Folds the input zero point: bias - zIn * sum of each filter, and per-tap sums when the layer pads.</summary>
        public override void Prepare()
        {
            LongAccumulator = WideKernel && WorstCaseAccumulator() > int.MaxValue;
            // The int32 fold cannot wrap where the int32 sum is proven; the int64 kernel folds in int64.
            _foldedBias = LongAccumulator ? null : ZeroPointFold.Fold(Bias, Weights, OutputChannels, KernelSize * InputChannels, InputZeroPoint);
            _foldedBiasLong = LongAccumulator ? ZeroPointFold.FoldLong(Bias, Weights, OutputChannels, KernelSize * InputChannels, InputZeroPoint) : null;
            _tapSums = Padding > 0 ? ZeroPointFold.RowSums(Weights, OutputChannels * KernelSize, InputChannels) : null;
        }

        public override void InvokeWide(short[] input, short[] output)
        {
            if (LongAccumulator)
            {
                if (Backend != null) Backend.Conv1D16Long(input, InputSteps, InputChannels, InputZeroPoint,
                    Weights, _foldedBiasLong, _tapSums, Multiplier, Shift, OutputChannels, KernelSize, Stride, Padding,
                    RequantZeroPoint, ClampMin, ClampMax, output, OutputSteps);
                else Conv1D16Optimized.InvokeLong(input, InputSteps, InputChannels, InputZeroPoint,
                    Weights, _foldedBiasLong, _tapSums, Multiplier, Shift, OutputChannels, KernelSize, Stride, Padding,
                    RequantZeroPoint, ClampMin, ClampMax, output, OutputSteps);
            }
            else
            {
                if (Backend != null) Backend.Conv1D16(input, InputSteps, InputChannels, InputZeroPoint,
                    Weights, _foldedBias, _tapSums, Multiplier, Shift, OutputChannels, KernelSize, Stride, Padding,
                    RequantZeroPoint, ClampMin, ClampMax, output, OutputSteps);
                else Conv1D16Optimized.Invoke(input, InputSteps, InputChannels, InputZeroPoint,
                    Weights, _foldedBias, _tapSums, Multiplier, Shift, OutputChannels, KernelSize, Stride, Padding,
                    RequantZeroPoint, ClampMin, ClampMax, output, OutputSteps);
            }
            ApplyTable(output, 0, OutputLength);
        }

        public override void Invoke(sbyte[] input, sbyte[] output)
        {
            if (Backend != null) Backend.Conv1D(input, InputSteps, InputChannels, InputZeroPoint,
                Weights, _foldedBias, _tapSums, Multiplier, Shift, OutputChannels, KernelSize, Stride, Padding,
                RequantZeroPoint, ClampMin, ClampMax, output, OutputSteps);
            else Conv1DOptimized.Invoke(input, InputSteps, InputChannels, InputZeroPoint,
                Weights, _foldedBias, _tapSums, Multiplier, Shift, OutputChannels, KernelSize, Stride, Padding,
                RequantZeroPoint, ClampMin, ClampMax, output, OutputSteps);
            ApplyTable(output, 0, OutputLength);
        }

        /// <summary>The folded bias per filter, and the per-tap sums when the layer pads.</summary>
        public override int PreparedBytes { get { return (LongAccumulator ? 8 : 4) * OutputChannels + (Padding > 0 ? 4 * OutputChannels * KernelSize : 0); } }

        public override int ParameterBytes
        {
            get { return 3 + Weights.Length + Bias.Length * 4 + Multiplier.Length * 4 + Shift.Length + (Table == null ? 0 : 256); }
        }

        /// <summary>Multiply-accumulates actually done (padded positions are skipped).</summary>
        public override int MacCount
        {
            get
            {
                int taps = 0;
                for (int t = 0; t < OutputSteps; t++)
                {
                    for (int k = 0; k < KernelSize; k++)
                    {
                        int s = t * Stride - Padding + k;
                        if (s >= 0 && s < InputSteps) taps++;
                    }
                }
                return taps * InputChannels * OutputChannels;
            }
        }

        public override long WorstCaseAccumulator()
        {
            long worst = 0;
            int row = KernelSize * InputChannels;
            for (int f = 0; f < OutputChannels; f++)
            {
                long bound = LayerRecords.Bound(Bias[f], LayerRecords.AbsSum(Weights, f * row, row), InputSpan);
                if (bound > worst) worst = bound;
            }
            return worst;
        }

        public override bool ReadBody(ByteReader r)
        {
            int at = r.Position;
            KernelSize = r.U8("conv1d kernel size");
            Stride = r.U8("conv1d stride");
            Padding = r.U8("conv1d padding");
            if (r.Failed) return false;
            if (KernelSize < 1) return r.FailAt(at, "conv1d kernel size is 0");
            if (Stride < 1) return r.FailAt(at + 1, "conv1d stride is 0");
            if (Padding >= KernelSize) return r.FailAt(at + 2, "conv1d padding " + Padding.ToString() + " not below the kernel size " + KernelSize.ToString());
            OutputSteps = Conv1D.OutputSteps(InputSteps, KernelSize, Stride, Padding);
            if (OutputSteps < 1) return r.FailAt(at, "conv1d kernel of " + KernelSize.ToString() + " steps does not fit " + InputSteps.ToString() + " input steps with padding " + Padding.ToString());
            int filters = OutputChannels;
            Bias = r.Int32Array(filters, "conv1d bias");
            Multiplier = LayerRecords.Multipliers(r, filters, "conv1d multiplier");
            Shift = LayerRecords.Shifts(r, filters, "conv1d shift");
            Weights = LayerRecords.Weights(r, (long)filters * KernelSize * InputChannels, "conv1d weights");
            if (Weights == null || r.Failed) return false;
            Prepare();
            return true;
        }
    }
}
