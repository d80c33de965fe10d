using System.Diagnostics;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>Figures of one model kind (float, or int8 with one calibration) over the seeds.</summary>
public sealed class KindResult
{
    public Stat Accuracy { get; init; }
    public Stat BalancedAccuracy { get; init; }
    public Stat MacroF1 { get; init; }
    /// <summary>Share of test rows where int8 predicts the same class as float (null for float).</summary>
    public Stat Agreement { get; init; }
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
    /// <summary>By calibration name (minMax, percentile).</summary>
    public Dictionary<string, KindResult> Int8 { get; init; }
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
    public List<BenchmarkResult> Benchmarks { get; init; } = new();
}

/// <summary>
/// For every SPLITS.md benchmark: the default MLP trained with several seeds, float vs int8 (min/max and
/// percentile calibration) on the test rows. Benchmarks that share their training rows (occupancy's two
/// test files, gas-drift's batches) share the trained networks.
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
        };
        var trained = new Dictionary<string, Network[]>();
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
        Benchmarks.Stamp.Finish(results.Stamp);
        return results;
    }

    private static BenchmarkResult RunOne(string id, string datasets, int seeds, Func<TrainOptions> options, Dictionary<string, Network[]> trained, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        (Dataset train, Dataset test) = Splits.Benchmark(id, datasets);
        string key = TrainingKey(train);
        if (!trained.TryGetValue(key, out Network[] networks))
        {
            networks = new Network[seeds];
            for (int s = 0; s < seeds; s++)
            {
                TrainOptions o = options();
                o.Seed += s;
                var t = Stopwatch.StartNew();
                TrainResult r = TrainingLoop.Train(train, o, null);
                networks[s] = r.Network;
                log($"{id}: seed {o.Seed} trained in {t.Elapsed.TotalSeconds:F1} s ({r.History.Count} epochs, best {r.BestEpoch})");
            }
            trained[key] = networks;
        }
        else log($"{id}: same training rows as an earlier benchmark, reusing its {seeds} networks");

        var floatRuns = new List<ClassificationReport>();
        var int8Runs = new Dictionary<string, List<(ClassificationReport Report, double Agreement)>>();
        foreach (Calibration cal in Enum.GetValues<Calibration>())
        {
            var list = new List<(ClassificationReport, double)>();
            int8Runs[Name(cal)] = list;
        }
        int classes = test.ClassLabels.Length;
        foreach (Network n in networks)
        {
            int[] f = Comparison.PredictFloat(n, test);
            floatRuns.Add(ClassificationReport.Of(test.Labels, f, classes));
            foreach (Calibration cal in Enum.GetValues<Calibration>())
            {
                var model = PostTraining.Quantize(n, train, new QuantizeOptions { Calibration = cal }).Model;
                int[] q = Simulator.Classify(model, test);
                int8Runs[Name(cal)].Add((ClassificationReport.Of(test.Labels, q, classes), Metrics.Agreement(f, q)));
            }
        }
        var result = new BenchmarkResult
        {
            Id = id, TrainRows = train.Count, TestRows = test.Count, Features = train.FeatureNames.Length, Classes = classes,
            Float = Kind(floatRuns, null),
            Int8 = int8Runs.ToDictionary(kv => kv.Key, kv => Kind(kv.Value.Select(v => v.Report).ToList(), kv.Value.Select(v => v.Agreement).ToList())),
            Seconds = clock.Elapsed.TotalSeconds,
        };
        log($"{id}: float accuracy {result.Float.Accuracy.Mean:P2}, " + string.Join(", ", result.Int8.Select(kv => $"int8 {kv.Key} {kv.Value.Accuracy.Mean:P2} (agreement {kv.Value.Agreement.Mean:P2})")));
        return result;
    }

    public static string Name(Calibration c) => c switch
    {
        Calibration.MinMax => "minMax",
        _ => char.ToLowerInvariant(c.ToString()[0]) + c.ToString()[1..],
    };

    private static KindResult Kind(List<ClassificationReport> runs, List<double> agreement) => new()
    {
        Accuracy = Stat.Of(runs.Select(r => r.Accuracy).ToList()),
        BalancedAccuracy = Stat.Of(runs.Select(r => r.BalancedAccuracy).ToList()),
        MacroF1 = Stat.Of(runs.Select(r => r.MacroF1).ToList()),
        Agreement = agreement == null ? null : Stat.Of(agreement),
    };

    /// <summary>Identifies the training rows: benchmarks with equal keys train identical networks.</summary>
    private static string TrainingKey(Dataset train)
    {
        var hash = new HashCode();
        foreach (int line in train.SourceLines) hash.Add(line);
        return $"{train.SourceFile}|{train.Count}|{string.Join(",", train.FeatureNames)}|{hash.ToHashCode()}";
    }
}
