using System.Globalization;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// Loads a labelled dataset from CSV/text or ARFF (chosen by extension, or by an '@relation' first
/// declaration) and checks every cell it uses: a missing value, a non-numeric cell, NaN or infinity,
/// a wrong field count, an unknown column name, an empty file or a declared class without rows stops
/// the load with a <see cref="DataException"/> naming file, line and column.
/// </summary>
public static class DatasetLoader
{
    public static Dataset Load(string path, LoadOptions options = null)
    {
        options ??= new LoadOptions();
        if (!File.Exists(path)) throw new DataException(path, 0, null, "the file does not exist");
        string text = ReadText(path);
        if (text.Trim('\uFEFF', ' ', '\t', '\r', '\n').Length == 0) throw new DataException(path, 0, null, "the file is empty");
        bool arff = path.EndsWith(".arff", StringComparison.OrdinalIgnoreCase) || LooksLikeArff(text);
        TextTable table = arff ? ArffReader.Read(path, text) : CsvReader.Read(path, text);
        return Build(table, options, arff ? ',' : DelimiterOf(text));
    }

    /// <summary>Largest data file the loader reads (it holds the whole text in memory).</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>The file as strict UTF-8: a byte that is not UTF-8 is an error naming its line and offset, not a silent '?'.</summary>
    private static string ReadText(string path)
    {
        long size = new FileInfo(path).Length;
        if (size > MaxFileBytes) throw new DataException(path, 0, null, $"the file is {size:N0} bytes, above the loader's limit of {MaxFileBytes:N0} bytes");
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            // Like File.ReadAllText, a UTF-8 byte order mark is not part of the text.
            int bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return new System.Text.UTF8Encoding(false, true).GetString(bytes, bom, bytes.Length - bom);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            int at = Math.Clamp(e.Index + (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0), 0, Math.Max(0, bytes.Length - 1));
            int line = 1;
            for (int i = 0; i < at; i++) if (bytes[i] == (byte)'\n') line++;
            throw new DataException(path, line, null, $"byte {at} (0x{bytes[at]:X2}) is not UTF-8; save the file as UTF-8");
        }
    }

    private static bool LooksLikeArff(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || line.StartsWith('%')) continue;
            return line.StartsWith("@relation", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    // Only decimal commas depend on the delimiter; the CSV reader has already checked the structure.
    private static char DelimiterOf(string text)
    {
        int nl = text.IndexOf('\n');
        string first = nl < 0 ? text : text.Substring(0, nl);
        return first.Count(c => c == ';') > first.Count(c => c == ',') ? ';' : ',';
    }

    /// <summary>Rows without a class column (to run a model on): one class "?", every row in it.</summary>
    private static Dataset Unlabeled(TextTable t, LoadOptions o, int[] features, float[][] rows)
    {
        var data = new Dataset
        {
            Name = o.Name ?? Path.GetFileNameWithoutExtension(t.File), SourceFile = t.File,
            FeatureNames = features.Select(c => t.Columns[c]).ToArray(), ClassLabels = ["?"],
            Rows = rows, Labels = new int[rows.Length], SourceLines = t.Lines.ToArray(),
        };
        for (int c = 0; c < t.Columns.Length; c++)
        {
            if (features.Contains(c)) continue;
            data.OtherColumns[t.Columns[c]] = t.Records.Select(r => r[c]).ToArray();
        }
        return data;
    }

    private static Dataset Build(TextTable t, LoadOptions o, char delimiter)
    {
        string file = t.File;
        int Find(string name, string role)
        {
            int c = t.ColumnIndex(name);
            if (c < 0) throw new DataException(file, t.HeaderLine, name, $"unknown {role} column; the file has: {string.Join(", ", t.Columns)}");
            return c;
        }

        int label = o.Unlabeled ? -1 : o.LabelColumn == null ? t.Columns.Length - 1 : Find(o.LabelColumn, "label");
        var dropped = new HashSet<int>();
        foreach (string d in o.DropColumns ?? Array.Empty<string>()) dropped.Add(Find(d, "dropped"));

        int[] features;
        if (o.FeatureColumns != null)
        {
            features = o.FeatureColumns.Select(f => Find(f, "feature")).ToArray();
            foreach (int f in features)
            {
                if (f == label) throw new DataException(file, t.HeaderLine, t.Columns[f], "the label column cannot also be a feature");
            }
        }
        else
        {
            // Every other column that holds numbers; a column of text only (dates, names) is left out.
            features = Enumerable.Range(0, t.Columns.Length)
                .Where(c => c != label && !dropped.Contains(c) && !t.NeverFeatures.Contains(t.Columns[c]) && HoldsNumbers(t, c, delimiter))
                .ToArray();
        }
        if (features.Length == 0) throw new DataException(file, t.HeaderLine, null, "no numeric feature columns");

        int n = t.Records.Count;
        var rows = new float[n][];
        for (int r = 0; r < n; r++)
        {
            string[] rec = t.Records[r];
            var row = new float[features.Length];
            for (int j = 0; j < features.Length; j++)
            {
                int c = features[j];
                Numbers.Kind kind = Numbers.TryParse(rec[c], delimiter, out row[j]);
                if (kind != Numbers.Kind.Number)
                {
                    string problem = kind switch
                    {
                        Numbers.Kind.Missing => $"missing value ('{rec[c]}')",
                        Numbers.Kind.NotANumber => "NaN is not a usable feature value",
                        Numbers.Kind.Infinite => $"'{rec[c]}' is infinite or beyond the float range",
                        _ => $"'{rec[c]}' is not a number",
                    };
                    throw new DataException(file, t.Lines[r], t.Columns[c], problem);
                }
            }
            rows[r] = row;
        }

        if (o.Unlabeled) return Unlabeled(t, o, features, rows);

        string labelName = t.Columns[label];
        var labelText = new string[n];
        for (int r = 0; r < n; r++)
        {
            string v = t.Records[r][label].Trim();
            if (Numbers.TryParse(v, delimiter, out _) == Numbers.Kind.Missing) throw new DataException(file, t.Lines[r], labelName, $"missing class label ('{v}')");
            labelText[r] = v;
        }

        string[] classes = o.ClassLabels;
        bool declared = classes != null;
        if (classes == null && t.IndexedClasses.TryGetValue(labelName, out string[] names))
        {
            for (int r = 0; r < n; r++)
            {
                if (!int.TryParse(labelText[r], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) || k < 0 || k >= names.Length)
                    throw new DataException(file, t.Lines[r], labelName, $"class index '{labelText[r]}' is not in 0..{names.Length - 1}");
                labelText[r] = names[k];
            }
            classes = names;
            declared = true;
        }
        if (classes == null && t.Nominal.TryGetValue(labelName, out string[] nominal))
        {
            classes = nominal;
            declared = true;
        }
        classes ??= SortLabels(labelText.Distinct().ToArray());

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Length; c++) index[classes[c]] = c;
        var labels = new int[n];
        for (int r = 0; r < n; r++)
        {
            if (!index.TryGetValue(labelText[r], out labels[r]))
                throw new DataException(file, t.Lines[r], labelName, $"class '{labelText[r]}' is not one of the declared classes ({string.Join(", ", classes)})");
        }
        if (classes.Length < 2 && !o.TestSide) throw new DataException(file, 0, labelName, $"the label column has only one class ('{classes.FirstOrDefault()}'); a classifier needs at least two");

        var data = new Dataset
        {
            Name = o.Name ?? Path.GetFileNameWithoutExtension(file), SourceFile = file,
            FeatureNames = features.Select(c => t.Columns[c]).ToArray(), ClassLabels = classes, LabelName = labelName,
            Rows = rows, Labels = labels, SourceLines = t.Lines.ToArray(),
        };
        var used = new HashSet<int>(features) { label };
        for (int c = 0; c < t.Columns.Length; c++)
        {
            if (used.Contains(c)) continue;
            var values = new string[n];
            for (int r = 0; r < n; r++) values[r] = t.Records[r][c];
            data.OtherColumns[t.Columns[c]] = values;
        }
        if (declared)
        {
            int[] counts = data.ClassCounts();
            for (int c = 0; c < classes.Length; c++)
            {
                if (counts[c] == 0) throw new DataException(file, t.HeaderLine, labelName, $"class '{classes[c]}' is declared but has no rows");
            }
        }
        return data;
    }

    private static bool HoldsNumbers(TextTable t, int c, char delimiter)
    {
        if (t.Nominal.ContainsKey(t.Columns[c])) return false;
        foreach (string[] rec in t.Records)
        {
            Numbers.Kind k = Numbers.TryParse(rec[c], delimiter, out _);
            if (k != Numbers.Kind.Text) return true;
        }
        return false;
    }

    /// <summary>Numeric order when every label is a number ("2" before "10"), else ordinal text order.</summary>
    internal static string[] SortLabels(string[] labels)
    {
        bool numeric = labels.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return numeric
            ? labels.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture)).ThenBy(l => l, StringComparer.Ordinal).ToArray()
            : labels.OrderBy(l => l, StringComparer.Ordinal).ToArray();
    }
}
