using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Training;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>One point of the grid: the training defaults under test.</summary>
public sealed class Candidate
{
    public float L2 { get; init; }
    public float MaxL2PerRarestShare { get; init; }
    public StoppingCriterion Stopping { get; init; }
    public int Patience { get; init; }

    public string Name => $"L2 {L2.ToString("G", CultureInfo.InvariantCulture)}, cap {(MaxL2PerRarestShare > 0 ? MaxL2PerRarestShare.ToString("G", CultureInfo.InvariantCulture) : "off")}, " +
                          $"{(Stopping == StoppingCriterion.BalancedLoss ? "balanced loss" : "loss")}, patience {Patience}";

    public void ApplyTo(TrainOptions o)
    {
        o.L2 = L2;
        o.MaxL2PerRarestShare = MaxL2PerRarestShare;
        o.Stopping = Stopping;
        o.Patience = Patience;
    }

    public bool Matches(TrainOptions o) => o.L2 == L2 && o.MaxL2PerRarestShare == MaxL2PerRarestShare && o.Stopping == Stopping && o.Patience == Patience;
}

public sealed class HyperparameterResults
{
    public string Generated { get; init; }
    public System.Text.Json.Nodes.JsonObject Stamp { get; init; }
    public string Command { get; set; }
    public int Folds { get; init; }
    public int FoldSeed { get; init; }
    /// <summary>The benchmarks searched on (one per distinct training set of SPLITS.md).</summary>
    public List<string> Benchmarks { get; init; } = new();
    public List<Candidate> Grid { get; init; } = new();
    /// <summary>[candidate][benchmark][fold]: the headline metric on the held-out fold.</summary>
    public double[][][] Scores { get; set; }
    /// <summary>Index into <see cref="Grid"/> of the chosen candidate (<see cref="HyperparameterSearch.Choose"/>).</summary>
    public int Chosen { get; set; }
    /// <summary>Index of the defaults in force when the search ran, or -1.</summary>
    public int Previous { get; init; }
    public double Seconds { get; set; }
}

/// <summary>
/// Chooses the training defaults on training rows only: stratified k-fold cross-validation on the training side
/// of each SPLITS.md benchmark (one per distinct training set). For every candidate of a small grid and every
/// fold, the default MLP trains on the other folds (with its own 10 % validation split for early stopping, as
/// always) and is scored by the benchmark's headline metric on the held-out fold. The chosen candidate has the
/// highest mean over benchmarks of the mean over folds; test rows are never read. The grid is small on purpose
/// (2 cores shared by 9 sessions): 2 values of each of L2, the L2 cap, the stopping criterion and the patience.
/// </summary>
public static class HyperparameterSearch
{
    /// <summary>One benchmark per distinct training set (occupancy-test2 and the gas-drift batches share theirs).</summary>
    public static readonly string[] DefaultBenchmarks = ["satellite", "shuttle", "room-occupancy", "occupancy", "gas-drift", "ionosphere"];

    public static List<Candidate> DefaultGrid()
    {
        var grid = new List<Candidate>();
        foreach (float l2 in new[] { 1e-4f, 1e-3f })
        foreach (float cap in new[] { 0f, 0.1f })
        foreach (StoppingCriterion stop in new[] { StoppingCriterion.Loss, StoppingCriterion.BalancedLoss })
        foreach (int patience in new[] { 25, 50 })
            grid.Add(new Candidate { L2 = l2, MaxL2PerRarestShare = cap, Stopping = stop, Patience = patience });
        return grid;
    }

    public static HyperparameterResults Run(string datasets, IReadOnlyList<string> ids, List<Candidate> grid, int folds, int foldSeed, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var defaults = new TrainOptions();
        var results = new HyperparameterResults
        {
            Generated = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"),
            Stamp = Benchmarks.Stamp.Machine(Benchmarks.Stamp.FindRepoRoot(Environment.CurrentDirectory)),
            Folds = folds, FoldSeed = foldSeed, Grid = grid, Previous = grid.FindIndex(c => c.Matches(defaults)),
        };
        var scores = grid.Select(_ => new double[ids.Count][]).ToArray();
        for (int b = 0; b < ids.Count; b++)
        {
            (Dataset train, _) = Splits.Benchmark(ids[b], datasets); // the test side is not used
            results.Benchmarks.Add(ids[b]);
            int[] fold = StratifiedFolds(train, folds, foldSeed);
            bool balanced = DatasetSources.HeadlineIsBalanced(ids[b]);
            for (int c = 0; c < grid.Count; c++) scores[c][b] = new double[folds];
            for (int k = 0; k < folds; k++)
            {
                Dataset fit = train.Subset(Enumerable.Range(0, train.Count).Where(r => fold[r] != k).ToArray());
                Dataset held = train.Subset(Enumerable.Range(0, train.Count).Where(r => fold[r] == k).ToArray());
                // Candidates that train identically here (training is deterministic) are trained once: the cap
                // changes nothing where the rarest class is common enough, stopping and patience nothing without
                // a validation split (too few rows per class).
                var done = new Dictionary<string, double>();
                for (int c = 0; c < grid.Count; c++)
                {
                    var o = new TrainOptions { Seed = 1 + k };
                    grid[c].ApplyTo(o);
                    string key = SameTraining(fit, o);
                    if (!done.TryGetValue(key, out double score))
                    {
                        Network net = TrainingLoop.Train(fit, o, null).Network;
                        var report = ClassificationReport.Of(held.Labels, Comparison.PredictFloat(net, held), train.ClassLabels.Length);
                        done[key] = score = balanced ? report.BalancedAccuracy : report.Accuracy;
                    }
                    scores[c][b][k] = score;
                }
                log($"{ids[b]}: fold {k + 1}/{folds} done ({clock.Elapsed.TotalMinutes:F1} min)");
            }
        }
        results.Scores = scores;
        results.Chosen = Choose(scores);
        results.Seconds = clock.Elapsed.TotalSeconds;
        Benchmarks.Stamp.Finish(results.Stamp);
        return results;
    }

    /// <summary>
    /// Equal for two option sets that train the same network on these rows: the L2 in effect (the cap counts only
    /// when it may bind: within 10 % of the L2, since the inner validation split moves the rarest share a little)
    /// and, when the validation split is used, the stopping criterion and patience.
    /// </summary>
    private static string SameTraining(Dataset fit, TrainOptions o)
    {
        int[] counts = fit.ClassCounts();
        double rarest = (double)counts.Where(n => n > 0).Min() / fit.Count;
        bool capBinds = o.MaxL2PerRarestShare > 0 && o.MaxL2PerRarestShare * rarest < 1.1 * o.L2;
        string l2 = capBinds ? $"{o.L2:R}/{o.MaxL2PerRarestShare:R}" : $"{o.L2:R}";
        var (_, v) = Splits.ValidationRows(fit, o.ValidationFraction, o.Seed);
        bool validation = v.Length > 0 && ValidationRule.TooSmall(fit.Subset(v), fit, o) == null;
        return validation ? $"{l2}|{o.Stopping}|{o.Patience}" : l2;
    }

    /// <summary>The candidate with the highest mean over benchmarks of the mean over folds (the first on a tie).</summary>
    public static int Choose(double[][][] scores)
    {
        int best = 0;
        for (int c = 1; c < scores.Length; c++)
            if (Mean(scores[c]) > Mean(scores[best])) best = c;
        return best;
    }

    public static double Mean(double[][] perBenchmark) => perBenchmark.Average(f => f.Average());

    /// <summary>
    /// Each row's fold: the rows of every class are shuffled (seeded) and dealt round-robin, so every fold holds
    /// about 1/k of each class (a class of at least k rows appears in every fold).
    /// </summary>
    public static int[] StratifiedFolds(Dataset data, int folds, int seed)
    {
        if (folds < 2) throw new ArgumentException("cross-validation needs at least 2 folds");
        var rng = new Random(seed);
        var fold = new int[data.Count];
        int next = 0;
        for (int c = 0; c < data.ClassCount; c++)
        {
            int[] rows = Enumerable.Range(0, data.Count).Where(r => data.Labels[r] == c).ToArray();
            for (int i = rows.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (rows[i], rows[j]) = (rows[j], rows[i]);
            }
            // Continue the deal where the last class stopped, so small classes do not all start in fold 0.
            foreach (int r in rows) fold[r] = next++ % folds;
        }
        return fold;
    }

    public static string Markdown(HyperparameterResults r)
    {
        var s = new StringBuilder();
        s.AppendLine("# Training defaults chosen by cross-validation on the training rows");
        s.AppendLine();
        s.AppendLine($"Generated {r.Generated} by `{r.Command}`, {r.Seconds / 60:F0} min.");
        if (r.Stamp != null) s.AppendLine(Stamp.Line(r.Stamp));
        s.AppendLine();
        s.AppendLine(Procedure(r));
        s.AppendLine();
        s.Append(Table(r));
        return s.ToString();
    }

    /// <summary>The procedure in one paragraph (accuracy.md and docs/training.md quote it).</summary>
    public static string Procedure(HyperparameterResults r) =>
        $"Procedure: {r.Folds}-fold stratified cross-validation (fold seed {r.FoldSeed}) on the training rows of {string.Join(", ", r.Benchmarks)} (SPLITS.md; test rows never read). " +
        $"For each of the {r.Grid.Count} candidates and each fold, the default MLP (training seed 1 + fold) trains on the other folds, with its own 10 % validation split for early stopping, " +
        "and is scored by the benchmark's headline metric (balanced accuracy for shuttle and room-occupancy, accuracy otherwise) on the held-out fold. " +
        "Chosen: the highest mean over benchmarks of the mean over folds. The grid is kept small for CPU (2 cores shared by 9 sessions): L2 {1e-4, 1e-3} × L2 cap {off, 0.1 × rarest class share} × early stopping on {loss, class-balanced loss} × patience {25, 50}, one training seed per fold.";

    /// <summary>Every candidate's cross-validated scores, best first (the generated table of docs/training.md).</summary>
    public static string Table(HyperparameterResults r)
    {
        var s = new StringBuilder();
        s.AppendLine("| candidate | " + string.Join(" | ", r.Benchmarks) + " | mean | |");
        s.AppendLine("|---|" + string.Concat(r.Benchmarks.Select(_ => "---:|")) + "---:|---|");
        foreach (int c in Enumerable.Range(0, r.Grid.Count).OrderByDescending(c => Mean(r.Scores[c])))
        {
            string mark = c == r.Chosen ? "**chosen**" : "";
            if (c == r.Previous) mark += (mark.Length > 0 ? ", " : "") + "previous default";
            s.AppendLine($"| {r.Grid[c].Name} | " + string.Join(" | ", r.Scores[c].Select(f => P(f.Average()))) + $" | {P(Mean(r.Scores[c]))} | {mark} |");
        }
        return s.ToString();
    }

    private static string P(double v) => (v * 100).ToString("F2", CultureInfo.InvariantCulture);
}
