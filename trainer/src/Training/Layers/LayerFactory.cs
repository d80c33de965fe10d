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
            case "conv1d":
                return new Conv1DFloat(inputSteps, inputChannels, outputChannels, Option(options, "kernel"), Option(options, "stride"), Option(options, "padding"), activation);
            case "maxpool1d":
            case "avgpool1d":
                return new Pool1DFloat(kind == "maxpool1d", inputSteps, inputChannels, Option(options, "pool"), Option(options, "stride"));
            case "recurrent-direct":
                return new RecurrentFloat(inputSteps, inputChannels, outputChannels, Feedback.Direct, activation);
            case "recurrent-lateral":
                return new RecurrentFloat(inputSteps, inputChannels, outputChannels, Feedback.Lateral, activation);
            case "recurrent-complete":
                return new RecurrentFloat(inputSteps, inputChannels, outputChannels, Feedback.Complete, activation);
            case "recurrent-indirect":
                return new IndirectRecurrentFloat(inputSteps, inputChannels, Option(options, "hidden"), outputChannels,
                    (Activation)Option(options, "hiddenActivation"), activation);
            default:
                throw new ArgumentException($"unknown layer kind '{kind}'");
        }
    }

    /// <summary>Kind-specific integers the file stores besides the shape (kernel size, stride...).</summary>
    public static Dictionary<string, int> OptionsOf(FloatLayer layer) => layer switch
    {
        Conv1DFloat c => new() { ["kernel"] = c.Kernel, ["stride"] = c.Stride, ["padding"] = c.Padding },
        Pool1DFloat p => new() { ["pool"] = p.Pool, ["stride"] = p.Stride },
        IndirectRecurrentFloat i => new() { ["hidden"] = i.Hidden, ["hiddenActivation"] = (int)i.HiddenActivation },
        _ => new(),
    };

    private static int Option(Dictionary<string, int> options, string name) =>
        options.TryGetValue(name, out int v) ? v : throw new ArgumentException($"layer option '{name}' is missing");
}
