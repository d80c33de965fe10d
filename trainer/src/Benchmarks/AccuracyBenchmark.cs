using System.Diagnostics;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>Figures of one model kind (float, or a quantized model) over the seeds.</summary>
public sealed class KindResult
{
    public Stat Accuracy { get; init; }
    public Stat BalancedAccuracy { get; init; }
    public Stat MacroF1 { get; init; }
    /// <summary>Share of test rows where the quantized model predicts the same class as float (null for float).</summary>
    public Stat Agreement { get; init; }
    /// <summary>The device model: file bytes, multiply-accumulates per inference, arena bytes (null for float).</summary>
    public Stat ModelBytes { get; init; }
    public Stat Macs { get; init; }
    public Stat ArenaBytes { get; init; }
    /// <summary>Set when the column could not be computed in this build: why (every figure is then null).</summary>
    public string NotAvailable { get; init; }
}

/// <summary>
/// One model kind's per-seed figures, gathered seed by seed: the quantized columns of <c>bench accuracy</c> and
/// <c>bench timeseries</c> (<see cref="AccuracyVariants"/>).
/// </summary>
public sealed class KindRuns
{
    private readonly List<ClassificationReport> _reports = new();
    private readonly List<double> _agreement = new(), _bytes = new(), _macs = new(), _arena = new();

    /// <summary>A device model's figures on the test rows (sessions: their session starts for window and recurrent models; null = one stream).</summary>
    public void Add(Model model, Dataset test, int[] floatClasses, int classes, bool[] sessions = null)
    {
        AddClasses(Simulator.Classify(model, test, sessions), test, floatClasses, classes);
        _bytes.Add(ModelWriter.Write(model).Length);
        _macs.Add(model.MacCount);
        _arena.Add(model.ArenaBytes);
    }

    /// <summary>Classes that did not come from an EdgeNet model (the TFLite reference): no device-cost figures.</summary>
    public void AddClasses(int[] q, Dataset test, int[] floatClasses, int classes)
    {
        _reports.Add(ClassificationReport.Of(test.Labels, q, classes));
        _agreement.Add(Metrics.Agreement(floatClasses, q));
    }

    public KindResult Result(string notAvailable)
    {
        if (notAvailable != null || _reports.Count == 0) return new KindResult { NotAvailable = notAvailable ?? "no runs" };
        KindResult k = Of(_reports, _agreement);
        return new KindResult
        {
            Accuracy = k.Accuracy, BalancedAccuracy = k.BalancedAccuracy, MacroF1 = k.MacroF1, Agreement = k.Agreement,
            ModelBytes = _bytes.Count > 0 ? Stat.Of(_bytes) : null, Macs = _macs.Count > 0 ? Stat.Of(_macs) : null, ArenaBytes = _arena.Count > 0 ? Stat.Of(_arena) : null,
        };
    }

    /// <summary>The metrics over seeds of per-seed reports (agreement null: float).</summary>
    public static KindResult Of(List<ClassificationReport> runs, List<double> agreement) => new()
    {
        Accuracy = Stat.Of(runs.Select(r => r.Accuracy).ToList()),
        BalancedAccuracy = Stat.Of(runs.Select(r => r.BalancedAccuracy).ToList()),
        MacroF1 = Stat.Of(runs.Select(r => r.MacroF1).ToList()),
        Agreement = agreement == null ? null : Stat.Of(agreement),
    };
}

/// <summary>
/// A calibration rule judged on validation rows (held out of training, never test rows): each seed's network is
/// calibrated on the rows it was fitted on and compared with float on its own validation rows.
/// </summary>
public sealed class ValidationResult
{
    /// <summary>Share of validation rows where int8 predicts the float class.</summary>
    public Stat Agreement { get; init; }
    /// <summary>Headline metric (SPLITS.md) of float minus int8 on the validation rows.</summary>
    public Stat HeadlineDrop { get; init; }
}

/// <summary>
/// An input-range rule at one precision judged on validation rows, as <see cref="ValidationResult"/>: agreement
/// and the RMS error the quantized model's outputs have against float's (the continuous figure behind it).
/// </summary>
public sealed class InputRangeResult
{
    public Stat Agreement { get; init; }
    public Stat OutputRmsError { get; init; }
}

public sealed class BenchmarkResult
{
    public string Id { get; init; }
    /// <summary>Set when the data is absent: what is missing and where to get it.</summary>
    public string Absent { get; init; }
    /// <summary>Set when the benchmark could not be run (e.g. training diverged): the reason.</summary>
    public string Failed { get; init; }
    public int TrainRows { get; init; }
    public int TestRows { get; init; }
    public int Features { get; init; }
    public int Classes { get; init; }
    public KindResult Float { get; init; }
    /// <summary>int8 with each calibration rule, by name (minMax, percentile, mse), on the test rows.</summary>
    public Dictionary<string, KindResult> Int8 { get; init; }
    /// <summary>The quantized columns (<see cref="AccuracyVariants.All"/>: auto, int8, int16, qat), on the test rows.</summary>
    public Dictionary<string, KindResult> Quantized { get; init; }
    /// <summary>Each calibration rule on the validation rows; null when the benchmark has no validation split or shares another's training rows.</summary>
    public Dictionary<string, ValidationResult> Validation { get; init; }
    /// <summary>
    /// Each input-range rule at each precision on the validation rows (keys "int8 perFeature", "int8 shared",
    /// "int16 perFeature", "int16 shared"); null when <see cref="Validation"/> is.
    /// </summary>
    public Dictionary<string, InputRangeResult> InputRangeValidation { get; init; }
    /// <summary>
    /// Test rows where the float network with only its weights rounded to int8 (<see cref="WeightRounding"/>)
    /// predicts float's class: the ceiling int8 weights leave any activation precision.
    /// </summary>
    public Stat WeightsOnlyAgreement { get; init; }
    /// <summary>
    /// The TensorFlow Lite converter's schemes reimplemented (<see cref="TfliteReference"/>) on the same float
    /// networks, on the test rows: keys "int8" and "16x8" (<see cref="TfliteKeys"/>; no device-cost figures).
    /// Null in results files written before the reference existed.
    /// </summary>
    public Dictionary<string, KindResult> Tflite { get; init; }
    /// <summary>Why <see cref="Validation"/> is null.</summary>
    public string ValidationNote { get; init; }
    public double Seconds { get; init; }
}

public sealed class AccuracyResults
{
    public string Generated { get; init; }
    public string Machine { get; init; }
    /// <summary>The full stamp (<see cref="Stamp.Machine"/>): commit, machine, runtime, load average before and after.</summary>
    public System.Text.Json.Nodes.JsonObject Stamp { get; init; }
    /// <summary>The command line that produced the results.</summary>
    public string Command { get; set; }
    public int Seeds { get; init; }
    public TrainOptions Options { get; init; }
    public double Percentile { get; init; }
    /// <summary>The quantizer's default calibration when the benchmark ran.</summary>
    public string DefaultCalibration { get; init; }
    /// <summary>The calibration the validation rows choose (<see cref="AccuracyBenchmark.ChooseCalibration"/>).</summary>
    public string ValidationChoice { get; set; }
    /// <summary>The input-range rule the validation rows choose for an int8 and for an int16 input (<see cref="AccuracyBenchmark.ChooseInputRange"/>).</summary>
    public string InputRangeChoice8 { get; set; }
    public string InputRangeChoice16 { get; set; }
    /// <summary>
    /// Float headline metric per benchmark from an earlier results file (the defaults before the cross-validated
    /// choice), to say where float moved; null without --previous.
    /// </summary>
    public Dictionary<string, Stat> PreviousFloat { get; set; }
    /// <summary>Which file <see cref="PreviousFloat"/> came from and what it measured.</summary>
    public string PreviousSource { get; set; }
    /// <summary>Set when fewer seeds than planned were run (time budget): what and why.</summary>
    public string Note { get; set; }
    public List<BenchmarkResult> Benchmarks { get; init; } = new();
}

/// <summary>
/// For every SPLITS.md benchmark: the default MLP trained with several seeds; on the test rows float vs every
/// quantized column (<see cref="AccuracyVariants"/>) and vs int8 with each calibration rule; on the validation
/// rows (held out of training) each calibration rule, which is what chooses the quantizer's default
/// (<see cref="ChooseCalibration"/>). Benchmarks that share their training rows (occupancy's two test files,
/// gas-drift's batches) share the trained networks.
/// </summary>
public static class AccuracyBenchmark
{
    /// <param name="options">Makes the training options (called once per seed; the seed is then set to its Seed + s).</param>
    public static AccuracyResults Run(string datasets, int seeds, Func<TrainOptions> options, IReadOnlyList<string> ids, Action<string> log)
    {
        TrainOptions template = options();
        var results = new AccuracyResults
        {
            Generated = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"),
            Machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            Stamp = Benchmarks.Stamp.Machine(Benchmarks.Stamp.FindRepoRoot(Environment.CurrentDirectory)),
            Seeds = seeds,
            Options = template,
            Percentile = new QuantizeOptions().Percentile,
            DefaultCalibration = Name(new QuantizeOptions().Calibration),
        };
        var trained = new Dictionary<string, Trained[]>();
        foreach (string id in ids)
        {
            string missing = DatasetSources.Missing(id, datasets);
            if (missing != null)
            {
                log($"{id}: absent — {missing}");
                results.Benchmarks.Add(new BenchmarkResult { Id = id, Absent = missing });
                continue;
            }
            try
            {
                results.Benchmarks.Add(RunOne(id, datasets, seeds, options, trained, log));
            }
            catch (Exception e) when (e is InvalidOperationException or DataException or ArgumentException or IOException)
            {
                log($"{id}: FAILED — {e.Message}");
                results.Benchmarks.Add(new BenchmarkResult { Id = id, Failed = e.Message });
            }
        }
        results.ValidationChoice = ChooseCalibration(results.Benchmarks);
        results.InputRangeChoice8 = ChooseInputRange(results.Benchmarks, PrecisionMode.Int8);
        results.InputRangeChoice16 = ChooseInputRange(results.Benchmarks, PrecisionMode.Int16);
        Benchmarks.Stamp.Finish(results.Stamp);
        return results;
    }

    /// <summary>The input-range rules the validation rows judge: per-feature and shared, with every layer int8 and with every layer 16-bit.</summary>
    public static readonly (PrecisionMode Width, InputRanges Rule)[] InputRangeRules =
    [
        (PrecisionMode.Int8, InputRanges.PerFeature), (PrecisionMode.Int8, InputRanges.Shared),
        (PrecisionMode.Int16, InputRanges.PerFeature), (PrecisionMode.Int16, InputRanges.Shared),
    ];

    /// <summary>A rule's key in accuracy.json ("int8 perFeature", "int16 shared", ...).</summary>
    public static string InputRangeKey(PrecisionMode width, InputRanges rule) => $"{Width(width)} {RuleName(rule)}";

    public static string RuleName(InputRanges rule) => rule == InputRanges.PerFeature ? "perFeature" : "shared";

    private static string Width(PrecisionMode width) => width == PrecisionMode.Int16 ? "int16" : "int8";

    /// <summary>The input precision (ModelFormat) of a model forced to one width.</summary>
    public static int InputPrecision(PrecisionMode width) => width == PrecisionMode.Int16 ? ModelFormat.PrecisionInt16 : ModelFormat.PrecisionInt8;

    /// <summary>
    /// The input-range rule the validation rows choose at one width: the one with the lower output RMS error
    /// against float on more than half of the benchmarks (ties: per-feature, the int8 rule). Null without validation rows.
    /// </summary>
    public static string ChooseInputRange(IEnumerable<BenchmarkResult> benchmarks, PrecisionMode width)
    {
        var judged = benchmarks.Where(b => b.InputRangeValidation != null).ToList();
        if (judged.Count == 0) return null;
        double Error(BenchmarkResult b, InputRanges rule) => b.InputRangeValidation[InputRangeKey(width, rule)].OutputRmsError.Mean;
        int sharedWins = judged.Count(b => Error(b, InputRanges.Shared) < Error(b, InputRanges.PerFeature));
        return RuleName(sharedWins * 2 > judged.Count ? InputRanges.Shared : InputRanges.PerFeature);
    }

    /// <summary>Margin by which a rule's mean validation agreement must beat min/max to be chosen over it (noise).</summary>
    public const double ChoiceMargin = 0.0005;

    /// <summary>
    /// The calibration rule the validation rows choose: the highest mean (over benchmarks with a validation split)
    /// of the mean validation agreement, provided that on no benchmark its mean validation headline drop is more
    /// than 0.3 points worse than min/max's; min/max (the plain rule) unless another beats it by
    /// <see cref="ChoiceMargin"/>. Null when no benchmark had validation rows.
    /// </summary>
    public static string ChooseCalibration(IEnumerable<BenchmarkResult> benchmarks)
    {
        var judged = benchmarks.Where(b => b.Validation != null).ToList();
        if (judged.Count == 0) return null;
        string plain = Name(Calibration.MinMax);
        double Score(string rule) => judged.Average(b => b.Validation[rule].Agreement.Mean);
        bool Safe(string rule) => judged.All(b => b.Validation[rule].HeadlineDrop.Mean <= b.Validation[plain].HeadlineDrop.Mean + 0.003);
        string best = plain;
        foreach (Calibration c in Enum.GetValues<Calibration>())
        {
            string rule = Name(c);
            if (rule != plain && Safe(rule) && Score(rule) > Score(best) + (best == plain ? ChoiceMargin : 0)) best = rule;
        }
        return best;
    }

    /// <summary>The reference's schemes by their key in accuracy.json.</summary>
    public static readonly (string Key, TfliteScheme Scheme)[] TfliteKeys = [("int8", TfliteScheme.Int8), ("16x8", TfliteScheme.Int16x8)];

    /// <summary>A trained network with the options it was trained with and whether it had validation rows.</summary>
    private sealed record Trained(Network Network, TrainOptions Options, bool HasValidation);

    private static BenchmarkResult RunOne(string id, string datasets, int seeds, Func<TrainOptions> options, Dictionary<string, Trained[]> trained, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        (Dataset train, Dataset test) = Splits.Benchmark(id, datasets);
        string key = TrainingKey(train);
        bool shared = trained.TryGetValue(key, out Trained[] networks);
        if (!shared)
        {
            networks = new Trained[seeds];
            for (int s = 0; s < seeds; s++)
            {
                TrainOptions o = options();
                o.Seed += s;
                var t = Stopwatch.StartNew();
                TrainResult r = TrainingLoop.Train(train, o, null);
                networks[s] = new Trained(r.Network, o, r.ValidationRows > 0);
                log($"{id}: seed {o.Seed} trained in {t.Elapsed.TotalSeconds:F1} s ({r.History.Count} epochs, best {r.BestEpoch})");
            }
            trained[key] = networks;
        }
        else log($"{id}: same training rows as an earlier benchmark, reusing its {seeds} networks");

        int classes = test.ClassLabels.Length;
        bool balanced = DatasetSources.HeadlineIsBalanced(id);
        var floatRuns = new List<ClassificationReport>();
        var int8Runs = Enum.GetValues<Calibration>().ToDictionary(Name, _ => new KindRuns());
        var variantRuns = AccuracyVariants.All.ToDictionary(v => v.Name, _ => new KindRuns());
        var validation = Enum.GetValues<Calibration>().ToDictionary(Name, _ => (Agreement: new List<double>(), Drop: new List<double>()));
        var weightsOnly = new List<double>();
        var tfliteRuns = TfliteKeys.ToDictionary(k => k.Key, _ => new KindRuns());
        string tfliteWhy = null;
        var inputRanges = InputRangeRules.ToDictionary(k => InputRangeKey(k.Width, k.Rule), _ => (Agreement: new List<double>(), Rms: new List<double>()));
        bool validate = !shared && networks.All(n => n.HasValidation);
        foreach (Trained tr in networks)
        {
            Network n = tr.Network;
            int[] f = Comparison.PredictFloat(n, test);
            floatRuns.Add(ClassificationReport.Of(test.Labels, f, classes));
            weightsOnly.Add(Metrics.Agreement(f, Comparison.PredictFloat(WeightRounding.WithInt8Weights(n), test)));
            foreach (Calibration cal in Enum.GetValues<Calibration>())
                int8Runs[Name(cal)].Add(PostTraining.Quantize(n, train, new QuantizeOptions { Calibration = cal }).Model, test, f, classes);
            foreach (QuantizedVariant v in AccuracyVariants.All)
                if (v.NotAvailable == null) variantRuns[v.Name].Add(v.Build(n, train, tr.Options), test, f, classes);
            // The converter scheme on this same float network, its representative rows drawn with the network's seed.
            tfliteWhy ??= TfliteReference.Unsupported(n);
            if (tfliteWhy == null)
                foreach (var (name, scheme) in TfliteKeys)
                    tfliteRuns[name].AddClasses(TfliteReference.Convert(n, train, scheme, tr.Options.Seed).Classify(n, test), test, f, classes);
            if (!validate) continue;
            // The rows this seed's network was fitted on calibrate; its validation rows judge.
            var (fitRows, validationRows) = Splits.ValidationRows(train, tr.Options.ValidationFraction, tr.Options.Seed);
            Dataset fit = train.Subset(fitRows), held = train.Subset(validationRows);
            int[] fv = Comparison.PredictFloat(n, held);
            double floatHeadline = Headline(ClassificationReport.Of(held.Labels, fv, classes), balanced);
            foreach (Calibration cal in Enum.GetValues<Calibration>())
            {
                int[] qv = Simulator.Classify(PostTraining.Quantize(n, fit, new QuantizeOptions { Calibration = cal }).Model, held);
                validation[Name(cal)].Agreement.Add(Metrics.Agreement(fv, qv));
                validation[Name(cal)].Drop.Add(floatHeadline - Headline(ClassificationReport.Of(held.Labels, qv, classes), balanced));
            }
            foreach (var (width, rule) in InputRangeRules)
            {
                QuantizeResult q = PrecisionChoice.Forced(n, fit, new QuantizeOptions { InputRange = rule }, width);
                var judgedRule = inputRanges[InputRangeKey(width, rule)];
                judgedRule.Agreement.Add(Metrics.Agreement(fv, Simulator.Classify(q.Model, held)));
                judgedRule.Rms.Add(PostTraining.MeasureErrors(q.Reference, q, held)[^1].RmsError);
            }
        }
        var result = new BenchmarkResult
        {
            Id = id, TrainRows = train.Count, TestRows = test.Count, Features = train.FeatureNames.Length, Classes = classes,
            Float = KindRuns.Of(floatRuns, null),
            Int8 = int8Runs.ToDictionary(kv => kv.Key, kv => kv.Value.Result(null)),
            Quantized = AccuracyVariants.All.ToDictionary(v => v.Name, v => variantRuns[v.Name].Result(v.NotAvailable)),
            Validation = validate ? validation.ToDictionary(kv => kv.Key, kv => new ValidationResult { Agreement = Stat.Of(kv.Value.Agreement), HeadlineDrop = Stat.Of(kv.Value.Drop) }) : null,
            WeightsOnlyAgreement = Stat.Of(weightsOnly),
            Tflite = tfliteRuns.ToDictionary(kv => kv.Key, kv => kv.Value.Result(tfliteWhy)),
            InputRangeValidation = validate ? inputRanges.ToDictionary(kv => kv.Key, kv => new InputRangeResult { Agreement = Stat.Of(kv.Value.Agreement), OutputRmsError = Stat.Of(kv.Value.Rms) }) : null,
            ValidationNote = validate ? null : shared ? "same training rows as an earlier benchmark (judged there)" : "no validation split (too few rows per class: the networks train on every training row)",
            Seconds = clock.Elapsed.TotalSeconds,
        };
        log($"{id}: float accuracy {result.Float.Accuracy.Mean:P2}, " + string.Join(", ", result.Int8.Select(kv => $"int8 {kv.Key} {kv.Value.Accuracy.Mean:P2} (agreement {kv.Value.Agreement.Mean:P2})")));
        log($"{id}: " + string.Join(", ", result.Tflite.Select(kv => kv.Value.NotAvailable != null ? $"TFLite {kv.Key} not available ({kv.Value.NotAvailable})" : $"TFLite {kv.Key} agreement {kv.Value.Agreement.Mean:P2} (seeds {string.Join(" ", kv.Value.Agreement.Values.Select(a => a.ToString("P2")))})")));
        return result;
    }

    /// <summary>Reads the float headline figures of an earlier accuracy.json into <paramref name="results"/>.</summary>
    public static void AddPrevious(AccuracyResults results, string path)
    {
        AccuracyResults old = Reports.Json.Read<AccuracyResults>(path);
        results.PreviousFloat = old.Benchmarks.Where(b => b.Float != null)
            .ToDictionary(b => b.Id, b => DatasetSources.HeadlineIsBalanced(b.Id) ? b.Float.BalancedAccuracy : b.Float.Accuracy);
        results.PreviousSource = $"{Path.GetFileName(path)} ({old.Generated}, {old.Seeds} seeds, `{old.Command}`)";
    }

    private static double Headline(ClassificationReport r, bool balanced) => balanced ? r.BalancedAccuracy : r.Accuracy;

    public static string Name(Calibration c) => c switch
    {
        Calibration.MinMax => "minMax",
        _ => char.ToLowerInvariant(c.ToString()[0]) + c.ToString()[1..],
    };

    /// <summary>Identifies the training rows: benchmarks with equal keys train identical networks.</summary>
    private static string TrainingKey(Dataset train)
    {
        var hash = new HashCode();
        foreach (int line in train.SourceLines) hash.Add(line);
        return $"{train.SourceFile}|{train.Count}|{string.Join(",", train.FeatureNames)}|{hash.ToHashCode()}";
    }
}
