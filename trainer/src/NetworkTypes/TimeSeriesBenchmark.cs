using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training.Layers;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Trainer.NetworkTypes;

/// <summary>One network type's figures on the time-series benchmark, over the seeds.</summary>
public sealed class TimeSeriesResult
{
    public string Name { get; set; }
    public string Description { get; set; }
    public int Window { get; set; }
    public bool Streaming { get; set; }
    public int Parameters { get; set; }
    public double TrainSeconds { get; set; }

    /// <summary>Seeds run; every figure below has one value per seed (<see cref="Stat"/>).</summary>
    public int[] Seeds { get; set; }

    /// <summary>The float network on the test rows.</summary>
    public KindResult Float { get; set; }

    /// <summary>
    /// The device model of each precision column (<see cref="AccuracyVariants.Precisions"/>: auto, the quantizer's
    /// default, then int8, int16 and int16x16 forced), run by the shared integer kernels on the test rows:
    /// metrics, agreement with float, model bytes, MACs and arena bytes.
    /// </summary>
    public Dictionary<string, KindResult> Quantized { get; set; }

    /// <summary>
    /// Per column, per seed: each layer's width in the device model (<see cref="LayerWidths"/> names, input to
    /// output, " / " between layers). Auto's are what <see cref="PrecisionChoice"/> chose for that seed's network;
    /// int16x16's are every layer's widest width.
    /// </summary>
    public Dictionary<string, string[]> Widths { get; set; }
}

/// <summary>
/// Issue 6's time-series benchmark: the room-occupancy sensors (SPLITS.md: test = 2017/12/23, train = the
/// other days) as streams of readings, classified at every reading from the last N readings. Compares an MLP
/// on the current reading, an MLP on the flattened window, CNNs (max and average pooling) and a recurrent
/// network of each feedback kind: float vs int8 balanced accuracy, parameters, model bytes, MACs per
/// inference and arena bytes. Window models are evaluated on the windows the device's input buffer holds;
/// recurrent models on the stream one reading at a time with the state carried (reset at each day start),
/// in float and on the int8 engine alike.
/// </summary>
public static class TimeSeriesBenchmark
{
    public const string BenchmarkId = "room-occupancy";

    /// <summary>
    /// One compared network: its layer spec (the layers before the output layer, <see cref="LayerSpec"/>) and
    /// whether it sees the window (false: the current reading only).
    /// </summary>
    public sealed record Config(string Name, string Description, string Layers, bool Windowed = true)
    {
        /// <summary>The network's layers for windows of `window` readings of `features`, `classes` outputs.</summary>
        public FloatLayer[] Build(int window, int features, int classes) =>
            LayerSpec.Build(Layers, Windowed ? window : 1, features, classes, Activation.Identity);
    }

    /// <summary>
    /// The compared networks; also the presets of <c>edgenet train --network</c>. Small on purpose: 2 shared
    /// cores. Every one ends in a dense layer to the classes (appended by the spec).
    /// </summary>
    public static readonly Config[] Configs =
    {
        new("mlp-current", "dense 16 relu -> classes, current reading only", "dense:16,relu", Windowed: false),
        new("mlp-window", "dense 16 relu over the flattened window -> classes", "dense:16,relu"),
        new("cnn-maxpool", "conv1d 8 filters k3 s1 p1 relu -> maxpool 2 -> dense", "conv1d:8k3p1,relu,maxpool:2"),
        new("cnn-avgpool", "conv1d 8 filters k3 s1 p1 relu -> avgpool 2 -> dense", "conv1d:8k3p1,relu,avgpool:2"),
        new("rnn-direct", "recurrent 16 tanh, direct feedback -> dense", "rnn-direct:16,tanh"),
        new("rnn-lateral", "recurrent 16 tanh, lateral feedback -> dense", "rnn-lateral:16,tanh"),
        new("rnn-complete", "recurrent 16 tanh, complete feedback -> dense", "rnn-complete:16,tanh"),
        new("rnn-indirect", "hidden 16 tanh <- output 8 tanh fed back (indirect) -> dense", "rnn-indirect:16o8,tanh"),
    };

    /// <summary>The session column of the benchmark: each day is one recording.</summary>
    public const string SessionColumn = "Date";

    /// <summary>
    /// Trains, quantizes and evaluates every network (or those named in only) on the split, once per seed; each
    /// precision column is the model <see cref="AccuracyVariants.Precisions"/> builds, as <c>edgenet quantize</c>
    /// does. modelsFolder: each network's default-quantizer (auto) model of the first seed is written there.
    /// </summary>
    public static List<TimeSeriesResult> Run(Dataset train, Dataset test, int window, int epochs, int[] seeds, string[] only, Action<string> log, string modelsFolder = null)
    {
        var results = new List<TimeSeriesResult>();
        foreach (Config config in Configs)
        {
            if (only != null && only.Length > 0 && !only.Contains(config.Name)) continue;
            var floatRuns = new List<ClassificationReport>();
            var runs = AccuracyVariants.Precisions.ToDictionary(v => v.Name, _ => new KindRuns());
            var widths = AccuracyVariants.Precisions.ToDictionary(v => v.Name, _ => new List<string>());
            var seconds = new List<double>();
            Network first = null;
            foreach (int seed in seeds)
            {
                Network net = RunOne(config, train, test, window, epochs, seed, log, seed == seeds[0] ? modelsFolder : null, floatRuns, runs, widths, seconds);
                first ??= net;
            }
            results.Add(new TimeSeriesResult
            {
                Name = config.Name, Description = config.Description, Window = first.Window, Streaming = first.Streaming,
                Parameters = first.ParameterCount, TrainSeconds = seconds.Average(), Seeds = seeds,
                Float = KindRuns.Of(floatRuns, null),
                Quantized = AccuracyVariants.Precisions.ToDictionary(v => v.Name, v => runs[v.Name].Result(v.NotAvailable)),
                Widths = widths.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
            });
        }
        return results;
    }

    /// <summary>
    /// The benchmark's training options for a network and seed: fixed epochs, and the validation rows of
    /// <c>edgenet train</c>'s default split held out (the epoch kept is the best on them, and they are the rows
    /// the automatic precision choice is judged on, as <c>edgenet quantize</c> judges it).
    /// </summary>
    public static TrainOptions Options(Config config, int window, int epochs, int seed) => new()
    {
        Layers = config.Layers, Window = config.Windowed ? window : 1, SessionColumn = SessionColumn,
        Epochs = epochs, BatchSize = 32, Seed = seed, Optimizer = OptimizerKind.Adam, LearningRate = 0.003f,
        Init = InitKind.Xavier, L2 = 1e-4f, ClassWeights = true, Loss = Loss.CrossEntropy,
    };

    /// <summary>The column whose model is the quantizer's default (the one --models writes).</summary>
    public const string DefaultColumn = "auto";

    /// <summary>A model's widths, layer by layer (<see cref="TimeSeriesResult.Widths"/>).</summary>
    public static string Widths(Model model) => string.Join(" / ", model.Layers.Select(LayerWidths.Name));

    private static Network RunOne(Config config, Dataset train, Dataset test, int window, int epochs, int seed, Action<string> log, string modelsFolder,
        List<ClassificationReport> floatRuns, Dictionary<string, KindRuns> runs, Dictionary<string, List<string>> widths, List<double> seconds)
    {
        var clock = Stopwatch.StartNew();
        TrainOptions options = Options(config, window, epochs, seed);
        TrainResult trained = TrainingLoop.Train(train, options);
        Network net = trained.Network;
        net.Name = "occupancy " + config.Name;
        seconds.Add(clock.Elapsed.TotalSeconds);

        bool[] testStarts = test.SessionStarts(SessionColumn);
        int[] floatPred = net.Classify(test, testStarts);
        int classes = train.ClassCount;
        floatRuns.Add(ClassificationReport.Of(test.Labels, floatPred, classes));
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{config.Name,-13} seed {seed}  float {floatRuns[^1].BalancedAccuracy:P2}");
        foreach (QuantizedVariant v in AccuracyVariants.Precisions)
        {
            if (v.NotAvailable != null) continue;
            byte[] file = ModelWriter.Write(v.Build(net, train, options));
            if (modelsFolder != null && v.Name == DefaultColumn) Reports.Files.WriteAtomically(Path.Combine(modelsFolder, config.Name + ".enet"), file);
            // What the device reads is what runs: the file's model, through the shared kernels.
            Model device = ModelReader.Read(file, file.Length, int.MaxValue, out string error)
                ?? throw new InvalidOperationException($"{config.Name}: the exported {v.Name} model is rejected: {error}");
            int[] q = Simulator.Classify(device, test, testStarts);
            runs[v.Name].Add(device, test, floatPred, classes, testStarts);
            widths[v.Name].Add(Widths(device));
            line.Append(CultureInfo.InvariantCulture, $"  {v.Name} {Metrics.BalancedAccuracy(Metrics.ConfusionMatrix(test.Labels, q, classes)):P2} (agree {Metrics.Agreement(floatPred, q):P2}, {file.Length} B, {widths[v.Name][^1]})");
        }
        line.Append(CultureInfo.InvariantCulture, $"  params {net.ParameterCount}  epoch {trained.BestEpoch} of {trained.History.Count} ({trained.ValidationRows} validation rows)  {seconds[^1]:F1}s");
        log?.Invoke(line.ToString());
        return net;
    }

    /// <summary>Writes prefix.json (figures and settings) and prefix.md (the tables).</summary>
    public static void Write(string prefix, List<TimeSeriesResult> results, int window, int epochs, int[] seeds, int trainRows, int testRows)
    {
        var machine = Benchmarks.Stamp.Machine(Benchmarks.Stamp.FindRepoRoot(Environment.CurrentDirectory));
        double validation = new TrainOptions().ValidationFraction;
        var json = new
        {
            machine,
            benchmark = BenchmarkId, split = "train: every day but 2017/12/23; test: 2017/12/23 (SPLITS.md)",
            metric = "balanced accuracy (mean per-class recall) on the test rows, per seed and their mean", window, epochs, seeds,
            validationFraction = validation, trainRows, testRows,
            columns = AccuracyVariants.Precisions.ToDictionary(v => v.Name, v => v.Description), results,
        };
        Reports.Files.WriteAtomically(prefix + ".json",
            JsonSerializer.Serialize(json, Reports.Json.Options) + "\n");

        string calibration = AccuracyBenchmark.Name(new QuantizeOptions().Calibration);
        var s = new StringBuilder();
        s.Append("# Time-series benchmark: room occupancy, every network type\n\n");
        s.Append(Benchmarks.Stamp.Line(machine)).Append("\n\n");
        s.Append(CultureInfo.InvariantCulture, $"Room-occupancy sensors (16 features, 4 classes), SPLITS.md split: train = every day but 2017/12/23 ({trainRows} rows), test = 2017/12/23 ({testRows} rows). ");
        s.Append(CultureInfo.InvariantCulture, $"Each test row is classified from the readings up to it: window models see the last {window} readings (the device's input window; readings before the day's start are the feature mean), ");
        s.Append("recurrent models get one reading per inference and carry their state through the day (trained by BPTT on sequences of the same length). ");
        s.Append(CultureInfo.InvariantCulture, $"Adam, {epochs} epochs, batch 32, class-weighted cross-entropy, {validation * 100:0.#} % of the training rows held out as validation rows (stratified, `edgenet train`'s default split; the epoch kept is the best on them). ");
        s.Append(CultureInfo.InvariantCulture, $"Figures are means over seeds {string.Join(", ", seeds)} (balanced accuracy: mean, then min-max over the seeds).\n\n");
        s.Append(CultureInfo.InvariantCulture, $"Device models are what `edgenet quantize` exports ({calibration} calibration on the training stream, state carried, reset at each day), run by the shared integer kernels. ");
        s.Append(CultureInfo.InvariantCulture, $"**auto** is its default, `--precision auto`: per layer the narrowest width among int8, int16 (16x8: int16 activations, int8 weights) and int16x16 (16-bit weights too) with which the whole model passes the acceptance test on those validation rows (agreement with float on at least {Judgement.Required * 100:0.#} % of rows, shown at {(1 - Judgement.Alpha) * 100:0} % confidence, and on every class; a layer where no narrower width passes keeps its widest; docs/quantization.md, \"Choosing the precision\"). ");
        s.Append("**int8**, **int16** and **int16x16** force one width on every layer that has it (`--precision int8|int16|int16x16`). ");
        s.Append("Widest widths: int16x16 exists for dense layers only; conv1d and recurrent layers have no 16-bit weights, so their widest is 16x8 (int16); a layer with a table activation (sigmoid, tanh, step: here every recurrent layer and the indirect block) is int8 in every mode, and pooling keeps its input's width. ");
        s.Append("Widths are listed per layer, input to output; the widest column is the int16x16 model's.\n\n");
        s.Append(SummaryTable(results, r => r.Name));
        s.Append("\nEvery precision column (auto, then each width forced on every layer):\n\n");
        s.Append(ColumnsTable(results));
        s.Append("\nNetworks:\n\n");
        foreach (TimeSeriesResult r in results) s.Append(CultureInfo.InvariantCulture, $"- `{r.Name}`: {r.Description} (window {r.Window}{(r.Streaming ? ", streaming" : "")})\n");
        s.Append(CultureInfo.InvariantCulture, $"\nRegenerate: `edgenet bench timeseries --window {window} --epochs {epochs} --seeds {seeds.Length}` (from the repository root; reads ../shared/datasets).\n");
        Reports.Files.WriteAtomically(prefix + ".md", s.ToString());
    }

    /// <summary>
    /// The headline table (timeseries.md and the README block): float, the default quantizer (auto) with its
    /// widths and device cost, and int8 forced beside it. label: the network's first cell.
    /// </summary>
    public static string SummaryTable(IEnumerable<TimeSeriesResult> results, Func<TimeSeriesResult, string> label)
    {
        var s = new StringBuilder();
        s.Append("| network | float bal. acc. | auto bal. acc. | auto = float | auto widths | widest | auto model bytes | MACs / inference | auto arena bytes | int8 bal. acc. | int8 = float | float acc. | auto acc. | parameters |\n");
        s.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (TimeSeriesResult r in results)
        {
            KindResult auto = r.Quantized[DefaultColumn], int8 = r.Quantized["int8"];
            s.Append(CultureInfo.InvariantCulture,
                $"| {label(r)} | {Spread(r.Float.BalancedAccuracy)} | {Spread(auto.BalancedAccuracy)} | {Pct(auto.Agreement)} | {SeedWidths(r, DefaultColumn)} | {SeedWidths(r, "int16x16")} | " +
                $"{Count(auto.ModelBytes)} | {Count(auto.Macs)} | {Count(auto.ArenaBytes)} | {Spread(int8.BalancedAccuracy)} | {Pct(int8.Agreement)} | {Pct(r.Float.Accuracy)} | {Pct(auto.Accuracy)} | {r.Parameters} |\n");
        }
        return s.ToString();
    }

    /// <summary>Every precision column of every network, one row each: widths, metrics, agreement and device cost.</summary>
    public static string ColumnsTable(IEnumerable<TimeSeriesResult> results)
    {
        var s = new StringBuilder();
        s.Append("| network | precision | widths | bal. acc. | acc. | = float | model bytes | MACs / inference | arena bytes |\n");
        s.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (TimeSeriesResult r in results)
        {
            foreach (var (name, k) in r.Quantized)
            {
                s.Append(k.NotAvailable != null
                    ? $"| {r.Name} | {name} | not available: {k.NotAvailable} | | | | | | |\n"
                    : string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {name} | {SeedWidths(r, name)} | {Spread(k.BalancedAccuracy)} | {Pct(k.Accuracy)} | {Pct(k.Agreement)} | {Count(k.ModelBytes)} | {Count(k.Macs)} | {Count(k.ArenaBytes)} |\n"));
            }
        }
        return s.ToString();
    }

    /// <summary>A column's widths over the seeds: one entry when every seed's model has them, else each with its seeds.</summary>
    public static string SeedWidths(TimeSeriesResult r, string column)
    {
        string[] perSeed = r.Widths[column];
        var distinct = perSeed.Distinct().ToList();
        if (distinct.Count == 1) return distinct[0];
        return string.Join("; ", distinct.Select(w => $"{w} (seed {string.Join(", ", r.Seeds.Where((_, i) => perSeed[i] == w))})"));
    }

    private static string Spread(Stat v) => v.Values.Length < 2
        ? Pct(v)
        : string.Create(CultureInfo.InvariantCulture, $"{v.Mean * 100:F2} % ({v.Min * 100:F1}-{v.Max * 100:F1})");

    private static string Pct(Stat v) => string.Create(CultureInfo.InvariantCulture, $"{v.Mean * 100:F2} %");

    /// <summary>A size over the seeds: the value when every seed's is the same, else the mean and range.</summary>
    private static string Count(Stat v) => v.Min == v.Max
        ? v.Mean.ToString("0", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{v.Mean:0} ({v.Min:0}-{v.Max:0})");
}
