namespace EdgeNet.Trainer.Data;

/// <summary>
/// A file read into named columns of text, before any column is interpreted: what the CSV and ARFF
/// readers produce and <see cref="DatasetLoader"/> turns into a <see cref="Dataset"/>.
/// </summary>
internal sealed class TextTable
{
    public string File;
    public string[] Columns;

    /// <summary>The field delimiter (decimal commas are accepted when it is ';').</summary>
    public char Delimiter = ',';

    /// <summary>What the reader decided about the layout that the user should hear about (printed once at load).</summary>
    public List<string> Notices = new();

    /// <summary>1-based line of the header (0 when the file has none), for errors about column names.</summary>
    public int HeaderLine;

    public List<string[]> Records = new();
    public List<int> Lines = new();

    /// <summary>Declared nominal values by column (ARFF), in declaration order.</summary>
    public Dictionary<string, string[]> Nominal = new(StringComparer.Ordinal);

    /// <summary>Columns whose values are indices into these class names (the scikit-learn CSV layout).</summary>
    public Dictionary<string, string[]> IndexedClasses = new(StringComparer.Ordinal);

    /// <summary>ARFF attributes declared as string or date (never features), with their declared type.</summary>
    public Dictionary<string, string> TextAttributes = new(StringComparer.Ordinal);

    /// <summary>Columns that are never features (row names written by R or pandas).</summary>
    public HashSet<string> NeverFeatures = new(StringComparer.Ordinal);

    /// <summary>
    /// The column a user's name refers to, the one rule every command uses: the column of exactly that name,
    /// else the one column whose name differs only in letter case; -1 when none. Two columns that differ only
    /// in case and match neither exactly are ambiguous: an error naming both.
    /// </summary>
    public int ColumnIndex(string name)
    {
        for (int i = 0; i < Columns.Length; i++)
        {
            if (Columns[i] == name) return i;
        }
        int found = -1;
        for (int i = 0; i < Columns.Length; i++)
        {
            if (!string.Equals(Columns[i], name, StringComparison.OrdinalIgnoreCase)) continue;
            if (found >= 0)
                throw new DataException(File, HeaderLine, name, $"the name matches the columns '{Cells.Show(Columns[found])}' and '{Cells.Show(Columns[i])}' when letter case is ignored; give the exact name");
            found = i;
        }
        return found;
    }
}
