using System.Globalization;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// Train/test splits: the fixed benchmark splits of ../shared/datasets/SPLITS.md by id, general split
/// specs for the command line, and a stratified validation split taken from the training side.
/// </summary>
public static class Splits
{
    /// <summary>Where the datasets are when no folder is given (relative to the repository root).</summary>
    public const string DefaultDatasetsFolder = "../shared/datasets";

    private sealed record BenchmarkSpec(string Id, string Folder, string File, LoadOptions Options, string Spec);

    private static readonly BenchmarkSpec[] Table =
    {
        new("satellite", "satellite", "satellite.csv", new LoadOptions { LabelColumn = "classes", Name = "satellite" }, "rows:1-4435/4436-6435"),
        new("shuttle", "shuttle", "shuttle.csv", new LoadOptions { LabelColumn = "Class", Name = "shuttle" }, "rows:1-43500/43501-58000"),
        new("room-occupancy", "room_occupancy_estimation", "Occupancy_Estimation.csv",
            new LoadOptions { LabelColumn = "Room_Occupancy_Count", DropColumns = new[] { "Date", "Time" }, Name = "room-occupancy" }, "column:Date=2017/12/23"),
        new("occupancy", "occupancy", "datatraining.txt", OccupancyOptions("occupancy"), "file:datatest.txt"),
        new("occupancy-test2", "occupancy", "datatraining.txt", OccupancyOptions("occupancy-test2"), "file:datatest2.txt"),
        new("gas-drift", "gas_sensor_drift", "gas_drift_dR_32feat.csv", GasOptions("gas-drift"), "column:batch=1,2,3,4,5/6"),
        new("gas-drift-b8", "gas_sensor_drift", "gas_drift_dR_32feat.csv", GasOptions("gas-drift-b8"), "column:batch=1,2,3,4,5/8"),
        new("gas-drift-b9", "gas_sensor_drift", "gas_drift_dR_32feat.csv", GasOptions("gas-drift-b9"), "column:batch=1,2,3,4,5/9"),
        new("ionosphere", "ionosphere", "ionosphere.arff", new LoadOptions { LabelColumn = "class", Name = "ionosphere" }, "rows:1-200/201-351"),
    };

    private static LoadOptions OccupancyOptions(string name) => new()
    {
        LabelColumn = "Occupancy", FeatureColumns = new[] { "Temperature", "Humidity", "Light", "CO2", "HumidityRatio" }, Name = name,
    };

    private static LoadOptions GasOptions(string name) => new()
    {
        LabelColumn = "gas", DropColumns = new[] { "concentration_ppmv", "batch" }, Name = name,
    };

    public static string[] BenchmarkIds => Table.Select(b => b.Id).ToArray();

    /// <summary>The dataset file a benchmark reads, relative to the datasets folder (for "where to get it" messages).</summary>
    public static string BenchmarkFile(string benchmarkId)
    {
        BenchmarkSpec b = Find(benchmarkId);
        return Path.Combine(b.Folder, b.File);
    }

    /// <summary>The load options and split spec of a benchmark (for showing what a run used).</summary>
    public static (LoadOptions Options, string Spec) BenchmarkDefinition(string benchmarkId)
    {
        BenchmarkSpec b = Find(benchmarkId);
        return (b.Options, b.Spec);
    }

    /// <summary>Loads and splits a benchmark as SPLITS.md fixes it.</summary>
    public static (Dataset Train, Dataset Test) Benchmark(string benchmarkId, string datasetsFolder = null)
    {
        BenchmarkSpec b = Find(benchmarkId);
        datasetsFolder ??= DefaultDatasetsFolder;
        string folder = Path.Combine(datasetsFolder, b.Folder);
        string path = Path.Combine(folder, b.File);
        if (!File.Exists(path))
            throw new DataException(path, 0, null,
                $"benchmark '{b.Id}' needs this file; the datasets live in ../shared/datasets beside the repository " +
                "(see its README.md for the UCI source of each), or pass the datasets folder");
        Dataset all = DatasetLoader.Load(path, b.Options);
        return Apply(all, b.Spec, folder, b.Options);
    }

    /// <summary>
    /// Splits by a spec: "rows:A-B/C-D" (1-based data rows, inclusive), "column:NAME=V" (test = rows whose
    /// NAME is V, train = the rest), "column:NAME=V1,V2/W1,W2" (train = rows with a V, test = rows with a W),
    /// or "file:PATH" (the test rows come from another
    /// file, relative to baseFolder, read with the same columns).
    /// </summary>
    public static (Dataset Train, Dataset Test) Apply(Dataset data, string spec, string baseFolder, LoadOptions options = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new ArgumentException("empty split spec");
        int colon = spec.IndexOf(':');
        string kind = colon < 0 ? spec : spec.Substring(0, colon);
        string arg = colon < 0 ? "" : spec.Substring(colon + 1);
        (Dataset Train, Dataset Test) split = kind switch
        {
            "rows" => ByRows(data, arg, spec),
            "column" => ByColumn(data, arg, spec),
            "file" => ByFile(data, arg, baseFolder, options),
            _ => throw new ArgumentException($"unknown split spec '{spec}': use rows:A-B/C-D, column:NAME=VALUE or file:PATH"),
        };
        if (split.Train.Count == 0) throw new DataException(data.SourceFile, 0, null, $"split '{spec}' leaves no training rows");
        if (split.Test.Count == 0) throw new DataException(data.SourceFile, 0, null, $"split '{spec}' leaves no test rows");
        // Training needs every class the file has; rows for an existing model (its classes given) need not.
        if (options?.ClassLabels == null) split.Train.RequireEveryClass($"training side of split '{spec}'");
        return split;
    }

    private static (Dataset, Dataset) ByRows(Dataset data, string arg, string spec)
    {
        string[] parts = arg.Split('/');
        if (parts.Length != 2) throw new ArgumentException($"split '{spec}': expected rows:A-B/C-D");
        int[] train = Range(parts[0], data.Count, spec), test = Range(parts[1], data.Count, spec);
        int from = Math.Max(train[0], test[0]), to = Math.Min(train[^1], test[^1]);
        if (from <= to)
            throw new ArgumentException($"split '{spec}': the training rows {parts[0]} and the test rows {parts[1]} overlap (rows {from + 1}-{to + 1}); " +
                                        "a test row that was trained on would be counted as unlearned");
        return (data.Subset(train), data.Subset(test));
    }

    private static int[] Range(string text, int count, string spec)
    {
        string[] ends = text.Split('-');
        if (ends.Length != 2 || !int.TryParse(ends[0].Replace("_", ""), out int a) || !int.TryParse(ends[1].Replace("_", ""), out int b) || a < 1 || b < a)
            throw new ArgumentException($"split '{spec}': '{text}' is not a row range A-B with 1 <= A <= B");
        if (b > count) throw new ArgumentException($"split '{spec}': row {b} is past the last data row ({count})");
        return Enumerable.Range(a - 1, b - a + 1).ToArray();
    }

    private static (Dataset, Dataset) ByColumn(Dataset data, string arg, string spec)
    {
        int eq = arg.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"split '{spec}': expected column:NAME=VALUE");
        string name = arg.Substring(0, eq);
        string values = arg.Substring(eq + 1);
        Func<int, string> cell = Column(data, name, spec);

        // "V1,V2/W1,W2" lists train then test values. A value may itself contain '/' (dates), so a cut
        // counts only when both sides match some row; otherwise the whole text lists test values.
        string[] trainValues = null, testValues = null;
        int n = data.Count;
        for (int cut = values.IndexOf('/'); cut >= 0; cut = values.IndexOf('/', cut + 1))
        {
            string[] tr = values.Substring(0, cut).Split(','), te = values.Substring(cut + 1).Split(',');
            if (Enumerable.Range(0, n).Any(r => Matches(cell(r), tr)) && Enumerable.Range(0, n).Any(r => Matches(cell(r), te)))
            {
                trainValues = tr;
                testValues = te;
                break;
            }
        }
        testValues ??= values.Split(',');
        var train = new List<int>();
        var test = new List<int>();
        for (int r = 0; r < data.Count; r++)
        {
            string v = cell(r);
            if (Matches(v, testValues)) test.Add(r);
            else if (trainValues == null || Matches(v, trainValues)) train.Add(r);
        }
        return (data.Subset(train.ToArray()), data.Subset(test.ToArray()));
    }

    private static bool Matches(string cell, string[] values)
    {
        foreach (string v in values)
        {
            if (cell == v) return true;
            if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
                && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && a == b) return true;
        }
        return false;
    }

    private static Func<int, string> Column(Dataset data, string name, string spec)
    {
        if (data.OtherColumns.TryGetValue(name, out string[] text)) return r => text[r].Trim();
        int f = Array.IndexOf(data.FeatureNames, name);
        if (f >= 0) return r => data.Features.Row(r)[f].ToString("R", CultureInfo.InvariantCulture);
        throw new DataException(data.SourceFile, 0, name, $"split '{spec}' names a column the data does not have");
    }

    /// <summary>
    /// The test rows of another file, read with the training side's columns: its features by name and its
    /// label by the training label's name (not its own last column), with the same missing-value policy.
    /// </summary>
    private static (Dataset, Dataset) ByFile(Dataset data, string file, string baseFolder, LoadOptions options)
    {
        string path = Path.IsPathRooted(file) || baseFolder == null ? file : Path.Combine(baseFolder, file);
        if (File.Exists(path) && File.Exists(data.SourceFile) && SameFile(path, data.SourceFile))
            throw new ArgumentException($"split 'file:{file}': the test file is the training data file itself ({data.SourceFile}); every test row would have been trained on");
        LoadOptions o = options?.Clone() ?? new LoadOptions();
        o.LabelColumn = data.LabelColumn ?? options?.LabelColumn;
        o.FeatureColumns = data.FeatureNames;
        o.DropColumns = null;
        o.Name = data.Name;
        o.TestSide = true;
        Dataset test;
        try
        {
            test = DatasetLoader.Load(path, o);
        }
        catch (DataException e) when (e.Column == o.LabelColumn && e.Problem.StartsWith("unknown label column", StringComparison.Ordinal))
        {
            throw new DataException(e.File, e.Line, e.Column, $"the test file has no column '{Cells.Show(o.LabelColumn)}', the training data's label; " + e.Problem["unknown label column; ".Length..]);
        }
        foreach (string notice in test.Notices) data.Notices.Add(Path.GetFileName(path) + ": " + notice);
        return (data, AlignClasses(test, data.ClassLabels));
    }

    private static bool SameFile(string a, string b)
    {
        string fa = Path.GetFullPath(new FileInfo(a).ResolveLinkTarget(true)?.FullName ?? a);
        string fb = Path.GetFullPath(new FileInfo(b).ResolveLinkTarget(true)?.FullName ?? b);
        return string.Equals(fa, fb, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Re-labels a test set with the training side's class list; a class training never saw is an error.</summary>
    private static Dataset AlignClasses(Dataset test, string[] classes)
    {
        var labels = new int[test.Count];
        for (int r = 0; r < test.Count; r++)
        {
            string name = test.ClassLabels[test.Labels[r]];
            int k = Array.IndexOf(classes, name);
            if (k < 0 && double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                k = Array.FindIndex(classes, c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out double w) && w == v);
            if (k < 0) throw new DataException(test.SourceFile, test.SourceLines[r], null, $"class '{name}' does not occur in the training data ({string.Join(", ", classes)})");
            labels[r] = k;
        }
        test.ClassLabels = classes;
        test.Labels = labels;
        return test;
    }

    /// <summary>
    /// A stratified validation split of the training side: about <paramref name="fraction"/> of each class
    /// (at least one row of a class with two or more), chosen with a seeded shuffle; both sides keep file order.
    /// </summary>
    public static (Dataset Train, Dataset Validation) Validation(Dataset train, double fraction, int seed)
    {
        var (t, v) = ValidationRows(train, fraction, seed);
        return (train.Subset(t), train.Subset(v));
    }

    /// <summary>The row indices (ascending) of <see cref="Validation"/>'s two sides.</summary>
    public static (int[] Train, int[] Validation) ValidationRows(Dataset train, double fraction, int seed)
    {
        if (fraction <= 0 || fraction >= 1) throw new ArgumentException($"validation fraction {fraction} must be in (0, 1)");
        var rng = new Random(seed);
        var isValidation = new bool[train.Count];
        int[] counts = train.ClassCounts();
        for (int c = 0; c < train.ClassCount; c++)
        {
            // The rows of class c in file order (counted first: a 30-million-row set builds no growing lists).
            var rows = new int[counts[c]];
            for (int r = 0, k = 0; k < rows.Length; r++)
            {
                if (train.Labels[r] == c) rows[k++] = r;
            }
            for (int i = rows.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (rows[i], rows[j]) = (rows[j], rows[i]);
            }
            int take = (int)Math.Round(rows.Length * fraction);
            if (take == 0 && rows.Length >= 2) take = 1;
            if (take >= rows.Length) take = rows.Length - 1;
            for (int i = 0; i < take; i++) isValidation[rows[i]] = true;
        }
        int validation = 0;
        foreach (bool b in isValidation) if (b) validation++;
        var t = new int[train.Count - validation];
        var v = new int[validation];
        for (int r = 0, i = 0, j = 0; r < train.Count; r++)
        {
            if (isValidation[r]) v[j++] = r;
            else t[i++] = r;
        }
        return (t, v);
    }

    private static BenchmarkSpec Find(string id)
    {
        foreach (BenchmarkSpec b in Table)
        {
            if (string.Equals(b.Id, id, StringComparison.OrdinalIgnoreCase)) return b;
        }
        throw new ArgumentException($"unknown benchmark '{id}'; known: {string.Join(", ", BenchmarkIds)}");
    }
}
