using EdgeNet.Format;
using EdgeNet.Layers;

namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// The trainer's names of a layer's width, one definition (docs/quantization.md, "Choosing the precision"): "int8"
/// (int8 activations and weights), "int16" (16x8: int16 activations, int8 weights) and "int16x16" (16-bit weights
/// too, dense layers only). A width is the pair (output precision, 16-bit weights) that
/// <see cref="QuantizeOptions.LayerPrecisions"/> and <see cref="QuantizeOptions.WideWeights"/> hold per layer.
/// </summary>
public static class LayerWidths
{
    public const string Int8 = "int8", Int16 = "int16", Int16x16 = "int16x16";

    public static string Name(int precision, bool wideWeights) =>
        wideWeights ? Int16x16 : precision == ModelFormat.PrecisionInt16 ? Int16 : Int8;

    /// <summary>A quantized layer's width.</summary>
    public static string Name(Layer layer) => Name(layer.Precision, layer is DenseLayer { WideWeights: true });

    /// <summary>Layer l's width in a pair of per-layer arrays (wideWeights null = none).</summary>
    public static string Name(int[] precisions, bool[] wideWeights, int l) => Name(precisions[l], wideWeights?[l] == true);

    /// <summary>The pair a name stands for; false for an unknown name.</summary>
    public static bool TryParse(string name, out int precision, out bool wideWeights)
    {
        (precision, wideWeights) = name switch
        {
            Int8 => (ModelFormat.PrecisionInt8, false),
            Int16 => (ModelFormat.PrecisionInt16, false),
            Int16x16 => (ModelFormat.PrecisionInt16, true),
            _ => (-1, false),
        };
        return precision >= 0;
    }
}
