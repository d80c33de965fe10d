using EdgeNet.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// A diagnostic, not an export path: the float network with only its weights rounded to int8 by the export's
/// per-neuron symmetric scale (<see cref="QuantizationRule.WeightScale"/>), activations and inputs left float.
/// Its agreement with float bounds what any activation precision can reach with int8 weights (the export may
/// raise a neuron's scale further so its bias fits int32, which only coarsens the grid).
/// </summary>
public static class WeightRounding
{
    public static Network WithInt8Weights(Network net)
    {
        Network copy = net.Copy();
        foreach (var layer in copy.Layers)
        {
            foreach (var (offset, length) in layer.WeightGroups)
            {
                Span<float> w = layer.Parameters.AsSpan(offset, length);
                double scale = QuantizationRule.WeightScale(w);
                for (int i = 0; i < w.Length; i++) w[i] = (float)(QuantizationRule.RoundToInt(w[i] / scale) * scale);
            }
        }
        return copy;
    }
}
