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

    /// <summary>
    /// The fill values of the training rows: each feature's mean or median over its present values. The rows are
    /// read in place (a memory-mapped store is not copied): one pass counts and sums every feature's present
    /// values (in row order, as a per-feature sum would); a median then gathers one feature's present values at a
    /// time (4 bytes a row) and sorts them.
    /// </summary>
    public static MissingValues Fit(Dataset train, MissingPolicy strategy)
    {
        if (strategy is not (MissingPolicy.Mean or MissingPolicy.Median)) throw new ArgumentException("only mean and median are fitted");
        IFeatureRows rows = train.Features;
        int features = train.FeatureCount;
        var fill = new float[features];
        var sum = new double[features];
        var count = new int[features];
        for (int r = 0; r < rows.Count; r++)
        {
            ReadOnlySpan<float> row = rows.Row(r);
            for (int f = 0; f < features; f++)
            {
                if (float.IsNaN(row[f])) continue;
                sum[f] += row[f];
                count[f]++;
            }
        }
        for (int f = 0; f < features; f++)
        {
            if (count[f] == 0)
                throw new DataException(train.SourceFile, 0, train.FeatureNames[f], "every training row misses this feature, so there is nothing to fill it from; leave the column out with --drop");
            if (strategy == MissingPolicy.Mean)
            {
                fill[f] = (float)(sum[f] / count[f]);
                continue;
            }
            var present = new float[count[f]];
            for (int r = 0, k = 0; r < rows.Count; r++)
            {
                float v = rows.Row(r)[f];
                if (!float.IsNaN(v)) present[k++] = v;
            }
            Array.Sort(present);
            int n = present.Length;
            fill[f] = n % 2 == 1 ? present[n / 2] : (float)((present[n / 2 - 1] + (double)present[n / 2]) / 2);
        }
        return new MissingValues { Strategy = strategy, Fill = fill };
    }

    /// <summary>
    /// Replaces every missing (NaN) value of the rows; returns how many were filled. Rows held as arrays are
    /// filled in place; rows in a store are read filled from now on (<see cref="FilledRows"/>), never copied.
    /// </summary>
    public int Apply(Dataset data)
    {
        if (data.IsStored)
        {
            int missing = Count(data);
            data.FillStored(Fill);
            return missing;
        }
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

    /// <summary>Missing (NaN) values in the rows (read in place).</summary>
    public static int Count(Dataset data)
    {
        IFeatureRows rows = data.Features;
        int n = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            foreach (float v in rows.Row(r)) if (float.IsNaN(v)) n++;
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
