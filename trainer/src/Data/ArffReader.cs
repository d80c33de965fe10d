using System.Text;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// Reads Weka's ARFF: '%' comments, @relation, @attribute NAME TYPE (numeric, real, integer, string, date,
/// or a {nominal, list}), then @data rows of comma-separated values, one per line ('?' = missing; values
/// may be quoted with ' or " and use \ escapes, as Weka writes them). Sparse rows are refused. The declared
/// nominal values of the class are its classes, including a value no row uses.
/// </summary>
internal static class ArffReader
{
    public static TextTable Read(string path, long maxBytes)
    {
        var table = new TextTable { File = path };
        var columns = new List<string>();
        using TextReader text = TextSource.Open(path, maxBytes);
        int lineNo = 0;
        bool inData = false;
        string raw;
        while ((raw = text.ReadLine()) != null)
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('%')) continue;
            if (inData)
            {
                if (line.StartsWith('{')) throw new DataException(path, lineNo, null, "sparse ARFF rows are not supported");
                string[] values = Split(path, lineNo, line, ',', out _);
                if (values.Length != columns.Count)
                    throw new DataException(path, lineNo, null, $"the row has {values.Length} values but {columns.Count} attributes are declared");
                table.Records.Add(values);
                table.Lines.Add(lineNo);
                continue;
            }
            if (!line.StartsWith('@')) throw new DataException(path, lineNo, null, "expected an @relation, @attribute or @data declaration");
            string keyword = FirstWord(line).ToLowerInvariant();
            if (keyword == "@relation") continue;
            if (keyword == "@data")
            {
                if (columns.Count == 0) throw new DataException(path, lineNo, null, "the file declares no attributes before @data");
                table.HeaderLine = lineNo;
                inData = true;
                continue;
            }
            if (keyword != "@attribute") throw new DataException(path, lineNo, null, $"unknown declaration {Cells.Show(FirstWord(line))}");
            string rest = line.Substring(keyword.Length).Trim();
            string name = ReadName(path, lineNo, ref rest);
            if (columns.Contains(name)) throw new DataException(path, lineNo, name, "the attribute is declared twice");
            columns.Add(name);
            if (rest.StartsWith('{'))
            {
                int close = rest.LastIndexOf('}');
                if (close < 0) throw new DataException(path, lineNo, name, "the nominal value list has no closing '}'");
                string list = rest.Substring(1, close - 1).Trim();
                table.Nominal[name] = list.Length == 0 ? [] : Split(path, lineNo, list, ',', out _);
            }
            else if (rest.Length == 0)
            {
                throw new DataException(path, lineNo, name, "the attribute has no type");
            }
            else if (!FirstWord(rest).ToLowerInvariant().StartsWith("numeric") && !FirstWord(rest).ToLowerInvariant().StartsWith("real")
                     && !FirstWord(rest).ToLowerInvariant().StartsWith("integer"))
            {
                table.TextAttributes[name] = FirstWord(rest).ToLowerInvariant();
            }
        }
        if (columns.Count == 0) throw new DataException(path, 0, null, "the file declares no attributes (empty or not ARFF)");
        if (!inData) throw new DataException(path, 0, null, "the file has no @data section");
        table.Columns = columns.ToArray();
        if (table.Records.Count == 0) throw new DataException(path, table.HeaderLine, null, "the @data section has no rows");
        return table;
    }

    /// <summary>
    /// Splits one line at <paramref name="delimiter"/>: values trimmed, a value in ' or " quotes taken as
    /// written (\ escapes the next character, as Weka writes). Linear in the line's length.
    /// </summary>
    internal static string[] Split(string path, int lineNo, string line, char delimiter, out bool anyQuoted)
    {
        var values = new List<string>();
        var value = new StringBuilder();
        anyQuoted = false;
        int i = 0;
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t') i++;
            value.Clear();
            if (i < line.Length && line[i] is '\'' or '"')
            {
                char quote = line[i++];
                anyQuoted = true;
                bool closed = false;
                while (i < line.Length)
                {
                    char c = line[i++];
                    if (c == '\\' && i < line.Length) { value.Append(line[i++]); continue; }
                    if (c == quote) { closed = true; break; }
                    value.Append(c);
                }
                if (!closed) throw new DataException(path, lineNo, null, $"a quoted value is never closed (value {values.Count + 1})");
                while (i < line.Length && line[i] is ' ' or '\t') i++;
                if (i < line.Length && line[i] != delimiter)
                    throw new DataException(path, lineNo, null, $"unexpected '{Cells.Show(line[i].ToString())}' after a closing quote (value {values.Count + 1})");
                values.Add(value.ToString());
            }
            else
            {
                int end = line.IndexOf(delimiter, i);
                if (end < 0) end = line.Length;
                values.Add(line.Substring(i, end - i).Trim());
                i = end;
            }
            if (i >= line.Length) break;
            i++; // the delimiter
        }
        return values.ToArray();
    }

    private static string FirstWord(string line)
    {
        int end = 0;
        while (end < line.Length && !char.IsWhiteSpace(line[end]) && line[end] != '{') end++;
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
}
