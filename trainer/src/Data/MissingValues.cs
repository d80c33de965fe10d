using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeNet.Trainer.Data;

/// <summary>What <c>--missing</c> does with a missing feature value ('?', an empty cell, NA, null).</summary>
public enum MissingPolicy { Error, Drop, Mean, Median }

/// <summary>
/// Per-feature fill values for missing readings: the mean or median of the training rows (never test rows),
/// kept in the float model file as its optional top-level "missing" object
/// <c>{ "strategy": "mean", "fill": [ ... ] }</c> so evaluate, quantize and simulate fill a missing reading
/// exactly as training did. While a dataset waits to be filled, a missing cell is NaN in its row
/// (the loader refuses NaN written in a file, so NaN can only mean "missing").
/// </summary>
public sealed class MissingValues
{
    public MissingPolicy Strategy;

    /// <summary>Fill[f]: the value a missing reading of feature f takes.</summary>
    public float[] Fill;

    /// <summary>The fill values of the training rows: each feature's mean or median over its present values.</summary>
    public static MissingValues Fit(Dataset train, MissingPolicy strategy)
    {
        if (strategy is not (MissingPolicy.Mean or MissingPolicy.Median)) throw new ArgumentException("only mean and median are fitted");
        var fill = new float[train.FeatureCount];
        var present = new List<float>();
        for (int f = 0; f < fill.Length; f++)
        {
            present.Clear();
            foreach (float[] row in train.Rows)
            {
                if (!float.IsNaN(row[f])) present.Add(row[f]);
            }
            if (present.Count == 0)
                throw new DataException(train.SourceFile, 0, train.FeatureNames[f], "every training row misses this feature, so there is nothing to fill it from; leave the column out with --drop");
            if (strategy == MissingPolicy.Mean)
            {
                double sum = 0;
                foreach (float v in present) sum += v;
                fill[f] = (float)(sum / present.Count);
            }
            else
            {
                present.Sort();
                int n = present.Count;
                fill[f] = n % 2 == 1 ? present[n / 2] : (float)((present[n / 2 - 1] + (double)present[n / 2]) / 2);
            }
        }
        return new MissingValues { Strategy = strategy, Fill = fill };
    }

    /// <summary>Replaces every missing (NaN) value of the rows in place; returns how many were filled.</summary>
    public int Apply(Dataset data)
    {
        int filled = 0;
        foreach (float[] row in data.Rows)
        {
            for (int f = 0; f < row.Length; f++)
            {
                if (!float.IsNaN(row[f])) continue;
                row[f] = Fill[f];
                filled++;
            }
        }
        return filled;
    }

    /// <summary>Missing (NaN) values in the rows.</summary>
    public static int Count(Dataset data)
    {
        int n = 0;
        foreach (float[] row in data.Rows)
        {
            foreach (float v in row) if (float.IsNaN(v)) n++;
        }
        return n;
    }

    public JsonObject ToJson()
    {
        var fill = new JsonArray();
        foreach (float v in Fill) fill.Add(v);
        return new JsonObject { ["strategy"] = Strategy.ToString().ToLowerInvariant(), ["fill"] = fill };
    }

    /// <summary>The "missing" object of a float model file; null when the file has none.</summary>
    public static MissingValues FromJson(JsonNode node, string path, int features)
    {
        if (node == null) return null;
        string strategy = (string)node["strategy"];
        if (!Enum.TryParse(strategy, true, out MissingPolicy p) || p is not (MissingPolicy.Mean or MissingPolicy.Median))
            throw new DataException(path, 0, "missing.strategy", $"'{Cells.Show(strategy)}' is not a fill strategy (mean or median)");
        JsonArray values = node["fill"] as JsonArray ?? throw new DataException(path, 0, "missing.fill", "the fill values are absent");
        if (values.Count != features) throw new DataException(path, 0, "missing.fill", $"{values.Count} fill values for {features} features");
        var fill = new float[features];
        for (int f = 0; f < features; f++)
        {
            double v = values[f]?.GetValue<double>() ?? double.NaN;
            if (!double.IsFinite(v) || Math.Abs(v) > float.MaxValue)
                throw new DataException(path, 0, $"missing.fill[{f}]", $"{v.ToString(CultureInfo.InvariantCulture)} is not a usable fill value");
            fill[f] = (float)v;
        }
        return new MissingValues { Strategy = p, Fill = fill };
    }
}
