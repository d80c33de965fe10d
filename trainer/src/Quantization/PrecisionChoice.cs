using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// --precision: the automatic per-layer choice, or every layer forced to one width: int8, int16 (16x8: 16-bit
/// activations, int8 weights) or int16x16 (every dense layer also with 16-bit weights, other layers as int16).
/// </summary>
public enum PrecisionMode { Auto, Int8, Int16, Int16x16 }

/// <summary>What <see cref="PrecisionChoice.Quantize"/> chose per layer, and why.</summary>
public sealed class PrecisionReport
{
    public PrecisionMode Mode;

    /// <summary>Per layer: ModelFormat.PrecisionInt8 or PrecisionInt16 (its output tensor; the input takes the first layer's).</summary>
    public int[] Precisions;

    /// <summary>Per layer: true = 16-bit weights too (width int16x16, <see cref="LayerWidths"/>).</summary>
    public bool[] WideWeights;

    /// <summary>Per layer, one line: why it got its precision.</summary>
    public string[] Reasons;

    /// <summary>Share of the judged rows where the chosen model predicts float's class.</summary>
    public double Agreement;

    /// <summary>How many rows judged the choice, and which ("validation rows held out in training", or the fallback).</summary>
    public int JudgedRows;
    public string JudgedOn;
}

/// <summary>
/// Chooses each layer's width (docs/quantization.md, "Choosing the precision"), a ladder int8 -> int16 (16x8) ->
/// int16x16 (dense layers only): with <see cref="PrecisionMode.Auto"/>, start from every layer at the widest it has
/// (int16x16 for dense, 16x8 for the other kinds with a 16-bit kernel), then, layer by layer from the input, try
/// int8, then 16x8, and keep the first that the whole quantized model passes <see cref="Judgement"/> with on the
/// validation rows (the rows training held out, never test rows): they show, with 95 % confidence, agreement with
/// float's class on at least 99.5 % of rows, and on every class; otherwise the layer stays at its widest. Without
/// validation rows every layer keeps its widest. Int8, Int16 and Int16x16 force one width (table activations -
/// sigmoid, tanh, step, also an indirect block's hidden one - are int8 tables and stay int8; int16x16 gives the
/// non-dense layers 16x8). Pooling keeps its input's precision.
/// </summary>
public static class PrecisionChoice
{
    /// <summary>
    /// Quantizes with the chosen precisions. calibration: the training rows (as PostTraining takes them);
    /// judged: indices into calibration of the rows that judge agreement (null when training held none out: auto
    /// then keeps every layer at its widest width, and the agreement reported is on all calibration rows). The rows run as one stream, so windows and state see their real context.
    /// </summary>
    public static QuantizeResult Quantize(Network net, Dataset calibration, int[] judged, QuantizeOptions options, PrecisionMode mode, out PrecisionReport report)
    {
        options ??= new QuantizeOptions();
        int layers = net.Layers.Length;
        bool[] widenable = Widenable(net);
        bool[] widest = WideWeightsAllowed(net, widenable);
        var reasons = new string[layers];
        int[] precisions = new int[layers];
        bool[] wide = new bool[layers];
        report = new PrecisionReport { Mode = mode };
        int judgedRows = judged?.Length ?? calibration.Count;
        report.JudgedRows = judgedRows;
        bool[] sessions = calibration.SessionStarts(options.SessionColumn);
        int[] floatClasses = Comparison.PredictFloat(net, calibration, sessions);
        var classes = new int[calibration.Count]; // one buffer for every candidate (a large calibration set allocates no more)

        Judgement Judge(int[] p, bool[] w)
        {
            QuantizeResult q = QuantizeWith(net, calibration, options, p, w, sessions);
            Simulator.Classify(q.Model, calibration, sessions, classes);
            return Judgement.Of(classes, floatClasses, judged, calibration.ClassCount, calibration.ClassLabels);
        }
        double Agreement(int[] p, bool[] w) => Judge(p, w).Agreement;

        for (int l = 0; l < layers; l++)
        {
            if (!widenable[l]) reasons[l] = net.Layers[l] is Pool1DFloat ? "pooling keeps its input's precision"
                : net.Layers[l] is IndirectRecurrentFloat b && !Activations.UsesTable(b.Activation) ? $"its hidden {Activations.Name(b.HiddenActivation)} is an int8 table"
                : $"{Activations.Name(net.Layers[l].Activation)} is an int8 table";
        }
        if (options.UseTrainedRanges && net.QuantizationRanges != null)
        {
            // A fine-tuned model is exported with the precisions it was trained with (chosen before the
            // fine-tuning); another mode would export a model the fine-tuning never ran.
            if (mode != net.QuantizationPrecisionMode)
                throw new ArgumentException(TrainedModeDiffers(net, mode));
            precisions = (int[])net.QuantizationPrecisions?.Clone() ?? new int[layers];
            wide = (bool[])net.QuantizationWideWeights?.Clone() ?? new bool[layers];
            for (int l = 0; l < layers; l++)
                reasons[l] = $"as the quantization-aware fine-tuning trained it (--precision {Name(mode)}, chosen before it)";
            report.Agreement = Agreement(precisions, wide);
        }
        else if (mode is PrecisionMode.Int16 or PrecisionMode.Int16x16)
        {
            precisions = AllWide(net, widenable);
            if (mode == PrecisionMode.Int16x16) wide = widest;
            for (int l = 0; l < layers; l++)
            {
                if (widenable[l]) reasons[l] = $"forced by --precision {Name(mode)}";
                if (widenable[l] && mode == PrecisionMode.Int16x16 && !wide[l]) reasons[l] += $" (a {net.Layers[l].KindName} layer has no 16-bit weights: 16x8)";
            }
            report.Agreement = Agreement(precisions, wide);
        }
        else if (mode == PrecisionMode.Int8)
        {
            for (int l = 0; l < layers; l++) if (widenable[l]) reasons[l] = "forced by --precision int8";
            report.Agreement = Agreement(precisions, wide);
        }
        else if (judgedRows == 0 || judged == null)
        {
            // Rows the model was fitted on cannot vouch for a narrower width on rows it has not seen.
            (precisions, wide) = (AllWide(net, widenable), widest);
            for (int l = 0; l < layers; l++) if (widenable[l]) reasons[l] = $"no validation rows to judge a narrower width on; {LayerWidths.Name(precisions, wide, l)}";
            report.Agreement = Agreement(precisions, wide);
        }
        else
        {
            Judgement all8 = Judge(precisions, wide);
            if (all8.Passes || !widenable.Any(w => w))
            {
                for (int l = 0; l < layers; l++) if (widenable[l]) reasons[l] = $"int8 everywhere {all8}";
                report.Agreement = all8.Agreement;
            }
            else
            {
                // The ladder: every layer at its widest, then per layer from the input the first narrower width
                // the whole model passes with (int8, then 16x8 where the widest is int16x16).
                (precisions, wide) = (AllWide(net, widenable), widest);
                double current = Agreement(precisions, wide);
                for (int l = 0; l < layers; l++)
                {
                    if (!widenable[l]) continue;
                    int[] trial = (int[])precisions.Clone();
                    trial[l] = ModelFormat.PrecisionInt8;
                    FollowPools(net, trial);
                    bool[] narrow = (bool[])wide.Clone();
                    narrow[l] = false;
                    Judgement j = Judge(trial, narrow);
                    if (j.Passes)
                    {
                        (precisions, wide, current) = (trial, narrow, j.Agreement);
                        reasons[l] = $"int8 here {j}";
                        continue;
                    }
                    reasons[l] = $"int8 here {j} (all-int8 {all8.Agreement:P2})";
                    if (!wide[l])
                    {
                        reasons[l] += "; 16-bit";
                        continue;
                    }
                    Judgement j16 = Judge(precisions, narrow);
                    if (j16.Passes)
                    {
                        (wide, current) = (narrow, j16.Agreement);
                        reasons[l] += $"; int16 (16x8) here {j16}";
                    }
                    else
                    {
                        reasons[l] += $"; int16 (16x8) here {j16}; int16x16 (16-bit weights)";
                    }
                }
                report.Agreement = current;
            }
        }
        report.Precisions = precisions;
        report.WideWeights = wide;
        report.Reasons = reasons;
        return QuantizeWith(net, calibration, options, precisions, wide, sessions);
    }

    /// <summary>Why a fine-tuned model cannot be exported in another precision mode than it was trained with.</summary>
    public static string TrainedModeDiffers(Network net, PrecisionMode asked) =>
        $"the model was fine-tuned with --precision {Name(net.QuantizationPrecisionMode)} (its layers trained in those widths); " +
        $"export it with --precision {Name(net.QuantizationPrecisionMode)}, or with --recalibrate to calibrate and choose --precision {Name(asked)} again";

    /// <summary>The mode as --precision spells it.</summary>
    public static string Name(PrecisionMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>The model with one width forced on every layer that has it (as --precision int8|int16|int16x16; Auto: int8), without judging it.</summary>
    public static QuantizeResult Forced(Network net, Dataset calibration, QuantizeOptions options, PrecisionMode mode)
    {
        bool[] widenable = Widenable(net);
        bool wideActivations = mode is PrecisionMode.Int16 or PrecisionMode.Int16x16;
        return QuantizeWith(net, calibration, options ?? new QuantizeOptions(),
            wideActivations ? AllWide(net, widenable) : new int[net.Layers.Length],
            mode == PrecisionMode.Int16x16 ? WideWeightsAllowed(net, widenable) : null);
    }

    /// <summary>Per layer: can it be 16-bit (a 16-bit kernel, no table activation; pooling follows its input)?</summary>
    private static bool[] Widenable(Network net) =>
        net.Layers.Select(l => l.HasWideKernel && !Activations.UsesTable(l.Activation) && l is not Pool1DFloat
            && !(l is IndirectRecurrentFloat b && Activations.UsesTable(b.HiddenActivation))).ToArray();

    /// <summary>Per layer: can it have 16-bit weights too (a widenable layer of a kind that has them: dense)?</summary>
    private static bool[] WideWeightsAllowed(Network net, bool[] widenable) =>
        net.Layers.Select((l, i) => widenable[i] && l.HasWideWeights).ToArray();

    /// <summary>Every widenable layer 16-bit, pools following their input.</summary>
    private static int[] AllWide(Network net, bool[] widenable)
    {
        var precisions = new int[net.Layers.Length];
        for (int l = 0; l < precisions.Length; l++) if (widenable[l]) precisions[l] = ModelFormat.PrecisionInt16;
        FollowPools(net, precisions);
        return precisions;
    }

    /// <summary>The validation rows training held out (indices into the training rows), or null when it held none out.</summary>
    public static int[] ValidationRows(Network net, Dataset train) =>
        net.ValidationFraction > 0 ? Splits.ValidationRows(train, net.ValidationFraction, net.ValidationSeed).Validation : null;

    /// <summary>
    /// The whole choice as the quantize command and the accuracy benchmark make it: judged on the validation rows
    /// the float model records, else on the training rows (said in the report).
    /// </summary>
    public static QuantizeResult Quantize(Network net, Dataset train, QuantizeOptions options, PrecisionMode mode, out PrecisionReport report)
    {
        int[] validation = ValidationRows(net, train);
        QuantizeResult q = Quantize(net, train, validation, options, mode, out report);
        report.JudgedOn = validation != null ? "validation rows held out in training" : "training rows (the float model records no validation split)";
        return q;
    }

    private static QuantizeResult QuantizeWith(Network net, Dataset calibration, QuantizeOptions options, int[] precisions, bool[] wideWeights, bool[] sessions = null)
    {
        QuantizeOptions o = options.Clone();
        o.LayerPrecisions = precisions;
        o.WideWeights = wideWeights;
        return PostTraining.Quantize(net, calibration, o, sessions);
    }

    /// <summary>Pooling keeps its input's quantization: its precision is the previous layer's (a first-layer pool keeps its own).</summary>
    private static void FollowPools(Network net, int[] precisions)
    {
        for (int l = 1; l < precisions.Length; l++)
        {
            if (net.Layers[l] is Pool1DFloat) precisions[l] = precisions[l - 1];
        }
    }

    /// <summary>One line per layer for the model summary: precision, why, and its cost in bytes and MACs.</summary>
    public static IEnumerable<string> Describe(Model model, PrecisionReport report)
    {
        yield return $"Precision {report.Mode.ToString().ToLowerInvariant()}: the quantized model predicts float's class on {report.Agreement:P2} of {report.JudgedRows} {report.JudgedOn}.";
        for (int l = 0; l < model.Layers.Length; l++)
        {
            Layer layer = model.Layers[l];
            string output = layer.Precision == ModelFormat.PrecisionInt16 ? "int16" : "int8";
            string kernel = layer is DenseLayer { WideWeights: true } ? "int16x16 kernel, 16-bit weights, int64 sums"
                : layer.WideKernel ? (layer.LongAccumulator ? "16x8 kernel, int64 sums" : "16x8 kernel, int32 sums (proven)") : "int8 kernel";
            yield return $"  layer {l + 1} ({layer.Kind.ToString().ToLowerInvariant()} {layer.OutputLength}): {LayerWidths.Name(layer)} ({output} output, {kernel}); " +
                         $"{layer.ParameterBytes} parameter bytes, {ArenaPlan.OutputBytes(layer)} output bytes, {layer.MacCount} MACs - {report.Reasons[l]}";
        }
    }
}
