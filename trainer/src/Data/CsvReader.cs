using System.Text;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// Reads delimited text: a header line (or none when the first line is all numbers), quoted fields with
/// doubled quotes inside, ',' ';' or tab as the delimiter (whichever the first line uses most), CRLF or LF,
/// an optional UTF-8 byte order mark. Two common layouts are recognised: R's write.table (the header has
/// one name fewer than the rows: the first field is a row name) and scikit-learn's bundled CSVs (first line
/// "rows,features,class names...", the label holding class indices).
/// </summary>
internal static class CsvReader
{
    public static TextTable Read(string path, string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        char delimiter = DetectDelimiter(text);
        var records = new List<string[]>();
        var lines = new List<int>();
        Tokenize(path, text, delimiter, records, lines);
        if (records.Count == 0) throw new DataException(path, 0, null, "the file is empty (no header and no rows)");

        var table = new TextTable { File = path };
        string[] first = records[0];
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
            if (records.Count > 0 && records[0].Length == table.Columns.Length + 1)
            {
                table.Columns = new[] { "row" }.Concat(table.Columns).ToArray();
                table.NeverFeatures.Add("row");
            }
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
        for (int r = 0; r < records.Count; r++)
        {
            if (records[r].Length != table.Columns.Length)
                throw new DataException(path, lines[r], null, $"the row has {records[r].Length} fields but the header has {table.Columns.Length} columns");
        }
        table.Records = records;
        table.Lines = lines;
        return table;
    }

    private static bool IsScikitLearnHeader(string[] first, List<string[]> records)
    {
        if (first.Length < 3 || records.Count < 2) return false;
        if (!int.TryParse(first[0], out int rows) || !int.TryParse(first[1], out int features)) return false;
        for (int i = 2; i < first.Length; i++)
        {
            if (double.TryParse(first[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) return false;
        }
        return features >= 1 && rows == records.Count - 1 && records[1].Length == features + 1;
    }

    /// <summary>The delimiter the first non-blank line uses most (outside quotes); ',' if it uses none.</summary>
    private static char DetectDelimiter(string text)
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

    /// <summary>Splits text into records of fields, keeping each record's starting line; skips blank lines.</summary>
    internal static void Tokenize(string path, string text, char delimiter, List<string[]> records, List<int> lines, char quote = '"')
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, quoteLine = 0;
        bool inQuotes = false, wasQuoted = false, afterQuote = false, any = false;
        int i = 0;
        while (i <= text.Length)
        {
            char ch = i < text.Length ? text[i] : '\n';
            bool end = i == text.Length;
            if (inQuotes)
            {
                if (end) throw new DataException(path, quoteLine, null, "a quoted field is never closed");
                if (ch == quote)
                {
                    if (i + 1 < text.Length && text[i + 1] == quote) { field.Append(quote); i += 2; continue; }
                    inQuotes = false;
                    afterQuote = true;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                i++;
                continue;
            }
            if (ch == '\r' || ch == '\n')
            {
                if (any || fields.Count > 0 || field.ToString().Trim().Length > 0 || wasQuoted)
                {
                    fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
                    records.Add(fields.ToArray());
                    lines.Add(recordLine);
                }
                fields.Clear();
                field.Clear();
                wasQuoted = afterQuote = any = false;
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                if (!end) line++;
                i++;
                recordLine = line;
                continue;
            }
            if (ch == delimiter)
            {
                fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
                field.Clear();
                wasQuoted = afterQuote = false;
                any = true;
                i++;
                continue;
            }
            if (afterQuote)
            {
                if (char.IsWhiteSpace(ch)) { i++; continue; }
                throw new DataException(path, line, null, $"unexpected '{ch}' after a closing quote (field {fields.Count + 1})");
            }
            if (ch == quote && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                inQuotes = wasQuoted = true;
                quoteLine = line;
                i++;
                continue;
            }
            field.Append(ch);
            i++;
        }
    }
}
