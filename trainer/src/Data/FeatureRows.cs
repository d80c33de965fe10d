namespace EdgeNet.Trainer.Data;

/// <summary>
/// The feature values of a dataset's rows, read one row at a time without copying them: what training,
/// normalization and float evaluation read (<see cref="Dataset.Features"/>). Implemented by the rows held as
/// arrays (<see cref="ArrayRows"/>), by the memory-mapped store of a large file (<see cref="RowStore"/>) and by
/// a subset of either (<see cref="SubsetRows"/>).
/// </summary>
public interface IFeatureRows
{
    int Count { get; }
    int FeatureCount { get; }

    /// <summary>Row r's features, valid while the rows are alive (a view, not a copy).</summary>
    ReadOnlySpan<float> Row(int r);
}

/// <summary>Rows held as one array per row (small files, and rows built in code).</summary>
public sealed class ArrayRows(float[][] rows, int featureCount) : IFeatureRows
{
    public int Count => rows.Length;
    public int FeatureCount => featureCount;
    public ReadOnlySpan<float> Row(int r) => rows[r];
}

/// <summary>
/// Rows whose missing (NaN) values read as the fill values (<see cref="MissingValues.Apply"/> on rows in a store,
/// which is read-only and never copied): a row without a missing value is the row itself, a row with one is
/// filled into a new array of its own when read, so nothing is held and every view stays valid.
/// </summary>
public sealed class FilledRows(IFeatureRows rows, float[] fill) : IFeatureRows
{
    public int Count => rows.Count;
    public int FeatureCount => rows.FeatureCount;

    public ReadOnlySpan<float> Row(int r)
    {
        ReadOnlySpan<float> row = rows.Row(r);
        for (int j = 0; j < row.Length; j++)
        {
            if (!float.IsNaN(row[j])) continue;
            float[] filled = row.ToArray();
            for (int k = j; k < filled.Length; k++) if (float.IsNaN(filled[k])) filled[k] = fill[k];
            return filled;
        }
        return row;
    }
}

/// <summary>The rows at the given indices of other rows (a split's side), sharing their storage.</summary>
public sealed class SubsetRows(IFeatureRows all, int[] indices) : IFeatureRows
{
    public int Count => indices.Length;
    public int FeatureCount => all.FeatureCount;
    public ReadOnlySpan<float> Row(int r) => all.Row(indices[r]);
}
