using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// A trained float network: the input normalization, the layers, the feature and class names. Every network
/// type is one of these: an MLP is a stack whose first layer takes a window of one reading; a window model
/// (dense over a window, CNN) takes the last <see cref="Window"/> readings as one [steps][features] input; a
/// streaming model (a recurrent first layer) is trained on sequences of <see cref="Window"/> readings by
/// backpropagation through time but runs one reading at a time with its state carried, as on the device.
/// Forward/Predict/Trace take one raw (unnormalized) row and suit window-1 models; <see cref="Classify(Dataset, bool[])"/>
/// runs any model over a stream of rows. Saved as a JSON "float model file" (see <see cref="Save"/>).
/// </summary>
public sealed class Network
{
    public const string FileFormat = "edgenet-float-model";

    /// <summary>2: layer kinds named after the shared LayerKind ("recurrent" + a feedback option). 1 is still read.</summary>
    public const int FileVersion = 2;

    public string Name;
    public Normalization Normalization;
    public FloatLayer[] Layers;
    public string[] FeatureNames;
    public string[] ClassLabels;

    /// <summary>Fill values for missing readings, fitted on the training rows (null = a missing reading is an error).</summary>
    public MissingValues Missing;

    /// <summary>The loss it was trained with (cross-entropy: outputs are logits).</summary>
    public Loss Loss;

    /// <summary>The column whose changes started new sessions in training (null: the rows were one stream).</summary>
    public string SessionColumn;
    /// <summary>Where the training rows came from (null: not recorded).</summary>
    public DataProvenance Data;

    /// <summary>
    /// The ranges quantization-aware fine-tuning trained with (frozen at the kept epoch); quantize builds the model
    /// with them, so the exported model is the one fine-tuned. Null: not fine-tuned, quantize calibrates.
    /// </summary>
    public Quantization.CalibratedRanges QuantizationRanges;

    /// <summary>
    /// With <see cref="QuantizationRanges"/>: each layer's precision the fine-tuning trained with (ModelFormat.PrecisionInt8
    /// or PrecisionInt16) and the --precision mode that chose it; quantize exports with them. A file fine-tuned
    /// before 16-bit layers existed in training has none: every layer int8, which is what it trained with.
    /// </summary>
    public int[] QuantizationPrecisions;

    /// <summary>With <see cref="QuantizationPrecisions"/>: per layer, 16-bit weights too (width int16x16); null = none.</summary>
    public bool[] QuantizationWideWeights;
    public Quantization.PrecisionMode QuantizationPrecisionMode = Quantization.PrecisionMode.Int8;

    /// <summary>
    /// The validation split training held out of its rows (Splits.ValidationRows with this fraction and seed on
    /// the training rows); fraction 0 = none. Saved as "validation", so quantize's --precision auto judges on
    /// the same held-out rows, never on test rows.
    /// </summary>
    public double ValidationFraction;
    public int ValidationSeed;

    /// <summary>The validation rows of these training rows, or null when training held none out.</summary>
    public Dataset ValidationRowsOf(Dataset train) =>
        ValidationFraction > 0 ? train.Subset(Splits.ValidationRows(train, ValidationFraction, ValidationSeed).Validation) : null;

    public int InputLength => Layers[0].InputLength;
    public int OutputLength => Layers[^1].OutputLength;

    /// <summary>Readings per sample: the first layer's input steps (the BPTT length for a streaming model).</summary>
    public int Window => Layers[0].InputSteps;

    /// <summary>True when the first layer is recurrent: the device model takes one reading per inference.</summary>
    public bool Streaming => Layers[0] is RecurrentFloat || Layers[0] is IndirectRecurrentFloat;

    public int ParameterCount => Layers.Sum(l => l.Parameters.Length);

    /// <summary>A copy whose layers have their own parameters (names, normalization and ranges shared).</summary>
    public Network Copy()
    {
        var c = (Network)MemberwiseClone();
        c.Layers = Layers.Select(l => l.Clone()).ToArray();
        return c;
    }

    /// <summary>
    /// The rows as this network's samples (windows of <see cref="Window"/> readings), sessions as given, made
    /// from the rows when read (<see cref="SequenceSet.CopySample"/>, <see cref="SequenceSet.CopyReading"/>): a
    /// memory-mapped store is read in place, never copied.
    /// </summary>
    public SequenceSet Samples(Dataset rows, bool[] sessionStarts) => SequenceSet.Over(rows, Normalization, Window, sessionStarts);

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

    /// <summary>
    /// Predicted class of every row of a stream (the first maximum wins ties, as on the device): window models
    /// see the last readings of the row's session, streaming models carry their state through the session.
    /// sessionStarts null: the rows are one session.
    /// </summary>
    public int[] Classify(Dataset data, bool[] sessionStarts = null) => Classify(Samples(data, sessionStarts));

    /// <summary>Predicted class per sample: windows through the layers (batched), or the stream reading by reading.</summary>
    public int[] Classify(SequenceSet set)
    {
        if (Streaming)
        {
            var classes = new int[set.Count];
            var stream = new StreamRunner(this);
            var reading = new float[set.Features];
            for (int r = 0; r < set.Count; r++)
            {
                if (set.SegmentStart[r]) stream.Reset();
                set.CopyReading(r, reading);
                classes[r] = ArgMax(stream.Step(reading));
            }
            return classes;
        }
        var runner = new BatchRunner(this, 256);
        var result = new int[set.Count];
        int n = set.SampleLength;
        for (int start = 0; start < set.Count; start += 256)
        {
            int batch = Math.Min(256, set.Count - start);
            for (int b = 0; b < batch; b++) set.CopySample(start + b, runner.Activation(0).AsSpan(b * n, n));
            float[] y = runner.RunNormalized(batch);
            for (int b = 0; b < batch; b++) result[start + b] = ArgMax(y.AsSpan(b * OutputLength, OutputLength));
        }
        return result;
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
                ["kind"] = l.KindName,
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
        if (Normalization.Clips)
        {
            root["normalization"]["clipLow"] = JsonSerializer.SerializeToNode(Normalization.ClipLow);
            root["normalization"]["clipHigh"] = JsonSerializer.SerializeToNode(Normalization.ClipHigh);
        }
        if (SessionColumn != null) root["sessionColumn"] = SessionColumn;
        if (Data != null) root[DataProvenance.JsonName] = Data.ToJson();
        if (Missing != null) root["missing"] = Missing.ToJson();
        if (QuantizationRanges != null) root[RangesJsonName] = JsonSerializer.SerializeToNode(QuantizationRanges, RangesJson);
        if (QuantizationRanges != null && QuantizationPrecisions != null)
            root[PrecisionsJsonName] = new JsonObject
            {
                ["mode"] = QuantizationPrecisionMode.ToString().ToLowerInvariant(),
                ["layers"] = new JsonArray(QuantizationPrecisions.Select((_, l) => (JsonNode)Quantization.LayerWidths.Name(QuantizationPrecisions, QuantizationWideWeights, l)).ToArray()),
            };
        if (ValidationFraction > 0) root["validation"] = new JsonObject { ["fraction"] = ValidationFraction, ["seed"] = ValidationSeed };
        // Write beside, then move: a failed write never destroys a working model file.
        Reports.Files.WriteAtomically(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
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
            int version = (int)root["version"];
            if (version < 1 || version > FileVersion)
                throw new DataException(path, 0, "version", $"model file version {version} is not supported (this edgenet reads versions 1 to {FileVersion}{(version > FileVersion ? "; it was written by a newer edgenet" : "")})");
            var net = new Network
            {
                Name = (string)root["name"],
                SessionColumn = (string)root["sessionColumn"],
                Loss = Enum.Parse<Loss>((string)root["loss"]),
                FeatureNames = root["featureNames"].Deserialize<string[]>(),
                ClassLabels = root["classLabels"].Deserialize<string[]>(),
                Normalization = new Normalization
                {
                    Mean = root["normalization"]["mean"].Deserialize<float[]>(),
                    Std = root["normalization"]["std"].Deserialize<float[]>(),
                    MaxAbs = root["normalization"]["maxAbs"].Deserialize<double[]>(),
                    // Files written before input clipping have no bounds: no clip.
                    ClipLow = root["normalization"]["clipLow"]?.Deserialize<float[]>(),
                    ClipHigh = root["normalization"]["clipHigh"]?.Deserialize<float[]>(),
                },
                Data = DataProvenance.FromJson(root[DataProvenance.JsonName], path),
                ValidationFraction = root["validation"] is JsonObject v ? (double)v["fraction"] : 0,
                ValidationSeed = root["validation"] is JsonObject w ? (int)w["seed"] : 0,
            };
            var layers = new List<FloatLayer>();
            foreach (JsonNode n in root["layers"].AsArray())
            {
                string kindName = (string)n["kind"];
                var kind = LayerFactory.Parse(kindName)
                    ?? throw new DataException(path, 0, "kind", $"layer {layers.Count + 1}: unknown layer kind '{kindName}'");
                var options = n["options"]?.Deserialize<Dictionary<string, int>>() ?? new();
                // Version 1 named the feedback in the kind ("recurrent-lateral"); version 2 stores it as an option.
                if (kind.Kind == LayerKind.Recurrent && kind.Feedback != 0) options["feedback"] = (int)kind.Feedback;
                FloatLayer l = LayerFactory.Create(kind.Kind, (int)n["inputSteps"], (int)n["inputChannels"],
                    (int)n["outputChannels"], ActivationFunctions.Parse((string)n["activation"]), options);
                if (l.OutputSteps != (int)n["outputSteps"])
                    throw new DataException(path, 0, "outputSteps", $"layer {layers.Count + 1} ({l.KindName}) gives {l.OutputSteps} steps by its shape rule, the file says {(int)n["outputSteps"]}");
                float[] p = n["parameters"].Deserialize<float[]>();
                if (p.Length != l.Parameters.Length)
                    throw new DataException(path, 0, "parameters", $"layer {layers.Count + 1} ({l.KindName}) has {p.Length} parameters, its shape needs {l.Parameters.Length}");
                p.CopyTo(l.Parameters, 0);
                layers.Add(l);
            }
            net.Layers = layers.ToArray();
            net.Missing = MissingValues.FromJson(root["missing"], path, net.FeatureNames.Length);
            net.QuantizationRanges = ReadRanges(root[RangesJsonName], net, path);
            if (net.QuantizationRanges != null) ReadPrecisions(root[PrecisionsJsonName], net, path);
            net.Check(path);
            FloatModelCheck.Check(net, path);
            return net;
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException or JsonException)
        {
            throw new DataException(path, 0, null, "the model file is incomplete or malformed: " + e.Message);
        }
    }

    private const string RangesJsonName = "quantizationAwareRanges";
    private static readonly JsonSerializerOptions RangesJson = new() { IncludeFields = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The stored fine-tuning ranges (null when absent), checked against the network's shape.</summary>
    private static Quantization.CalibratedRanges ReadRanges(JsonNode node, Network net, string path)
    {
        if (node == null) return null;
        var r = node.Deserialize<Quantization.CalibratedRanges>(RangesJson);
        int layers = net.Layers.Length, f = net.FeatureNames.Length;
        bool fold = r.FeatureScale != null;
        if (r.OutputMin?.Length != layers || r.OutputMax?.Length != layers || r.MaxAbs?.Length != f
            || fold && (r.FeatureScale.Length != f || r.FeatureShift?.Length != f))
            throw new DataException(path, 0, RangesJsonName, "the quantization-aware ranges do not fit the network's shape");
        return r;
    }

    private const string PrecisionsJsonName = "quantizationAwarePrecision";

    /// <summary>The stored fine-tuning precisions: absent = every layer int8 (a file from before 16-bit fine-tuning).</summary>
    private static void ReadPrecisions(JsonNode node, Network net, string path)
    {
        if (node == null) return;
        string mode = (string)node["mode"];
        if (!Enum.TryParse(mode, ignoreCase: true, out Quantization.PrecisionMode m) || !Enum.IsDefined(m))
            throw new DataException(path, 0, PrecisionsJsonName, $"unknown precision mode '{mode}' (auto, int8, int16 or int16x16)");
        string[] layers = node["layers"].Deserialize<string[]>();
        if (layers.Length != net.Layers.Length)
            throw new DataException(path, 0, PrecisionsJsonName, $"{layers.Length} layer precisions for {net.Layers.Length} layers");
        net.QuantizationPrecisions = new int[layers.Length];
        var wide = new bool[layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            if (!Quantization.LayerWidths.TryParse(layers[l], out net.QuantizationPrecisions[l], out wide[l]))
                throw new DataException(path, 0, PrecisionsJsonName, $"unknown layer precision '{layers[l]}' (int8, int16 or int16x16)");
            if (wide[l] && !net.Layers[l].HasWideWeights)
                throw new DataException(path, 0, PrecisionsJsonName, $"layer {l + 1} ({net.Layers[l].KindName}) has no 16-bit weights (int16x16 is for dense layers)");
        }
        net.QuantizationWideWeights = wide.Any(w => w) ? wide : null;
        net.QuantizationPrecisionMode = m;
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

/// <summary>
/// Runs a streaming network one normalized reading at a time, as the device does: the recurrent first layer
/// steps from its carried state, the layers after it see its output. Buffers allocated once.
/// </summary>
internal sealed class StreamRunner
{
    private readonly Network _net;
    private readonly float[] _state, _hiddenPre, _hidden;
    private readonly float[][] _act, _pre;

    public StreamRunner(Network net)
    {
        _net = net;
        FloatLayer first = net.Layers[0];
        _state = new float[first.OutputLength];
        _hiddenPre = new float[(first as IndirectRecurrentFloat)?.Hidden ?? 0];
        _hidden = new float[_hiddenPre.Length];
        _act = new float[net.Layers.Length][];
        _pre = new float[net.Layers.Length][];
        for (int l = 0; l < net.Layers.Length; l++)
        {
            _act[l] = new float[net.Layers[l].OutputLength];
            _pre[l] = new float[net.Layers[l].OutputLength];
        }
    }

    /// <summary>Layer l's output after the last Step.</summary>
    public float[] Output(int l) => _act[l];

    /// <summary>Layer l's pre-activation after the last Step.</summary>
    public float[] PreActivation(int l) => _pre[l];

    /// <summary>An indirect block's hidden pre-activation after the last Step (empty for other layers).</summary>
    public float[] HiddenPreActivation => _hiddenPre;

    /// <summary>Clears the carried state (a session start; the device's reset).</summary>
    public void Reset() => Array.Clear(_state);

    /// <summary>One reading through the network; returns the output layer's values.</summary>
    public float[] Step(ReadOnlySpan<float> reading)
    {
        FloatLayer[] layers = _net.Layers;
        if (layers[0] is RecurrentFloat rec) rec.Step(reading, _state, _pre[0], _act[0]);
        else ((IndirectRecurrentFloat)layers[0]).Step(reading, _state, _hiddenPre, _hidden, _pre[0], _act[0]);
        _act[0].CopyTo(_state, 0);
        for (int l = 1; l < layers.Length; l++)
        {
            layers[l].Propagate(_act[l - 1], _pre[l], 1);
            _pre[l].CopyTo(_act[l], 0);
            ActivationFunctions.Apply(layers[l].Activation, _act[l]);
        }
        return _act[^1];
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
