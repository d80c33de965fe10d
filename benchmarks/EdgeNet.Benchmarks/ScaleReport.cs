using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using EdgeNetTrainer = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Benchmarks;

/// <summary>
/// <c>edgenet-bench scale</c> (issue #20): long recordings. For each size (default 1 M, 3 M, 10 M, 30 M rows of
/// 16 float features and a 4-class label) a seeded CSV is generated into a temporary folder (deleted after,
/// never committed), then measured in child processes, each reporting its own peak RSS (VmHWM): pandas.read_csv
/// with float32 dtypes (Debian's python3-pandas), EdgeNet's streaming load into the row store (no store yet),
/// training one epoch from the store (the store reused), then `edgenet quantize` and `edgenet evaluate` (which
/// quantizes too; test rows the last 20 %) of that model from the store, as a user runs them. Load time is paired with pandas within each repeat
/// (the order alternating). Costs are fitted against rows by least squares (slope and R^2). The memory bound is
/// peak RSS &lt;= 1.5 x the float32 data (68 bytes a row: 16 features and the label) plus a constant, the peak
/// RSS of the same run (training, quantize, evaluate) on 10,000 rows.
/// </summary>
public static class ScaleReport
{
    public const int Features = 16, Classes = 4, Seed = 20;
    public const int BytesPerRow = (Features + 1) * sizeof(float);
    public const double MemoryFactor = 1.5;
    public const int ConstantRows = 10_000;
    public static readonly int[] DefaultSizes = [1_000_000, 3_000_000, 10_000_000, 30_000_000];

    private const string Pandas = """
        import json, resource, sys, time
        import numpy as np, pandas as pd
        path = sys.argv[1]
        dtypes = {f"f{i}": np.float32 for i in range(16)}
        dtypes["label"] = np.int32
        t = time.perf_counter()
        df = pd.read_csv(path, dtype=dtypes)
        t = time.perf_counter() - t
        print(json.dumps({"load_s": t, "rows": len(df), "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "pandas": pd.__version__}))
        """;

    public static void Run(string[] args)
    {
        int[] sizes = DefaultSizes;
        int repeatsSmall = 3;
        string name = "scale";
        string folder = Path.Combine(Path.GetTempPath(), $"edgenet-scale-{Environment.ProcessId}");
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--sizes") sizes = args[++i].Split(',').Select(ParseRows).ToArray();
            else if (args[i] == "--repeats") repeatsSmall = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--folder") folder = args[++i];
            else if (args[i] == "--name") name = args[++i];
            else throw new ArgumentException($"unknown option {args[i]}; usage: scale [--sizes 1M,3M,10M,30M] [--repeats N] [--folder DIR] [--name RESULTS]");
        }
        Directory.CreateDirectory(folder);
        JsonObject machine = Results.Machine();
        var rows = new JsonArray();
        try
        {
            string constantFile = Path.Combine(folder, "constant.csv");
            Generate(constantFile, ConstantRows, Seed);
            JsonObject constant = Child("train", constantFile, 1);
            double constantKb = (double)constant["peak_rss_kb"];
            double quantizeConstantKb = (double)Child("quantize", constantFile, ConstantRows)["peak_rss_kb"];
            double evaluateConstantKb = (double)Child("evaluate", constantFile, ConstantRows)["peak_rss_kb"];
            Console.WriteLine($"constant: on {ConstantRows:N0} rows training peaks at {constantKb / 1024:0} MiB, quantize at {quantizeConstantKb / 1024:0} MiB, evaluate at {evaluateConstantKb / 1024:0} MiB");
            File.Delete(constantFile);
            DeleteStores(folder);

            foreach (int n in sizes)
            {
                string file = Path.Combine(folder, $"rows{n}.csv");
                long need = (long)n * 125 + (long)n * BytesPerRow + (1L << 30);
                long free = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(folder))!).AvailableFreeSpace;
                if (free < need) throw new IOException($"{folder}: {free:N0} bytes free, {need:N0} needed for {n:N0} rows");
                var clock = Stopwatch.StartNew();
                Generate(file, n, Seed);
                long csvBytes = new FileInfo(file).Length;
                Console.WriteLine($"{n:N0} rows: {csvBytes:N0} bytes generated in {clock.Elapsed.TotalSeconds:0.0} s; load {Results.LoadNow()}");
                int repeats = n <= 3_000_000 ? repeatsSmall : 1;
                var pandas = new List<JsonObject>();
                var loads = new List<JsonObject>();
                for (int r = 0; r < repeats; r++)
                {
                    // Alternate the order so a drift of the shared machine hits both.
                    for (int k = 0; k < 2; k++)
                    {
                        if ((r + k) % 2 == 0) pandas.Add(RunPandas(file));
                        else
                        {
                            DeleteStores(folder);
                            loads.Add(Child("load", file, 0));
                        }
                    }
                }
                JsonObject train = Child("train", file, 1);
                JsonObject quantize = Child("quantize", file, n), evaluate = Child("evaluate", file, n);
                DeleteStores(folder);
                foreach (string f in Directory.GetFiles(folder, Path.GetFileName(file) + "*")) File.Delete(f);
                double data = MemoryFactor * n * BytesPerRow / 1024;
                double bound = data + constantKb, quantizeBound = data + quantizeConstantKb, evaluateBound = data + evaluateConstantKb;
                var ratios = PairedRatio.Of(loads.Select(l => (double)l["load_s"]).ToList(), pandas.Select(p => (double)p["load_s"]).ToList());
                var entry = new JsonObject
                {
                    ["rows"] = n, ["csv_bytes"] = csvBytes, ["float32_bytes"] = (long)n * BytesPerRow, ["repeats"] = repeats,
                    ["load_s"] = Median(loads, "load_s"), ["load_rows_per_s"] = Math.Round(n / Median(loads, "load_s")),
                    ["load_peak_rss_kb"] = Max(loads, "peak_rss_kb"),
                    ["pandas_load_s"] = Median(pandas, "load_s"), ["pandas_peak_rss_kb"] = Max(pandas, "peak_rss_kb"),
                    ["load_over_pandas"] = ratios.ToJson(),
                    ["train_cached_load_s"] = train["load_s"]!.DeepClone(), ["train_s"] = train["train_s"]!.DeepClone(),
                    ["train_samples"] = train["samples"]!.DeepClone(), ["train_samples_per_s"] = train["samples_per_s"]!.DeepClone(),
                    ["train_peak_rss_kb"] = train["peak_rss_kb"]!.DeepClone(),
                    ["memory_bound_kb"] = Math.Round(bound),
                    ["within_bound"] = (double)train["peak_rss_kb"] <= bound && Max(loads, "peak_rss_kb") <= bound,
                    ["quantize_s"] = quantize["command_s"]!.DeepClone(), ["quantize_peak_rss_kb"] = quantize["peak_rss_kb"]!.DeepClone(),
                    ["quantize_memory_bound_kb"] = Math.Round(quantizeBound), ["quantize_within_bound"] = (double)quantize["peak_rss_kb"] <= quantizeBound,
                    ["evaluate_s"] = evaluate["command_s"]!.DeepClone(), ["evaluate_peak_rss_kb"] = evaluate["peak_rss_kb"]!.DeepClone(),
                    ["evaluate_memory_bound_kb"] = Math.Round(evaluateBound), ["evaluate_within_bound"] = (double)evaluate["peak_rss_kb"] <= evaluateBound,
                    ["load_average_after"] = Results.LoadNow(),
                    ["loads"] = new JsonArray(loads.Select(l => (JsonNode)l.DeepClone()).ToArray()),
                    ["pandas_runs"] = new JsonArray(pandas.Select(p => (JsonNode)p.DeepClone()).ToArray()),
                };
                rows.Add(entry);
                WriteResults(machine, rows, final: false, name); // a later failure keeps the sizes measured so far
                Console.WriteLine($"  load {entry["load_s"]} s ({entry["load_rows_per_s"]} rows/s, peak {Max(loads, "peak_rss_kb") / 1024:0} MiB); pandas {entry["pandas_load_s"]} s " +
                                  $"(peak {Max(pandas, "peak_rss_kb") / 1024:0} MiB); ratio {ratios.Text}; train {train["samples_per_s"]} samples/s, peak {(double)train["peak_rss_kb"] / 1024:0} MiB (bound {bound / 1024:0} MiB); " +
                                  $"quantize {quantize["command_s"]} s, peak {(double)quantize["peak_rss_kb"] / 1024:0} MiB (bound {quantizeBound / 1024:0}); evaluate {evaluate["command_s"]} s, peak {(double)evaluate["peak_rss_kb"] / 1024:0} MiB (bound {evaluateBound / 1024:0})");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        WriteResults(machine, rows, final: true, name);
    }

    private static void WriteResults(JsonObject machine, JsonArray rows, bool final, string name = "scale")
    {
        JsonObject m = (JsonObject)machine.DeepClone();
        if (final) Results.Finish(m);
        var json = new JsonObject
        {
            ["benchmark"] = "scale (issue #20)" + (final ? "" : " (partial: the run has not finished)"), ["machine"] = m, ["features"] = Features, ["classes"] = Classes, ["seed"] = Seed,
            ["memory_rule"] = $"peak RSS <= {MemoryFactor} x rows x {BytesPerRow} B (float32 features and label) + the peak RSS of the same run (training, quantize, evaluate) on {ConstantRows:N0} rows",
            ["sizes"] = rows.DeepClone(), ["fits"] = Fits(rows),
        };
        Results.Write(name, Markdown(json), json);
    }

    private static int ParseRows(string s)
    {
        s = s.Trim().ToUpperInvariant();
        return s.EndsWith('M') ? int.Parse(s[..^1], CultureInfo.InvariantCulture) * 1_000_000
            : s.EndsWith('K') ? int.Parse(s[..^1], CultureInfo.InvariantCulture) * 1_000 : int.Parse(s, CultureInfo.InvariantCulture);
    }

    private static double Median(List<JsonObject> runs, string key) => Math.Round(PairedRatio.MedianOf(runs.Select(r => (double)r[key])), 3);
    private static double Max(List<JsonObject> runs, string key) => runs.Max(r => (double)r[key]);

    private static void DeleteStores(string folder)
    {
        foreach (string f in Directory.GetFiles(folder, "*.store")) File.Delete(f);
    }

    /// <summary>Least-squares lines of load time, training time and peak RSS against rows (cost linear in rows: R^2 near 1).</summary>
    private static JsonObject Fits(JsonArray rows)
    {
        var fits = new JsonObject();
        if (rows.Count < 2) return fits;
        double[] x = rows.Select(r => (double)(int)r!["rows"]!).ToArray();
        foreach (var (name, key, scale, unit) in new[]
                 {
                     ("load", "load_s", 1e6, "s per million rows"), ("pandas_load", "pandas_load_s", 1e6, "s per million rows"),
                     ("train_epoch", "train_s", 1e6, "s per million rows"), ("load_peak_rss", "load_peak_rss_kb", 1024.0, "bytes per row"),
                     ("train_peak_rss", "train_peak_rss_kb", 1024.0, "bytes per row"),
                     ("quantize", "quantize_s", 1e6, "s per million rows"), ("quantize_peak_rss", "quantize_peak_rss_kb", 1024.0, "bytes per row"),
                     ("evaluate", "evaluate_s", 1e6, "s per million rows"), ("evaluate_peak_rss", "evaluate_peak_rss_kb", 1024.0, "bytes per row"),
                 })
        {
            if (rows.Any(r => r![key] == null)) continue; // a results file from before the column
            double[] y = rows.Select(r => (double)r![key]).ToArray();
            var (slope, intercept, r2) = Line(x, y);
            // Times: y in s, slope per row -> per million rows. RSS: y in KiB -> bytes per row.
            double shown = key.EndsWith("_kb", StringComparison.Ordinal) ? slope * scale : slope * scale;
            fits[name] = new JsonObject
            {
                ["slope"] = Math.Round(shown, 4), ["unit"] = unit, ["intercept"] = Math.Round(intercept, 3), ["r2"] = Math.Round(r2, 5),
            };
        }
        return fits;
    }

    private static (double Slope, double Intercept, double R2) Line(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        double slope = sxy / sxx;
        return (slope, my - slope * mx, syy == 0 ? 1 : sxy * sxy / (sxx * syy));
    }

    private static string Markdown(JsonObject json)
    {
        var md = new StringBuilder();
        string F(JsonNode n, string format = "0.0") => ((double)n!).ToString(format, CultureInfo.InvariantCulture);
        string MiB(JsonNode n) => ((double)n! / 1024).ToString("N0", CultureInfo.InvariantCulture);
        md.AppendLine("# Scale: long recordings (issue #20)");
        md.AppendLine();
        md.AppendLine("Stamp: " + Results.MachineLine((JsonObject)json["machine"]!));
        md.AppendLine();
        md.AppendLine($"Generated by `edgenet-bench scale` (benchmarks/EdgeNet.Benchmarks/ScaleReport.cs): seeded CSV files of {Features} float features (4 decimals) and a {Classes}-class label, " +
                      "written to a temporary folder and deleted after. Each figure is a child process's own wall time and peak RSS (VmHWM / ru_maxrss). " +
                      "EdgeNet load = DatasetLoader.Load streaming the CSV into the row store (no store yet); train = a new process that reuses the store and trains one epoch " +
                      "(default MLP 16-32-4, batch 32, 10 % validation) from it in place; quantize and evaluate = new processes running `edgenet quantize` and `edgenet evaluate` " +
                      "(default calibration min/max and --precision auto; evaluate quantizes too and tests on the last 20 % of the rows) on that model from the store. pandas = Debian's python3-pandas `read_csv` with float32 features (int32 label) on the same file. " +
                      "Ratios are paired within each repeat; 10 M and 30 M rows ran once. The machine is shared by several sessions: see the load averages.");
        md.AppendLine();
        md.AppendLine("| rows | CSV | EdgeNet load, s | rows/s | load peak RSS, MiB | pandas load, s | pandas peak RSS, MiB | load / pandas (paired) | train: store reload, s | train samples/s | train peak RSS, MiB | bound, MiB | within | load avg after |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (JsonNode r in (JsonArray)json["sizes"]!)
        {
            var ratio = (JsonObject)r!["load_over_pandas"]!;
            md.AppendLine($"| {(int)r["rows"]!:N0} | {(long)r["csv_bytes"]! / 1e9:0.00} GB | {F(r["load_s"])} | {(double)r["load_rows_per_s"]!:N0} | {MiB(r["load_peak_rss_kb"])} | " +
                          $"{F(r["pandas_load_s"])} | {MiB(r["pandas_peak_rss_kb"])} | {F(ratio["median"], "0.00")}x [{F(ratio["ci95_low"], "0.00")}, {F(ratio["ci95_high"], "0.00")}] ({(int)ratio["pairs"]!} pairs) | " +
                          $"{F(r["train_cached_load_s"])} | {(double)r["train_samples_per_s"]!:N0} | {MiB(r["train_peak_rss_kb"])} | {MiB(r["memory_bound_kb"])} | {((bool)r["within_bound"]! ? "yes" : "NO")} | {r["load_average_after"]} |");
        }
        md.AppendLine();
        md.AppendLine("| rows | quantize, s | quantize peak RSS, MiB | bound, MiB | within | evaluate, s | evaluate peak RSS, MiB | bound, MiB | within |");
        md.AppendLine("|---:|---:|---:|---:|---|---:|---:|---:|---|");
        foreach (JsonNode r in (JsonArray)json["sizes"]!)
        {
            if (r!["quantize_s"] == null) continue;
            md.AppendLine($"| {(int)r["rows"]!:N0} | {F(r["quantize_s"])} | {MiB(r["quantize_peak_rss_kb"])} | {MiB(r["quantize_memory_bound_kb"])} | {((bool)r["quantize_within_bound"]! ? "yes" : "NO")} | " +
                          $"{F(r["evaluate_s"])} | {MiB(r["evaluate_peak_rss_kb"])} | {MiB(r["evaluate_memory_bound_kb"])} | {((bool)r["evaluate_within_bound"]! ? "yes" : "NO")} |");
        }
        md.AppendLine();
        md.AppendLine($"Memory bound: {json["memory_rule"]}.");
        md.AppendLine();
        md.AppendLine("Fitted lines (least squares over the sizes):");
        md.AppendLine();
        foreach (var (name, fit) in (JsonObject)json["fits"]!)
            md.AppendLine($"- {name}: slope {F(fit!["slope"], "0.000")} {fit["unit"]}, intercept {F(fit["intercept"], "0.0")}, R^2 {F(fit["r2"], "0.0000")}");
        md.AppendLine();
        // The per-size check uses the 10,000-row peak as the constant; the slope tests the per-row cost alone.
        double perRow = MemoryFactor * BytesPerRow;
        md.AppendLine($"Peak RSS per row (the slopes) against {MemoryFactor} x {BytesPerRow} B = {perRow:0} B a row: " + string.Join("; ",
            new[] { "load", "train", "quantize", "evaluate" }.Where(k => json["fits"]![k + "_peak_rss"] != null)
                .Select(k => $"{k} {F(json["fits"]![k + "_peak_rss"]!["slope"], "0")} B ({((double)json["fits"]![k + "_peak_rss"]!["slope"]! <= perRow ? "within" : "ABOVE")})")) + ".");
        md.AppendLine("The constant of the per-size check is the peak on 10,000 rows, where a run has not yet allocated the runtime's gen-0 " +
                      "budget (tens of MiB on this machine, reached once a run has allocated more than it, then constant): a size below a few million " +
                      "rows can miss the per-size check by about that budget while its per-row cost is within the bound (the slope).");
        return md.ToString();
    }

    /// <summary>Writes the seeded CSV: header f0..f15,label; each class a Gaussian blob (so training learns something).</summary>
    public static void Generate(string path, int rows, int seed)
    {
        var rng = new Random(seed);
        var centers = new double[Classes, Features];
        for (int c = 0; c < Classes; c++)
            for (int j = 0; j < Features; j++) centers[c, j] = rng.NextDouble() * 4 - 2;
        string temp = path + ".tmp";
        using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            byte[] header = Encoding.ASCII.GetBytes(string.Join(",", Enumerable.Range(0, Features).Select(j => "f" + j)) + ",label\n");
            f.Write(header);
            var line = new byte[512];
            for (int r = 0; r < rows; r++)
            {
                int label = rng.Next(Classes), at = 0;
                for (int j = 0; j < Features; j++)
                {
                    // Box-Muller normal noise around the class centre.
                    double u = 1 - rng.NextDouble(), v = rng.NextDouble();
                    double x = centers[label, j] + 1.5 * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
                    at = WriteFixed4(line, at, x);
                    line[at++] = (byte)',';
                }
                line[at++] = (byte)('0' + label);
                line[at++] = (byte)'\n';
                f.Write(line, 0, at);
            }
        }
        File.Move(temp, path);
    }

    /// <summary>x with 4 decimals ("-1.2345"), written as digits (the standard formatter made generation the slowest step).</summary>
    private static int WriteFixed4(byte[] b, int at, double x)
    {
        long q = (long)Math.Round(x * 10000);
        if (q < 0)
        {
            b[at++] = (byte)'-';
            q = -q;
        }
        long whole = q / 10000, fraction = q % 10000;
        Span<byte> digits = stackalloc byte[20];
        int n = 0;
        do
        {
            digits[n++] = (byte)('0' + whole % 10);
            whole /= 10;
        } while (whole > 0);
        while (n > 0) b[at++] = digits[--n];
        b[at++] = (byte)'.';
        for (long d = 1000; d > 0; d /= 10) b[at++] = (byte)('0' + fraction / d % 10);
        return at;
    }

    private static JsonObject RunPandas(string file)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Pandas);
        psi.ArgumentList.Add(file);
        return RunJson(psi, "pandas");
    }

    private static JsonObject Child(string mode, string file, int epochs)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { typeof(ScaleReport).Assembly.Location, "scale-child", mode, file, epochs.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        return RunJson(psi, "edgenet " + mode);
    }

    private static JsonObject RunJson(ProcessStartInfo psi, string what)
    {
        using Process p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (p.ExitCode != 0 || last == null) throw new InvalidOperationException($"{what} failed (exit {p.ExitCode}): {err.Result}{output}");
        return JsonNode.Parse(last)!.AsObject();
    }

    /// <summary>
    /// The child process: "load FILE" (streaming load into the store), "train FILE EPOCHS" (load, then train from the
    /// store; the model is saved as FILE.model.json), "quantize FILE ROWS" or "evaluate FILE ROWS" (the command line on
    /// that model, the rows from the store).
    /// </summary>
    public static int ChildMain(string[] args)
    {
        string mode = args[0], file = args[1];
        int epochs = int.Parse(args[2], CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        if (mode is "quantize" or "evaluate")
        {
            int n = epochs, train = n - n / 5; // the third argument is the file's row count here
            string[] cli = mode == "quantize"
                ? ["quantize", "-m", file + ".model.json", file, "--store-above", "0", "--out", file + ".enet"]
                : ["evaluate", "-m", file + ".model.json", file, "--store-above", "0", "--split", $"rows:1-{train}/{train + 1}-{n}"];
            clock.Restart();
            var quiet = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) });
            var error = new StringWriter();
            int code = EdgeNet.Trainer.Commands.Cli.Run(EdgeNet.Trainer.Program.CreateRoot(), cli, quiet, error);
            if (code != 0) throw new InvalidOperationException($"edgenet {mode} failed ({code}): {error}");
            Console.WriteLine(new JsonObject { ["command_s"] = Math.Round(clock.Elapsed.TotalSeconds, 3), ["peak_rss_kb"] = PeakRssKb() }.ToJsonString());
            return 0;
        }
        Dataset data = DatasetLoader.Load(file, new LoadOptions { StoreAboveBytes = 0 });
        double load = clock.Elapsed.TotalSeconds;
        var result = new JsonObject { ["rows"] = data.Count, ["load_s"] = Math.Round(load, 3), ["stored"] = data.IsStored };
        if (mode == "train")
        {
            clock.Restart();
            TrainResult trained = EdgeNetTrainer.Train(data, new TrainOptions { Epochs = epochs, Seed = 1 });
            double seconds = clock.Elapsed.TotalSeconds;
            long samples = (long)trained.TrainRows * trained.History.Count;
            result["train_s"] = Math.Round(seconds, 3);
            result["samples"] = samples;
            result["samples_per_s"] = Math.Round(samples / seconds);
            result["train_accuracy"] = Math.Round(trained.History[^1].TrainAccuracy, 4);
            trained.Network.Save(file + ".model.json");
        }
        result["peak_rss_kb"] = PeakRssKb();
        Console.WriteLine(result.ToJsonString());
        GC.KeepAlive(data);
        return 0;
    }

    /// <summary>This process's peak resident set (VmHWM of /proc/self/status), KiB.</summary>
    public static double PeakRssKb()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return double.NaN;
    }
}
