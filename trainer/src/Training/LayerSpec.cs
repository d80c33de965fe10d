using System.Globalization;
using System.Text.RegularExpressions;
using EdgeNet.Layers;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Training;

/// <summary>A layer spec that cannot be built; the message names the token and its column.</summary>
public sealed class LayerSpecException(string message, string token, int column) : ArgumentException(message)
{
    /// <summary>The offending token ("maxpol:2"), null when the spec as a whole is at fault.</summary>
    public string Token { get; } = token;

    /// <summary>1-based column of the token in the spec; 0 when the spec as a whole is at fault.</summary>
    public int Column { get; } = column;
}

/// <summary>
/// The layer spec of <c>edgenet train --layers</c> (grammar in docs/cli.md): comma-separated tokens, each a
/// layer or the activation of the layer before it, for example <c>conv1d:8k3,relu,maxpool:2,dense:32,relu</c>.
/// The output layer (one unit per class) is always appended. Layers:
/// <c>dense:N</c>, <c>conv1d:FkK[sS][pP]</c>, <c>maxpool:P[sS]</c>, <c>avgpool:P[sS]</c>,
/// <c>rnn-direct:N</c>, <c>rnn-lateral:N</c>, <c>rnn-complete:N</c>, <c>rnn-indirect:HoN</c>; activations:
/// identity, relu, sigmoid, tanh. Without an activation token a layer is linear (identity), a recurrent one tanh.
/// </summary>
public static class LayerSpec
{
    public const string Activations = "identity, relu, sigmoid, tanh";
    public const string Kinds = "dense:N, conv1d:FkK[sS][pP], maxpool:P[sS], avgpool:P[sS], rnn-direct:N, rnn-lateral:N, rnn-complete:N, rnn-indirect:HoN";

    /// <summary>The spec of a stack of dense layers (the <c>--hidden</c> shorthand): "dense:32,relu,dense:16,relu".</summary>
    public static string Dense(int[] hidden, Activation activation) =>
        string.Join(",", hidden.Select(h => $"dense:{h},{EdgeNet.Layers.Activations.Name(activation)}"));

    /// <summary>Joins spec parts, skipping empty ones.</summary>
    public static string Join(params string[] parts) => string.Join(",", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    /// <summary>True when the first layer of the spec reads a sequence (conv1d, pooling, recurrent): it needs a window.</summary>
    public static bool FirstLayerNeedsWindow(string spec)
    {
        var tokens = Tokens(spec);
        return tokens.Count > 0 && !tokens[0].Text.StartsWith("dense:", StringComparison.OrdinalIgnoreCase)
               && ParseActivation(tokens[0].Text) == null;
    }

    /// <summary>
    /// The layers of the spec for inputs of [window][features], then the output layer (classes units,
    /// outputActivation), flattening a multi-step tensor into it. Throws <see cref="LayerSpecException"/>.
    /// </summary>
    public static FloatLayer[] Build(string spec, int window, int features, int classes, Activation outputActivation)
    {
        if (window < 1) throw new LayerSpecException($"the window must be at least 1 reading (got {window})", null, 0);
        var layers = new List<FloatLayer>();
        int steps = window, channels = features;
        List<Token> tokens = Tokens(spec);
        for (int i = 0; i < tokens.Count; i++)
        {
            Token t = tokens[i];
            if (ParseActivation(t.Text) != null)
                throw Error(t, i, layers.Count == 0 ? "an activation must follow a layer" : "the layer before already has an activation");
            Activation? next = i + 1 < tokens.Count ? ParseActivation(tokens[i + 1].Text) : null;
            FloatLayer layer = Layer(t, i, layers.Count, steps, channels, next);
            if (next != null) i++;
            layers.Add(layer);
            steps = layer.OutputSteps;
            channels = layer.OutputChannels;
        }
        layers.Add(new DenseFloat(steps * channels, classes, outputActivation, steps));
        return layers.ToArray();
    }

    private static FloatLayer Layer(Token t, int index, int position, int steps, int channels, Activation? activation)
    {
        int colon = t.Text.IndexOf(':');
        string kind = (colon < 0 ? t.Text : t.Text[..colon]).ToLowerInvariant();
        string args = colon < 0 ? "" : t.Text[(colon + 1)..].ToLowerInvariant();
        if (colon < 0 && IsKind(kind)) throw Error(t, index, $"'{kind}' needs its size after a colon ({Usage(kind)})");
        if (activation == Activation.Step) throw Error(t, index, "step has no gradient; backpropagation cannot train it");
        try
        {
            switch (kind)
            {
                case "dense":
                    return new DenseFloat(steps * channels, Int(t, index, args, "^(\\d+)$", kind)[0], activation ?? Activation.Identity, steps);
                case "conv1d":
                    {
                        Match m = MatchArgs(t, index, args, "^(\\d+)k(\\d+)(?:s(\\d+))?(?:p(\\d+))?$", kind);
                        int filters = Group(m, 1, 0), kernel = Group(m, 2, 0), stride = Group(m, 3, 1), padding = Group(m, 4, 0);
                        if (filters < 1 || kernel < 1 || stride < 1) throw Error(t, index, "filters, kernel and stride must be at least 1");
                        if (padding >= kernel) throw Error(t, index, $"padding {padding} must be smaller than the kernel {kernel}");
                        int outSteps = EdgeNet.Kernels.Conv1D.OutputSteps(steps, kernel, stride, padding);
                        if (outSteps < 1) throw Error(t, index, $"a kernel of {kernel} with padding {padding} does not fit the {steps} steps it gets (--window)");
                        return new Conv1DFloat(steps, channels, filters, kernel, stride, padding, activation ?? Activation.Identity);
                    }
                case "maxpool":
                case "maxpool1d":
                case "avgpool":
                case "avgpool1d":
                    {
                        if (activation != null) throw Error(t, index, "pooling has no activation (it keeps its input's)");
                        Match m = MatchArgs(t, index, args, "^(\\d+)(?:s(\\d+))?$", kind);
                        int pool = Group(m, 1, 0), stride = Group(m, 2, pool);
                        if (pool < 1 || stride < 1) throw Error(t, index, "pool size and stride must be at least 1");
                        if (pool > steps) throw Error(t, index, $"a pool of {pool} steps is longer than the {steps} steps it gets");
                        return new Pool1DFloat(kind.StartsWith("max"), steps, channels, pool, stride);
                    }
                case "rnn-direct":
                case "rnn-lateral":
                case "rnn-complete":
                    {
                        if (position > 0) throw Error(t, index, "a recurrent layer must be the first layer (the device feeds it one reading per inference)");
                        var feedback = kind switch { "rnn-direct" => Feedback.Direct, "rnn-lateral" => Feedback.Lateral, _ => Feedback.Complete };
                        return new RecurrentFloat(steps, channels, Int(t, index, args, "^(\\d+)$", kind)[0], feedback, activation ?? Activation.Tanh);
                    }
                case "rnn-indirect":
                    {
                        if (position > 0) throw Error(t, index, "a recurrent layer must be the first layer (the device feeds it one reading per inference)");
                        int[] v = Int(t, index, args, "^(\\d+)o(\\d+)$", kind);
                        return new IndirectRecurrentFloat(steps, channels, v[0], v[1], Activation.Tanh, activation ?? Activation.Tanh);
                    }
                default:
                    throw Error(t, index, $"unknown layer '{kind}' (layers: {Kinds}; activations: {Activations})");
            }
        }
        catch (ArgumentException e) when (e is not LayerSpecException)
        {
            throw Error(t, index, e.Message);
        }
    }

    private static bool IsKind(string kind) => kind is "dense" or "conv1d" or "maxpool" or "maxpool1d" or "avgpool" or "avgpool1d"
        or "rnn-direct" or "rnn-lateral" or "rnn-complete" or "rnn-indirect";

    private static string Usage(string kind) => kind switch
    {
        "dense" => "dense:N, N units",
        "conv1d" => "conv1d:FkK[sS][pP], F filters of K steps, stride S (1), padding P (0)",
        "maxpool" or "maxpool1d" or "avgpool" or "avgpool1d" => $"{kind}:P[sS], pool P steps, stride S (P)",
        "rnn-indirect" => "rnn-indirect:HoN, H hidden units, N outputs fed back",
        _ => $"{kind}:N, N units",
    };

    private static Activation? ParseActivation(string text) => text.ToLowerInvariant() switch
    {
        "identity" or "linear" => Activation.Identity,
        "relu" => Activation.Relu,
        "sigmoid" => Activation.Sigmoid,
        "tanh" => Activation.Tanh,
        "step" => Activation.Step,
        _ => null,
    };

    private static Match MatchArgs(Token t, int index, string args, string pattern, string kind)
    {
        Match m = Regex.Match(args, pattern, RegexOptions.CultureInvariant);
        if (!m.Success) throw Error(t, index, $"'{args}' is not a {kind} size ({Usage(kind)})");
        for (int g = 1; g < m.Groups.Count; g++)
        {
            if (m.Groups[g].Success && (!int.TryParse(m.Groups[g].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v > 4096))
                throw Error(t, index, $"'{m.Groups[g].Value}' is too large (at most 4096)");
        }
        return m;
    }

    private static int[] Int(Token t, int index, string args, string pattern, string kind)
    {
        Match m = MatchArgs(t, index, args, pattern, kind);
        var v = new int[m.Groups.Count - 1];
        for (int g = 1; g < m.Groups.Count; g++)
        {
            v[g - 1] = int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
            if (v[g - 1] < 1) throw Error(t, index, "sizes must be at least 1");
        }
        return v;
    }

    private static int Group(Match m, int g, int fallback) =>
        m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : fallback;

    private static LayerSpecException Error(Token t, int index, string problem) =>
        new($"token {index + 1} '{t.Text}' (column {t.Column}): {problem}", t.Text, t.Column);

    private readonly record struct Token(string Text, int Column);

    private static List<Token> Tokens(string spec)
    {
        var tokens = new List<Token>();
        if (string.IsNullOrWhiteSpace(spec)) return tokens;
        int at = 0;
        foreach (string part in spec.Split(','))
        {
            string text = part.Trim();
            int column = at + part.IndexOf(text, StringComparison.Ordinal) + 1;
            if (text.Length == 0) throw new LayerSpecException($"empty token at column {at + 1} (two commas, or a comma at an end)", "", at + 1);
            tokens.Add(new Token(text, column));
            at += part.Length + 1;
        }
        return tokens;
    }
}
