using EdgeNet.Engine;

namespace EdgeNet.Golden
{
    /// <summary>
    /// Where a golden model vector's expected integers come from: an evaluator of the documented rule
    /// (docs/quantization.md, docs/network-types.md) written apart from the engine and the kernels, so a
    /// vector says what the rule gives, not what the code computes now. The one implementation is
    /// tests/Reference (EdgeNet.Reference.IntegerReference); `edgenet golden` and the tests pass it in.
    /// </summary>
    public interface IModelReference
    {
        /// <summary>Per reading (raw[r * features + f]): the input tensor, then every layer's output, concatenated.</summary>
        sbyte[] Trace(Model model, int[] raw, int readings);

        /// <summary>As <see cref="Trace"/> with every value as int16, for models with 16-bit tensors.</summary>
        short[] TraceWide(Model model, int[] raw, int readings);

        /// <summary>The class predicted after each reading.</summary>
        int[] Classes(Model model, int[] raw, int readings);
    }
}
