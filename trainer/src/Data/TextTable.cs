namespace EdgeNet.Trainer.Data;

/// <summary>
/// A file read into named columns of text, before any column is interpreted: what the CSV and ARFF
/// readers produce and <see cref="DatasetLoader"/> turns into a <see cref="Dataset"/>.
/// </summary>
internal sealed class TextTable
{
    public string File;
    public string[] Columns;

    /// <summary>1-based line of the header (0 when the file has none), for errors about column names.</summary>
    public int HeaderLine;

    public List<string[]> Records = new();
    public List<int> Lines = new();

    /// <summary>Declared nominal values by column (ARFF), in declaration order.</summary>
    public Dictionary<string, string[]> Nominal = new(StringComparer.Ordinal);

    /// <summary>Columns whose values are indices into these class names (the scikit-learn CSV layout).</summary>
    public Dictionary<string, string[]> IndexedClasses = new(StringComparer.Ordinal);

    /// <summary>Columns that are never features (row names written by R).</summary>
    public HashSet<string> NeverFeatures = new(StringComparer.Ordinal);

    public int ColumnIndex(string name)
    {
        for (int i = 0; i < Columns.Length; i++)
        {
            if (Columns[i] == name) return i;
        }
        for (int i = 0; i < Columns.Length; i++)
        {
            if (string.Equals(Columns[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }
}
