using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeNet.Engine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>One seed of <see cref="QatBenchmark.Compare"/>: the same float network exported by post-training quantization and after fine-tuning.</summary>
public sealed class QatSeed
{
    public int Seed { get; init; }
    public ClassificationReport Float { get; init; }
    public ClassificationReport PostTraining { get; init; }
    /// <summary>The fine-tuned float network itself (a collapse shows here).</summary>
    public ClassificationReport FineTunedFloat { get; init; }
    public ClassificationReport FineTuned { get; init; }
    /// <summary>Test rows where the int8 model predicts what the float network (before fine-tuning) predicts.</summary>
    public double PostTrainingAgreement { get; init; }
    public double FineTunedAgreement { get; init; }
    /// <summary>Test rows where the fine-tuned int8 model predicts what the fine-tuned float network (the model file's) predicts.</summary>
    public double FineTunedOwnAgreement { get; init; }
    /// <summary>Validation rows (the only figures settings are chosen on): int8 balanced accuracy before and after fine-tuning.</summary>
    public double ValidationPostTraining { get; init; }
    public double ValidationFineTuned { get; init; }
    /// <summary>Validation rows: agreement of the quantized model with the float network before fine-tuning, PTQ's (epoch 0) and the kept epoch's.</summary>
    public double ValidationAgreementPostTraining { get; init; }
    public double ValidationAgreementFineTuned { get; init; }
    /// <summary>Layers exported 16-bit by post-training quantization and by the fine-tuned model (which trained with them).</summary>
    public int PostTrainingWideLayers { get; init; }
    public int FineTunedWideLayers { get; init; }
    public double Seconds { get; init; }
}

/// <summary>
/// Quantization-aware fine-tuning against post-training quantization on a benchmark: train the float network,
/// export it as is (PTQ, the quantizer's default: the automatic precision choice), fine-tune the same network
/// (<see cref="TrainOptions.QatEpochs"/>, with the precisions of <see cref="TrainOptions.QatPrecision"/> chosen before
/// it) and export that, both calibrated on the training rows and simulated on the test rows. The function the accuracy benchmark
/// calls for its QAT column (<see cref="Compare"/>), and the small runner of `edgenet bench qat`.
/// </summary>
public static class QatBenchmark
{
    /// <summary>Fine-tuning epochs the benchmark uses when the options say none (QAT is off by default in training).</summary>
    public const int Epochs = 10;

    /// <summary>
    /// The accuracy benchmark's QAT column: the trained float network fine-tuned (<see cref="TrainingLoop.FineTune"/>,
    /// the seed's options, <see cref="Epochs"/> epochs unless they set QatEpochs), then exported by the default
    /// quantizer, which builds with the fine-tuning's ranges and precisions.
    /// </summary>
    public static Model FineTunedModel(Network trained, Dataset train, TrainOptions options) =>
        Export(FineTuned(trained, train, options).Network, train, options.QatPrecision);

    /// <summary>What `quantize` exports by default (a fine-tuned network: with its ranges and precisions; the mode it trained with).</summary>
    private static Model Export(Network net, Dataset train, PrecisionMode mode) =>
        PrecisionChoice.Quantize(net, train, new QuantizeOptions(), mode, out _).Model;

    private static int WideLayers(Model m) => m.Layers.Count(l => l.Precision == EdgeNet.Format.ModelFormat.PrecisionInt16);

    private static TrainResult FineTuned(Network trained, Dataset train, TrainOptions options)
    {
        TrainOptions o = options.Clone();
        if (o.QatEpochs <= 0) o.QatEpochs = Epochs;
        return TrainingLoop.FineTune(trained, train, o);
    }

    /// <summary>One seed: train the float network (no fine-tuning), export it (PTQ), fine-tune it and export that.</summary>
    public static QatSeed Compare(Dataset train, Dataset test, TrainOptions options)
    {
        var clock = Stopwatch.StartNew();
        TrainOptions plain = options.Clone();
        plain.QatEpochs = 0;
        Network floatNet = TrainingLoop.Train(train, plain).Network;
        TrainResult r = FineTuned(floatNet, train, options);
        Network tuned = r.Network;
        int classes = test.ClassLabels.Length;
        int[] f = Comparison.PredictFloat(floatNet, test), ft = Comparison.PredictFloat(tuned, test);
        Model ptqModel = Export(floatNet, train, PrecisionMode.Auto), qatModel = Export(tuned, train, options.QatPrecision);
        int[] ptq = Simulator.Classify(ptqModel, test);
        int[] qat = Simulator.Classify(qatModel, test);
        EpochStats kept = r.History.FirstOrDefault(e => e.Quantized && e.Epoch == r.BestEpoch) ?? r.QuantizedBaseline;
        return new QatSeed
        {
            Seed = options.Seed,
            Float = ClassificationReport.Of(test.Labels, f, classes),
            PostTraining = ClassificationReport.Of(test.Labels, ptq, classes),
            FineTunedFloat = ClassificationReport.Of(test.Labels, ft, classes),
            FineTuned = ClassificationReport.Of(test.Labels, qat, classes),
            PostTrainingAgreement = Metrics.Agreement(f, ptq),
            FineTunedAgreement = Metrics.Agreement(f, qat),
            FineTunedOwnAgreement = Metrics.Agreement(ft, qat),
            ValidationPostTraining = r.QuantizedBaseline?.ValidationBalancedAccuracy ?? double.NaN,
            ValidationFineTuned = kept?.ValidationBalancedAccuracy ?? double.NaN,
            ValidationAgreementPostTraining = r.QuantizedBaseline?.ValidationAgreement ?? double.NaN,
            ValidationAgreementFineTuned = kept?.ValidationAgreement ?? double.NaN,
            PostTrainingWideLayers = WideLayers(ptqModel),
            FineTunedWideLayers = WideLayers(qatModel),
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Every benchmark id with `seeds` seeds (options' seed + s); absent data is logged and skipped.</summary>
    public static List<(string Id, List<QatSeed> Seeds)> Run(string datasets, IReadOnlyList<string> ids, int seeds, Func<TrainOptions> options, Action<string> log)
    {
        var results = new List<(string, List<QatSeed>)>();
        foreach (string id in ids)
        {
            string missing = DatasetSources.Missing(id, datasets);
            if (missing != null) { log($"{id}: absent — {missing}"); continue; }
            (Dataset train, Dataset test) = Splits.Benchmark(id, datasets);
            var list = new List<QatSeed>();
            for (int s = 0; s < seeds; s++)
            {
                TrainOptions o = options();
                o.Seed += s;
                QatSeed q = Compare(train, test, o);
                list.Add(q);
                log($"{id} seed {q.Seed}: {Line(id, q)} ({q.Seconds:F0} s)");
            }
            results.Add((id, list));
        }
        return results;
    }

    private static double Headline(string id, ClassificationReport r) => DatasetSources.HeadlineIsBalanced(id) ? r.BalancedAccuracy : r.Accuracy;

    private static string Line(string id, QatSeed q) => string.Create(CultureInfo.InvariantCulture,
        $"float {100 * Headline(id, q.Float):F2}, PTQ {100 * Headline(id, q.PostTraining):F2} (agreement {100 * q.PostTrainingAgreement:F2} %), " +
        $"QAT {100 * Headline(id, q.FineTuned):F2} (agreement {100 * q.FineTunedAgreement:F2} %, with its own float {100 * q.FineTunedOwnAgreement:F2} %, its float {100 * Headline(id, q.FineTunedFloat):F2}); " +
        $"validation quantized balanced PTQ {100 * q.ValidationPostTraining:F2} / QAT {100 * q.ValidationFineTuned:F2}, agreement {100 * q.ValidationAgreementPostTraining:F2} / {100 * q.ValidationAgreementFineTuned:F2} %; 16-bit layers PTQ {q.PostTrainingWideLayers} / QAT {q.FineTunedWideLayers}");

    /// <summary>
    /// The targets per benchmark (means over the seeds, test rows): QAT's agreement with the float network
    /// at least PTQ's; QAT's headline metric at least PTQ's minus PTQ's seed standard deviation; the fine-tuned float
    /// network's metric at least the float network's minus its seed standard deviation (no float collapse).
    /// Generated into docs/training.md from qat.json (<see cref="DocFigures"/>) and into qat.md.
    /// </summary>
    public static string TargetTable(IEnumerable<(string Id, List<QatSeed> Seeds)> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| benchmark | agreement PTQ / QAT | met | metric PTQ ± std / QAT | met | float ± std / QAT's float | met |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        static string Met(bool ok) => ok ? "yes" : "**no**";
        foreach (var (id, seeds) in results)
        {
            Stat S(Func<QatSeed, double> v) => Stat.Of(seeds.Select(v).ToList());
            string validation = double.IsNaN(S(q => q.ValidationPostTraining).Mean) ? "– (no validation rows) | – | " : string.Create(CultureInfo.InvariantCulture,
                $"{100 * S(q => q.ValidationPostTraining).Mean:F2} / {100 * S(q => q.ValidationFineTuned).Mean:F2} | {100 * S(q => q.ValidationAgreementPostTraining).Mean:F2} / {100 * S(q => q.ValidationAgreementFineTuned).Mean:F2} % | ");
            Stat fl = S(q => Headline(id, q.Float)), ptq = S(q => Headline(id, q.PostTraining)), qat = S(q => Headline(id, q.FineTuned));
            Stat ptqAgree = S(q => q.PostTrainingAgreement), qatAgree = S(q => q.FineTunedAgreement), tunedFloat = S(q => Headline(id, q.FineTunedFloat));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {id} | {100 * ptqAgree.Mean:F2} / {100 * qatAgree.Mean:F2} % | {Met(qatAgree.Mean >= ptqAgree.Mean)} | " +
                $"{100 * ptq.Mean:F2} ± {100 * ptq.Std:F2} / {100 * qat.Mean:F2} | {Met(qat.Mean >= ptq.Mean - ptq.Std)} | " +
                $"{100 * fl.Mean:F2} ± {100 * fl.Std:F2} / {100 * tunedFloat.Mean:F2} | {Met(tunedFloat.Mean >= fl.Mean - fl.Std)} |"));
        }
        return sb.ToString();
    }

    /// <summary>qat.json as `bench qat` writes it (read back for the generated tables).</summary>
    public sealed class ResultsFile
    {
        public int Seeds { get; init; }
        public string Command { get; init; }
        public List<BenchmarkSeeds> Benchmarks { get; init; }
    }

    public sealed class BenchmarkSeeds
    {
        public string Id { get; init; }
        public List<QatSeed> Seeds { get; init; }
    }

    /// <summary>The Markdown table: per benchmark mean ± std over the seeds of the headline metric and agreement.</summary>
    public static string Markdown(List<(string Id, List<QatSeed> Seeds)> results, string stampLine, string command)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Quantization-aware fine-tuning vs post-training quantization").AppendLine();
        sb.AppendLine(stampLine).AppendLine();
        sb.AppendLine($"Command: `{command}`. Headline metric as SPLITS.md names it (balanced accuracy for shuttle and room-occupancy, accuracy otherwise), test rows, mean ± std over the seeds; agreement is with the float network before fine-tuning (in brackets: the fine-tuned quantized model with the fine-tuned float, what `evaluate` compares); validation figures are the quantized model's balanced accuracy and its agreement with the float network on the training file's validation rows (what settings and the kept epoch were chosen on). PTQ is the quantizer's default (the automatic precision choice); QAT fine-tunes with the precisions the same choice makes on the float network before it (`--precision auto`), which its export keeps; 16-bit layers: mean count per seed.").AppendLine();
        sb.AppendLine("| benchmark | seeds | float | PTQ auto (drop) | PTQ agreement | QAT (drop) | QAT agreement | QAT's float | validation PTQ / QAT | validation agreement PTQ / QAT | 16-bit layers PTQ / QAT |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (id, seeds) in results)
        {
            Stat S(Func<QatSeed, double> v) => Stat.Of(seeds.Select(v).ToList());
            string P(Stat s) => string.Create(CultureInfo.InvariantCulture, $"{100 * s.Mean:F2} ± {100 * s.Std:F2}");
            string validation = double.IsNaN(S(q => q.ValidationPostTraining).Mean) ? "– (no validation rows) | – | " : string.Create(CultureInfo.InvariantCulture,
                $"{100 * S(q => q.ValidationPostTraining).Mean:F2} / {100 * S(q => q.ValidationFineTuned).Mean:F2} | {100 * S(q => q.ValidationAgreementPostTraining).Mean:F2} / {100 * S(q => q.ValidationAgreementFineTuned).Mean:F2} % | ");
            Stat fl = S(q => Headline(id, q.Float)), ptq = S(q => Headline(id, q.PostTraining)), qat = S(q => Headline(id, q.FineTuned));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {id} | {seeds.Count} | {P(fl)} | {P(ptq)} ({100 * (ptq.Mean - fl.Mean):+0.00;-0.00;+0.00}) | {100 * S(q => q.PostTrainingAgreement).Mean:F2} % | " +
                $"{P(qat)} ({100 * (qat.Mean - fl.Mean):+0.00;-0.00;+0.00}) | {100 * S(q => q.FineTunedAgreement).Mean:F2} % ({100 * S(q => q.FineTunedOwnAgreement).Mean:F2} %) | {P(S(q => Headline(id, q.FineTunedFloat)))} | " +
                $"{validation}" +
                $"{seeds.Average(q => q.PostTrainingWideLayers):0.#} / {seeds.Average(q => q.FineTunedWideLayers):0.#} |"));
        }
        sb.AppendLine().AppendLine("## Against the issue's targets").AppendLine();
        sb.Append(TargetTable(results));
        return sb.ToString();
    }
}
