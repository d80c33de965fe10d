using System;
using EdgeNet.Engine;
using EdgeNet.Layers;

namespace EdgeNet.Quantization
{
    /// <summary>
    /// The export-time side of overflow safety. The device reader rejects a layer whose worst-case
    /// |int32 accumulator| over all int8 inputs (<see cref="Layer.WorstCaseAccumulator"/>) exceeds 2^31 - 1;
    /// the quantizer builds layers within that bound, and every export checks it again here, so a model
    /// that leaves the trainer is one the device accepts and whose accumulators cannot wrap.
    /// </summary>
    public static class AccumulatorSafety
    {
        /// <summary>How far below int32's limit the layer's worst case stays (negative: it could overflow).</summary>
        public static long Headroom(Layer layer) => int.MaxValue - layer.WorstCaseAccumulator();

        /// <summary>
        /// The smallest weight scale at which a row of count weights (|w| <= 127) with this real bias keeps
        /// |bias / (inputScale * scale)| + maxInput * 127 * count within int32, where maxInput bounds the
        /// magnitude an input term can reach (128 for dense with its zero point folded into the bias, which
        /// adds another 128 * sum |w| to the bias: pass 256; 255 for kernels that subtract the zero point).
        /// A neuron whose weight scale is raised to this is dominated by its bias, so little is lost.
        /// </summary>
        public static double MinWeightScale(double realBias, double inputScale, int count, int maxInput)
        {
            double room = int.MaxValue - (double)maxInput * 127 * count;
            return room > 0 ? Math.Abs(realBias) / (inputScale * room) : 0;
        }

        /// <summary>
        /// The same for a layer's kernel width: a 16x8 kernel may sum in int64 (up to 2^47, far beyond any
        /// bias), so only its stored int32 bias bounds the scale (with 1 % to spare for rounding and the fold).
        /// </summary>
        public static double MinWeightScale(double realBias, double inputScale, int count, int maxInput, bool wideKernel) =>
            wideKernel ? Math.Abs(realBias) / (inputScale * int.MaxValue * 0.99) : MinWeightScale(realBias, inputScale, count, maxInput);

        /// <summary>Throws, naming the layer, when some int8 input could overflow its accumulator.</summary>
        public static void Verify(Layer layer, string what)
        {
            long worst = layer.WorstCaseAccumulator();
            if (layer.WideKernel && worst > EdgeNet.Kernels.FixedPoint.MaxLongAccumulator)
            {
                throw new InvalidOperationException(
                    $"{what}: a 16-bit input could drive its accumulator to {worst:N0}, beyond 2^47; the device would reject the model");
            }
            if (!layer.WideKernel && worst > int.MaxValue)
            {
                throw new InvalidOperationException(
                    $"{what}: an int8 input could drive its int32 accumulator to {worst:N0}, beyond 2,147,483,647; the device would reject the model");
            }
        }

        /// <summary>Checks every layer of a model (call before writing a .enet).</summary>
        public static void Verify(Model model)
        {
            for (int i = 0; i < model.Layers.Length; i++) Verify(model.Layers[i], $"layer {i} ({model.Layers[i].Kind})");
        }
    }
}
