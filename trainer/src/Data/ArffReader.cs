namespace EdgeNet.Trainer.Data;

/// <summary>
/// Reads Weka's ARFF: '%' comments, @relation, @attribute NAME TYPE (numeric, real, integer, string, date,
/// or a {nominal, list}), then @data rows as comma-separated values ('?' = missing). Sparse rows are refused.
/// </summary>
internal static class ArffReader
{
    public static TextTable Read(string path, string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        var table = new TextTable { File = path };
        var columns = new List<string>();
        string[] rawLines = text.Split('\n');
        int dataStart = -1;
        for (int i = 0; i < rawLines.Length; i++)
        {
            string line = rawLines[i].Trim();
            if (line.Length == 0 || line.StartsWith('%')) continue;
            if (!line.StartsWith('@')) throw new DataException(path, i + 1, null, "expected an @relation, @attribute or @data declaration");
            string keyword = FirstWord(line).ToLowerInvariant();
            if (keyword == "@relation") continue;
            if (keyword == "@data") { dataStart = i + 1; break; }
            if (keyword != "@attribute") throw new DataException(path, i + 1, null, $"unknown declaration {FirstWord(line)}");
            string rest = line.Substring(keyword.Length).Trim();
            string name = ReadName(path, i + 1, ref rest);
            if (columns.Contains(name)) throw new DataException(path, i + 1, name, "the attribute is declared twice");
            columns.Add(name);
            if (rest.StartsWith('{'))
            {
                int close = rest.LastIndexOf('}');
                if (close < 0) throw new DataException(path, i + 1, name, "the nominal value list has no closing '}'");
                var records = new List<string[]>();
                CsvReader.Tokenize(path, rest.Substring(1, close - 1), ',', records, new List<int>(), '\'');
                table.Nominal[name] = records.Count == 0 ? Array.Empty<string>() : records[0].Select(Unquote).ToArray();
            }
            else if (rest.Length == 0)
            {
                throw new DataException(path, i + 1, name, "the attribute has no type");
            }
        }
        if (columns.Count == 0) throw new DataException(path, 0, null, "the file declares no attributes (empty or not ARFF)");
        if (dataStart < 0) throw new DataException(path, 0, null, "the file has no @data section");
        table.Columns = columns.ToArray();
        table.HeaderLine = dataStart;

        var recs = new List<string[]>();
        var lines = new List<int>();
        // Tokenize the data section with line numbers relative to the file.
        string data = string.Join('\n', rawLines.Skip(dataStart).Select(l => l.TrimStart().StartsWith('%') ? "" : l));
        CsvReader.Tokenize(path, data, ',', recs, lines, '\'');
        for (int r = 0; r < recs.Count; r++)
        {
            int line = lines[r] + dataStart;
            if (recs[r].Length > 0 && recs[r][0].StartsWith('{')) throw new DataException(path, line, null, "sparse ARFF rows are not supported");
            if (recs[r].Length != columns.Count)
                throw new DataException(path, line, null, $"the row has {recs[r].Length} values but {columns.Count} attributes are declared");
            table.Records.Add(recs[r].Select(Unquote).ToArray());
            table.Lines.Add(line);
        }
        if (table.Records.Count == 0) throw new DataException(path, dataStart, null, "the @data section has no rows");
        return table;
    }

    private static string FirstWord(string line)
    {
        int end = 0;
        while (end < line.Length && !char.IsWhiteSpace(line[end])) end++;
        return line.Substring(0, end);
    }

    private static string ReadName(string path, int line, ref string rest)
    {
        if (rest.Length > 0 && (rest[0] == '\'' || rest[0] == '"'))
        {
            int close = rest.IndexOf(rest[0], 1);
            if (close < 0) throw new DataException(path, line, null, "the attribute name's quote is never closed");
            string quoted = rest.Substring(1, close - 1);
            rest = rest.Substring(close + 1).Trim();
            return quoted;
        }
        string name = FirstWord(rest);
        rest = rest.Substring(name.Length).Trim();
        return name;
    }

    private static string Unquote(string s)
    {
        s = s.Trim();
        if (s.Length >= 2 && (s[0] == '"' && s[^1] == '"')) return s.Substring(1, s.Length - 2);
        return s;
    }
}
