namespace EdgeNet.Trainer.Data;

/// <summary>
/// A text column of a file's rows as its distinct values (in order of first appearance, each with its row
/// count and first line) and each row's index into them: what a 30-million-row file keeps of its labels
/// (and of the columns that are neither features nor the label), and what the class rules read.
/// </summary>
internal sealed class TextColumn
{
    public readonly List<string> Distinct = new();
    public readonly List<long> Counts = new();
    public readonly List<int> FirstLine = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int[] _rows;

    public int Count { get; private set; }

    public TextColumn(int capacity = 1024)
    {
        _rows = new int[Math.Max(capacity, 16)];
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The next row's value, on the given line of the file.</summary>
    public void Add(ReadOnlySpan<char> value, int line)
    {
        if (!_lookup.TryGetValue(value, out int d))
        {
            d = Distinct.Count;
            string text = value.ToString();
            _index[text] = d;
            Distinct.Add(text);
            Counts.Add(0);
            FirstLine.Add(line);
        }
        Counts[d]++;
        if (Count == _rows.Length) Array.Resize(ref _rows, (int)Math.Min(Array.MaxLength, _rows.Length * 2L));
        _rows[Count++] = d;
    }

    /// <summary>Row r's index into <see cref="Distinct"/>.</summary>
    public int Row(int r) => _rows[r];

    /// <summary>The indices of every row (a view of the first <see cref="Count"/>).</summary>
    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    /// <summary>One string per row (sharing the distinct strings).</summary>
    public string[] Values()
    {
        var v = new string[Count];
        for (int r = 0; r < v.Length; r++) v[r] = Distinct[_rows[r]];
        return v;
    }
}
