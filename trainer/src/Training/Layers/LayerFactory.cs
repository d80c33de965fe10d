using EdgeNet.Layers;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>
/// Float layers by the shared <see cref="LayerKind"/>: the kind's name in the float model file, and the layer
/// rebuilt from a file record (kind, input shape, output channels, activation, the kind's options). The shape
/// rules are the int8 layers' (Conv1D.OutputSteps, Pool1DLayer.OutputStepsOf); a new kind adds its float class
/// and one case here.
/// </summary>
public static class LayerFactory
{
    /// <summary>The file and message name of a kind: the enum name in lower case ("conv1d", "indirectrecurrent").</summary>
    public static string Name(LayerKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// The kind (and feedback, for recurrent layers) of a file name; also the names of version 1 files
    /// ("recurrent-direct", "recurrent-indirect"...). Null when the name is unknown.
    /// </summary>
    public static (LayerKind Kind, Feedback Feedback)? Parse(string name)
    {
        foreach (LayerKind k in Enum.GetValues<LayerKind>())
        {
            if (Name(k) == name) return (k, 0);
        }
        return name switch
        {
            "recurrent-direct" => (LayerKind.Recurrent, Feedback.Direct),
            "recurrent-lateral" => (LayerKind.Recurrent, Feedback.Lateral),
            "recurrent-complete" => (LayerKind.Recurrent, Feedback.Complete),
            "recurrent-indirect" => (LayerKind.IndirectRecurrent, Feedback.Indirect),
            _ => null,
        };
    }

    public static FloatLayer Create(LayerKind kind, int inputSteps, int inputChannels, int outputChannels,
        Activation activation, Dictionary<string, int> options)
    {
        switch (kind)
        {
            case LayerKind.Dense:
                return new DenseFloat(inputSteps * inputChannels, outputChannels, activation, inputSteps);
            case LayerKind.Conv1D:
                return new Conv1DFloat(inputSteps, inputChannels, outputChannels, Option(options, "kernel"), Option(options, "stride"), Option(options, "padding"), activation);
            case LayerKind.MaxPool1D:
            case LayerKind.AvgPool1D:
                return new Pool1DFloat(kind == LayerKind.MaxPool1D, inputSteps, inputChannels, Option(options, "pool"), Option(options, "stride"));
            case LayerKind.Recurrent:
                var feedback = (Feedback)Option(options, "feedback");
                if (feedback is not (Feedback.Direct or Feedback.Lateral or Feedback.Complete))
                    throw new ArgumentException($"recurrent layer: feedback code {(int)feedback} is not direct (1), lateral (2) or complete (3)");
                return new RecurrentFloat(inputSteps, inputChannels, outputChannels, feedback, activation);
            case LayerKind.IndirectRecurrent:
                int hiddenActivation = Option(options, "hiddenActivation");
                if (hiddenActivation < 0 || hiddenActivation >= Activations.Count) throw new ArgumentException($"indirect block: unknown hidden activation code {hiddenActivation}");
                return new IndirectRecurrentFloat(inputSteps, inputChannels, Option(options, "hidden"), outputChannels,
                    (Activation)hiddenActivation, activation);
            default:
                throw new ArgumentException($"layer kind {(int)kind} has no float layer");
        }
    }

    /// <summary>Kind-specific integers the file stores besides the shape, named as the int8 record's fields.</summary>
    public static Dictionary<string, int> OptionsOf(FloatLayer layer) => layer switch
    {
        Conv1DFloat c => new() { ["kernel"] = c.Kernel, ["stride"] = c.Stride, ["padding"] = c.Padding },
        Pool1DFloat p => new() { ["pool"] = p.Pool, ["stride"] = p.Stride },
        RecurrentFloat r => new() { ["feedback"] = (int)r.Feedback },
        IndirectRecurrentFloat i => new() { ["hidden"] = i.Hidden, ["hiddenActivation"] = (int)i.HiddenActivation },
        _ => new(),
    };

    private static int Option(Dictionary<string, int> options, string name) =>
        options.TryGetValue(name, out int v) ? v : throw new ArgumentException($"layer option '{name}' is missing");
}
