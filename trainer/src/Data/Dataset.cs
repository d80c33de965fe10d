namespace EdgeNet.Trainer.Data;

/// <summary>
/// Labelled rows of numeric features, as loaded from one file. Rows keep file order; <see cref="SourceLines"/>
/// says where each row came from so later errors and reports can point at the file.
/// </summary>
public sealed class Dataset
{
    public string Name;

    /// <summary>The file the rows were read from (for messages).</summary>
    public string SourceFile;

    public string[] FeatureNames;
    public string[] ClassLabels;

    /// <summary>The column the labels were read from (null for unlabeled rows).</summary>
    public string LabelColumn;

    /// <summary>Declared classes (ARFF) that no row of the file uses: kept, reported, never required.</summary>
    public HashSet<int> ClassesWithoutRows = new();

    /// <summary>What the loader decided on its own that the user should hear about once (row names, left-out columns...).</summary>
    public List<string> Notices = new();

    /// <summary>Rows[r][f]: feature f of row r, in <see cref="FeatureNames"/> order.</summary>
    public float[][] Rows;

    /// <summary>Index into <see cref="ClassLabels"/> per row.</summary>
    public int[] Labels;

    /// <summary>1-based line of each row in its file.</summary>
    public int[] SourceLines;

    /// <summary>
    /// The text of the columns that are neither features nor the label (dates, batch numbers...), by column
    /// name, one value per row. Splits by column value read them.
    /// </summary>
    public Dictionary<string, string[]> OtherColumns = new(StringComparer.Ordinal);

    public int Count => Rows.Length;
    public int FeatureCount => FeatureNames.Length;
    public int ClassCount => ClassLabels.Length;

    /// <summary>The rows at the given indices (in that order), sharing the row arrays.</summary>
    public Dataset Subset(int[] indices)
    {
        var d = new Dataset
        {
            Name = Name, SourceFile = SourceFile, FeatureNames = FeatureNames, ClassLabels = ClassLabels,
            LabelColumn = LabelColumn, ClassesWithoutRows = ClassesWithoutRows,
            Rows = new float[indices.Length][], Labels = new int[indices.Length], SourceLines = new int[indices.Length],
        };
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            d.Rows[i] = Rows[r];
            d.Labels[i] = Labels[r];
            d.SourceLines[i] = SourceLines[r];
        }
        foreach (var (name, values) in OtherColumns)
        {
            var v = new string[indices.Length];
            for (int i = 0; i < indices.Length; i++) v[i] = values[indices[i]];
            d.OtherColumns[name] = v;
        }
        return d;
    }

    /// <summary>
    /// Per row: true where a new session (recording) starts: the first row, and every row whose value in the
    /// session column differs from the row before. Windows and recurrent state reset there. Null column: the
    /// rows are one session. The column must be one that is neither a feature nor the label.
    /// </summary>
    public bool[] SessionStarts(string column)
    {
        var starts = new bool[Count];
        string[] values = null;
        if (column != null && !OtherColumns.TryGetValue(column, out values))
        {
            string why = Array.IndexOf(FeatureNames, column) >= 0 ? "it is a feature column (drop it from --features)"
                : $"no such column beside the features and the label{(OtherColumns.Count > 0 ? "; there are: " + string.Join(", ", OtherColumns.Keys) : "")}";
            throw new DataException(SourceFile, 0, column, "the session column is unusable: " + why);
        }
        for (int r = 0; r < Count; r++) starts[r] = r == 0 || (values != null && values[r] != values[r - 1]);
        return starts;
    }

    /// <summary>Rows per class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassLabels.Length];
        foreach (int l in Labels) counts[l]++;
        return counts;
    }

    /// <summary>
    /// Throws when a class has no rows here although the file has rows of it (it could not be learned);
    /// a declared class without any rows in the file is allowed.
    /// </summary>
    public void RequireEveryClass(string what)
    {
        int[] counts = ClassCounts();
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] == 0 && !ClassesWithoutRows.Contains(c))
                throw new DataException(SourceFile, 0, null, $"class '{ClassLabels[c]}' has no rows in the {what} ({Count} rows)");
        }
    }

    public override string ToString() => $"{Name}: {Count} rows x {FeatureCount} features, {ClassCount} classes";
}
