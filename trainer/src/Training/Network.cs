using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// A trained float network: the input normalization, the layers, the feature and class names.
/// Forward takes a raw (unnormalized) row. Saved as a JSON "float model file" (see <see cref="Save"/>).
/// </summary>
public sealed class Network
{
    public const string FileFormat = "edgenet-float-model";
    public const int FileVersion = 1;

    public string Name;
    public Normalization Normalization;
    public FloatLayer[] Layers;
    public string[] FeatureNames;
    public string[] ClassLabels;

    /// <summary>Fill values for missing readings, fitted on the training rows (null = a missing reading is an error).</summary>
    public MissingValues Missing;

    /// <summary>The loss it was trained with (cross-entropy: outputs are logits).</summary>
    public Loss Loss;

    public int InputLength => Layers[0].InputLength;
    public int OutputLength => Layers[^1].OutputLength;

    /// <summary>The output layer's values (logits for cross-entropy) for one raw row.</summary>
    public float[] Forward(float[] rawRow)
    {
        var x = new float[InputLength];
        Normalization.Apply(rawRow, x);
        foreach (FloatLayer layer in Layers)
        {
            var y = new float[layer.OutputLength];
            layer.Forward(x, y, 1);
            x = y;
        }
        return x;
    }

    /// <summary>Class probabilities: softmax of the logits (cross-entropy) or the normalized outputs.</summary>
    public float[] Probabilities(float[] rawRow)
    {
        float[] y = Forward(rawRow);
        if (Loss == Loss.CrossEntropy) CrossEntropyLoss.StableSoftMax(y, y);
        else
        {
            TensorPrimitives.Max(y, 0f, y);
            float s = TensorPrimitives.Sum(y);
            if (s > 0) TensorPrimitives.Divide(y, s, y);
        }
        return y;
    }

    public int Predict(float[] rawRow) => TensorPrimitives.IndexOfMax(Forward(rawRow));

    /// <summary>Predicted class of every row (batched; the first maximum wins ties, as on the device).</summary>
    public int[] Classify(Dataset data)
    {
        var runner = new BatchRunner(this, 256);
        var classes = new int[data.Count];
        for (int start = 0; start < data.Count; start += 256)
        {
            int batch = Math.Min(256, data.Count - start);
            float[] y = runner.Run(data.Rows, start, batch);
            for (int b = 0; b < batch; b++) classes[start + b] = ArgMax(y.AsSpan(b * OutputLength, OutputLength));
        }
        return classes;
    }

    /// <summary>Index of the largest value, the first on ties (as the device decides).</summary>
    public static int ArgMax(ReadOnlySpan<float> y)
    {
        int best = 0;
        for (int i = 1; i < y.Length; i++)
        {
            if (y[i] > y[best]) best = i;
        }
        return best;
    }

    /// <summary>Every layer's output for one raw row (normalized input first), for per-layer comparisons.</summary>
    public float[][] Trace(float[] rawRow)
    {
        var outs = new float[Layers.Length + 1][];
        outs[0] = new float[InputLength];
        Normalization.Apply(rawRow, outs[0]);
        for (int l = 0; l < Layers.Length; l++)
        {
            outs[l + 1] = new float[Layers[l].OutputLength];
            Layers[l].Forward(outs[l], outs[l + 1], 1);
        }
        return outs;
    }

    // ---- the float model file -------------------------------------------------------------------

    /// <summary>
    /// Writes the JSON model file: format, version, names, normalization, and per layer its kind, shape,
    /// activation and flat parameters (floats written in round-trip form, so Load gives identical numbers).
    /// </summary>
    public void Save(string path)
    {
        var layers = new JsonArray();
        foreach (FloatLayer l in Layers)
        {
            layers.Add(new JsonObject
            {
                ["kind"] = l.Kind,
                ["inputSteps"] = l.InputSteps, ["inputChannels"] = l.InputChannels,
                ["outputSteps"] = l.OutputSteps, ["outputChannels"] = l.OutputChannels,
                ["activation"] = EdgeNet.Layers.Activations.Name(l.Activation),
                ["options"] = JsonSerializer.SerializeToNode(LayerFactory.OptionsOf(l)),
                ["parameters"] = JsonSerializer.SerializeToNode(l.Parameters),
            });
        }
        var root = new JsonObject
        {
            ["format"] = FileFormat, ["version"] = FileVersion, ["name"] = Name,
            ["loss"] = Loss.ToString(),
            ["featureNames"] = JsonSerializer.SerializeToNode(FeatureNames),
            ["classLabels"] = JsonSerializer.SerializeToNode(ClassLabels),
            ["normalization"] = new JsonObject
            {
                ["mean"] = JsonSerializer.SerializeToNode(Normalization.Mean),
                ["std"] = JsonSerializer.SerializeToNode(Normalization.Std),
                ["maxAbs"] = JsonSerializer.SerializeToNode(Normalization.MaxAbs),
            },
            ["layers"] = layers,
        };
        if (Missing != null) root["missing"] = Missing.ToJson();
        string dir = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(dir);
        // Write beside, then move: a failed write never destroys a working model file.
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(tmp, path, overwrite: true);
    }

    public static Network Load(string path)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DataException(path, (int)(e.LineNumber ?? -1) + 1, null, "not a valid JSON model file: " + e.Message);
        }
        try
        {
            if ((string)root["format"] != FileFormat) throw new DataException(path, 0, "format", $"not an EdgeNet float model (format must be '{FileFormat}')");
            if ((int)root["version"] != FileVersion) throw new DataException(path, 0, "version", $"model file version {(int)root["version"]} is not supported (expected {FileVersion})");
            var net = new Network
            {
                Name = (string)root["name"],
                Loss = Enum.Parse<Loss>((string)root["loss"]),
                FeatureNames = root["featureNames"].Deserialize<string[]>(),
                ClassLabels = root["classLabels"].Deserialize<string[]>(),
                Normalization = new Normalization
                {
                    Mean = root["normalization"]["mean"].Deserialize<float[]>(),
                    Std = root["normalization"]["std"].Deserialize<float[]>(),
                    MaxAbs = root["normalization"]["maxAbs"].Deserialize<double[]>(),
                },
            };
            var layers = new List<FloatLayer>();
            foreach (JsonNode n in root["layers"].AsArray())
            {
                FloatLayer l = LayerFactory.Create((string)n["kind"], (int)n["inputSteps"], (int)n["inputChannels"],
                    (int)n["outputSteps"], (int)n["outputChannels"], ActivationFunctions.Parse((string)n["activation"]),
                    n["options"]?.Deserialize<Dictionary<string, int>>() ?? new());
                float[] p = n["parameters"].Deserialize<float[]>();
                if (p.Length != l.Parameters.Length)
                    throw new DataException(path, 0, "parameters", $"layer {layers.Count + 1} ({l.Kind}) has {p.Length} parameters, its shape needs {l.Parameters.Length}");
                p.CopyTo(l.Parameters, 0);
                layers.Add(l);
            }
            net.Layers = layers.ToArray();
            net.Missing = MissingValues.FromJson(root["missing"], path, net.FeatureNames.Length);
            net.Check(path);
            FloatModelCheck.Check(net, path);
            return net;
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException or JsonException)
        {
            throw new DataException(path, 0, null, "the model file is incomplete or malformed: " + e.Message);
        }
    }

    /// <summary>Shapes chain, names match the layer sizes.</summary>
    public void Check(string source = null)
    {
        if (Layers == null || Layers.Length == 0) throw new DataException(source, 0, "layers", "the model has no layers");
        if (Normalization.Count != FeatureNames.Length || Layers[0].InputChannels != FeatureNames.Length)
            throw new DataException(source, 0, "featureNames", "feature names, normalization and the first layer's inputs disagree");
        for (int i = 1; i < Layers.Length; i++)
        {
            if (Layers[i].InputLength != Layers[i - 1].OutputLength)
                throw new DataException(source, 0, "layers", $"layer {i + 1} takes {Layers[i].InputLength} inputs but layer {i} gives {Layers[i - 1].OutputLength}");
        }
        if (OutputLength != ClassLabels.Length && !(OutputLength == 1 && ClassLabels.Length == 2))
            throw new DataException(source, 0, "classLabels", $"{ClassLabels.Length} classes but the output layer has {OutputLength} units");
    }
}

/// <summary>Runs a network over batches of raw rows with buffers allocated once.</summary>
internal sealed class BatchRunner
{
    private readonly Network _net;
    private readonly float[][] _act;

    public BatchRunner(Network net, int maxBatch)
    {
        _net = net;
        _act = new float[net.Layers.Length + 1][];
        _act[0] = new float[maxBatch * net.InputLength];
        for (int l = 0; l < net.Layers.Length; l++) _act[l + 1] = new float[maxBatch * net.Layers[l].OutputLength];
    }

    /// <summary>Output of layer l (0 = normalized input) after the last Run.</summary>
    public float[] Activation(int l) => _act[l];

    public float[] Run(float[][] rows, int start, int batch)
    {
        int n = _net.InputLength;
        for (int b = 0; b < batch; b++) _net.Normalization.Apply(rows[start + b], _act[0].AsSpan(b * n, n));
        return RunNormalized(batch);
    }

    public float[] RunNormalized(int batch)
    {
        for (int l = 0; l < _net.Layers.Length; l++) _net.Layers[l].Forward(_act[l], _act[l + 1], batch);
        return _act[^1];
    }
}
