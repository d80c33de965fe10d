using nietras.SeparatedValues;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// Loads a large CSV file into a <see cref="RowStore"/> without holding its text: the layout (delimiter,
/// header, which columns are features) is decided from the first rows by the rules of <see cref="CsvReader"/>
/// and <see cref="DatasetLoader"/>, then every row is parsed from the stream (Sep, cells read as spans) and
/// its features written to the store file, checked as the in-memory loader checks them, with the same located
/// errors (a file with several problems gets the first one in file order). The store is reused while the data
/// file and the options are unchanged. Layouts that need the whole file to decide (R or pandas row names,
/// scikit-learn's header, a column whose first rows are all missing or text and that holds a number later)
/// are left to the in-memory loader.
/// </summary>
internal static class StreamingLoader
{
    /// <summary>Rows read ahead to decide the layout.</summary>
    public const int HeadRecords = 1000;

    /// <summary>Thrown when the layout cannot be decided from the first rows: the file is read whole instead.</summary>
    public sealed class NeedsWholeFile : Exception;

    /// <summary>The dataset from the row store (reused or built now), or null when the in-memory loader should read the file.</summary>
    public static Dataset TryLoad(string path, LoadOptions o)
    {
        try
        {
            return Load(path, o);
        }
        catch (NeedsWholeFile)
        {
            return null;
        }
    }

    private static Dataset Load(string path, LoadOptions o)
    {
        RowStore.Key key = RowStore.KeyOf(path, o);
        string[] places = RowStore.Places(path, key, o.CacheFolder);
        string rebuilt = null;
        foreach (string place in places)
        {
            if (!File.Exists(place) || !RowStore.IsStoreFile(place)) continue;
            var (store, contents) = RowStore.Open(place, key, verify: true, out string problem);
            if (store != null) return ToDataset(path, o, store, contents, $"rows read from the row store {place} (built from this file; docs/cli.md)");
            rebuilt ??= $"the row store {place} was not used ({problem}): rebuilt";
        }

        // A place is usable when its folder takes a new file and nothing but a store of ours is there.
        RowStore.Writer writer = null;
        string target = null;
        var refused = new List<string>();
        foreach (string place in places)
        {
            if (File.Exists(place) && !RowStore.IsStoreFile(place))
            {
                refused.Add($"{place} exists and is not a row store");
                continue;
            }
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(place)!);
                writer = new RowStore.Writer(place, 0);
                writer.Dispose();
                target = place;
                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                refused.Add($"{Path.GetDirectoryName(place)} is not writable ({e.Message})");
            }
        }
        if (target == null) throw new NeedsWholeFile(); // nowhere to put a store: held in memory as a small file is

        var notices = new List<string>();
        if (rebuilt != null) notices.Add(rebuilt);
        if (target != places[0]) notices.Add($"the row store is in {Path.GetDirectoryName(target)} ({string.Join("; ", refused)})");
        (RowStore built, RowStore.Contents written) = Build(path, o, key, target);
        notices.Add($"rows stored in the row store {target} (reused while this file is unchanged; docs/cli.md)");
        return ToDataset(path, o, built, written, null, notices);
    }

    private static Dataset ToDataset(string path, LoadOptions o, RowStore store, RowStore.Contents c, string notice, List<string> more = null)
    {
        var data = new Dataset
        {
            Name = DeviceLimits.ModelName(o.Name ?? Path.GetFileNameWithoutExtension(TextSource.LogicalName(path))), SourceFile = path,
            FeatureNames = c.FeatureNames, ClassLabels = c.ClassLabels, LabelColumn = c.LabelColumn,
            Labels = c.Labels, Notices = [.. c.Notices],
        };
        data.LinesWhenAsked(store.ReadLines);
        foreach (int k in c.ClassesWithoutRows) data.ClassesWithoutRows.Add(k);
        for (int k = 0; k < c.OtherColumns.Length; k++)
        {
            string[] distinct = c.OtherValues[k];
            int[] index = c.OtherIndices[k];
            var values = new string[index.Length];
            for (int r = 0; r < values.Length; r++) values[r] = distinct[index[r]];
            data.OtherColumns[c.OtherColumns[k]] = values;
        }
        if (more != null) data.Notices.AddRange(more);
        if (notice != null) data.Notices.Add(notice);
        data.UseStore(store);
        return data;
    }

    /// <summary>Reads the file into a new store at <paramref name="target"/>: the checks of the in-memory loader, row by row.</summary>
    private static (RowStore, RowStore.Contents) Build(string path, LoadOptions o, RowStore.Key key, string target)
    {
        long maxBytes = o.MaxFileBytes;
        char delimiter = CsvReader.DetectDelimiter(TextSource.Head(path, 1 << 16, maxBytes));

        // The layout from the first records, by the rules of the in-memory loader.
        var headRecords = new List<string[]>();
        var headLines = new List<int>();
        long headChars = 0;
        using (TextReader text = TextSource.Open(path, maxBytes))
        {
            foreach ((string[] fields, int line) in CsvReader.Records(path, text, delimiter))
            {
                headRecords.Add(fields);
                headLines.Add(line);
                foreach (string field in fields) headChars += field.Length + 1;
                if (headRecords.Count > HeadRecords) break;
            }
        }
        TextTable t = CsvReader.Layout(path, headRecords, headLines, delimiter, head: true);
        int columns = t.Columns.Length;
        for (int r = 0; r < headRecords.Count; r++)
        {
            if (headRecords[r].Length != columns) throw new DataException(path, headLines[r], null, CsvReader.FieldCount(headRecords[r].Length, columns));
        }
        t.Records = headRecords;
        t.Lines = headLines;
        var notices = new List<string>(t.Notices);
        var (label, features, featureNames) = DatasetLoader.ChooseColumns(t, o, notices);
        var dropped = new HashSet<int>((o.DropColumns ?? []).Select(t.ColumnIndex));
        int f = features.Length;

        // Columns left out because their first rows hold no number: a number further down makes them features
        // by the in-memory loader's rule, which only the whole file can decide.
        var watch = new List<int>();
        var others = new List<int>();
        for (int c = 0; c < columns; c++)
        {
            if (c == label || features.Contains(c)) continue;
            others.Add(c);
            if (o.FeatureColumns == null && !dropped.Contains(c) && !t.NeverFeatures.Contains(t.Columns[c])) watch.Add(c);
        }

        long fileBytes = new FileInfo(path).Length;
        int estimate = (int)Math.Clamp(fileBytes / Math.Max(1, headChars / Math.Max(1, headRecords.Count)) * 11 / 10, 1024, Array.MaxLength);
        var lines = new int[estimate];
        var labels = new TextColumn(estimate);
        TextColumn[] otherValues = others.Select(_ => new TextColumn(estimate)).ToArray();
        var row = new float[f];
        var (min, max) = (new double[f], new double[f]);
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        long missingCells = 0, missingRows = 0, rowsRead = 0;
        bool keepMissing = o.Missing != MissingPolicy.Error || o.Fill != null;
        int kept = 0;

        using var writer = new RowStore.Writer(target, f);
        using (TextReader text = TextSource.Open(path, maxBytes))
        using (SepReader reader = Sep.Reader(s => s with
               {
                   Sep = new Sep(delimiter), HasHeader = false, DisableColCountCheck = true, Unescape = false, Trim = SepTrim.None,
               }).From(text))
        {
            int nextLine = 1;
            bool header = t.HeaderLine > 0;
            while (true)
            {
                int line = nextLine;
                try
                {
                    if (!reader.MoveNext()) break;
                }
                catch (InvalidDataException e)
                {
                    throw new DataException(path, line, null, "the CSV parser stopped: " + Cells.Show(e.Message));
                }
                SepReader.Row rec = reader.Current;
                nextLine = rec.LineNumberToExcl;
                if (rec.ColCount == 1 && rec[0].Span.Trim().IsEmpty) continue;
                if (header)
                {
                    header = false; // the header record (checked with the first rows)
                    continue;
                }
                // Every field's quoting is checked, as the in-memory reader checks it.
                for (int c = 0; c < rec.ColCount; c++)
                {
                    if (rec[c].Span.Contains('"')) CsvReader.Field(path, line, c, rec[c].Span, delimiter);
                }
                if (rec.ColCount != columns) throw new DataException(path, line, null, CsvReader.FieldCount(rec.ColCount, columns));
                rowsRead++;

                bool missing = false;
                for (int j = 0; j < f; j++)
                {
                    int c = features[j];
                    ReadOnlySpan<char> cell = Cell(path, line, rec, c, delimiter, out string quoted);
                    Numbers.Kind kind = Numbers.TryParse(cell, delimiter, out row[j]);
                    if (kind == Numbers.Kind.Number) continue;
                    if (kind == Numbers.Kind.Missing && keepMissing)
                    {
                        row[j] = o.Fill != null ? o.Fill.Fill[j] : float.NaN;
                        missing = true;
                        missingCells++;
                        continue;
                    }
                    throw new DataException(path, line, t.Columns[c], Numbers.Problem(kind, quoted ?? cell.Trim().ToString()));
                }
                foreach (int c in watch)
                {
                    ReadOnlySpan<char> cell = Cell(path, line, rec, c, delimiter, out _);
                    if (Numbers.TryParse(cell, delimiter, out _) is not (Numbers.Kind.Text or Numbers.Kind.Missing)) throw new NeedsWholeFile();
                }
                if (missing)
                {
                    missingRows++;
                    if (o.Fill == null && o.Missing == MissingPolicy.Drop) continue;
                }
                if (kept == int.MaxValue) throw new DataException(path, line, null, $"more than {int.MaxValue:N0} rows; split the file");

                if (label >= 0)
                {
                    ReadOnlySpan<char> cell = Cell(path, line, rec, label, delimiter, out string quoted);
                    ReadOnlySpan<char> v = quoted != null ? quoted.AsSpan().Trim() : cell.Trim();
                    if (Numbers.TryParse(v, delimiter, out _) == Numbers.Kind.Missing) throw new DataException(path, line, t.Columns[label], DatasetLoader.MissingLabel(v.ToString()));
                    labels.Add(v, line);
                }
                for (int k = 0; k < others.Count; k++)
                {
                    ReadOnlySpan<char> cell = Cell(path, line, rec, others[k], delimiter, out string quoted);
                    otherValues[k].Add(quoted != null ? quoted.AsSpan() : cell.Trim(), line);
                }
                DeviceLimits.Widen(min, max, row);
                writer.AddRow(row);
                if (kept == lines.Length) Array.Resize(ref lines, (int)Math.Min(Array.MaxLength, lines.Length * 2L));
                lines[kept++] = line;
            }
        }
        if (rowsRead == 0) throw new DataException(path, t.HeaderLine, null, "the file has a header but no data rows");
        if (missingCells > 0)
        {
            if (kept == 0) throw new DataException(path, 0, null, DatasetLoader.NoRowsLeft);
            notices.Add(DatasetLoader.MissingNotice(o, missingCells, missingRows, rowsRead));
        }
        DeviceLimits.CheckMagnitudes(path, featureNames, (min, max));

        var data = new Dataset { SourceFile = path, FeatureNames = featureNames, Notices = notices, SourceLines = lines[..kept] };
        if (label < 0)
        {
            data.ClassLabels = ["?"];
            data.Labels = new int[kept];
            DeviceLimits.CheckNames(path, t.HeaderLine, featureNames, []);
        }
        else
        {
            data.LabelColumn = t.Columns[label];
            ClassList.Assign(data, t, o, labels);
            DeviceLimits.CheckNames(path, t.HeaderLine, featureNames, data.ClassLabels);
        }

        var contents = new RowStore.Contents
        {
            FeatureNames = featureNames, ClassLabels = data.ClassLabels, LabelColumn = data.LabelColumn,
            ClassesWithoutRows = data.ClassesWithoutRows.Order().ToArray(), Notices = data.Notices.ToArray(),
            OtherColumns = others.Select(c => t.Columns[c]).ToArray(), OtherValues = otherValues.Select(v => v.Distinct.ToArray()).ToArray(),
        };
        int[][] otherIndices = otherValues.Select(v => v.Rows.ToArray()).ToArray();
        writer.Commit(target, key, contents, data.Labels, data.SourceLines, otherIndices);
        contents.Labels = data.Labels;
        contents.OtherIndices = otherIndices;
        return (RowStore.MapWritten(target, kept, f), contents);
    }

    /// <summary>Cell c of a record: its characters, or (a field with quotes) its unquoted text in <paramref name="quoted"/>.</summary>
    private static ReadOnlySpan<char> Cell(string path, int line, SepReader.Row rec, int c, char delimiter, out string quoted)
    {
        ReadOnlySpan<char> raw = rec[c].Span;
        if (line == 1 && c == 0) raw = raw.TrimStart('\uFEFF');
        quoted = raw.Contains('"') ? CsvReader.Field(path, line, c, raw, delimiter) : null;
        return quoted != null ? quoted.AsSpan() : raw;
    }
}
