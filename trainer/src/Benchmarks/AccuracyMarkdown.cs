using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>The scikit-learn reference figures written by benchmarks/sklearn_reference.py.</summary>
public sealed class SklearnReference
{
    public string Sklearn { get; init; }
    public int[] Hidden { get; init; }
    public Dictionary<string, SklearnResult> Benchmarks { get; init; } = new();

    public sealed class SklearnResult
    {
        public double[] Accuracy { get; init; }
        public double[] BalancedAccuracy { get; init; }
        public int TrainRows { get; init; }
        public int TestRows { get; init; }
    }

    /// <summary>The reference file, or null when it does not exist.</summary>
    public static SklearnReference Load(string path)
    {
        if (path == null || !File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<SklearnReference>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a scikit-learn reference file ({e.Message})");
        }
    }
}

/// <summary>The accuracy benchmark as Markdown: one table per metric, targets checked per benchmark.</summary>
public static class AccuracyMarkdown
{
    public const double MaxDropPoints = 0.5;
    public const double MinAgreement = 0.99;

    public static string Write(AccuracyResults r, SklearnReference sk)
    {
        var s = new StringBuilder();
        var o = r.Options;
        s.AppendLine("# Accuracy benchmark: float vs int8");
        s.AppendLine();
        s.AppendLine($"Generated {r.Generated} by `{r.Command}` on {r.Machine}.");
        s.AppendLine(r.Stamp != null ? Stamp.Line(r.Stamp) : "Stamp: none (this run predates commit stamping; rerun `edgenet bench accuracy` to stamp it).");
        s.AppendLine($"Splits: `../shared/datasets/SPLITS.md` (test rows never used for training, normalization or calibration). " +
                     $"Default MLP: {string.Join("-", o.Hidden)} hidden units, {o.HiddenActivation}, {o.Loss} loss, {o.Optimizer} (learning rate {F(o.EffectiveLearningRate)}), " +
                     $"batch {o.BatchSize}, at most {o.Epochs} epochs, early stopping patience {o.Patience} on the {(o.Stopping == EdgeNet.Trainer.Training.StoppingCriterion.BalancedLoss ? "class-balanced " : "")}loss of {F(o.ValidationFraction * 100)} % validation rows, L2 {F(o.L2)}{(o.MaxL2PerRarestShare > 0 ? $" (at most {F(o.MaxL2PerRarestShare)} × the rarest class's share of the rows)" : "")}, class weights {(o.ClassWeights ? "on" : "off")}. " +
                     $"{r.Seeds} seeds ({o.Seed}..{o.Seed + r.Seeds - 1}); figures are mean ± sample standard deviation over the seeds, in percent.");
        s.AppendLine($"int8: post-training quantization calibrated on the training rows, min/max or percentile ({F(r.Percentile)}) activation ranges; " +
                     "classes computed by the device kernels (desktop build of shared/src). Agreement: share of test rows where int8 predicts the same class as float.");
        if (sk != null)
            s.AppendLine($"Reference: scikit-learn {sk.Sklearn} MLPClassifier, hidden {string.Join("-", sk.Hidden ?? [])}, standardized inputs, same splits and seeds (`benchmarks/sklearn_reference.py`).");
        s.AppendLine();

        s.AppendLine("## Summary: headline metric of each benchmark");
        s.AppendLine();
        s.AppendLine("Headline metric as SPLITS.md names it (balanced accuracy for shuttle and room-occupancy, accuracy otherwise); mean ± spread over the seeds.");
        s.AppendLine();
        s.Append(HeadlineTable(r, sk));
        s.AppendLine();

        foreach ((string metric, Func<KindResult, Stat> get, Func<SklearnReference.SklearnResult, double[]> ref_) in new (string, Func<KindResult, Stat>, Func<SklearnReference.SklearnResult, double[]>)[]
                 {
                     ("Test accuracy", k => k.Accuracy, x => x.Accuracy),
                     ("Test balanced accuracy (mean per-class recall)", k => k.BalancedAccuracy, x => x.BalancedAccuracy),
                 })
        {
            s.AppendLine("## " + metric);
            s.AppendLine();
            s.Append("| benchmark | train / test rows | float | int8 min/max | Δ | agree | int8 percentile | Δ | agree |");
            s.AppendLine(sk != null ? " scikit-learn | float − sklearn |" : "");
            s.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            s.AppendLine(sk != null ? "---:|---:|" : "");
            foreach (BenchmarkResult b in r.Benchmarks)
            {
                if (b.Absent != null || b.Failed != null)
                {
                    s.AppendLine($"| {b.Id} | {(b.Absent != null ? "data absent" : "**failed**")} | | | | | | | |" + (sk != null ? " | |" : ""));
                    continue;
                }
                Stat f = get(b.Float);
                s.Append($"| {b.Id} | {b.TrainRows} / {b.TestRows} | {PM(f)} |");
                foreach (string cal in new[] { "minMax", "percentile" })
                {
                    if (!b.Int8.TryGetValue(cal, out KindResult k)) { s.Append(" | | |"); continue; }
                    Stat q = get(k);
                    s.Append($" {PM(q)} | {Delta(q.Mean - f.Mean)} | {P(k.Agreement.Mean)} |");
                }
                if (sk != null)
                {
                    double[] v = sk.Benchmarks.TryGetValue(b.Id, out var x) ? ref_(x) : null;
                    if (v == null || v.Length == 0) s.Append(" – | |");
                    else
                    {
                        Stat st = Stat.Of(v);
                        s.Append($" {PM(st)} | {Delta(f.Mean - st.Mean)} |");
                    }
                }
                s.AppendLine();
            }
            s.AppendLine();
        }

        s.AppendLine("## Targets");
        s.AppendLine();
        s.AppendLine($"int8 within {F(MaxDropPoints)} percentage points of float (mean over seeds; the larger drop of accuracy and balanced accuracy is checked) and at least {P(MinAgreement)} of test rows agreeing; float at least as good as scikit-learn (mean accuracy and balanced accuracy; differences in points).");
        s.AppendLine();
        s.AppendLine("| benchmark | calibration | int8 drop ≤ 0.5 pt | agreement ≥ 99 % | float ≥ sklearn |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (BenchmarkResult b in r.Benchmarks.Where(b => b.Absent == null && b.Failed == null))
        {
            string vsSk = "–";
            if (sk != null && sk.Benchmarks.TryGetValue(b.Id, out var x) && x.Accuracy?.Length > 0 && x.BalancedAccuracy?.Length > 0)
            {
                Stat ska = Stat.Of(x.Accuracy), skb = Stat.Of(x.BalancedAccuracy);
                double da = b.Float.Accuracy.Mean - ska.Mean;
                double db = b.Float.BalancedAccuracy.Mean - skb.Mean;
                string verdict = da >= 0 && db >= 0 ? "yes" : da >= 0 || db >= 0 ? "**partly**" : "**no**";
                // A deficit smaller than the seed-to-seed spread of either side is not a measured difference.
                bool withinSpread = (da >= 0 || -da <= Math.Max(b.Float.Accuracy.Std, ska.Std)) && (db >= 0 || -db <= Math.Max(b.Float.BalancedAccuracy.Std, skb.Std));
                if (verdict != "yes" && withinSpread) verdict += ", within the spread";
                vsSk = $"{verdict} (accuracy {Delta(da)}, balanced {Delta(db)})";
            }
            foreach (var (cal, k) in b.Int8)
            {
                double drop = Math.Round(Math.Max(b.Float.Accuracy.Mean - k.Accuracy.Mean, b.Float.BalancedAccuracy.Mean - k.BalancedAccuracy.Mean) * 100, 2) + 0.0; // no "-0.00"
                string dropText = drop <= MaxDropPoints ? $"yes ({F2(drop)} pt)" : $"**no** ({F2(drop)} pt)";
                string agreeText = k.Agreement.Mean >= MinAgreement ? $"yes ({P(k.Agreement.Mean)})" : $"**no** ({P(k.Agreement.Mean)})";
                s.AppendLine($"| {b.Id} | {cal} | {dropText} | {agreeText} | {vsSk} |");
            }
        }
        var failed = r.Benchmarks.Where(b => b.Failed != null).ToList();
        if (failed.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Failed");
            s.AppendLine();
            foreach (var b in failed) s.AppendLine($"- {b.Id}: {b.Failed}");
        }
        var absent = r.Benchmarks.Where(b => b.Absent != null).ToList();
        if (absent.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Absent data");
            s.AppendLine();
            foreach (var b in absent) s.AppendLine($"- {b.Id}: {b.Absent}");
        }
        return s.ToString();
    }

    /// <summary>The headline metric of each benchmark, float vs int8 (and scikit-learn): the README's and docs/training.md's table.</summary>
    public static string HeadlineTable(AccuracyResults r, SklearnReference sk)
    {
        var s = new StringBuilder();
        s.Append("| benchmark | metric | float | int8 min/max | agree | int8 percentile | agree |");
        s.AppendLine(sk != null ? " scikit-learn |" : "");
        s.Append("|---|---|---:|---:|---:|---:|---:|");
        s.AppendLine(sk != null ? "---:|" : "");
        foreach (BenchmarkResult b in r.Benchmarks.Where(b => b.Absent == null && b.Failed == null))
        {
            bool balanced = DatasetSources.HeadlineIsBalanced(b.Id);
            Func<KindResult, Stat> get = balanced ? k => k.BalancedAccuracy : k => k.Accuracy;
            s.Append($"| {b.Id} | {(balanced ? "balanced accuracy" : "accuracy")} | {PM(get(b.Float))} |");
            foreach (string cal in new[] { "minMax", "percentile" })
            {
                if (b.Int8.TryGetValue(cal, out KindResult k)) s.Append($" {PM(get(k))} ({Delta(get(k).Mean - get(b.Float).Mean)}) | {P(k.Agreement.Mean)} |");
                else s.Append(" | |");
            }
            if (sk != null)
            {
                double[] v = sk.Benchmarks.TryGetValue(b.Id, out var x) ? (balanced ? x.BalancedAccuracy : x.Accuracy) : null;
                s.Append(v == null || v.Length == 0 ? " – |" : $" {PM(Stat.Of(v))} |");
            }
            s.AppendLine();
        }
        return s.ToString();
    }

    private static string P(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";
    private static string PM(Stat st) => (st.Mean * 100).ToString("F2", CultureInfo.InvariantCulture) + " ± " + (st.Std * 100).ToString("F2", CultureInfo.InvariantCulture);
    private static string Delta(double d) => (Math.Round(d * 100, 2) + 0.0).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);
    private static string F(float v) => v.ToString("G", CultureInfo.InvariantCulture);
    private static string F2(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
