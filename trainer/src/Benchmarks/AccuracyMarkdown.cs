using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>The scikit-learn reference figures written by benchmarks/sklearn_reference.py.</summary>
public sealed class SklearnReference
{
    public string Sklearn { get; init; }
    public int[] Hidden { get; init; }
    /// <summary>The first column's model (as the script describes it).</summary>
    public string Model { get; init; }
    /// <summary>The second column's model (early stopping on the same validation share), or null in older files.</summary>
    public string EarlyStoppingModel { get; init; }
    public Dictionary<string, SklearnResult> Benchmarks { get; init; } = new();

    public sealed class SklearnResult
    {
        public double[] Accuracy { get; init; }
        public double[] BalancedAccuracy { get; init; }
        public int TrainRows { get; init; }
        public int TestRows { get; init; }
        /// <summary>The same with early_stopping=True on the same validation share (null in older files).</summary>
        public SklearnResult EarlyStopping { get; init; }
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

/// <summary>
/// The accuracy benchmark as Markdown: the headline table (float vs the quantized columns, scikit-learn beside),
/// the device cost of each column, the calibration rules judged on validation rows (the choice), then the same
/// rules on the test rows, full tables of both metrics, and the issue #13 targets checked per benchmark.
/// </summary>
public static class AccuracyMarkdown
{
    /// <summary>Issue #13: with the automatic choice, |drop| at most 0.3 points and agreement at least 99 %.</summary>
    public const double MaxDropPoints = 0.3;
    public const double MinAgreement = 0.99;

    /// <summary>Issue #13: int8-only agreement of the TFLite converter scheme on the drift batches, to beat.</summary>
    public static readonly IReadOnlyDictionary<string, double> Int8AgreementTargets = new Dictionary<string, double>
    {
        ["gas-drift-b9"] = 0.957,
        ["gas-drift-b8"] = 0.985,
    };

    private static readonly string[] HeadlineColumns = ["auto", "int8", "int16", "int16x16", "qat"];

    /// <summary>The headline columns the results hold (a results file from before a column existed renders as it did).</summary>
    private static string[] Headline(AccuracyResults r) => HeadlineColumns.Where(h => Ran(r).Any(b => Column(b, h) != null)).ToArray();

    /// <summary>The quantized variants the results hold, in order.</summary>
    private static IEnumerable<QuantizedVariant> Variants(AccuracyResults r) => AccuracyVariants.All.Where(v => Ran(r).Any(b => Column(b, v.Name) != null));

    public static string Write(AccuracyResults r, SklearnReference sk)
    {
        var s = new StringBuilder();
        var o = r.Options;
        s.AppendLine("# Accuracy benchmark: float vs quantized");
        s.AppendLine();
        s.AppendLine($"Generated {r.Generated} by `{r.Command}` on {r.Machine}.");
        s.AppendLine(r.Stamp != null ? Stamp.Line(r.Stamp) : "Stamp: none (this run predates commit stamping; rerun `edgenet bench accuracy` to stamp it).");
        if (r.Note != null) s.AppendLine($"**Note:** {r.Note}");
        s.AppendLine($"Splits: `../shared/datasets/SPLITS.md` (test rows never used for training, normalization, calibration or any choice). " +
                     $"Default MLP: {string.Join("-", o.Hidden)} hidden units, {o.HiddenActivation}, {o.Loss} loss, {o.Optimizer} (learning rate {F(o.EffectiveLearningRate)}), " +
                     $"batch {o.BatchSize}, at most {o.Epochs} epochs, early stopping patience {o.Patience} on the {(o.Stopping == EdgeNet.Trainer.Training.StoppingCriterion.BalancedLoss ? "class-balanced " : "")}loss of {F(o.ValidationFraction * 100)} % validation rows, L2 {F(o.L2)}{(o.MaxL2PerRarestShare > 0 ? $" (at most {F(o.MaxL2PerRarestShare)} × the rarest class's share of the rows)" : " (no cap)")}, class weights {(o.ClassWeights ? "on" : "off")} " +
                     "(defaults chosen by cross-validation on the training rows: docs/training.md, benchmarks/results/hyperparameters.md). " +
                     $"{r.Seeds} seeds ({o.Seed}..{o.Seed + r.Seeds - 1}); figures are mean ± sample standard deviation over the seeds, in percent.");
        s.AppendLine($"Quantized columns: calibrated on the training rows; classes computed by the device kernels (desktop build of shared/src). Agreement: share of test rows where the quantized model predicts the float class. " +
                     $"Quantizer default calibration: {r.DefaultCalibration ?? "–"}.");
        foreach (QuantizedVariant v in Variants(r))
            s.AppendLine($"- {v.Name}: {v.Description}" + (AnyNotAvailable(r, v.Name) is string why ? $" — **not available**: {why}." : "."));
        if (sk != null)
            s.AppendLine($"Reference: scikit-learn {sk.Sklearn} MLPClassifier, hidden {string.Join("-", sk.Hidden ?? [])}, standardized inputs, same splits and seeds (`benchmarks/sklearn_reference.py`): {sk.Model ?? "defaults"}" +
                         (sk.EarlyStoppingModel != null ? $"; second column: {sk.EarlyStoppingModel}." : "."));
        s.AppendLine();

        s.AppendLine("## Summary: headline metric of each benchmark");
        s.AppendLine();
        s.AppendLine("Headline metric as SPLITS.md names it (balanced accuracy for shuttle and room-occupancy, accuracy otherwise); mean ± spread over the seeds, the change from float in points, and the agreement with float.");
        s.AppendLine();
        s.Append(HeadlineTable(r, sk));
        s.AppendLine();

        s.AppendLine("## Device cost of each quantized column");
        s.AppendLine();
        s.AppendLine("Model file bytes, multiply-accumulates per inference and arena bytes (mean over the seeds; equal for every seed unless a choice differs).");
        s.AppendLine();
        s.AppendLine("| benchmark | " + string.Join(" | ", Variants(r).Select(v => $"{v.Name} bytes / MACs / arena")) + " |");
        s.AppendLine("|---|" + string.Concat(Variants(r).Select(_ => "---:|")));
        foreach (BenchmarkResult b in Ran(r))
        {
            s.Append($"| {b.Id} |");
            foreach (QuantizedVariant v in Variants(r))
            {
                KindResult k = Column(b, v.Name);
                s.Append(k == null || k.NotAvailable != null ? " not available |" : $" {N(k.ModelBytes.Mean)} / {N(k.Macs.Mean)} / {N(k.ArenaBytes.Mean)} |");
            }
            s.AppendLine();
        }
        s.AppendLine();

        s.Append(TfliteSection(r));
        s.Append(ValidationSection(r));
        s.Append(InputRangeSection(r));
        s.Append(WeightsOnlySection(r));

        s.AppendLine("## Calibration rules on the test rows (int8, reported after the choice)");
        s.AppendLine();
        s.AppendLine("Headline metric; change from float in points; agreement with float.");
        s.AppendLine();
        string[] rules = Enum.GetValues<EdgeNet.Trainer.Quantization.Calibration>().Select(AccuracyBenchmark.Name).ToArray();
        s.AppendLine("| benchmark | metric | float | " + string.Join(" | ", rules.Select(c => $"int8 {c} | agree")) + " |");
        s.AppendLine("|---|---|---:|" + string.Concat(rules.Select(_ => "---:|---:|")));
        foreach (BenchmarkResult b in Ran(r))
        {
            bool balanced = DatasetSources.HeadlineIsBalanced(b.Id);
            Func<KindResult, Stat> get = balanced ? k => k.BalancedAccuracy : k => k.Accuracy;
            s.Append($"| {b.Id} | {(balanced ? "balanced accuracy" : "accuracy")} | {PM(get(b.Float))} |");
            foreach (string c in rules) s.Append(Cell(b.Int8 != null && b.Int8.TryGetValue(c, out var k) ? k : null, b.Float, get));
            s.AppendLine();
        }
        s.AppendLine();

        foreach ((string metric, Func<KindResult, Stat> get, Func<SklearnReference.SklearnResult, double[]> ref_) in new (string, Func<KindResult, Stat>, Func<SklearnReference.SklearnResult, double[]>)[]
                 {
                     ("Test accuracy", k => k.Accuracy, x => x.Accuracy),
                     ("Test balanced accuracy (mean per-class recall)", k => k.BalancedAccuracy, x => x.BalancedAccuracy),
                 })
        {
            s.AppendLine("## " + metric);
            s.AppendLine();
            s.Append("| benchmark | train / test rows | float |" + string.Concat(Headline(r).Select(h => $" {h} | agree |")));
            s.AppendLine(sk != null ? " scikit-learn | float − sklearn | sklearn early stopping |" : "");
            s.Append("|---|---:|---:|" + string.Concat(Headline(r).Select(_ => "---:|---:|")));
            s.AppendLine(sk != null ? "---:|---:|---:|" : "");
            foreach (BenchmarkResult b in r.Benchmarks)
            {
                if (b.Absent != null || b.Failed != null)
                {
                    s.AppendLine($"| {b.Id} | {(b.Absent != null ? "data absent" : "**failed**")} |" + string.Concat(Enumerable.Repeat(" |", 1 + 2 * Headline(r).Length + (sk != null ? 3 : 0))));
                    continue;
                }
                Stat f = get(b.Float);
                s.Append($"| {b.Id} | {b.TrainRows} / {b.TestRows} | {PM(f)} |");
                foreach (string h in Headline(r)) s.Append(Cell(Column(b, h), b.Float, get));
                if (sk != null)
                {
                    sk.Benchmarks.TryGetValue(b.Id, out var x);
                    double[] v = x != null ? ref_(x) : null;
                    s.Append(v == null || v.Length == 0 ? " – | |" : $" {PM(Stat.Of(v))} | {Delta(f.Mean - Stat.Of(v).Mean)} |");
                    double[] e = x?.EarlyStopping != null ? ref_(x.EarlyStopping) : null;
                    s.Append(e == null || e.Length == 0 ? " – |" : $" {PM(Stat.Of(e))} |");
                }
                s.AppendLine();
            }
            s.AppendLine();
        }

        s.Append(Targets(r, sk));
        s.Append(PreviousSection(r));
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

    /// <summary>The TensorFlow Lite converter's schemes (reimplemented) on the same float networks, beside EdgeNet's columns.</summary>
    private static string TfliteSection(AccuracyResults r)
    {
        var s = new StringBuilder();
        s.AppendLine("## TensorFlow Lite converter scheme on the same float networks");
        s.AppendLine();
        if (!Ran(r).Any(b => b.Tflite != null))
        {
            s.AppendLine("Not in this results file (it predates the reference): rerun `edgenet bench accuracy` for the same-run TensorFlow Lite figures.");
            s.AppendLine();
            return s.ToString();
        }
        s.AppendLine($"A reimplementation of the TensorFlow Lite converter's full-integer post-training quantization (`TfliteReference`; not the converter itself, see docs/benchmarks.md) applied to each seed's float network: ranges by min/max over up to {TfliteReference.MaxRepresentativeRows:N0} representative training rows (a seeded sample), one range per tensor (the normalized features are the model input), " +
                     "weights int8 symmetric per output channel; int8: activations int8 asymmetric, bias int32; 16x8: activations int16 symmetric, bias int64. Test rows; headline metric (change from float in points) and agreement with float, beside EdgeNet's columns on the same networks.");
        s.AppendLine();
        string[] ours = ["int8", "int16", "auto"];
        s.AppendLine("| benchmark | metric | float |" + string.Concat(ours.Select(h => $" EdgeNet {h} | agree |")) + string.Concat(AccuracyBenchmark.TfliteKeys.Select(k => $" TFLite {k.Key} | agree |")));
        s.AppendLine("|---|---|---:|" + string.Concat(ours.Concat(AccuracyBenchmark.TfliteKeys.Select(k => k.Key)).Select(_ => "---:|---:|")));
        foreach (BenchmarkResult b in Ran(r))
        {
            bool balanced = DatasetSources.HeadlineIsBalanced(b.Id);
            Func<KindResult, Stat> get = balanced ? k => k.BalancedAccuracy : k => k.Accuracy;
            s.Append($"| {b.Id} | {(balanced ? "balanced accuracy" : "accuracy")} | {PM(get(b.Float))} |");
            foreach (string h in ours) s.Append(Cell(Column(b, h), b.Float, get));
            foreach (var (key, _) in AccuracyBenchmark.TfliteKeys) s.Append(Cell(Tflite(b, key), b.Float, get));
            s.AppendLine();
        }
        s.AppendLine();
        string why = Ran(r).Select(b => b.Tflite?.Values.Select(k => k.NotAvailable).FirstOrDefault(x => x != null)).FirstOrDefault(x => x != null);
        if (why != null) s.AppendLine($"n/a: {why} (skipped).");
        if (Ran(r).Any(b => b.Tflite == null)) s.AppendLine("\"–\": the benchmark's results predate the reference.");
        s.AppendLine();
        return s.ToString();
    }

    /// <summary>A TensorFlow Lite reference column of a benchmark (null in older results files).</summary>
    private static KindResult Tflite(BenchmarkResult b, string key) =>
        b.Tflite != null && b.Tflite.TryGetValue(key, out KindResult k) ? k : null;

    /// <summary>The mean agreement of a column, or null when it was not computed.</summary>
    /// <summary>|drop| in points: the larger of accuracy's and balanced accuracy's change from float.</summary>
    private static double AbsDrop(BenchmarkResult b, KindResult k) =>
        Math.Round(Math.Max(Math.Abs(b.Float.Accuracy.Mean - k.Accuracy.Mean), Math.Abs(b.Float.BalancedAccuracy.Mean - k.BalancedAccuracy.Mean)) * 100, 2) + 0.0;

    /// <summary>One Targets comparison: ours against a reference column, on agreement and on |drop|.</summary>
    private static string Versus(BenchmarkResult b, KindResult ours, KindResult reference)
    {
        double? a = Agreement(ours), t = Agreement(reference);
        if (a == null || t == null) return "–";
        double da = AbsDrop(b, ours), dt = AbsDrop(b, reference);
        int wins = (a >= t ? 1 : 0) + (da <= dt ? 1 : 0);
        return (wins == 2 ? "yes" : wins == 1 ? "**partly**" : "**no**") + $" ({P(a.Value)} vs {P(t.Value)}; {F2(da)} vs {F2(dt)} pt)";
    }

    private static double? Agreement(KindResult k) => k == null || k.NotAvailable != null || k.Agreement == null ? null : k.Agreement.Mean;

    /// <summary>The calibration rules judged on validation rows, and the rule that choice gives.</summary>
    private static string ValidationSection(AccuracyResults r)
    {
        var s = new StringBuilder();
        s.AppendLine("## Calibration rules on the validation rows (the choice)");
        s.AppendLine();
        s.AppendLine("Each seed's network is calibrated on the rows it was fitted on and compared with float on its own validation rows (the 10 % held out for early stopping; never test rows). " +
                     $"Rule (`AccuracyBenchmark.ChooseCalibration`): the highest mean validation agreement over the benchmarks below, if on none of them its mean headline drop is more than 0.3 points worse than min/max's; min/max unless another rule beats it by {F2(AccuracyBenchmark.ChoiceMargin * 100)} points of agreement.");
        s.AppendLine();
        string[] rules = Enum.GetValues<EdgeNet.Trainer.Quantization.Calibration>().Select(AccuracyBenchmark.Name).ToArray();
        s.AppendLine("| benchmark | " + string.Join(" | ", rules.Select(c => $"{c} agree | int8 − float (pt)")) + " |");
        s.AppendLine("|---|" + string.Concat(rules.Select(_ => "---:|---:|")));
        foreach (BenchmarkResult b in Ran(r))
        {
            if (b.Validation == null)
            {
                s.AppendLine($"| {b.Id} | {b.ValidationNote} |" + string.Concat(Enumerable.Repeat(" |", 2 * rules.Length - 1)));
                continue;
            }
            s.Append($"| {b.Id} |");
            foreach (string c in rules)
            {
                ValidationResult v = b.Validation.TryGetValue(c, out var x) ? x : null;
                s.Append(v == null ? " – | – |" : $" {P(v.Agreement.Mean)} | {Delta(-v.HeadlineDrop.Mean)} |");
            }
            s.AppendLine();
        }
        var judged = Ran(r).Where(b => b.Validation != null).ToList();
        if (judged.Count > 0)
        {
            s.Append("| **mean** |");
            foreach (string c in rules)
                s.Append(judged.All(b => b.Validation.ContainsKey(c)) ? $" {P(judged.Average(b => b.Validation[c].Agreement.Mean))} | {Delta(-judged.Average(b => b.Validation[c].HeadlineDrop.Mean))} |" : " – | – |");
            s.AppendLine();
        }
        s.AppendLine();
        s.AppendLine(r.ValidationChoice == null ? "No benchmark had validation rows: no choice."
            : $"The validation rows choose **{r.ValidationChoice}**; the quantizer's default in this run was **{r.DefaultCalibration}**" +
              (r.ValidationChoice == r.DefaultCalibration ? " (they agree)." : " (**they differ**: change `QuantizeOptions.Calibration`)."));
        s.AppendLine();
        return s.ToString();
    }

    /// <summary>What int8 weights alone cost: the ceiling of agreement for any activation precision.</summary>
    private static string WeightsOnlySection(AccuracyResults r)
    {
        var rows = Ran(r).Where(b => b.WeightsOnlyAgreement != null).ToList();
        if (rows.Count == 0) return "";
        var s = new StringBuilder();
        s.AppendLine("## What int8 weights alone cost (test rows, a diagnostic)");
        s.AppendLine();
        s.AppendLine("The float network with only its weights rounded to int8 by the export's per-neuron scale (`WeightRounding`; inputs and activations float): its agreement with float is what int8 weights alone cost; rounding the activations adds to that (it rarely cancels it). Beside it the 16-bit column's agreement (int8 weights) and the int16x16 column's (16-bit weights in dense layers): where the first two are close, wider activations cannot help and only wider weights could.");
        s.AppendLine();
        s.AppendLine("| benchmark | int8 weights, float activations: agree | lowest seed | int16 agree | int16x16 agree |");
        s.AppendLine("|---|---:|---:|---:|---:|");
        foreach (BenchmarkResult b in rows)
        {
            string Agree(string column) => b.Quantized != null && b.Quantized.TryGetValue(column, out KindResult k) && k.Agreement != null ? P(k.Agreement.Mean) : "–";
            s.AppendLine($"| {b.Id} | {P(b.WeightsOnlyAgreement.Mean)} | {P(b.WeightsOnlyAgreement.Min)} | {Agree("int16")} | {Agree("int16x16")} |");
        }
        s.AppendLine();
        return s.ToString();
    }

    /// <summary>The input-range rules judged on validation rows at both widths, and what that choice gives.</summary>
    private static string InputRangeSection(AccuracyResults r)
    {
        var judged = Ran(r).Where(b => b.InputRangeValidation != null).ToList();
        if (judged.Count == 0) return "";
        var s = new StringBuilder();
        s.AppendLine("## Input range on the validation rows (the choice)");
        s.AppendLine();
        s.AppendLine("Per-feature: each normalized feature's calibrated range mapped onto the whole input range (folded into the first layer's weights); shared: one range for every feature. " +
                     "Calibrated on the rows each seed's network was fitted on, judged on its validation rows: agreement with float, and the RMS error of the output layer against float's (real units). " +
                     "Rule (`AccuracyBenchmark.ChooseInputRange`): per width, the rule with the lower output error on more than half of the benchmarks below (ties: per-feature).");
        s.AppendLine();
        string[] keys = AccuracyBenchmark.InputRangeRules.Select(k => AccuracyBenchmark.InputRangeKey(k.Width, k.Rule)).ToArray();
        s.AppendLine("| benchmark | " + string.Join(" | ", keys.Select(k => $"{k} agree | error")) + " |");
        s.AppendLine("|---|" + string.Concat(keys.Select(_ => "---:|---:|")));
        foreach (BenchmarkResult b in judged)
        {
            s.Append($"| {b.Id} |");
            foreach (string k in keys)
                s.Append(b.InputRangeValidation.TryGetValue(k, out InputRangeResult v) ? $" {P(v.Agreement.Mean)} | {v.OutputRmsError.Mean:G3} |" : " – | – |");
            s.AppendLine();
        }
        s.AppendLine();
        var defaults = new EdgeNet.Trainer.Quantization.QuantizeOptions();
        string Default(EdgeNet.Trainer.Quantization.PrecisionMode width) =>
            AccuracyBenchmark.RuleName(defaults.InputRangeFor(AccuracyBenchmark.InputPrecision(width)));
        string Verdict(string chosen, EdgeNet.Trainer.Quantization.PrecisionMode width) => chosen == Default(width) ? $"**{chosen}** (the quantizer's default: they agree)" : $"**{chosen}** (the quantizer's default is {Default(width)}: **they differ**)";
        s.AppendLine($"The validation rows choose {Verdict(r.InputRangeChoice8, EdgeNet.Trainer.Quantization.PrecisionMode.Int8)} for an int8 input and {Verdict(r.InputRangeChoice16, EdgeNet.Trainer.Quantization.PrecisionMode.Int16)} for an int16 input.");
        s.AppendLine();
        return s.ToString();
    }

    /// <summary>Issue #13: float must not fall by more than its seed spread after the re-derived defaults.</summary>
    private static string PreviousSection(AccuracyResults r)
    {
        if (r.PreviousFloat == null) return "";
        var s = new StringBuilder();
        s.AppendLine();
        s.AppendLine("## Float with the re-derived defaults vs the previous defaults");
        s.AppendLine();
        s.AppendLine($"Previous: {r.PreviousSource} (older code: figures may also differ by rounding changes since). Headline metric; \"fell\" = now lower than before by more than the larger seed standard deviation of the two runs.");
        s.AppendLine();
        s.AppendLine("| benchmark | metric | previous defaults | now | change (pt) | fell beyond the spread? |");
        s.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (BenchmarkResult b in Ran(r))
        {
            if (!r.PreviousFloat.TryGetValue(b.Id, out Stat before) || before == null) continue;
            bool balanced = DatasetSources.HeadlineIsBalanced(b.Id);
            Stat now = balanced ? b.Float.BalancedAccuracy : b.Float.Accuracy;
            double change = now.Mean - before.Mean;
            bool fell = -change > Math.Max(now.Std, before.Std);
            s.AppendLine($"| {b.Id} | {(balanced ? "balanced accuracy" : "accuracy")} | {PM(before)} | {PM(now)} | {Delta(change)} | {(fell ? "**yes**" : change < 0 ? "no (within)" : "no")} |");
        }
        return s.ToString();
    }

    private static string Targets(AccuracyResults r, SklearnReference sk)
    {
        var s = new StringBuilder();
        s.AppendLine("## Targets (issue #13)");
        s.AppendLine();
        s.AppendLine($"With the automatic choice: agreement ≥ {P(MinAgreement)} and |drop| ≤ {F(MaxDropPoints)} pt (the larger |drop| of accuracy and balanced accuracy). " +
                     "int8-only: agreement ≥ 95.70 % on gas-drift-b9 and ≥ 98.50 % on gas-drift-b8 (the issue's fixed figures, a converter reimplementation on older float models), and at least the same-run TensorFlow Lite int8 reference's agreement on the same networks (section above). " +
                     "EdgeNet must beat both: the automatic choice against the same-run reference's int8 and 16x8, and width for width (EdgeNet int8 vs TFLite int8, int16 vs 16x8). Each comparison counts agreement (higher is better) and |drop| (the larger of accuracy's and balanced accuracy's, lower is better), means over the seeds: yes = at least as good on both (ties count, e.g. both 100 %), partly = on one, no = on neither. Float vs scikit-learn for reference (differences in points).");
        s.AppendLine();
        s.AppendLine("| benchmark | auto: agreement ≥ 99 % | auto: \\|drop\\| ≤ 0.3 pt | int8-only agreement (issue's figure) | int8-only vs same-run TFLite int8 | int16 vs TFLite 16x8 | auto vs TFLite int8 / 16x8 | float vs sklearn |");
        s.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (BenchmarkResult b in Ran(r))
        {
            string vsSk = "–";
            if (sk != null && sk.Benchmarks.TryGetValue(b.Id, out var x) && x.Accuracy?.Length > 0 && x.BalancedAccuracy?.Length > 0)
            {
                Stat ska = Stat.Of(x.Accuracy), skb = Stat.Of(x.BalancedAccuracy);
                double da = b.Float.Accuracy.Mean - ska.Mean, db = b.Float.BalancedAccuracy.Mean - skb.Mean;
                string verdict = da >= 0 && db >= 0 ? "yes" : da >= 0 || db >= 0 ? "**partly**" : "**no**";
                // A deficit smaller than the seed-to-seed spread of either side is not a measured difference.
                bool withinSpread = (da >= 0 || -da <= Math.Max(b.Float.Accuracy.Std, ska.Std)) && (db >= 0 || -db <= Math.Max(b.Float.BalancedAccuracy.Std, skb.Std));
                if (verdict != "yes" && withinSpread) verdict += ", within the spread";
                vsSk = $"{verdict} (accuracy {Delta(da)}, balanced {Delta(db)})";
            }
            string agree = "not available", drop = "not available";
            KindResult auto = Column(b, "auto");
            if (auto != null && auto.NotAvailable == null)
            {
                double d = AbsDrop(b, auto);
                drop = d <= MaxDropPoints ? $"yes ({F2(d)} pt)" : $"**no** ({F2(d)} pt)";
                agree = auto.Agreement.Mean >= MinAgreement ? $"yes ({P(auto.Agreement.Mean)})" : $"**no** ({P(auto.Agreement.Mean)})";
            }
            string int8 = "–";
            KindResult i8 = Column(b, "int8");
            if (i8 != null && i8.NotAvailable == null)
                int8 = Int8AgreementTargets.TryGetValue(b.Id, out double target)
                    ? (i8.Agreement.Mean >= target ? "yes" : "**no**") + $" ({P(i8.Agreement.Mean)}, target {P(target)})"
                    : P(i8.Agreement.Mean);
            KindResult t8 = Tflite(b, "int8"), t16 = Tflite(b, "16x8");
            string int8VsTflite = Versus(b, i8, t8);
            string wideVsTflite = Versus(b, Column(b, "int16"), t16);
            string beatBoth = Agreement(t8) == null || Agreement(t16) == null || Agreement(auto) == null ? "–"
                : Versus(b, auto, t8) + " / " + Versus(b, auto, t16);
            s.AppendLine($"| {b.Id} | {agree} | {drop} | {int8} | {int8VsTflite} | {wideVsTflite} | {beatBoth} | {vsSk} |");
        }
        return s.ToString();
    }

    /// <summary>The headline metric of each benchmark, float vs the quantized columns (and scikit-learn): the README's and docs/training.md's table.</summary>
    public static string HeadlineTable(AccuracyResults r, SklearnReference sk)
    {
        var s = new StringBuilder();
        s.Append("| benchmark | metric | float |" + string.Concat(Headline(r).Select(h => $" {h} | agree |")));
        s.AppendLine(sk != null ? " scikit-learn | sklearn early stopping |" : "");
        s.Append("|---|---|---:|" + string.Concat(Headline(r).Select(_ => "---:|---:|")));
        s.AppendLine(sk != null ? "---:|---:|" : "");
        foreach (BenchmarkResult b in Ran(r))
        {
            bool balanced = DatasetSources.HeadlineIsBalanced(b.Id);
            Func<KindResult, Stat> get = balanced ? k => k.BalancedAccuracy : k => k.Accuracy;
            s.Append($"| {b.Id} | {(balanced ? "balanced accuracy" : "accuracy")} | {PM(get(b.Float))} |");
            foreach (string h in Headline(r)) s.Append(Cell(Column(b, h), b.Float, get));
            if (sk != null)
            {
                sk.Benchmarks.TryGetValue(b.Id, out var x);
                double[] v = x == null ? null : balanced ? x.BalancedAccuracy : x.Accuracy;
                s.Append(v == null || v.Length == 0 ? " – |" : $" {PM(Stat.Of(v))} |");
                double[] e = x?.EarlyStopping == null ? null : balanced ? x.EarlyStopping.BalancedAccuracy : x.EarlyStopping.Accuracy;
                s.Append(e == null || e.Length == 0 ? " – |" : $" {PM(Stat.Of(e))} |");
            }
            s.AppendLine();
        }
        return s.ToString();
    }

    /// <summary>A quantized column's figure, its change from float and its agreement (two cells).</summary>
    private static string Cell(KindResult k, KindResult f, Func<KindResult, Stat> get)
    {
        if (k == null) return " – | – |";
        if (k.NotAvailable != null) return " n/a | n/a |";
        return $" {PM(get(k))} ({Delta(get(k).Mean - get(f).Mean)}) | {P(k.Agreement.Mean)} |";
    }

    /// <summary>A quantized column of a benchmark (results written before the columns existed have none).</summary>
    private static KindResult Column(BenchmarkResult b, string name) =>
        b.Quantized != null && b.Quantized.TryGetValue(name, out KindResult k) ? k : null;

    private static string AnyNotAvailable(AccuracyResults r, string name) =>
        Ran(r).Select(b => Column(b, name)?.NotAvailable).FirstOrDefault(x => x != null);

    private static IEnumerable<BenchmarkResult> Ran(AccuracyResults r) => r.Benchmarks.Where(b => b.Absent == null && b.Failed == null);

    private static string P(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";
    private static string PM(Stat st) => (st.Mean * 100).ToString("F2", CultureInfo.InvariantCulture) + " ± " + (st.Std * 100).ToString("F2", CultureInfo.InvariantCulture);
    private static string Delta(double d) => (Math.Round(d * 100, 2) + 0.0).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);
    private static string F(float v) => v.ToString("G", CultureInfo.InvariantCulture);
    private static string F2(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
