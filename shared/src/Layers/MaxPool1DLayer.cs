namespace EdgeNet.Layers
{
    /// <summary>Max pooling over steps (see <see cref="EdgeNet.Kernels.MaxPool1D"/>).</summary>
    public sealed class MaxPool1DLayer : Pool1DLayer
    {
        public MaxPool1DLayer() : base(LayerKind.MaxPool1D) { }

        public override void Invoke(sbyte[] input, sbyte[] output)
        {
            if (Backend != null) Backend.MaxPool1D(input, InputChannels, PoolSize, Stride, ClampMin, ClampMax, output, OutputSteps);
            else EdgeNet.Kernels.MaxPool1D.Invoke(input, InputChannels, PoolSize, Stride, ClampMin, ClampMax, output, OutputSteps);
            ApplyTable(output, 0, OutputLength);
        }

        public override void InvokeWide(short[] input, short[] output)
        {
            if (Backend != null) Backend.MaxPool1D16(input, InputChannels, PoolSize, Stride, ClampMin, ClampMax, output, OutputSteps);
            else EdgeNet.Kernels.MaxPool1D16.Invoke(input, InputChannels, PoolSize, Stride, ClampMin, ClampMax, output, OutputSteps);
            ApplyTable(output, 0, OutputLength);
        }
    }
}
