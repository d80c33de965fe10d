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

    private float[][] _rows;
    private IFeatureRows _stored;

    /// <summary>
    /// Rows[r][f]: feature f of row r, in <see cref="FeatureNames"/> order. Rows that live in a store (a large
    /// file's memory-mapped cache, see <see cref="Features"/>) are copied into arrays on first use, and the arrays
    /// are the rows from then on: code that reads rows at scale reads <see cref="Features"/> instead.
    /// </summary>
    public float[][] Rows
    {
        get
        {
            if (_rows == null && _stored != null)
            {
                var rows = new float[_stored.Count][];
                for (int r = 0; r < rows.Length; r++) rows[r] = _stored.Row(r).ToArray();
                (_rows, _stored) = (rows, null);
            }
            return _rows;
        }
        set => (_rows, _stored) = (value, null);
    }

    /// <summary>The feature values row by row without copying them: the store, or a view of <see cref="Rows"/>.</summary>
    public IFeatureRows Features => _stored ?? (_rows == null ? null : new ArrayRows(_rows, FeatureNames?.Length ?? (_rows.Length > 0 ? _rows[0].Length : 0)));

    /// <summary>True while the rows live in a store (not copied into <see cref="Rows"/>).</summary>
    public bool IsStored => _stored != null;

    /// <summary>Makes the rows those of a store (the loader of a large file).</summary>
    internal void UseStore(IFeatureRows rows) => (_rows, _stored) = (null, rows);

    /// <summary>Stored rows read with their missing values filled (the store itself is read-only and stays as it is).</summary>
    internal void FillStored(float[] fill) => _stored = new FilledRows(_stored ?? throw new InvalidOperationException("the rows are not stored"), fill);

    /// <summary>Index into <see cref="ClassLabels"/> per row.</summary>
    public int[] Labels;

    private int[] _sourceLines;
    private Func<int[]> _linesWhenAsked;

    /// <summary>
    /// 1-based line of each row in its file. Stored rows (and subsets of them) read their lines when first
    /// asked (an error or a report names a line; training never does).
    /// </summary>
    public int[] SourceLines
    {
        get
        {
            if (_sourceLines == null && _linesWhenAsked != null) (_sourceLines, _linesWhenAsked) = (_linesWhenAsked(), null);
            return _sourceLines;
        }
        set => (_sourceLines, _linesWhenAsked) = (value, null);
    }

    /// <summary>Lines read when first asked (the loader of a large file).</summary>
    internal void LinesWhenAsked(Func<int[]> read) => (_sourceLines, _linesWhenAsked) = (null, read);

    /// <summary>
    /// The text of the columns that are neither features nor the label (dates, batch numbers...), by column
    /// name, one value per row. Splits by column value read them.
    /// </summary>
    public Dictionary<string, string[]> OtherColumns = new(StringComparer.Ordinal);

    public int Count => _stored?.Count ?? Rows.Length;
    public int FeatureCount => FeatureNames.Length;
    public int ClassCount => ClassLabels.Length;

    /// <summary>The rows at the given indices (in that order), sharing the row arrays or the store (which keeps <paramref name="indices"/>).</summary>
    public Dataset Subset(int[] indices)
    {
        var d = new Dataset
        {
            Name = Name, SourceFile = SourceFile, FeatureNames = FeatureNames, ClassLabels = ClassLabels,
            LabelColumn = LabelColumn, ClassesWithoutRows = ClassesWithoutRows,
            Labels = new int[indices.Length],
        };
        if (_stored != null)
        {
            // Large stored data: the rows stay in the store and the lines are mapped only if asked for.
            d.UseStore(new SubsetRows(_stored, indices));
            d.LinesWhenAsked(() =>
            {
                int[] all = SourceLines, lines = new int[indices.Length];
                for (int i = 0; i < lines.Length; i++) lines[i] = all[indices[i]];
                return lines;
            });
        }
        else
        {
            d.Rows = new float[indices.Length][];
            d.SourceLines = new int[indices.Length];
        }
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            if (d._rows != null)
            {
                d._rows[i] = _rows[r];
                d._sourceLines[i] = SourceLines[r];
            }
            d.Labels[i] = Labels[r];
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
