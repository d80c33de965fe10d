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

        /// <summary>Throws, naming the layer, when some int8 input could overflow its accumulator.</summary>
        public static void Verify(Layer layer, string what)
        {
            long worst = layer.WorstCaseAccumulator();
            if (worst > int.MaxValue)
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
