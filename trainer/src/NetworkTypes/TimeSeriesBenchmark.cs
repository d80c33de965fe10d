using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training.Layers;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Trainer.NetworkTypes;

/// <summary>One network type's figures on the time-series benchmark.</summary>
public sealed class TimeSeriesResult
{
    public string Name { get; set; }
    public string Description { get; set; }
    public int Window { get; set; }
    public bool Streaming { get; set; }
    public double FloatBalancedAccuracy { get; set; }
    public double Int8BalancedAccuracy { get; set; }
    public double FloatAccuracy { get; set; }
    public double Int8Accuracy { get; set; }
    /// <summary>Share of test rows where int8 predicts the same class as float.</summary>
    public double Agreement { get; set; }
    public int Parameters { get; set; }
    public int ModelBytes { get; set; }
    public int MacsPerInference { get; set; }
    public int ArenaBytes { get; set; }
    public double TrainSeconds { get; set; }

    /// <summary>Seeds run; the accuracy figures above are means over them.</summary>
    public int[] Seeds { get; set; }
    public double[] FloatBalancedAccuracyPerSeed { get; set; }
    public double[] Int8BalancedAccuracyPerSeed { get; set; }
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
    /// Trains, quantizes and evaluates every network (or those named in only) on the split, once per seed;
    /// accuracy figures are means over the seeds (per-seed values kept), sizes are the first seed's.
    /// </summary>
    public static List<TimeSeriesResult> Run(Dataset train, Dataset test, int window, int epochs, int[] seeds, string[] only, Action<string> log, string modelsFolder = null)
    {
        var results = new List<TimeSeriesResult>();
        foreach (Config config in Configs)
        {
            if (only != null && only.Length > 0 && !only.Contains(config.Name)) continue;
            var runs = seeds.Select(seed => RunOne(config, train, test, window, epochs, seed, log, seed == seeds[0] ? modelsFolder : null)).ToList();
            TimeSeriesResult r = runs[0];
            r.Seeds = seeds;
            r.FloatBalancedAccuracyPerSeed = runs.Select(x => x.FloatBalancedAccuracy).ToArray();
            r.Int8BalancedAccuracyPerSeed = runs.Select(x => x.Int8BalancedAccuracy).ToArray();
            r.FloatBalancedAccuracy = runs.Average(x => x.FloatBalancedAccuracy);
            r.Int8BalancedAccuracy = runs.Average(x => x.Int8BalancedAccuracy);
            r.FloatAccuracy = runs.Average(x => x.FloatAccuracy);
            r.Int8Accuracy = runs.Average(x => x.Int8Accuracy);
            r.Agreement = runs.Average(x => x.Agreement);
            r.TrainSeconds = runs.Average(x => x.TrainSeconds);
            results.Add(r);
        }
        return results;
    }

    /// <summary>The benchmark's training options for a network and seed (fixed epochs, no validation split).</summary>
    public static TrainOptions Options(Config config, int window, int epochs, int seed) => new()
    {
        Layers = config.Layers, Window = config.Windowed ? window : 1, SessionColumn = SessionColumn,
        Epochs = epochs, BatchSize = 32, Seed = seed, Optimizer = OptimizerKind.Adam, LearningRate = 0.003f,
        Init = InitKind.Xavier, L2 = 1e-4f, ClassWeights = true, Loss = Loss.CrossEntropy, ValidationFraction = 0,
    };

    private static TimeSeriesResult RunOne(Config config, Dataset train, Dataset test, int window, int epochs, int seed, Action<string> log, string modelsFolder)
    {
        var clock = Stopwatch.StartNew();
        TrainResult trained = TrainingLoop.Train(train, Options(config, window, epochs, seed));
        Network net = trained.Network;
        net.Name = "occupancy " + config.Name;
        double seconds = clock.Elapsed.TotalSeconds;

        Model model = PostTraining.Quantize(net, train, new QuantizeOptions { SessionColumn = SessionColumn }).Model;
        byte[] file = ModelWriter.Write(model);
        if (modelsFolder != null) Reports.Files.WriteAtomically(Path.Combine(modelsFolder, config.Name + ".enet"), file);
        Model device = ModelReader.Read(file, file.Length, int.MaxValue, out string error)
            ?? throw new InvalidOperationException($"{config.Name}: the exported model is rejected: {error}");
        bool[] testStarts = test.SessionStarts(SessionColumn);
        int[] floatPred = net.Classify(test, testStarts);
        int[] int8Pred = Simulator.Classify(device, test, testStarts);
        int classes = train.ClassCount;
        var r = new TimeSeriesResult
        {
            Name = config.Name, Description = config.Description, Window = net.Window, Streaming = net.Streaming,
            FloatBalancedAccuracy = Metrics.BalancedAccuracy(Metrics.ConfusionMatrix(test.Labels, floatPred, classes)),
            Int8BalancedAccuracy = Metrics.BalancedAccuracy(Metrics.ConfusionMatrix(test.Labels, int8Pred, classes)),
            FloatAccuracy = Metrics.Accuracy(test.Labels, floatPred),
            Int8Accuracy = Metrics.Accuracy(test.Labels, int8Pred),
            Agreement = Metrics.Agreement(floatPred, int8Pred),
            Parameters = net.ParameterCount, ModelBytes = file.Length,
            MacsPerInference = device.MacCount, ArenaBytes = device.ArenaBytes, TrainSeconds = seconds,
        };
        log?.Invoke($"{r.Name,-13} seed {seed}  float {r.FloatBalancedAccuracy:P2}  int8 {r.Int8BalancedAccuracy:P2}  agree {r.Agreement:P2}  " +
            $"params {r.Parameters}  bytes {r.ModelBytes}  MACs {r.MacsPerInference}  arena {r.ArenaBytes}  loss {trained.History[trained.BestEpoch - 1].TrainLoss:F4} (epoch {trained.BestEpoch})  {seconds:F1}s");
        return r;
    }

    /// <summary>Writes prefix.json (figures and settings) and prefix.md (the table).</summary>
    public static void Write(string prefix, List<TimeSeriesResult> results, int window, int epochs, int[] seeds, int trainRows, int testRows)
    {
        var machine = Benchmarks.Stamp.Machine(Benchmarks.Stamp.FindRepoRoot(Environment.CurrentDirectory));
        var json = new
        {
            machine,
            benchmark = BenchmarkId, split = "train: every day but 2017/12/23; test: 2017/12/23 (SPLITS.md)",
            metric = "balanced accuracy (mean per-class recall) on the test rows, mean over seeds", window, epochs, seeds,
            trainRows, testRows, results,
        };
        Reports.Files.WriteAtomically(prefix + ".json",
            JsonSerializer.Serialize(json, Reports.Json.Options) + "\n");

        var s = new StringBuilder();
        s.Append("# Time-series benchmark: room occupancy, every network type\n\n");
        s.Append(Benchmarks.Stamp.Line(machine)).Append("\n\n");
        s.Append(CultureInfo.InvariantCulture, $"Room-occupancy sensors (16 features, 4 classes), SPLITS.md split: train = every day but 2017/12/23 ({trainRows} rows), test = 2017/12/23 ({testRows} rows). ");
        s.Append(CultureInfo.InvariantCulture, $"Each test row is classified from the readings up to it: window models see the last {window} readings (the device's input window; readings before the day's start are the feature mean), ");
        s.Append("recurrent models get one reading per inference and carry their state through the day (trained by BPTT on sequences of the same length). ");
        s.Append(CultureInfo.InvariantCulture, $"Adam, {epochs} epochs, batch 32, class-weighted cross-entropy; accuracies are means over seeds {string.Join(", ", seeds)} (balanced accuracy: mean, then min-max); int8 = post-training quantization (the quantizer of `edgenet quantize`: min/max calibration on the training stream) run by the shared integer kernels.\n\n");
        s.Append("| network | float bal. acc. | int8 bal. acc. | float acc. | int8 acc. | int8 = float | parameters | model bytes | MACs / inference | arena bytes |\n");
        s.Append("|---|---|---|---|---|---|---|---|---|---|\n");
        static string Spread(double mean, double[] v) => v.Length < 2
            ? $"{mean * 100:F2} %"
            : string.Create(CultureInfo.InvariantCulture, $"{mean * 100:F2} % ({v.Min() * 100:F1}-{v.Max() * 100:F1})");
        foreach (TimeSeriesResult r in results)
        {
            s.Append(CultureInfo.InvariantCulture,
                $"| {r.Name} | {Spread(r.FloatBalancedAccuracy, r.FloatBalancedAccuracyPerSeed)} | {Spread(r.Int8BalancedAccuracy, r.Int8BalancedAccuracyPerSeed)} | {r.FloatAccuracy * 100:F2} % | {r.Int8Accuracy * 100:F2} % | {r.Agreement * 100:F2} % | {r.Parameters} | {r.ModelBytes} | {r.MacsPerInference} | {r.ArenaBytes} |\n");
        }
        s.Append("\nNetworks:\n\n");
        foreach (TimeSeriesResult r in results) s.Append(CultureInfo.InvariantCulture, $"- `{r.Name}`: {r.Description} (window {r.Window}{(r.Streaming ? ", streaming" : "")})\n");
        s.Append(CultureInfo.InvariantCulture, $"\nRegenerate: `edgenet bench timeseries --window {window} --epochs {epochs} --seeds {seeds.Length}` (from the repository root; reads ../shared/datasets).\n");
        Reports.Files.WriteAtomically(prefix + ".md", s.ToString());
    }
}
