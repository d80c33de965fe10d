using EdgeNet.Engine;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;

namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// Runs a quantized model exactly as the device does: each row becomes raw integer readings (the sensor
/// layer's job), then the shared InferenceEngine's integer kernels classify it. Rows are pushed in order,
/// so a model with an input window sees consecutive rows as consecutive readings; at each session start the
/// engine is reset (input window to the zero point, recurrent state cleared), as the device resets on boot.
/// </summary>
public static class Simulator
{
    /// <summary>The class of every row; sessionStarts null = the rows are one session; into (optional): the array to fill and return.</summary>
    public static int[] Classify(Model model, Dataset data, bool[] sessionStarts = null, int[] into = null)
    {
        int[] map = FeatureMap(model, data);
        sessionStarts ??= data.SessionStarts(null);
        var engine = new InferenceEngine(model);
        if (into != null && into.Length != data.Count) throw new ArgumentException("one class per row");
        int[] classes = into ?? new int[data.Count];
        var row = new float[model.FeatureCount];
        for (int r = 0; r < data.Count; r++)
        {
            if (sessionStarts[r]) engine.Reset();
            ReadOnlySpan<float> values = data.Features.Row(r); // in place: a memory-mapped store is not copied
            for (int f = 0; f < map.Length; f++) row[f] = values[map[f]];
            engine.PushReading(RawReading(model, row));
            classes[r] = engine.Invoke();
        }
        return classes;
    }

    /// <summary>The raw readings of one row (its values times 10^RawExponent per feature, as int32).</summary>
    public static int[] RawReading(Model m, ReadOnlySpan<float> row) => QuantizationRule.ToRaw(row, m.Input);

    /// <summary>The int8 input tensor then every layer's output for one row on a fresh engine.</summary>
    public static sbyte[][] Trace(Model model, float[] row)
    {
        var engine = new InferenceEngine(model, keepEveryOutput: true);
        engine.PushReading(RawReading(model, row));
        engine.Invoke();
        var trace = new sbyte[model.Layers.Length + 1][];
        trace[0] = (sbyte[])engine.Input.Clone();
        for (int l = 0; l < model.Layers.Length; l++) trace[l + 1] = (sbyte[])engine.LayerOutput(l).Clone();
        return trace;
    }

    /// <summary>Column of the data for each model feature, by name.</summary>
    private static int[] FeatureMap(Model model, Dataset data)
    {
        var map = new int[model.FeatureCount];
        for (int f = 0; f < map.Length; f++)
        {
            map[f] = Array.IndexOf(data.FeatureNames, model.FeatureNames[f]);
            if (map[f] < 0) throw new DataException(data.SourceFile, 0, model.FeatureNames[f], "the model needs this feature but the data has no such column");
        }
        return map;
    }
}
