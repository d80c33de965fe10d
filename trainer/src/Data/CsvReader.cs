using nietras.SeparatedValues;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// Reads delimited text with the Sep parser (github.com/nietras/Sep, MIT): a header line (or none when the
/// first line is all numbers), quoted fields with doubled quotes inside, ',' ';' or tab as the delimiter
/// (whichever the first line uses most), CRLF or LF, blank lines skipped. Sep splits rows and fields; this
/// class checks each field's quoting and keeps each record's first line, so every error names file, line
/// and field. Rows are consumed one at a time from a <see cref="TextReader"/> (the parser never holds the
/// file).
/// Layouts of other tools: R's write.table and pandas' to_csv() write row names first (R: the header has
/// one name fewer than the rows; pandas: the first header cell is empty); scikit-learn's bundled CSVs start
/// with "rows,features,class names..." and hold class indices.
/// </summary>
internal static class CsvReader
{
    public static TextTable Read(string path, long maxBytes)
    {
        char delimiter = DetectDelimiter(TextSource.Head(path, 1 << 16, maxBytes));
        var records = new List<string[]>();
        var lines = new List<int>();
        using (TextReader text = TextSource.Open(path, maxBytes))
        {
            foreach ((string[] fields, int line) in Records(path, text, delimiter))
            {
                records.Add(fields);
                lines.Add(line);
            }
        }
        TextTable table = Layout(path, records, lines, delimiter, head: false);
        for (int r = 0; r < records.Count; r++)
        {
            if (records[r].Length != table.Columns.Length) throw new DataException(path, lines[r], null, FieldCount(records[r].Length, table.Columns.Length));
        }
        table.Records = records;
        table.Lines = lines;
        return table;
    }

    internal static string FieldCount(int fields, int columns) => $"the row has {fields} fields but the header has {columns} columns";

    /// <summary>
    /// The columns, header line and layout notices of a file from its records (the header record is removed
    /// from the lists). <paramref name="head"/>: the records are only the file's first ones (the streaming
    /// loader's look ahead); a layout that needs every row to decide (R or pandas row names, a scikit-learn
    /// header) throws <see cref="StreamingLoader.NeedsWholeFile"/>.
    /// </summary>
    internal static TextTable Layout(string path, List<string[]> records, List<int> lines, char delimiter, bool head)
    {
        if (records.Count == 0) throw new DataException(path, 0, null, "the file is empty (no header and no rows)");

        var table = new TextTable { File = path, Delimiter = delimiter };
        string[] first = records[0];
        if (head && LooksLikeScikitLearnHeader(first)) throw new StreamingLoader.NeedsWholeFile();
        if (IsScikitLearnHeader(first, records))
        {
            int features = int.Parse(first[1]);
            table.Columns = new string[features + 1];
            for (int f = 0; f < features; f++) table.Columns[f] = "x" + (f + 1);
            table.Columns[features] = "target";
            table.IndexedClasses["target"] = first[2..];
            table.HeaderLine = lines[0];
            records.RemoveAt(0);
            lines.RemoveAt(0);
        }
        else if (first.All(f => Numbers.TryParse(f, delimiter, out _) == Numbers.Kind.Number))
        {
            // No header: columns are named by position.
            table.Columns = new string[first.Length];
            for (int c = 0; c < first.Length; c++) table.Columns[c] = "column" + (c + 1);
        }
        else
        {
            table.Columns = first.Select(f => f.Trim()).ToArray();
            table.HeaderLine = lines[0];
            records.RemoveAt(0);
            lines.RemoveAt(0);
            if (head && records.Count > 0 && (records[0].Length == table.Columns.Length + 1 || (table.Columns.Length > 1 && table.Columns[0].Length == 0)))
                throw new StreamingLoader.NeedsWholeFile();
            RowNames(table, records, lines);
        }
        if (records.Count == 0) throw new DataException(path, table.HeaderLine, null, "the file has a header but no data rows");
        for (int c = 0; c < table.Columns.Length; c++)
        {
            if (table.Columns[c].Length == 0) throw new DataException(path, table.HeaderLine, null, $"column {c + 1} has no name in the header");
            for (int d = 0; d < c; d++)
            {
                if (table.Columns[d] == table.Columns[c]) throw new DataException(path, table.HeaderLine, table.Columns[c], "the column name appears twice in the header");
            }
        }
        return table;
    }

    /// <summary>
    /// A first column of row names, as R (header one name short) and pandas (empty first header cell) write
    /// them. Taken as row names only when its values are distinct, one per row (1..n, or distinct strings);
    /// otherwise a short header is an error, since shifting every name by one silently misreads the file.
    /// </summary>
    private static void RowNames(TextTable table, List<string[]> records, List<int> lines)
    {
        if (records.Count == 0) return;
        int names = table.Columns.Length;
        bool shortHeader = records[0].Length == names + 1;
        bool emptyFirstName = names > 1 && table.Columns[0].Length == 0 && records[0].Length == names;
        if (!shortHeader && !emptyFirstName) return;

        string why = shortHeader ? $"the header has {names} names, rows have {names + 1} fields" : "the first header cell is empty";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int r = 0; r < records.Count; r++)
        {
            string name = records[r].Length > 0 ? records[r][0].Trim() : "";
            if (name.Length == 0 || !seen.Add(name))
            {
                if (emptyFirstName) return; // not an index column: the "column 1 has no name" error follows
                throw new DataException(table.File, table.HeaderLine, null,
                    $"{why}, and the first field is not a row name (line {lines[r]}: '{Cells.Show(name)}' is {(name.Length == 0 ? "empty" : "repeated")}); " +
                    "add the missing name to the header or remove the extra field");
            }
        }
        string[] columns = shortHeader ? table.Columns : table.Columns[1..];
        table.Columns = ["row", .. columns];
        table.NeverFeatures.Add("row");
        table.Notices.Add($"{why}: the first field of each row is read as a row name (R write.table / pandas to_csv layout) and is not a feature");
    }

    /// <summary>The file's records (fields already unquoted) with the line each begins on; blank lines are skipped.</summary>
    internal static IEnumerable<(string[] Fields, int Line)> Records(string path, TextReader text, char delimiter)
    {
        using SepReader reader = Sep.Reader(o => o with
        {
            Sep = new Sep(delimiter), HasHeader = false, DisableColCountCheck = true, Unescape = false, Trim = SepTrim.None,
        }).From(text);
        // Sep's LineNumberFrom is off for the first row; each row starts where the previous one ended.
        int nextLine = 1;
        while (true)
        {
            string[] fields;
            int line = nextLine;
            try
            {
                if (!reader.MoveNext()) yield break;
                SepReader.Row row = reader.Current;
                nextLine = row.LineNumberToExcl;
                if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty) continue;
                fields = new string[row.ColCount];
                for (int c = 0; c < fields.Length; c++)
                {
                    // A byte order mark written as text after the file's own one (both seen in the wild).
                    ReadOnlySpan<char> raw = row[c].Span;
                    if (line == 1 && c == 0) raw = raw.TrimStart('\uFEFF');
                    fields[c] = Field(path, line, c, raw, delimiter);
                }
            }
            catch (InvalidDataException e)
            {
                throw new DataException(path, line, null, "the CSV parser stopped: " + Cells.Show(e.Message));
            }
            yield return (fields, line);
        }
    }

    /// <summary>
    /// One field: spaces around it are dropped; a quoted field ("...") must close where the field ends and
    /// holds doubled quotes for quote characters. A quote inside an unquoted field (5"3) is kept as text,
    /// unless it opened a quoted stretch that ran over a delimiter or a line end.
    /// </summary>
    internal static string Field(string path, int line, int index, ReadOnlySpan<char> raw, char delimiter)
    {
        ReadOnlySpan<char> s = raw.Trim();
        if (s.Length == 0 || s[0] != '"')
        {
            if (s.IndexOfAny(delimiter, '\n', '\r') >= 0)
                throw new DataException(path, line, null, $"field {index + 1} has a quote inside an unquoted value ('{Cells.Show(s.ToString())}'); quote the whole field and double the quotes inside");
            return s.ToString();
        }
        if (s.Count('"') % 2 == 1) throw new DataException(path, line, null, $"a quoted field is never closed (field {index + 1} opens a quote on this line)");
        if (s.Length < 2 || s[^1] != '"') throw new DataException(path, line, null, $"unexpected text after a closing quote (field {index + 1}: '{Cells.Show(s.ToString())}')");
        ReadOnlySpan<char> inner = s[1..^1];
        var value = new System.Text.StringBuilder(inner.Length);
        for (int i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '"')
            {
                if (i + 1 >= inner.Length || inner[i + 1] != '"')
                    throw new DataException(path, line, null, $"unexpected text after a closing quote (field {index + 1}: '{Cells.Show(s.ToString())}')");
                i++;
            }
            value.Append(inner[i]);
        }
        return value.ToString();
    }

    private static bool IsScikitLearnHeader(string[] first, List<string[]> records) =>
        LooksLikeScikitLearnHeader(first) && records.Count >= 2 && int.Parse(first[0]) == records.Count - 1 && records[1].Length == int.Parse(first[1]) + 1;

    /// <summary>"rows,features,class names...": two whole numbers, then no number.</summary>
    private static bool LooksLikeScikitLearnHeader(string[] first)
    {
        if (first.Length < 3) return false;
        if (!int.TryParse(first[0], out _) || !int.TryParse(first[1], out int features)) return false;
        for (int i = 2; i < first.Length; i++)
        {
            if (double.TryParse(first[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) return false;
        }
        return features >= 1;
    }

    /// <summary>The delimiter the first non-blank line uses most (outside quotes); ',' if it uses none.</summary>
    internal static char DetectDelimiter(string text)
    {
        int comma = 0, semicolon = 0, tab = 0;
        bool quoted = false, seen = false;
        foreach (char ch in text)
        {
            if (ch == '"') quoted = !quoted;
            else if (!quoted && (ch == '\n' || ch == '\r')) { if (seen) break; }
            else if (!quoted && ch == ',') comma++;
            else if (!quoted && ch == ';') semicolon++;
            else if (!quoted && ch == '\t') tab++;
            if (!char.IsWhiteSpace(ch)) seen = true;
        }
        if (semicolon > comma && semicolon >= tab) return ';';
        if (tab > comma && tab > semicolon) return '\t';
        return ',';
    }
}
