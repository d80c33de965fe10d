using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using EdgeNetTrainer = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Benchmarks;

/// <summary>
/// Training throughput of EdgeNet's trainer against FANN 2.2 (C harness benchmarks/training/fann_bench.c) on the
/// same rows: the benchmark's training split (SPLITS.md), the trainer's own stratified validation split of it
/// (same fraction and seed, so the same rows), normalized by the trainer's Normalization fitted on the fit rows
/// and written to FANN's file format. Same shape, epochs, activations (tanh hidden, sigmoid output), quadratic
/// error and plain gradient descent, incremental (batch 1) and mini-batch; each tool shuffles every epoch.
/// Throughput runs have no validation pass; the time-to-accuracy runs validate after every epoch (both tools
/// count that time). Each pair runs Repeats times, FANN and EdgeNet alternating; the median counts.
/// </summary>
public static class TrainingReport
{
    public const int Repeats = 3;
    public const double ValidationFraction = 0.1;
    public const int Seed = 1;

    public sealed record Shape(string Benchmark, int[] Hidden, int Epochs, double TargetAccuracy, bool Demo);

    public sealed record Mode(string Name, int Batch, float LearningRate);

    public static readonly Shape[] Shapes =
    [
        new("satellite", [32], 20, 0.87, Demo: true),
        new("satellite", [64, 32], 20, 0.87, Demo: false),
        new("satellite", [128], 20, 0.87, Demo: false),
        new("room-occupancy", [32], 20, 0.97, Demo: false),
    ];

    public static readonly Mode[] Modes = [new("incremental", 1, 0.1f), new("minibatch", 32, 0.5f)];

    private static string Fann => Path.Combine(DeviceAssemblies.RepoRoot, "artifacts", "bench", "fann_bench");
    private static string WorkFolder => Path.Combine(DeviceAssemblies.RepoRoot, "artifacts", "bench", "data");

    public static string DatasetsFolder =>
        Environment.GetEnvironmentVariable("EDGENET_DATASETS") ?? Path.GetFullPath(Path.Combine(DeviceAssemblies.RepoRoot, "..", "shared", "datasets"));

    private static string F(double v, string format = "0") => v.ToString(format, CultureInfo.InvariantCulture);

    public static void Run()
    {
        if (!File.Exists(Fann)) throw new FileNotFoundException("build the FANN harness first: bash benchmarks/training/build-fann.sh", Fann);
        var machine = Results.Machine();
        var rows = new List<string[]>();
        var summary = new JsonArray();
        var runs = new JsonArray();
        var prepared = new Dictionary<string, (Dataset Train, Dataset Fit, string TrainFile, string ValFile)>();

        foreach (Shape shape in Shapes)
        {
            if (!prepared.TryGetValue(shape.Benchmark, out var data))
            {
                data = Prepare(shape.Benchmark);
                prepared[shape.Benchmark] = data;
            }
            string layers = string.Join(",", new[] { data.Train.FeatureCount }.Concat(shape.Hidden).Append(data.Train.ClassCount));
            string shapeName = $"{shape.Benchmark} {layers.Replace(',', '-')}";
            foreach (Mode mode in Modes)
            {
                var fannRuns = new List<JsonObject>();
                var edgeRuns = new List<double>();
                Warm(data.Fit, shape, LikeForLike(shape, mode, Seed));
                for (int r = 0; r < Repeats; r++)
                {
                    fannRuns.Add(RunFann(data.TrainFile, data.ValFile, layers, shape, mode, Seed + r));
                    edgeRuns.Add(EdgeNetThroughput(data.Fit, shape, mode, LikeForLike(shape, mode, Seed + r)));
                }
                double fannRate = Median(fannRuns.Select(j => (double)j["samples_per_second"]));
                double edgeRate = Median(edgeRuns);
                var (edgeTime, edgeEpoch, edgeAcc) = EdgeNetToTarget(data.Train, shape, LikeForLike(shape, mode, Seed));
                JsonObject fannFirst = fannRuns[0];
                double ratio = edgeRate / fannRate;
                double need = shape.Demo ? 3.0 : 1.0;
                rows.Add([shapeName, mode.Name + (mode.Batch > 1 ? $" ({mode.Batch})" : ""), F(edgeRate), F(fannRate), F(ratio, "0.00") + "x",
                    ToTarget(edgeTime, edgeEpoch), ToTarget((double)fannFirst["seconds_to_target"], (int)fannFirst["epoch_to_target"]),
                    $"{F(edgeAcc, "0.000")} / {F((double)fannFirst["final_accuracy"], "0.000")}", $">= {need}x: {(ratio >= need ? "met" : "MISSED")}"]);
                summary.Add(new JsonObject
                {
                    ["figure"] = $"training {shapeName}, {mode.Name}: EdgeNet / FANN samples per second",
                    ["value"] = $"{F(ratio, "0.00")}x ({F(edgeRate)} vs {F(fannRate)} samples/s)",
                    ["target"] = $">= {need}x", ["status"] = ratio >= need ? "met" : "missed",
                });
                runs.Add(new JsonObject
                {
                    ["shape"] = shapeName, ["mode"] = mode.Name, ["batch"] = mode.Batch, ["learning_rate"] = mode.LearningRate,
                    ["epochs"] = shape.Epochs, ["target_accuracy"] = shape.TargetAccuracy,
                    ["edgenet_samples_per_second"] = edgeRuns.Select(v => (JsonNode)Math.Round(v)).ToJsonArray(),
                    ["fann_samples_per_second"] = fannRuns.Select(j => (JsonNode)Math.Round((double)j["samples_per_second"])).ToJsonArray(),
                    ["ratio_of_medians"] = Math.Round(ratio, 3), ["ratio_target"] = need,
                    ["edgenet_seconds_to_target"] = edgeTime, ["edgenet_epoch_to_target"] = edgeEpoch, ["edgenet_final_accuracy"] = edgeAcc,
                    ["fann_first_run"] = fannFirst,
                });
                Console.WriteLine($"{shapeName} {mode.Name}: EdgeNet {F(edgeRate)} samples/s, FANN {F(fannRate)} samples/s, ratio {F(ratio, "0.00")}");
            }
        }

        // The product's default training (ReLU, softmax cross-entropy, Adam, batch 32) on the demo network,
        // against FANN's mini-batch run of the same shape.
        {
            Shape demo = Shapes[0];
            var data = prepared[demo.Benchmark];
            string layers = string.Join(",", new[] { data.Train.FeatureCount }.Concat(demo.Hidden).Append(data.Train.ClassCount));
            var fannRates = new List<double>();
            var edgeRates = new List<double>();
            Warm(data.Fit, demo, Defaults(demo, Seed));
            for (int r = 0; r < Repeats; r++)
            {
                fannRates.Add((double)RunFann(data.TrainFile, data.ValFile, layers, demo, Modes[1], Seed + r)["samples_per_second"]);
                edgeRates.Add(EdgeNetThroughput(data.Fit, demo, Modes[1], Defaults(demo, Seed + r)));
            }
            var (t, e, acc) = EdgeNetToTarget(data.Train, demo, Defaults(demo, Seed));
            double ratio = Median(edgeRates) / Median(fannRates);
            string name = $"{demo.Benchmark} {layers.Replace(',', '-')}";
            rows.Add([name, "EdgeNet defaults (ReLU, cross-entropy, Adam, 32) vs FANN mini-batch", F(Median(edgeRates)), F(Median(fannRates)),
                F(ratio, "0.00") + "x", ToTarget(t, e), "see mini-batch row", $"{F(acc, "0.000")} / -", $">= 3x: {(ratio >= 3 ? "met" : "MISSED")}"]);
            summary.Add(new JsonObject
            {
                ["figure"] = $"training {name}, EdgeNet default options vs FANN mini-batch: samples per second",
                ["value"] = $"{F(ratio, "0.00")}x ({F(Median(edgeRates))} vs {F(Median(fannRates))} samples/s)",
                ["target"] = ">= 3x", ["status"] = ratio >= 3 ? "met" : "missed",
            });
            runs.Add(new JsonObject
            {
                ["shape"] = name, ["mode"] = "edgenet-defaults", ["edgenet_samples_per_second"] = edgeRates.Select(v => (JsonNode)Math.Round(v)).ToJsonArray(),
                ["fann_samples_per_second"] = fannRates.Select(v => (JsonNode)Math.Round(v)).ToJsonArray(), ["ratio_of_medians"] = Math.Round(ratio, 3),
                ["edgenet_seconds_to_target"] = t, ["edgenet_epoch_to_target"] = e, ["edgenet_final_accuracy"] = acc,
            });
        }

        var md = new StringBuilder();
        md.Append("# Training throughput: EdgeNet against FANN\n\n").Append(Results.MachineLine(machine)).Append("\n\n");
        md.Append("Command: `bash benchmarks/run.sh training` (builds benchmarks/training/fann_bench.c with gcc against Debian's libfann-dev 2.2).\n\n");
        md.Append("Same rows for both tools: the SPLITS.md training side of each benchmark, split by the trainer's stratified validation split ")
          .Append($"({ValidationFraction:P0}, seed {Seed}) into fit and validation rows, standardized with the trainer's Normalization fitted on the fit rows ")
          .Append("(FANN reads those normalized rows from files). Same shape, epochs, tanh hidden layers, sigmoid outputs, quadratic error, ")
          .Append("plain gradient descent without momentum or L2, a reshuffle every epoch: incremental = one update per row (FANN_TRAIN_INCREMENTAL, ")
          .Append("EdgeNet batch 1), mini-batch = one averaged update per 32 rows (FANN_TRAIN_BATCH on 32-row views, EdgeNet batch 32). ")
          .Append("Initial weights differ (FANN U(-0.1, 0.1), EdgeNet U(-1/sqrt(fan-in), +)). ")
          .Append($"samples/s = fit rows x epochs / training time, no validation pass, median of {Repeats} runs alternating the tools, ")
          .Append("after an untimed 10-epoch EdgeNet run of the same configuration (JIT warm-up; FANN is compiled ahead). ")
          .Append("Time to accuracy = wall time including the per-epoch validation pass until the validation accuracy first reaches the target ")
          .Append("(first run). Targets: EdgeNet >= 3x FANN on the demo network (satellite 36-32-6), >= FANN on every other shape.\n\n");
        md.Append(Results.Table(["shape", "mode", "EdgeNet samples/s", "FANN samples/s", "ratio", "EdgeNet time to target", "FANN time to target",
            "final validation accuracy EdgeNet / FANN", "target"], rows));
        md.Append("\nTorchSharp-cpu 0.107.0 (the only version the registry serves): it restores (libtorch-cpu-linux-x64 2.10.0, about 600 MB), ")
          .Append("but its native library does not load here: libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++) and Debian 12 ships ")
          .Append("libstdc++ 12 (GLIBCXX_3.4.30), so no TorchSharp comparison was run.\n");
        md.Append("\nTarget accuracies: ").Append(string.Join(", ", Shapes.Select(s => s.Benchmark).Distinct()
            .Select(b => $"{b} {Shapes.First(s => s.Benchmark == b).TargetAccuracy:0.00}"))).Append(".\n");
        Results.Write("training", md.ToString(), new JsonObject { ["machine"] = machine, ["summary"] = summary, ["runs"] = runs });
    }

    private static string ToTarget(double seconds, int epoch) =>
        epoch < 0 ? "not reached" : $"{F(seconds, "0.000")} s (epoch {epoch})";

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>Options matching the FANN harness: tanh, sigmoid output, quadratic error, plain SGD.</summary>
    public static TrainOptions LikeForLike(Shape shape, Mode mode, int seed) => new()
    {
        Hidden = shape.Hidden, HiddenActivation = Activation.Tanh, Loss = Loss.Quadratic, OutputActivation = Activation.Sigmoid,
        Optimizer = OptimizerKind.Sgd, LearningRate = mode.LearningRate, Epochs = shape.Epochs, BatchSize = mode.Batch, Seed = seed,
        Init = InitKind.Uniform, L2 = 0, Patience = 0, ValidationFraction = ValidationFraction,
    };

    /// <summary>The trainer's default options (the demo's), with the shape and epochs of the comparison.</summary>
    public static TrainOptions Defaults(Shape shape, int seed) => new()
    {
        Hidden = shape.Hidden, Epochs = shape.Epochs, Seed = seed, Patience = 0, ValidationFraction = ValidationFraction,
    };

    /// <summary>Loads the benchmark, splits it as the trainer does, writes the normalized rows for FANN.</summary>
    public static (Dataset Train, Dataset Fit, string TrainFile, string ValFile) Prepare(string benchmark)
    {
        var (train, _) = Splits.Benchmark(benchmark, DatasetsFolder);
        var (fit, validation) = Splits.Validation(train, ValidationFraction, Seed);
        Normalization norm = Normalization.Fit(fit);
        Directory.CreateDirectory(WorkFolder);
        string trainFile = Path.Combine(WorkFolder, benchmark + ".train");
        string valFile = Path.Combine(WorkFolder, benchmark + ".val");
        WriteFann(trainFile, fit, norm);
        WriteFann(valFile, validation, norm);
        return (train, fit, trainFile, valFile);
    }

    /// <summary>FANN's training file: "rows inputs outputs", then per row a line of inputs and a line of one-hot targets.</summary>
    private static void WriteFann(string path, Dataset d, Normalization norm)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{d.Count} {d.FeatureCount} {d.ClassCount}\n");
        var x = new float[d.FeatureCount];
        for (int r = 0; r < d.Count; r++)
        {
            norm.Apply(d.Rows[r], x);
            sb.Append(string.Join(" ", x.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
            sb.Append(string.Join(" ", Enumerable.Range(0, d.ClassCount).Select(c => c == d.Labels[r] ? "1" : "0"))).Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static JsonObject RunFann(string train, string val, string layers, Shape shape, Mode mode, int seed)
    {
        var psi = new ProcessStartInfo(Fann)
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            ArgumentList = { train, val, layers, shape.Epochs.ToString(), mode.Name, mode.Batch.ToString(),
                mode.LearningRate.ToString(CultureInfo.InvariantCulture), seed.ToString(), shape.TargetAccuracy.ToString(CultureInfo.InvariantCulture) },
        };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"fann_bench failed ({p.ExitCode}): {error}");
        return JsonNode.Parse(output)!.AsObject();
    }

    /// <summary>
    /// A short untimed run first, so the JIT has compiled (and tiered up) the training code: the figures are
    /// steady-state throughput, as in a training of more than a second.
    /// </summary>
    private static void Warm(Dataset fit, Shape shape, TrainOptions options)
    {
        options.Epochs = 10;
        options.ValidationFraction = 0;
        EdgeNetTrainer.Train(fit, options);
    }

    /// <summary>Samples per second of EdgeNet training on the fit rows, no validation pass.</summary>
    private static double EdgeNetThroughput(Dataset fit, Shape shape, Mode mode, TrainOptions options)
    {
        options.ValidationFraction = 0;
        var clock = Stopwatch.StartNew();
        EdgeNetTrainer.Train(fit, options);
        return (double)fit.Count * shape.Epochs / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Wall time (epochs including validation) until the validation accuracy first reaches the target.</summary>
    private static (double Seconds, int Epoch, double FinalAccuracy) EdgeNetToTarget(Dataset train, Shape shape, TrainOptions options)
    {
        double elapsed = 0, reached = -1, last = 0;
        int epoch = -1;
        EdgeNetTrainer.Train(train, options, s =>
        {
            elapsed += s.Seconds;
            last = s.ValidationAccuracy;
            if (epoch < 0 && s.ValidationAccuracy >= shape.TargetAccuracy) { epoch = s.Epoch; reached = elapsed; }
        });
        return (Math.Round(reached, 6), epoch, Math.Round(last, 4));
    }
}

internal static class JsonExtensions
{
    public static JsonArray ToJsonArray(this IEnumerable<JsonNode> nodes) => new(nodes.ToArray());
}
