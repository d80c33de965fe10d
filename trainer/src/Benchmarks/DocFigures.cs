using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeNet.Trainer.Reports;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>
/// The figure tables of README.md and docs/*.md, generated from the results JSON they cite. A generated block is
///
///     &lt;!-- generated: TABLE from benchmarks/results/FILE.json; edgenet bench report rewrites it --&gt;
///     ...table...
///     &lt;!-- end generated --&gt;
///
/// and <see cref="Regenerate"/> replaces each block's content with <see cref="Render"/>(TABLE, FILE). `edgenet
/// bench report` (and `bash benchmarks/run.sh summary`) rewrite the files; DocsTests regenerates them in memory
/// and fails on any difference, so no figure in those blocks can disagree with its results file.
/// </summary>
public static partial class DocFigures
{
    public const string End = "<!-- end generated -->";

    [GeneratedRegex(@"<!-- generated: (?<table>[a-z0-9-]+) from (?<file>benchmarks/results/[A-Za-z0-9_.-]+\.json)(?<rest>[^\n]*?)-->\n")]
    private static partial Regex StartMarker();

    /// <summary>The tables this generator knows, and the results file each reads.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tables = new Dictionary<string, string>
    {
        ["training"] = "benchmarks/results/training.json",
        ["inference"] = "benchmarks/results/inference.json",
        ["memory"] = "benchmarks/results/memory.json",
        ["device-il"] = "benchmarks/results/device.json",
        ["verified"] = "benchmarks/results/interpreter.json",
        ["accuracy"] = "benchmarks/results/accuracy.json",
        ["hyperparameters"] = "benchmarks/results/hyperparameters.json",
        ["timeseries"] = "benchmarks/results/timeseries.json",
        ["scale"] = "benchmarks/results/scale.json",
        ["fleet"] = "benchmarks/results/fleet.json",
        ["qat"] = "benchmarks/results/qat.json",
    };

    /// <summary>README.md and every docs/*.md: the files whose blocks are generated.</summary>
    public static IEnumerable<string> Documents(string repoRoot) =>
        new[] { Path.Combine(repoRoot, "README.md") }.Concat(Directory.GetFiles(Path.Combine(repoRoot, "docs"), "*.md").OrderBy(f => f, StringComparer.Ordinal));

    /// <summary>The text with every generated block rewritten from its results file; blocks found are listed in <paramref name="blocks"/>.</summary>
    public static string Regenerate(string text, string repoRoot, string documentName, List<string> blocks = null)
    {
        var sb = new StringBuilder();
        int at = 0;
        foreach (Match m in StartMarker().Matches(text))
        {
            if (m.Index < at) continue;
            string table = m.Groups["table"].Value, file = m.Groups["file"].Value;
            int contentStart = m.Index + m.Length;
            int end = text.IndexOf(End, contentStart, StringComparison.Ordinal);
            if (end < 0) throw new InvalidDataException($"{documentName}: generated block '{table}' has no '{End}'");
            if (!Tables.TryGetValue(table, out string expectedFile))
                throw new InvalidDataException($"{documentName}: unknown generated table '{table}' (known: {string.Join(", ", Tables.Keys)})");
            if (expectedFile != file) throw new InvalidDataException($"{documentName}: table '{table}' is generated from {expectedFile}, the marker names {file}");
            sb.Append(text, at, contentStart - at);
            sb.Append(Render(table, repoRoot));
            at = end;
            blocks?.Add(table);
        }
        sb.Append(text, at, text.Length - at);
        return sb.ToString();
    }

    /// <summary>Rewrites every document whose blocks are stale; returns the files changed.</summary>
    public static List<string> Update(string repoRoot)
    {
        var changed = new List<string>();
        foreach (string path in Documents(repoRoot))
        {
            string text = File.ReadAllText(path);
            string updated = Regenerate(text, repoRoot, Path.GetRelativePath(repoRoot, path));
            if (updated == text) continue;
            Files.WriteAtomically(path, updated);
            changed.Add(Path.GetRelativePath(repoRoot, path));
        }
        return changed;
    }

    /// <summary>One table's Markdown (ending in a newline), from its results file.</summary>
    public static string Render(string table, string repoRoot)
    {
        string file = Tables[table];
        string path = Path.Combine(repoRoot, file);
        if (!File.Exists(path)) throw new FileNotFoundException($"{file}: results file not found (run `bash benchmarks/run.sh`)", path);
        JsonObject json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        string body = table switch
        {
            "training" => Training(json),
            "inference" => Inference(json),
            "memory" => Memory(json),
            "device-il" => DeviceIl(json),
            "verified" => Verified(json, repoRoot),
            "accuracy" => Accuracy(path, repoRoot),
            "hyperparameters" => Hyperparameters(path),
            "timeseries" => TimeSeries(json),
            "scale" => Scale(json),
            "fleet" => Fleet.FleetBench.Table(json),
            "qat" => Qat(path),
            _ => throw new ArgumentException("unknown table " + table),
        };
        return body + Source(file, json["machine"] as JsonObject ?? json["stamp"] as JsonObject) + "\n";
    }

    private static string Source(string file, JsonObject machine)
    {
        if (machine == null) return $"\n<sub>From `{file}` (no commit stamp: measured before results were stamped).</sub>";
        string load = machine["load_average_before"] is null ? "" :
            $", load average {machine["load_average_before"]}" + (machine["load_average_after"] is null ? "" : $" before / {machine["load_average_after"]} after");
        return $"\n<sub>From `{file}`: commit {machine["commit"]}, {machine["date_utc"]}, {machine["cpu"]} ({machine["cores"]} cores){load}.</sub>";
    }

    private static string Training(JsonObject json)
    {
        var rows = new List<string[]>();
        foreach (JsonNode s in json["summary"]!.AsArray())
        {
            JsonObject r = s!["ratio"]!.AsObject();
            string target = s["target"] is null ? "–" : $"≥ {N(s["target"], "0.#")}x";
            string status = (string)s["status"] == "met" ? "met" : (string)s["status"] == "reported" ? "–" : $"**{s["status"]}**";
            rows.Add([(string)s["shape"], (string)s["mode"], (string)s["against"], N(s["edgenet_samples_per_second"], "N0"),
                N(s["reference_samples_per_second"], "N0"), $"{N(r["median"], "0.00")}x [{N(r["ci95_low"], "0.00")}, {N(r["ci95_high"], "0.00")}]",
                target, status, $"{N(s["edgenet_gflops"], "0.00")} ({Pct((double)s["share_of_fma_peak"]!)})"]);
        }
        return $"Training speed, {json["repeats"]} paired repeats per ratio (median, 95 % bootstrap interval; met = the interval's lower end reaches the target):\n\n" +
               Table(["net", "mode", "against", "EdgeNet samples/s", "reference samples/s", "ratio [95 % CI]", "target", "status", "EdgeNet GFLOP/s (of one core's FMA peak)"], rows);
    }

    /// <summary>The int8 cases, then (when the results file has them) the 16-bit and the 16x16 twins beside their int8 figures.</summary>
    private static string Inference(JsonObject json)
    {
        var rows = new List<string[]>();
        var wide = new List<string[]>();
        var weights16 = new List<string[]>();
        foreach (JsonNode c in json["cases"]!.AsArray())
        {
            double allocated = (double)c!["allocated_bytes_per_op_exact"]!;
            string[] figures = [(string)c["name"], N(c["macs"], "N0"), N((double)c["ns_median"]! / 1000, "0.00"), N((double)c["macs_per_second"]! / 1e6, "0"),
                N(c["ratio_to_plain_loop"], "0.00") + "x" + (c["ratio_to_plain_loop_ci95_low"] is null ? "" : $" [{N(c["ratio_to_plain_loop_ci95_low"], "0.00")}, {N(c["ratio_to_plain_loop_ci95_high"], "0.00")}]")];
            string[] alloc = [N(allocated, "0.###") + " B", allocated == 0 ? "met" : "**missed**"];
            string precision = (string)c["precision"];
            if (precision == "16-bit" || precision == "16x16")
                (precision == "16x16" ? weights16 : wide).Add([.. figures, N((double)c["int8_twin_ns_median"]! / 1000, "0.00"),
                    $"{N(c["time_vs_int8"], "0.00")}x [{N(c["time_vs_int8_low"], "0.00")}, {N(c["time_vs_int8_high"], "0.00")}]", .. alloc]);
            else rows.Add([.. figures, .. alloc]);
        }
        string paired = json["cases"]!.AsArray().Any(c => c!["ratio_to_plain_loop_ci95_low"] is not null) ? ", paired repeats: median [95 % bootstrap interval]" : "";
        string text = $"CoreCLR inference ({json["tool"]}; ratio = plain int8 loop time for the same MAC count / kernel time{paired}; target 0 B allocated per inference{(paired == "" ? "" : "; µs are BenchmarkDotNet medians of cases run one after another, so on a loaded machine compare the paired ratios, not the µs")}):\n\n" +
               Table(["benchmark", "MACs", "µs (median)", "MMAC/s", "vs plain int8 loop", "allocated per op", "0 B"], rows);
        if (wide.Count == 0) return text;
        text += "\n16-bit (16x8) twins: the same layers with int16 tensors through the engine's 16x8 call; ratio against a plain int16 x int8 loop; " +
                "cost = 16-bit time / int8 time, paired like the ratio:\n\n" +
                Table(["benchmark", "MACs", "µs (median)", "MMAC/s", "vs plain 16x8 loop", "int8 µs", "16-bit / int8 time", "allocated per op", "0 B"], wide);
        if (weights16.Count == 0) return text;
        return text + "\n16x16 twins: the 16-bit dense layers (and the demo) with int16 weights, on the 16x16 kernel (int64 sum); ratio against a plain " +
               "int16 x int16 loop with an int64 sum; cost = 16x16 time / int8 time, paired like the ratio:\n\n" +
               Table(["benchmark", "MACs", "µs (median)", "MMAC/s", "vs plain 16x16 loop", "int8 µs", "16x16 / int8 time", "allocated per op", "0 B"], weights16);
    }

    private static string Memory(JsonObject json)
    {
        var rows = new List<string[]>();
        foreach (JsonNode m in json["models"]!.AsArray())
        {
            rows.Add([(string)m!["model"], N(m["file_bytes"], "N0"), N(m["parameter_bytes"], "N0"), N(m["name_bytes"], "N0"),
                N(m["overhead_bytes"], "N0"), "≤ " + N(m["allowed_overhead_bytes"], "N0"), (bool)m["overhead_target_met"]! ? "met" : "**missed**",
                N(m["arena_bytes"], "N0"), N(m["coreclr_bytes_retained_after_load"], "N0")]);
        }
        string firmware = json["firmware"] is JsonObject f ? $"\n{f["figure"]}: {f["value"]}.\n" : "";
        return "Model files (bytes; overhead = file − parameters − names):\n\n" +
               Table(["model", "file", "parameters", "names", "overhead", "allowed", "status", "arena", "managed after load (CoreCLR)"], rows) + firmware;
    }

    private static string DeviceIl(JsonObject json)
    {
        var rows = new List<string[]>();
        foreach (var (name, v) in json["il_per_mac"]!.AsObject())
            rows.Add([name, N(v!["loop_instructions"], "0"), N(v["loop_macs"], "0"), N(v["il_per_mac"], "0.##")]);
        return "IL instructions per MAC in the inner loops of the nanoFramework-compiled assemblies (a diagnostic of interpreter cost, not a speed figure):\n\n" +
               Table(["loop", "IL instructions", "MACs per iteration", "IL per MAC"], rows);
    }

    /// <summary>
    /// Where each speed claim was verified: interpreter.json holds the figures measured outside this repository
    /// (nanoFramework interpreter, POSIX build) and the ESP32 expectation; CoreCLR rows come from inference.json
    /// and device.json of this run.
    /// </summary>
    private static string Verified(JsonObject json, string repoRoot)
    {
        var rows = new List<string[]>();
        foreach (JsonNode r in json["claims"]!.AsArray())
            rows.Add([(string)r!["figure"], (string)r["value"], (string)r["where"]]);
        JsonObject device = ReadOptional(repoRoot, "benchmarks/results/device.json");
        if (device != null)
        {
            foreach (JsonNode c in device["cases"]!.AsArray())
            {
                if ((string)c!["case"] == "fc.optimized" && (string)c["shape"] == "32x36")
                    rows.Add(["dense kernel / plain int8 loop, demo hidden layer 32x36", (string)c["ratio"] + "x",
                        $"nanoFramework-compiled IL on CoreCLR (JIT, not the interpreter), device app, commit {device["machine"]!["commit"]}"]);
                if ((string)c["case"] == "model.demo")
                    rows.Add(["demo model per inference", (string)c["us_per_inference"] + " µs",
                        $"nanoFramework-compiled IL on CoreCLR (JIT), device app, commit {device["machine"]!["commit"]}"]);
            }
        }
        JsonObject esp = json["esp32_expectation"]!.AsObject();
        rows.Add(["demo model per inference, ESP32", $"not measured; expected {esp["demo_model_us"]} µs", $"**no board run yet**; estimate: {esp["basis"]}"]);
        rows.Add(["dense kernel / plain int8 loop, ESP32", $"not measured; expected {esp["dense_ratio"]}", "**no board run yet**; the ratio is between two loops of the same interpreter, so it should carry over"]);
        return Table(["figure", "value", "where it was measured"], rows);
    }

    private static string Accuracy(string path, string repoRoot)
    {
        AccuracyResults r = Json.Read<AccuracyResults>(path);
        SklearnReference sk = SklearnReference.Load(Path.Combine(repoRoot, "benchmarks", "results", "sklearn.json"));
        return AccuracyMarkdown.HeadlineTable(r, sk) + $"\nMean ± standard deviation over {r.Seeds} seeds, in %; generated {r.Generated}.\n";
    }

    private static string Qat(string path)
    {
        QatBenchmark.ResultsFile r = Json.Read<QatBenchmark.ResultsFile>(path);
        return QatBenchmark.TargetTable(r.Benchmarks.Select(b => (b.Id, b.Seeds))) +
               $"\nMeans over {r.Seeds} seeds, test rows, in % (`{r.Command}`).\n";
    }

    private static string Hyperparameters(string path)
    {
        HyperparameterResults r = Json.Read<HyperparameterResults>(path);
        return HyperparameterSearch.Procedure(r) + "\n\nCross-validated headline metric (%, mean over the folds), best first:\n\n" + HyperparameterSearch.Table(r) +
               $"\nChosen: **{r.Grid[r.Chosen].Name}**; generated {r.Generated}.\n";
    }

    /// <summary>The time-series benchmark's headline table, as timeseries.md has it (networks by their description).</summary>
    private static string TimeSeries(JsonObject json) =>
        NetworkTypes.TimeSeriesBenchmark.SummaryTable(json["results"].Deserialize<List<NetworkTypes.TimeSeriesResult>>(Json.Options), r => r.Description);

    private static JsonObject ReadOptional(string repoRoot, string file)
    {
        string path = Path.Combine(repoRoot, file);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : null;
    }

    /// <summary>The scale benchmark (issue #20): load and training of long recordings against pandas, and the memory bound.</summary>
    private static string Scale(JsonObject json)
    {
        var rows = new List<string[]>();
        foreach (JsonNode r in json["sizes"]!.AsArray())
        {
            JsonObject ratio = r!["load_over_pandas"]!.AsObject();
            rows.Add([N((int)r["rows"]!, "N0"), N((long)r["csv_bytes"]! / 1e9, "0.00") + " GB", N(r["load_s"], "0.0"), N(r["load_rows_per_s"], "N0"),
                N(r["pandas_load_s"], "0.0"), $"{N(ratio["median"], "0.00")}x", N(r["train_samples_per_s"], "N0"),
                N((double)r["train_peak_rss_kb"]! / 1024, "N0"), N((double)r["memory_bound_kb"]! / 1024, "N0"), N((double)r["pandas_peak_rss_kb"]! / 1024, "N0"),
                (string)r["load_average_after"]]);
        }
        string table = Table(["rows x 16 features", "CSV", "load, s", "rows/s", "pandas.read_csv, s", "load / pandas", "training samples/s", "training peak RSS, MiB", "bound, MiB", "pandas peak RSS, MiB", "load average"], rows);
        JsonObject fits = json["fits"]!.AsObject();
        string Fit(string name) => fits[name] is JsonObject f ? $"{N(f["slope"], "0.00")} {f["unit"]} (R² {N(f["r2"], "0.000")})" : "–";
        string text = table + $"\nFitted slopes: load {Fit("load")}, one training epoch {Fit("train_epoch")}, training peak RSS {Fit("train_peak_rss")}; bound: {json["memory_rule"]}.\n";
        // quantize and evaluate from the store (measured since the row store serves them too)
        static string Within(JsonNode v) => v is not null && (bool)v ? "yes" : "**no**";
        var commands = new List<string[]>();
        foreach (JsonNode r in json["sizes"]!.AsArray())
        {
            if (r!["quantize_s"] is null) continue;
            commands.Add([N((int)r["rows"]!, "N0"),
                N(r["quantize_s"], "0.0"), N((double)r["quantize_peak_rss_kb"]! / 1024, "N0"), N((double)r["quantize_memory_bound_kb"]! / 1024, "N0"), Within(r["quantize_within_bound"]),
                N(r["evaluate_s"], "0.0"), N((double)r["evaluate_peak_rss_kb"]! / 1024, "N0"), N((double)r["evaluate_memory_bound_kb"]! / 1024, "N0"), Within(r["evaluate_within_bound"])]);
        }
        if (commands.Count == 0) return text;
        return text + "\n" + Table(["rows x 16 features", "quantize, s", "quantize peak RSS, MiB", "bound, MiB", "within", "evaluate, s", "evaluate peak RSS, MiB", "bound, MiB", "within"], commands) +
               $"\nFitted slopes: quantize peak RSS {Fit("quantize_peak_rss")}, evaluate peak RSS {Fit("evaluate_peak_rss")} (against 1.5 x 68 B = 102 B a row).\n";
    }

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", header)).Append(" |\n");
        sb.Append('|').Append(string.Concat(header.Select(_ => "---|"))).Append('\n');
        foreach (string[] r in rows) sb.Append("| ").Append(string.Join(" | ", r)).Append(" |\n");
        return sb.ToString();
    }

    private static string N(JsonNode v, string format) => v is null ? "–" : N((double)v, format);
    private static string N(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
    private static string Pct(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
