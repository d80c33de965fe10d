using System.Globalization;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// Loads a labelled dataset from CSV/text or ARFF (chosen by extension, or by an '@relation' first
/// declaration; gzip-compressed files are read transparently) and checks every cell it uses: a missing
/// value (unless <see cref="LoadOptions.Missing"/> says otherwise), a non-numeric cell, NaN or infinity, a
/// wrong field count, an unknown column name, an empty file, more classes than a classifier plausibly has,
/// names and magnitudes the device model cannot hold: each stops the load with a <see cref="DataException"/>
/// naming file, line and column. What the loader decided on its own (row names, left-out columns, merged
/// labels, declared classes without rows) is listed in <see cref="Dataset.Notices"/>.
/// </summary>
public static class DatasetLoader
{
    public static Dataset Load(string path, LoadOptions options = null)
    {
        options ??= new LoadOptions();
        if (!File.Exists(path)) throw new DataException(path, 0, null, "the file does not exist");
        string head = TextSource.Head(path, 1 << 16, options.MaxFileBytes);
        if (head.Trim('\uFEFF', ' ', '\t', '\r', '\n').Length == 0 && head.Length < 1 << 16) throw new DataException(path, 0, null, "the file is empty");
        bool arff = TextSource.LogicalName(path).EndsWith(".arff", StringComparison.OrdinalIgnoreCase) || LooksLikeArff(head);
        // A large CSV file streams into the row store (its cache file is reused while the file is unchanged);
        // a layout the streaming loader cannot decide from the first rows is read whole, as a small file is.
        if (!arff && new FileInfo(path).Length > options.StoreAboveBytes)
        {
            Dataset stored = StreamingLoader.TryLoad(path, options);
            if (stored != null) return stored;
        }
        TextTable table = arff ? ArffReader.Read(path, options.MaxFileBytes) : CsvReader.Read(path, options.MaxFileBytes);
        return Build(table, options);
    }

    /// <summary>The default sanity limit on a data file (<see cref="LoadOptions.MaxFileBytes"/>).</summary>
    public const long MaxFileBytes = LoadOptions.DefaultMaxFileBytes;

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

    /// <summary>The label column (-1 = unlabeled), the feature columns and their names: the one rule of both loaders.</summary>
    internal sealed record ColumnChoice(int Label, int[] Features, string[] FeatureNames);

    /// <summary>
    /// Which columns are the label and the features (the options', else the last column and every other column
    /// that holds numbers in <paramref name="t"/>'s records); the columns left out are listed in <paramref name="notices"/>.
    /// </summary>
    internal static ColumnChoice ChooseColumns(TextTable t, LoadOptions o, List<string> notices)
    {
        string file = t.File;
        int Find(string name, string role)
        {
            int c = t.ColumnIndex(name);
            if (c < 0) throw new DataException(file, t.HeaderLine, name, $"unknown {role} column; the file has: {Cells.List(t.Columns)}");
            return c;
        }

        int label = o.Unlabeled ? -1 : o.LabelColumn == null ? t.Columns.Length - 1 : Find(o.LabelColumn, "label");
        var dropped = new HashSet<int>();
        foreach (string d in o.DropColumns ?? []) dropped.Add(Find(d, "dropped"));

        int[] features;
        string[] featureNames;
        var leftOut = new List<string>();
        if (o.FeatureColumns != null)
        {
            features = o.FeatureColumns.Select(f => Find(f, "feature")).ToArray();
            featureNames = (string[])o.FeatureColumns.Clone();
            for (int j = 0; j < features.Length; j++)
            {
                if (features[j] == label) throw new DataException(file, t.HeaderLine, t.Columns[features[j]], "the label column cannot also be a feature");
                if (Array.IndexOf(features, features[j]) != j) throw new DataException(file, t.HeaderLine, t.Columns[features[j]], "the column is listed twice as a feature");
            }
            for (int c = 0; c < t.Columns.Length; c++)
            {
                if (c != label && !features.Contains(c)) leftOut.Add($"{Cells.Show(t.Columns[c])} (not a requested feature)");
            }
        }
        else
        {
            // Every other column that holds numbers; the others are listed with the reason.
            var chosen = new List<int>();
            for (int c = 0; c < t.Columns.Length; c++)
            {
                if (c == label) continue;
                string why = WhyNotFeature(t, c, dropped);
                if (why == null) chosen.Add(c);
                else leftOut.Add($"{Cells.Show(t.Columns[c])} ({why})");
            }
            features = chosen.ToArray();
            featureNames = features.Select(c => t.Columns[c]).ToArray();
        }
        if (leftOut.Count > 0) notices.Add($"left out {leftOut.Count} column{(leftOut.Count == 1 ? "" : "s")} (not features): {string.Join("; ", leftOut)}");
        if (features.Length == 0) throw new DataException(file, t.HeaderLine, null, "no numeric feature columns");
        return new ColumnChoice(label, features, featureNames);
    }

    private static Dataset Build(TextTable t, LoadOptions o)
    {
        string file = t.File;
        char delimiter = t.Delimiter;
        var notices = new List<string>(t.Notices);
        var (label, features, featureNames) = ChooseColumns(t, o, notices);

        // Cells -> numbers. A missing cell is NaN until dropped or filled (the policy says which).
        int n = t.Records.Count;
        var rows = new float[n][];
        var hasMissing = new bool[n];
        int missingCells = 0;
        for (int r = 0; r < n; r++)
        {
            string[] rec = t.Records[r];
            var row = new float[features.Length];
            for (int j = 0; j < features.Length; j++)
            {
                int c = features[j];
                Numbers.Kind kind = Numbers.TryParse(rec[c], delimiter, out row[j]);
                if (kind == Numbers.Kind.Missing && (o.Missing != MissingPolicy.Error || o.Fill != null))
                {
                    row[j] = float.NaN;
                    hasMissing[r] = true;
                    missingCells++;
                    continue;
                }
                if (kind != Numbers.Kind.Number) throw new DataException(file, t.Lines[r], t.Columns[c], Numbers.Problem(kind, rec[c]));
            }
            rows[r] = row;
        }
        int[] lines = t.Lines.ToArray();
        var records = t.Records;
        if (missingCells > 0)
        {
            int missingRows = hasMissing.Count(m => m);
            if (o.Fill != null)
            {
                notices.Add(MissingNotice(o, missingCells, missingRows, n));
                foreach (float[] row in rows) FillRow(row, o.Fill.Fill);
            }
            else if (o.Missing == MissingPolicy.Drop)
            {
                int[] keep = Enumerable.Range(0, n).Where(r => !hasMissing[r]).ToArray();
                if (keep.Length == 0) throw new DataException(file, 0, null, NoRowsLeft);
                notices.Add(MissingNotice(o, missingCells, missingRows, n));
                rows = keep.Select(r => rows[r]).ToArray();
                lines = keep.Select(r => lines[r]).ToArray();
                records = keep.Select(r => records[r]).ToList();
                n = keep.Length;
            }
            else
            {
                notices.Add(MissingNotice(o, missingCells, missingRows, n));
            }
        }
        DeviceLimits.CheckMagnitudes(file, featureNames, DeviceLimits.Ranges(featureNames.Length, rows));

        var data = new Dataset
        {
            Name = DeviceLimits.ModelName(o.Name ?? Path.GetFileNameWithoutExtension(TextSource.LogicalName(file))), SourceFile = file,
            FeatureNames = featureNames, Rows = rows, SourceLines = lines, Notices = notices,
        };
        for (int c = 0; c < t.Columns.Length; c++)
        {
            if (features.Contains(c) || c == label) continue;
            data.OtherColumns[t.Columns[c]] = records.Select(rec => rec[c]).ToArray();
        }
        if (o.Unlabeled)
        {
            data.ClassLabels = ["?"];
            data.Labels = new int[n];
            DeviceLimits.CheckNames(file, t.HeaderLine, featureNames, []);
            return data;
        }

        data.LabelColumn = t.Columns[label];
        var labelValues = new TextColumn(n);
        for (int r = 0; r < n; r++)
        {
            string v = records[r][label].Trim();
            if (Numbers.TryParse(v, delimiter, out _) == Numbers.Kind.Missing) throw new DataException(file, lines[r], data.LabelColumn, MissingLabel(v));
            labelValues.Add(v, lines[r]);
        }
        ClassList.Assign(data, t, o, labelValues);
        DeviceLimits.CheckNames(file, t.HeaderLine, featureNames, data.ClassLabels);
        return data;
    }

    internal const string NoRowsLeft = "every row has a missing value, so --missing drop leaves no rows";

    /// <summary>The notice of a load with missing values: filled with a model's values, dropped, or left to fill from the training rows.</summary>
    internal static string MissingNotice(LoadOptions o, long cells, long rows, long total) =>
        o.Fill != null ? $"filled {cells} missing values in {rows} rows with the model's {o.Fill.Strategy.ToString().ToLowerInvariant()} of its training rows"
        : o.Missing == MissingPolicy.Drop ? $"dropped {rows} of {total} rows with missing values (--missing drop)"
        : $"{cells} missing values in {rows} rows are filled with the training rows' {o.Missing.ToString().ToLowerInvariant()} (--missing {o.Missing.ToString().ToLowerInvariant()})";

    internal static string MissingLabel(string cell) => $"missing class label ('{Cells.Show(cell)}')";

    private static void FillRow(float[] row, float[] fill)
    {
        for (int f = 0; f < row.Length; f++)
        {
            if (float.IsNaN(row[f])) row[f] = fill[f];
        }
    }

    /// <summary>Why column c is not a feature by default, or null when it is one.</summary>
    internal static string WhyNotFeature(TextTable t, int c, HashSet<int> dropped)
    {
        string name = t.Columns[c];
        if (dropped.Contains(c)) return "--drop";
        if (t.NeverFeatures.Contains(name)) return "row names";
        if (t.Nominal.ContainsKey(name)) return "nominal ARFF attribute";
        if (t.TextAttributes.TryGetValue(name, out string type)) return $"ARFF {type} attribute";
        string example = null;
        foreach (string[] rec in t.Records)
        {
            Numbers.Kind k = Numbers.TryParse(rec[c], t.Delimiter, out _);
            if (k == Numbers.Kind.Text) example ??= rec[c];
            else if (k != Numbers.Kind.Missing) return null;
        }
        return example == null ? "no values" : $"text, e.g. '{Cells.Show(example)}'";
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
