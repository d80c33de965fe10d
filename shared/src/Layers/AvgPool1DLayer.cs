namespace EdgeNet.Layers
{
    /// <summary>Average pooling over steps with rounding half away from zero (see <see cref="EdgeNet.Kernels.AvgPool1D"/>).</summary>
    public sealed class AvgPool1DLayer : Pool1DLayer
    {
        public AvgPool1DLayer() : base(LayerKind.AvgPool1D) { }

        public override void Invoke(sbyte[] input, sbyte[] output)
        {
            if (Backend != null) Backend.AvgPool1D(input, InputChannels, PoolSize, Stride, InputZeroPoint, ClampMin, ClampMax, output, OutputSteps);
            else EdgeNet.Kernels.AvgPool1D.Invoke(input, InputChannels, PoolSize, Stride, InputZeroPoint, ClampMin, ClampMax, output, OutputSteps);
            ApplyTable(output, 0, OutputLength);
        }

        public override void InvokeWide(short[] input, short[] output)
        {
            if (Backend != null) Backend.AvgPool1D16(input, InputChannels, PoolSize, Stride, InputZeroPoint, ClampMin, ClampMax, output, OutputSteps);
            else EdgeNet.Kernels.AvgPool1D16.Invoke(input, InputChannels, PoolSize, Stride, InputZeroPoint, ClampMin, ClampMax, output, OutputSteps);
            ApplyTable(output, 0, OutputLength);
        }
    }
}
