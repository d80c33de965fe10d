using EdgeNet.Quantization;

namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// Quantize-then-dequantize in float ("fake quantization"), with the shared rule's parameters, so
/// quantization-aware training sees the same rounding the int8 model will have.
/// </summary>
public static class FakeQuantization
{
    /// <summary>x = Dequantize(Quantize(x)) with the rule's own rounding and saturation, in place.</summary>
    public static void Apply(Span<float> x, QuantParams q)
    {
        for (int i = 0; i < x.Length; i++) x[i] = (float)q.Dequantize(q.Quantize(x[i]));
    }

    /// <summary>Each slice (a neuron's weights) rounded to its own symmetric int8 grid (largest |w| = 127 steps).</summary>
    public static void ApplyToWeights(float[] parameters, (int Offset, int Length)[] groups)
    {
        foreach (var (offset, length) in groups)
        {
            var w = parameters.AsSpan(offset, length);
            Apply(w, new QuantParams(QuantizationRule.WeightScale(w), 0));
        }
    }
}
