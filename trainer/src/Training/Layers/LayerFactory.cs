using EdgeNet.Layers;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>Makes float layers by their model-file kind; a new layer type adds its case here.</summary>
public static class LayerFactory
{
    public static FloatLayer Create(string kind, int inputSteps, int inputChannels, int outputSteps, int outputChannels,
        Activation activation, Dictionary<string, int> options)
    {
        switch (kind)
        {
            case "dense":
                return new DenseFloat(inputSteps * inputChannels, outputChannels, activation, inputSteps);
            default:
                throw new ArgumentException($"unknown layer kind '{kind}'");
        }
    }

    /// <summary>Kind-specific integers the file stores besides the shape (kernel size, stride...).</summary>
    public static Dictionary<string, int> OptionsOf(FloatLayer layer) => new();
}
