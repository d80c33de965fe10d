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
/// Training throughput of EdgeNet's trainer against FANN 2.2 (Debian's libfann, driver benchmarks/training/fann_bench.c)
/// and scikit-learn's MLPClassifier (benchmarks/training/sklearn_speed.py) on the same rows: the benchmark's
/// training split (SPLITS.md), the trainer's own stratified validation split of it (same fraction and seed, so
/// the same rows), normalized by the trainer's Normalization fitted on the fit rows and written to FANN's file
/// format. Against FANN: same shape, epochs, activations (tanh hidden, sigmoid output), quadratic error and
/// plain gradient descent, incremental (batch 1) and mini-batch. Against scikit-learn: the trainer's default
/// recipe (ReLU, softmax cross-entropy, Adam, batch 32) on both sides. Each tool shuffles every epoch.
/// Throughput runs have no validation pass. Every ratio comes from paired repeats (<see cref="PairedRatio"/>).
/// </summary>
public static class TrainingReport
{
    public const double ValidationFraction = 0.1;
    public const int Seed = 1;
    public const double DemoTarget = 3.0, OtherTarget = 1.5;

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
    private static string SklearnScript => Path.Combine(DeviceAssemblies.RepoRoot, "benchmarks", "training", "sklearn_speed.py");
    private static string WorkFolder => Path.Combine(DeviceAssemblies.RepoRoot, "artifacts", "bench", "data");

    public static string DatasetsFolder =>
        Environment.GetEnvironmentVariable("EDGENET_DATASETS") ?? Path.GetFullPath(Path.Combine(DeviceAssemblies.RepoRoot, "..", "shared", "datasets"));

    private static string F(double v, string format = "0") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>edgenet-bench training [--repeats N] [--only demo]: --only demo measures the demo net only (a quick probe, not written).</summary>
    public static void Run(string[] args)
    {
        int repeats = PairedRatio.MinimumRepeats;
        bool demoOnly = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--repeats") repeats = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--only" && args[i + 1] == "demo") { demoOnly = true; i++; }
            else throw new ArgumentException($"unknown option {args[i]}");
        }
        if (!File.Exists(Fann)) throw new FileNotFoundException("build the FANN driver first: bash benchmarks/training/build-fann.sh", Fann);
        var machine = Results.Machine();
        var rows = new List<string[]>();
        var summary = new JsonArray();
        var runs = new JsonArray();
        var prepared = new Dictionary<string, (Dataset Train, Dataset Fit, string TrainFile, string ValFile)>();
        double peak = (double)machine["fma_peak_gflops_one_core"];

        foreach (Shape shape in demoOnly ? Shapes.Where(s => s.Demo) : Shapes)
        {
            if (!prepared.TryGetValue(shape.Benchmark, out var data))
            {
                data = Prepare(shape.Benchmark);
                prepared[shape.Benchmark] = data;
            }
            int[] sizes = [data.Train.FeatureCount, .. shape.Hidden, data.Train.ClassCount];
            string layers = string.Join(",", sizes);
            string shapeName = $"{shape.Benchmark} {string.Join("-", sizes)}";
            double need = shape.Demo ? DemoTarget : OtherTarget;
            long flops = FlopsPerSample(sizes);
            foreach (Mode mode in Modes)
            {
                var fannRuns = new List<JsonObject>();
                var edgeRuns = new List<double>();
                Warm(data.Fit, LikeForLike(shape, mode, Seed));
                for (int r = 0; r < repeats; r++)
                {
                    // Alternate which tool goes first, so a drift in the machine's load hits both sides alike.
                    if (r % 2 == 0) fannRuns.Add(RunFann(data.TrainFile, data.ValFile, layers, shape, mode, Seed + r));
                    edgeRuns.Add(EdgeNetThroughput(data.Fit, shape, LikeForLike(shape, mode, Seed + r)));
                    if (r % 2 == 1) fannRuns.Add(RunFann(data.TrainFile, data.ValFile, layers, shape, mode, Seed + r));
                }
                double[] fannRates = fannRuns.Select(j => (double)j["samples_per_second"]).ToArray();
                PairedRatio ratio = PairedRatio.Of(edgeRuns, fannRates);
                double edgeRate = PairedRatio.MedianOf(edgeRuns), fannRate = PairedRatio.MedianOf(fannRates);
                double gflops = edgeRate * flops / 1e9;
                var (edgeTime, edgeEpoch, edgeAcc) = EdgeNetToTarget(data.Train, shape, LikeForLike(shape, mode, Seed));
                JsonObject fannFirst = fannRuns[0];
                string modeName = mode.Name + (mode.Batch > 1 ? $" ({mode.Batch})" : "");
                rows.Add([shapeName, modeName, F(edgeRate), F(fannRate), ratio.Text, $">= {need}x: {ratio.Status(need)}",
                    $"{F(gflops, "0.00")} ({F(100 * gflops / peak, "0.0")} %)",
                    ToTarget(edgeTime, edgeEpoch), ToTarget((double)fannFirst["seconds_to_target"], (int)fannFirst["epoch_to_target"]),
                    $"{F(edgeAcc, "0.000")} / {F((double)fannFirst["final_accuracy"], "0.000")}"]);
                summary.Add(new JsonObject
                {
                    ["shape"] = shapeName, ["mode"] = modeName, ["against"] = "FANN", ["demo"] = shape.Demo,
                    ["ratio"] = ratio.ToJson(), ["target"] = need, ["status"] = ratio.Status(need),
                    ["edgenet_samples_per_second"] = Math.Round(edgeRate), ["reference_samples_per_second"] = Math.Round(fannRate),
                    ["edgenet_gflops"] = Math.Round(gflops, 2), ["share_of_fma_peak"] = Math.Round(gflops / peak, 4),
                });
                runs.Add(new JsonObject
                {
                    ["shape"] = shapeName, ["mode"] = mode.Name, ["batch"] = mode.Batch, ["learning_rate"] = mode.LearningRate,
                    ["epochs"] = shape.Epochs, ["target_accuracy"] = shape.TargetAccuracy, ["flops_per_sample"] = flops,
                    ["edgenet_samples_per_second"] = edgeRuns.Select(v => (JsonNode)Math.Round(v)).ToJsonArray(),
                    ["fann_samples_per_second"] = fannRates.Select(v => (JsonNode)Math.Round(v)).ToJsonArray(),
                    ["ratio"] = ratio.ToJson(), ["ratio_target"] = need,
                    ["edgenet_seconds_to_target"] = edgeTime, ["edgenet_epoch_to_target"] = edgeEpoch, ["edgenet_final_accuracy"] = edgeAcc,
                    ["fann_first_run"] = fannFirst,
                });
                Console.WriteLine($"{shapeName} {mode.Name}: EdgeNet {F(edgeRate)} samples/s, FANN {F(fannRate)} samples/s, ratio {ratio.Text}, " +
                                  $"{F(gflops, "0.00")} GFLOP/s; load {Results.LoadNow()}");
            }
        }

        // The product's default training (ReLU, softmax cross-entropy, Adam, batch 32) on the demo network,
        // against scikit-learn's MLPClassifier with the same recipe, epochs and batch.
        JsonObject sklearnFirst = null;
        {
            Shape demo = Shapes[0];
            var data = prepared[demo.Benchmark];
            int[] sizes = [data.Train.FeatureCount, .. demo.Hidden, data.Train.ClassCount];
            string name = $"{demo.Benchmark} {string.Join("-", sizes)}";
            var refRates = new List<double>();
            var edgeRates = new List<double>();
            TrainOptions defaults = Defaults(demo, Seed);
            Warm(data.Fit, Defaults(demo, Seed));
            for (int r = 0; r < repeats; r++)
            {
                if (r % 2 == 0) refRates.Add(RunSklearn(data.TrainFile, demo, defaults, Seed + r, ref sklearnFirst));
                edgeRates.Add(EdgeNetThroughput(data.Fit, demo, Defaults(demo, Seed + r)));
                if (r % 2 == 1) refRates.Add(RunSklearn(data.TrainFile, demo, defaults, Seed + r, ref sklearnFirst));
            }
            PairedRatio ratio = PairedRatio.Of(edgeRates, refRates);
            double edgeRate = PairedRatio.MedianOf(edgeRates), refRate = PairedRatio.MedianOf(refRates);
            double gflops = edgeRate * FlopsPerSample(sizes) / 1e9;
            var (t, e, acc) = EdgeNetToTarget(data.Train, demo, Defaults(demo, Seed));
            string modeName = "defaults: ReLU, cross-entropy, Adam, batch 32";
            rows.Add([name, modeName + $" vs {(string)sklearnFirst["tool"]}", F(edgeRate), F(refRate) + " (scikit-learn)", ratio.Text, "(reported)",
                $"{F(gflops, "0.00")} ({F(100 * gflops / peak, "0.0")} %)", ToTarget(t, e), "-", $"{F(acc, "0.000")} / -"]);
            summary.Add(new JsonObject
            {
                ["shape"] = name, ["mode"] = modeName, ["against"] = (string)sklearnFirst["tool"], ["demo"] = true,
                ["ratio"] = ratio.ToJson(), ["target"] = null, ["status"] = "reported",
                ["edgenet_samples_per_second"] = Math.Round(edgeRate), ["reference_samples_per_second"] = Math.Round(refRate),
                ["edgenet_gflops"] = Math.Round(gflops, 2), ["share_of_fma_peak"] = Math.Round(gflops / peak, 4),
            });
            runs.Add(new JsonObject
            {
                ["shape"] = name, ["mode"] = "edgenet-defaults-vs-sklearn", ["batch"] = defaults.BatchSize, ["epochs"] = demo.Epochs,
                ["learning_rate"] = defaults.EffectiveLearningRate, ["l2"] = defaults.L2,
                ["edgenet_samples_per_second"] = edgeRates.Select(v => (JsonNode)Math.Round(v)).ToJsonArray(),
                ["sklearn_samples_per_second"] = refRates.Select(v => (JsonNode)Math.Round(v)).ToJsonArray(),
                ["ratio"] = ratio.ToJson(), ["sklearn_first_run"] = sklearnFirst,
                ["edgenet_seconds_to_target"] = t, ["edgenet_epoch_to_target"] = e, ["edgenet_final_accuracy"] = acc,
            });
            Console.WriteLine($"{name} defaults: EdgeNet {F(edgeRate)} samples/s, scikit-learn {F(refRate)} samples/s, ratio {ratio.Text}");
        }
        Results.Finish(machine);
        if (demoOnly) return;

        var md = new StringBuilder();
        md.Append("# Training throughput: EdgeNet against FANN and scikit-learn\n\n").Append(Results.MachineLine(machine)).Append("\n\n");
        md.Append("Command: `bash benchmarks/run.sh training` (builds benchmarks/training/fann_bench.c with `gcc -O3 -march=native` against ")
          .Append("Debian's libfann-dev 2.2, the library as Debian ships it; runs benchmarks/training/sklearn_speed.py with Debian's python3-sklearn, one BLAS thread).\n\n");
        md.Append("Same rows for all tools: the SPLITS.md training side of each benchmark, split by the trainer's stratified validation split ")
          .Append($"({ValidationFraction:P0}, seed {Seed}) into fit and validation rows, standardized with the trainer's Normalization fitted on the fit rows ")
          .Append("(FANN and scikit-learn read those normalized rows from files). Against FANN: same shape, epochs, tanh hidden layers, sigmoid outputs, quadratic error, ")
          .Append("plain gradient descent without momentum or L2, a reshuffle every epoch: incremental = one update per row (FANN_TRAIN_INCREMENTAL, ")
          .Append("EdgeNet batch 1), mini-batch = one averaged update per 32 rows (FANN_TRAIN_BATCH on 32-row views, EdgeNet batch 32). ")
          .Append("Initial weights differ (FANN U(-0.1, 0.1), EdgeNet U(-1/sqrt(fan-in), +)). Against scikit-learn: MLPClassifier and EdgeNet both ")
          .Append("with the trainer's defaults (ReLU, softmax cross-entropy, Adam lr 0.003, batch 32, L2 1e-3), same epochs, no early stopping.\n\n")
          .Append($"samples/s = fit rows x epochs / training time, no validation pass, after an untimed 10-epoch EdgeNet warm-up (JIT). ")
          .Append($"Ratio = EdgeNet / reference from {repeats} paired repeats (the tools alternate which runs first): median of the per-pair ratios ")
          .Append($"with a 95 % bootstrap interval ({PairedRatio.Resamples} resamples, seed {PairedRatio.BootstrapSeed}); a target is met only when the ")
          .Append($"interval's lower end reaches it. Targets: >= {DemoTarget}x FANN on the demo network (satellite 36-32-6), >= {OtherTarget}x on every other shape. ")
          .Append("GFLOP/s counts the matrix products only (forward, weight gradient, input gradient except for the first layer: 2 flops per multiply-add) ")
          .Append($"against one core's FMA peak ({machine["fma_peak_gflops_one_core"]} GFLOP/s: {machine["fma_peak_basis"]}). ")
          .Append("Time to accuracy = wall time including the per-epoch validation pass until the validation accuracy first reaches the target (first run).\n\n");
        md.Append(Results.Table(["shape", "mode", "EdgeNet samples/s", "reference samples/s", "ratio [95 % CI]", "target",
            "EdgeNet GFLOP/s (of one core's peak)", "EdgeNet time to target", "FANN time to target", "final validation accuracy EdgeNet / FANN"], rows));
        md.Append("\nTorchSharp-cpu 0.107.0 (the only version the registry serves): it restores (libtorch-cpu-linux-x64 2.10.0, about 600 MB), ")
          .Append("but its native library does not load here: libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++) and Debian 12 ships ")
          .Append("libstdc++ 12 (GLIBCXX_3.4.30), so no TorchSharp comparison was run.\n");
        md.Append("\nTarget accuracies: ").Append(string.Join(", ", Shapes.Select(s => s.Benchmark).Distinct()
            .Select(b => $"{b} {Shapes.First(s => s.Benchmark == b).TargetAccuracy:0.00}"))).Append(".\n");
        Results.Write("training", md.ToString(), new JsonObject
        {
            ["machine"] = machine, ["repeats"] = repeats, ["sklearn"] = (string)sklearnFirst["tool"], ["summary"] = summary, ["runs"] = runs,
        });
    }

    /// <summary>Flops of the matrix products per training sample: forward, weight gradient, and input gradient for all but the first layer.</summary>
    public static long FlopsPerSample(int[] sizes)
    {
        long flops = 0;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            long macs = (long)sizes[l] * sizes[l + 1];
            flops += 2 * macs * (l == 0 ? 2 : 3);
        }
        return flops;
    }

    private static double RunSklearn(string train, Shape shape, TrainOptions options, int seed, ref JsonObject first)
    {
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            ArgumentList = { SklearnScript, train, string.Join(",", shape.Hidden), shape.Epochs.ToString(CultureInfo.InvariantCulture),
                options.BatchSize.ToString(CultureInfo.InvariantCulture), options.EffectiveLearningRate.ToString(CultureInfo.InvariantCulture),
                options.L2.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture) },
        };
        foreach (string v in new[] { "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS" }) psi.Environment[v] = "1";
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"sklearn_speed.py failed ({p.ExitCode}; apt-get install python3-sklearn): {error}");
        JsonObject result = JsonNode.Parse(output)!.AsObject();
        first ??= result;
        return (double)result["samples_per_second"];
    }

    private static string ToTarget(double seconds, int epoch) =>
        epoch < 0 ? "not reached" : $"{F(seconds, "0.000")} s (epoch {epoch})";

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
    private static void Warm(Dataset fit, TrainOptions options)
    {
        options.Epochs = 10;
        options.ValidationFraction = 0;
        EdgeNetTrainer.Train(fit, options);
    }

    /// <summary>
    /// Samples per second of EdgeNet training on the fit rows, no validation pass. Timed like FANN's side: the
    /// epochs (shuffle, forward, backward, updates), not the set-up before the first epoch.
    /// </summary>
    private static double EdgeNetThroughput(Dataset fit, Shape shape, TrainOptions options)
    {
        options.ValidationFraction = 0;
        double seconds = 0;
        EdgeNetTrainer.Train(fit, options, s => seconds += s.Seconds);
        return (double)fit.Count * shape.Epochs / seconds;
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
