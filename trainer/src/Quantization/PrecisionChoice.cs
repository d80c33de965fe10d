using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Quantization;

/// <summary>--precision: the automatic per-layer choice, or every layer forced to one width.</summary>
public enum PrecisionMode { Auto, Int8, Int16 }

/// <summary>What <see cref="PrecisionChoice.Quantize"/> chose per layer, and why.</summary>
public sealed class PrecisionReport
{
    public PrecisionMode Mode;

    /// <summary>Per layer: ModelFormat.PrecisionInt8 or PrecisionInt16 (its output tensor; the input takes the first layer's).</summary>
    public int[] Precisions;

    /// <summary>Per layer, one line: why it got its precision.</summary>
    public string[] Reasons;

    /// <summary>Share of the judged rows where the chosen model predicts float's class.</summary>
    public double Agreement;

    /// <summary>How many rows judged the choice, and which ("validation rows held out in training", or the fallback).</summary>
    public int JudgedRows;
    public string JudgedOn;
}

/// <summary>
/// Chooses each layer's activation precision (docs/quantization.md, "Choosing the precision"): with
/// <see cref="PrecisionMode.Auto"/>, start from every layer that has a 16-bit kernel at 16-bit, then, layer by
/// layer from the input, try int8 and keep it when the whole quantized model passes <see cref="Judgement"/> on the
/// validation rows (the rows training held out, never test rows): they show, with 95 % confidence, agreement with
/// float's class on at least 99.5 % of rows, and on every class; otherwise the layer stays 16-bit. Without
/// validation rows every layer that can be 16-bit is. Int8 and Int16 force one width (table activations - sigmoid,
/// tanh, step, also an indirect block's hidden one - are int8 tables and stay int8). Pooling keeps its input's precision.
/// </summary>
public static class PrecisionChoice
{
    /// <summary>
    /// Quantizes with the chosen precisions. calibration: the training rows (as PostTraining takes them);
    /// judged: indices into calibration of the rows that judge agreement (null when training held none out: auto
    /// then keeps every layer 16-bit that can be, and the agreement reported is on all calibration rows). The rows run as one stream, so windows and state see their real context.
    /// </summary>
    public static QuantizeResult Quantize(Network net, Dataset calibration, int[] judged, QuantizeOptions options, PrecisionMode mode, out PrecisionReport report)
    {
        options ??= new QuantizeOptions();
        int layers = net.Layers.Length;
        bool[] widenable = Widenable(net);
        var reasons = new string[layers];
        int[] precisions = new int[layers];
        report = new PrecisionReport { Mode = mode };
        int judgedRows = judged?.Length ?? calibration.Count;
        report.JudgedRows = judgedRows;
        bool[] sessions = calibration.SessionStarts(options.SessionColumn);
        int[] floatClasses = Comparison.PredictFloat(net, calibration, sessions);
        var classes = new int[calibration.Count]; // one buffer for every candidate (a large calibration set allocates no more)

        Judgement Judge(int[] p)
        {
            QuantizeResult q = QuantizeWith(net, calibration, options, p, sessions);
            Simulator.Classify(q.Model, calibration, sessions, classes);
            return Judgement.Of(classes, floatClasses, judged, calibration.ClassCount, calibration.ClassLabels);
        }
        double Agreement(int[] p) => Judge(p).Agreement;

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
            for (int l = 0; l < layers; l++)
                reasons[l] = $"as the quantization-aware fine-tuning trained it (--precision {Name(mode)}, chosen before it)";
            report.Agreement = Agreement(precisions);
        }
        else if (mode == PrecisionMode.Int16)
        {
            precisions = AllWide(net, widenable);
            for (int l = 0; l < layers; l++) if (widenable[l]) reasons[l] = "forced by --precision int16";
            report.Agreement = Agreement(precisions);
        }
        else if (mode == PrecisionMode.Int8)
        {
            for (int l = 0; l < layers; l++) if (widenable[l]) reasons[l] = "forced by --precision int8";
            report.Agreement = Agreement(precisions);
        }
        else if (judgedRows == 0 || judged == null)
        {
            // Rows the model was fitted on cannot vouch for int8 on rows it has not seen.
            precisions = AllWide(net, widenable);
            for (int l = 0; l < layers; l++) if (widenable[l]) reasons[l] = "no validation rows to judge int8 on; 16-bit";
            report.Agreement = Agreement(precisions);
        }
        else
        {
            Judgement all8 = Judge(precisions);
            if (all8.Passes || !widenable.Any(w => w))
            {
                for (int l = 0; l < layers; l++) if (widenable[l]) reasons[l] = $"int8 everywhere {all8}";
                report.Agreement = all8.Agreement;
            }
            else
            {
                precisions = AllWide(net, widenable);
                double current = Agreement(precisions);
                for (int l = 0; l < layers; l++)
                {
                    if (!widenable[l]) continue;
                    int[] trial = (int[])precisions.Clone();
                    trial[l] = ModelFormat.PrecisionInt8;
                    FollowPools(net, trial);
                    Judgement j = Judge(trial);
                    if (j.Passes)
                    {
                        precisions = trial;
                        current = j.Agreement;
                        reasons[l] = $"int8 here {j}";
                    }
                    else
                    {
                        reasons[l] = $"int8 here {j} (all-int8 {all8.Agreement:P2}); 16-bit";
                    }
                }
                report.Agreement = current;
            }
        }
        report.Precisions = precisions;
        report.Reasons = reasons;
        return QuantizeWith(net, calibration, options, precisions, sessions);
    }

    /// <summary>Why a fine-tuned model cannot be exported in another precision mode than it was trained with.</summary>
    public static string TrainedModeDiffers(Network net, PrecisionMode asked) =>
        $"the model was fine-tuned with --precision {Name(net.QuantizationPrecisionMode)} (its layers trained in those widths); " +
        $"export it with --precision {Name(net.QuantizationPrecisionMode)}, or with --recalibrate to calibrate and choose --precision {Name(asked)} again";

    /// <summary>The mode as --precision spells it.</summary>
    public static string Name(PrecisionMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>The model with one width forced on every layer that has it (as --precision int8|int16), without judging it.</summary>
    public static QuantizeResult Forced(Network net, Dataset calibration, QuantizeOptions options, PrecisionMode mode) =>
        QuantizeWith(net, calibration, options ?? new QuantizeOptions(),
            mode == PrecisionMode.Int16 ? AllWide(net, Widenable(net)) : new int[net.Layers.Length]);

    /// <summary>Per layer: can it be 16-bit (a 16-bit kernel, no table activation; pooling follows its input)?</summary>
    private static bool[] Widenable(Network net) =>
        net.Layers.Select(l => l.HasWideKernel && !Activations.UsesTable(l.Activation) && l is not Pool1DFloat
            && !(l is IndirectRecurrentFloat b && Activations.UsesTable(b.HiddenActivation))).ToArray();

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

    private static QuantizeResult QuantizeWith(Network net, Dataset calibration, QuantizeOptions options, int[] precisions, bool[] sessions = null)
    {
        QuantizeOptions o = options.Clone();
        o.LayerPrecisions = precisions;
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
            string width = layer.Precision == ModelFormat.PrecisionInt16 ? "int16" : "int8";
            string kernel = layer.WideKernel ? (layer.LongAccumulator ? "16x8 kernel, int64 sums" : "16x8 kernel, int32 sums (proven)") : "int8 kernel";
            yield return $"  layer {l + 1} ({layer.Kind.ToString().ToLowerInvariant()} {layer.OutputLength}): {width} output, {kernel}; " +
                         $"{layer.ParameterBytes} parameter bytes, {ArenaPlan.OutputBytes(layer)} output bytes, {layer.MacCount} MACs - {report.Reasons[l]}";
        }
    }
}
