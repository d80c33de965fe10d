using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// The input tensor's range: <see cref="PerFeature"/> maps each normalized feature's calibrated range onto the
/// whole input range (folded into the normalization and the first layer's weights), <see cref="Shared"/> has one
/// range for every feature, <see cref="Auto"/> is per-feature for an int8 input and shared for an int16 one
/// (docs/quantization.md, "The input range").
/// </summary>
public enum InputRanges { Auto, PerFeature, Shared }

/// <summary>
/// How each tensor's range is chosen from the calibration rows: MinMax = the exact extent; Percentile = the
/// [100 - P, P] percentiles; Mse = the range of least squared quantization error, each row weighted so every
/// class counts equally (<see cref="RangeCollector"/>).
/// </summary>
public enum Calibration { MinMax, Percentile, Mse }

public sealed class QuantizeOptions
{
    /// <summary>
    /// How each tensor's real range is taken from the calibration rows: MinMax, the validation rows' choice
    /// (`bench accuracy`, "Calibration rules on the validation rows"; docs/training.md), never test rows. With
    /// the cross-validated training defaults Mse agrees more on validation rows (99.64 vs 99.53 %) but costs
    /// shuttle 1.3 points of validation balanced accuracy more than min/max, which the choice rule refuses.
    /// </summary>
    public Calibration Calibration = Calibration.MinMax;

    /// <summary>With Percentile: the range is [100 - P, P] percentiles (the output layer always uses min/max).</summary>
    public double Percentile = 99.9;

    /// <summary>
    /// With Mse: weight each calibration row by rows / (classes x rows of its class), so a rare class's
    /// activations count as much as a frequent class's (shuttle: 6 of 43,500 rows decide a class); false = every
    /// row weighs the same. Rows without labels weigh the same either way.
    /// </summary>
    public bool ClassBalancedError = true;

    /// <summary>Rows used for the error report (evenly spaced over the calibration rows); 0 = all.</summary>
    public int ErrorRows = 2000;

    /// <summary>
    /// Calibrate the output layer on the outputs that decide the class (each row's winner and runner-up)
    /// instead of all outputs; false = like every other layer.
    /// </summary>
    public bool DecisionRange = true;

    /// <summary>
    /// How the input tensor's range is chosen (<see cref="InputRanges"/>): by default each feature gets its own
    /// range when the input is int8 and one range covers every feature when it is int16.
    /// </summary>
    public InputRanges InputRange = InputRanges.Auto;

    /// <summary>The rule <see cref="InputRange"/> gives an input of this precision: Auto resolves by the width.</summary>
    public InputRanges InputRangeFor(int inputPrecision) =>
        InputRange != InputRanges.Auto ? InputRange
        : inputPrecision == ModelFormat.PrecisionInt16 ? InputRanges.Shared : InputRanges.PerFeature;

    /// <summary>With per-feature input ranges: widen each feature's range by this factor (room for readings beyond calibration).</summary>
    public double InputHeadroom = 1.0;

    /// <summary>The calibration rows' session column (windows and recurrent state reset where it changes); null = one stream.</summary>
    public string SessionColumn;

    /// <summary>
    /// Use the ranges a quantization-aware fine-tuning stored in the network (<see cref="Network.QuantizationRanges"/>)
    /// instead of calibrating again, so the exported model is the one the fine-tuning trained; false = recalibrate.
    /// </summary>
    public bool UseTrainedRanges = true;

    /// <summary>
    /// Per layer, the precision of its output tensor (ModelFormat.PrecisionInt8 or PrecisionInt16; the input takes
    /// the first layer's); null = every layer int8. <see cref="PrecisionChoice"/> fills it for --precision auto|int16.
    /// </summary>
    public int[] LayerPrecisions;

    /// <summary>
    /// Per layer, true = 16-bit weights as well: the width "int16x16" (16-bit activations and weights, int64 sums;
    /// only a dense layer whose <see cref="LayerPrecisions"/> entry is PrecisionInt16); null = none. Beside
    /// LayerPrecisions: int8 = (PrecisionInt8, false), int16 (16x8) = (PrecisionInt16, false), int16x16 = (PrecisionInt16, true).
    /// </summary>
    public bool[] WideWeights;

    /// <summary>A shallow copy (the precision choice tries several LayerPrecisions on the same options).</summary>
    public QuantizeOptions Clone() => (QuantizeOptions)MemberwiseClone();
}

/// <summary>
/// What calibration derives from the rows, everything the model then needs besides the weights: the per-feature
/// input fold (null when not folded), the input tensor's range, each layer's output range (pre-activation),
/// an indirect block's hidden range and the largest |raw reading| per feature. <see cref="PostTraining.Build"/>
/// turns a network and these into the int8 model; quantization-aware training builds with them every batch.
/// </summary>
public sealed class CalibratedRanges
{
    public float[] FeatureScale, FeatureShift;
    public double InputMin, InputMax;
    public double[] OutputMin, OutputMax;
    public double HiddenMin, HiddenMax;
    public double[] MaxAbs;

    public CalibratedRanges Clone()
    {
        var c = (CalibratedRanges)MemberwiseClone();
        c.FeatureScale = (float[])FeatureScale?.Clone();
        c.FeatureShift = (float[])FeatureShift?.Clone();
        c.OutputMin = (double[])OutputMin.Clone();
        c.OutputMax = (double[])OutputMax.Clone();
        c.MaxAbs = (double[])MaxAbs.Clone();
        return c;
    }
}

/// <summary>The error quantization adds at one tensor (the input, then each layer's output), in real units.</summary>
public sealed class LayerError
{
    public string Layer;

    /// <summary>
    /// RMS and largest |dequantized - float| with the whole quantized model before it (cumulative). For the
    /// output layer, outputs below its calibrated range (losing classes, clamped on purpose) are not counted.
    /// </summary>
    public double RmsError;
    public double MaxAbsError;

    /// <summary>The same when the layer alone is int8 (its input is the float input, quantized): the error it adds.</summary>
    public double AddedRmsError;
    public double AddedMaxAbsError;

    /// <summary>The tensor's quantization step (real value of one int8 or int16 unit).</summary>
    public double Step;

    /// <summary>Real range of the tensor the int8 scale covers.</summary>
    public double RangeMin, RangeMax;

    public override string ToString() =>
        $"{Layer}: rms {RmsError:G3} (added {AddedRmsError:G3}), max {MaxAbsError:G3}, step {Step:G3}";
}

public sealed class QuantizeResult
{
    public Model Model;

    /// <summary>Per tensor: the input quantizer first, then every layer.</summary>
    public LayerError[] Errors;

    /// <summary>The input tensor's parameters and each layer output's (double precision, as the rule computed them).</summary>
    public QuantParams Input;

    /// <summary>The ranges the model was built with (calibrated, or the network's trained ones).</summary>
    public CalibratedRanges Ranges;
    public QuantParams[] Outputs;

    /// <summary>
    /// The float network the int8 model mirrors layer by layer: the trained one, or with per-feature input
    /// ranges a copy whose normalization and first layer absorb them (same outputs up to float rounding).
    /// Compare int8 layer outputs with this one's.
    /// </summary>
    public Network Reference;
}

/// <summary>
/// Post-training quantization of every network type: calibrates every tensor's range on training rows (min/max,
/// or percentiles that ignore rare outliers), then builds the int8 model with the shared QuantizationRule
/// (per-neuron weight scales, int32 biases with the input zero point folded in, input normalization folded into
/// the input quantizer) and reports the error each layer adds. The calibration rows are a stream: window models
/// see each row's window of its session, streaming models (a recurrent first layer) step through the sessions
/// reading by reading with their state, so recurrent pre-activations are seen with their real states. A window
/// model's device input is the window (WindowLength = N); a streaming model's is one reading, its recurrent
/// layer keeps the state.
/// </summary>
public static class PostTraining
{
    /// <param name="sessions">The calibration rows' session starts when the caller has them (null: from options.SessionColumn).</param>
    public static QuantizeResult Quantize(Network net, Dataset calibration, QuantizeOptions options = null, bool[] sessions = null)
    {
        options ??= new QuantizeOptions();
        if (calibration == null || calibration.Count == 0) throw new ArgumentException("calibration needs at least one row");
        string unsupported = Unsupported(net);
        if (unsupported != null) throw new ArgumentException(unsupported);
        CheckFeatures(net, calibration);
        sessions ??= calibration.SessionStarts(options.SessionColumn);
        bool trained = options.UseTrainedRanges && net.QuantizationRanges != null;
        CalibratedRanges ranges = trained ? net.QuantizationRanges : Calibrate(net, calibration, sessions, options);
        // The fine-tuning's ranges come with the precisions it trained with (null: all int8), unless others are asked for.
        QuantizeResult result = Build(net, ranges, options.LayerPrecisions ?? (trained ? net.QuantizationPrecisions : null),
            options.LayerPrecisions != null ? options.WideWeights : trained ? net.QuantizationWideWeights : null);
        result.Errors = MeasureErrors(result.Reference, result, calibration, sessions, options.ErrorRows);
        result.Errors[0].RangeMin = ranges.InputMin;
        result.Errors[0].RangeMax = ranges.InputMax;
        for (int l = 0; l < net.Layers.Length; l++) (result.Errors[l + 1].RangeMin, result.Errors[l + 1].RangeMax) = (ranges.OutputMin[l], ranges.OutputMax[l]);
        return result;
    }

    /// <summary>
    /// Why the network cannot become a device model, or null when it can: the device feeds a recurrent layer
    /// one reading per inference, so it must be the first layer (a layer spec never builds anything else).
    /// </summary>
    public static string Unsupported(Network net)
    {
        for (int l = 1; l < net.Layers.Length; l++)
        {
            FloatLayer layer = net.Layers[l];
            if (layer is RecurrentFloat or IndirectRecurrentFloat)
                return $"layer {l + 1} ({layer.KindName}) is recurrent but not the first layer: the device feeds a recurrent layer one reading per inference";
        }
        return null;
    }
    /// <summary>
    /// Per-feature input ranges: each normalized feature's calibrated range [lo, hi] is mapped onto
    /// [-1, 1] (x = r u + m with m the middle, r the half-width times the headroom); <see cref="Folded"/> lets the
    /// first layer absorb r and m, so the float network computes the same function while every feature gets the
    /// whole int8 range of the single input scale.
    /// </summary>
    private static (float[] Scale, float[] Shift) FeatureRanges(Network net, Dataset calibration, QuantizeOptions options)
    {
        int f = net.Normalization.Count;
        Normalization norm = net.Normalization;
        if (norm.Clips)
        {
            // With clip bounds the input range is exactly the bounds (normalized): the device's saturation at
            // the range's ends is then the float network's clamp. No calibration and no headroom.
            var bScale = new float[f];
            var bShift = new float[f];
            for (int j = 0; j < f; j++)
            {
                double lo = (norm.ClipLow[j] - (double)norm.Mean[j]) / norm.Std[j], hi = (norm.ClipHigh[j] - (double)norm.Mean[j]) / norm.Std[j];
                double half = (hi - lo) / 2;
                bScale[j] = half > 1e-6 ? (float)half : 1f;
                bShift[j] = (float)((lo + hi) / 2);
            }
            return (bScale, bShift);
        }
        var ranges = new RangeCollector[f];
        for (int j = 0; j < f; j++) ranges[j] = new RangeCollector(options.Calibration, options.Percentile);
        RowWeights weights = RowWeights.Of(calibration, options);
        IFeatureRows rows = calibration.Features; // read in place: a memory-mapped store is not copied
        var z = new float[f];
        var one = new float[1];
        for (int r = 0; r < calibration.Count; r++)
        {
            net.Normalization.Apply(rows.Row(r), z);
            for (int j = 0; j < f; j++)
            {
                one[0] = z[j];
                ranges[j].Add(one, weights[r]);
            }
        }
        // The grid a feature's range [lo, hi] gets: mapped onto [-1, 1] (times the headroom), then the input scale.
        QuantParams unit = QuantizationRule.ForRange(-1, 1);
        QuantGrid FeatureGrid(double lo, double hi)
        {
            double half = (hi - lo) / 2 * options.InputHeadroom, r = half > 1e-6 ? half : 1;
            return new QuantGrid((lo + hi) / 2 - unit.ZeroPoint * unit.Scale * r, unit.Scale * r, -128, 127);
        }
        var scale = new float[f];
        var shift = new float[f];
        for (int j = 0; j < f; j++)
        {
            var (lo, hi) = ranges[j].Range(FeatureGrid);
            double half = (hi - lo) / 2 * options.InputHeadroom;
            scale[j] = half > 1e-6 ? (float)half : 1f;
            shift[j] = (float)((lo + hi) / 2);
        }
        return (scale, shift);
    }

    /// <summary>
    /// The network with the per-feature ranges folded into its normalization and first layer (same outputs up to
    /// float rounding); null when the first layer cannot absorb them.
    /// </summary>
    private static Network Folded(Network net, float[] scale, float[] shift)
    {
        FloatLayer first = net.Layers[0].Clone();
        int f = net.Normalization.Count;
        if (first.InputChannels != f) return null;
        if (!first.FoldInputAffine(scale, shift)) return null;
        // The clip bounds are raw units: unchanged by the fold.
        var norm = new Normalization { Mean = new float[f], Std = new float[f], MaxAbs = net.Normalization.MaxAbs, ClipLow = net.Normalization.ClipLow, ClipHigh = net.Normalization.ClipHigh };
        for (int j = 0; j < f; j++)
        {
            // u = (z - m) / r = (x - (mean + std m)) / (std r)
            norm.Mean[j] = net.Normalization.Mean[j] + net.Normalization.Std[j] * shift[j];
            norm.Std[j] = net.Normalization.Std[j] * scale[j];
        }
        var layers = (FloatLayer[])net.Layers.Clone();
        layers[0] = first;
        return new Network
        {
            Name = net.Name, Normalization = norm, Layers = layers, FeatureNames = net.FeatureNames,
            ClassLabels = net.ClassLabels, Loss = net.Loss, Missing = net.Missing,
        };
    }

    /// <summary>
    /// The export rule's calibration: every tensor's range over the calibration rows (a stream: windows and
    /// recurrent state as on the device), with the per-feature input fold where the first layer can absorb it.
    /// </summary>
    public static CalibratedRanges Calibrate(Network net, Dataset calibration, bool[] sessions, QuantizeOptions options)
    {
        var ranges = new CalibratedRanges();
        // Per-feature ranges are folded into the first layer's weights, which is exact for one reading; in a
        // window the readings before a session start are real 0 (the zero point), which the fold would move.
        // Only an int8 input is folded: the fold gives a narrow feature the int8 input's whole range by scaling
        // its weights up, so a feature with a wide range (outliers) takes the first layer's int8 weight scale
        // and the other weights lose resolution. An int16 input has the resolution without it (one shared
        // range; measured on the validation rows: docs/quantization.md, "The input range"). A network with clip
        // bounds is folded at both widths whatever InputRange says: its range per feature is the bounds (no
        // feature is wide), and only a per-feature range saturates where the float network clamps.
        Network reference = null;
        int inputPrecision = options.LayerPrecisions is { Length: > 0 } p ? p[0] : ModelFormat.PrecisionInt8;
        bool perFeature = net.Normalization.Clips || options.InputRangeFor(inputPrecision) == InputRanges.PerFeature;
        if (perFeature && net.Window == 1 && !net.Streaming)
        {
            var (scale, shift) = FeatureRanges(net, calibration, options);
            reference = Folded(net, scale, shift);
            if (reference != null) (ranges.FeatureScale, ranges.FeatureShift) = (scale, shift);
        }
        CollectRanges(reference ?? net, calibration, sessions, options, ranges);
        if (reference != null) (ranges.InputMin, ranges.InputMax) = (-1.0, 1.0);
        return ranges;
    }

    /// <summary>
    /// The int8 model of the network with the given ranges, by the shared QuantizationRule (no rows needed):
    /// what <see cref="Quantize"/> exports and what quantization-aware training runs in its forward pass.
    /// Errors are not measured (null). wideWeights: per layer, 16-bit weights (<see cref="QuantizeOptions.WideWeights"/>; null = none).
    /// </summary>
    public static QuantizeResult Build(Network net, CalibratedRanges ranges, int[] layerPrecisions = null, bool[] wideWeights = null)
    {
        Network reference = ranges.FeatureScale == null ? net
            : Folded(net, ranges.FeatureScale, ranges.FeatureShift) ?? throw new ArgumentException("the first layer cannot absorb the per-feature input ranges");
        int layers = reference.Layers.Length;
        int[] precisions = layerPrecisions ?? new int[layers];
        QuantParams input = QuantizationRule.ForRange(ranges.InputMin, ranges.InputMax, precisions[0]);
        // Headroom of 10x over the largest calibration reading when choosing the raw decimal exponent,
        // so a larger reading later still fits the raw int32 instead of saturating.
        double[] headroom = ranges.MaxAbs.Select(m => m * 10).ToArray();
        InputQuantizer iq = QuantizationRule.QuantizeInput(reference.Normalization.Mean, reference.Normalization.Std, headroom, input);
        // The training rows' missing-value fill goes into the model as raw readings, so simulate and the device
        // fill a missing reading exactly as training did.
        if (net.Missing?.Fill != null)
            iq.FillRaw = net.Missing.Fill.Select((v, f) => QuantizationRule.ToRaw(v, iq.RawExponent[f])).ToArray();

        var qLayers = new Layer[layers];
        var outputs = new QuantParams[layers];
        QuantParams x = input;
        for (int l = 0; l < layers; l++)
        {
            double lo = ranges.OutputMin[l], hi = ranges.OutputMax[l];
            FloatLayer layer = reference.Layers[l];
            if (layer is IndirectRecurrentFloat ind) (ind.HiddenPreMin, ind.HiddenPreMax) = (ranges.HiddenMin, ranges.HiddenMax);
            qLayers[l] = layer.Quantize(x, lo, hi, precisions[l], wideWeights?[l] == true);
            qLayers[l].InputZeroPoint = x.ZeroPoint;
            // Pooling keeps its input's quantization; every other layer requantizes to its calibrated range.
            outputs[l] = layer is Pool1DFloat ? x : QuantizationRule.OutputParams(layer.Activation, lo, hi, qLayers[l].Precision);
            x = outputs[l];
        }
        // A streaming model's first layer takes one reading per inference; later layers follow its shape.
        if (net.Streaming)
        {
            qLayers[0].InputSteps = 1;
            qLayers[0].InputChannels = net.Layers[0].InputChannels;
        }
        var model = new Model
        {
            Name = net.Name ?? "edgenet", ClassLabels = net.ClassLabels, FeatureNames = net.FeatureNames,
            WindowLength = net.Streaming ? 1 : net.Window, Input = iq, Layers = qLayers,
        };
        return new QuantizeResult { Model = model, Input = input, Outputs = outputs, Ranges = ranges, Reference = reference };
    }

    /// <summary>The float pass over the calibration samples: each tensor's range and the largest |raw reading|, into ranges.</summary>
    private static void CollectRanges(Network net, Dataset calibration, bool[] sessions, QuantizeOptions options, CalibratedRanges ranges)
    {
        int layers = net.Layers.Length;
        // The output layer keeps the min/max of its decision values under every rule: clipping there moves the
        // winners and runner-ups that decide the class (measured on shuttle: MSE there lowered agreement).
        var tensors = new RangeCollector[layers + 1];
        for (int t = 0; t <= layers; t++) tensors[t] = new RangeCollector(t == layers ? Calibration.MinMax : options.Calibration, options.Percentile);
        var hidden = new RangeCollector(options.Calibration, options.Percentile); // an indirect block's hidden pre-activation
        RowWeights weights = RowWeights.Of(calibration, options);
        var maxAbs = (double[])net.Normalization.MaxAbs?.Clone() ?? new double[net.Normalization.Count];

        // One float pass over the calibration rows, read in place chunk by chunk (a memory-mapped store is not
        // copied): per row its largest |raw reading|, its normalized reading (the input tensor) and its sample
        // through every layer (each layer's pre-activation). Each collector sees its values in row order.
        IFeatureRows rows = calibration.Features;
        SequenceSet set = net.Samples(calibration, sessions);
        var reading = new float[set.Features];
        void AddRow(int r)
        {
            ReadOnlySpan<float> row = rows.Row(r);
            for (int j = 0; j < row.Length; j++) maxAbs[j] = Math.Max(maxAbs[j], Math.Abs(row[j]));
            set.CopyReading(r, reading);
            tensors[0].Add(reading, weights[r]);
        }
        void AddOutput(int l, float[] pre, int batch, int firstRow)
        {
            int length = net.Layers[l].OutputLength;
            if (l < layers - 1 || !options.DecisionRange)
                for (int b = 0; b < batch; b++) tensors[l + 1].Add(pre.AsSpan(b * length, length), weights[firstRow + b]);
            else AddDecisionRange(tensors[l + 1], pre, batch, length, weights, firstRow);
        }
        if (net.Streaming)
        {
            var stream = new StreamRunner(net);
            for (int r = 0; r < set.Count; r++)
            {
                if (set.SegmentStart[r]) stream.Reset();
                AddRow(r);
                stream.Step(reading);
                hidden.Add(stream.HiddenPreActivation, weights[r]);
                for (int l = 0; l < layers; l++) AddOutput(l, stream.PreActivation(l), 1, r);
            }
        }
        else
        {
            const int chunk = 256;
            var act = new float[layers + 1][];
            var pre = new float[layers][];
            act[0] = new float[chunk * set.SampleLength];
            for (int l = 0; l < layers; l++)
            {
                pre[l] = new float[chunk * net.Layers[l].OutputLength];
                act[l + 1] = new float[chunk * net.Layers[l].OutputLength];
            }
            for (int start = 0; start < set.Count; start += chunk)
            {
                int batch = Math.Min(chunk, set.Count - start);
                for (int b = 0; b < batch; b++)
                {
                    AddRow(start + b);
                    set.CopySample(start + b, act[0].AsSpan(b * set.SampleLength, set.SampleLength));
                }
                for (int l = 0; l < layers; l++)
                {
                    var layer = net.Layers[l];
                    int n = batch * layer.OutputLength;
                    layer.Propagate(act[l], pre[l], batch);
                    AddOutput(l, pre[l], batch, start);
                    pre[l].AsSpan(0, n).CopyTo(act[l + 1]);
                    ActivationFunctions.Apply(layer.Activation, act[l + 1].AsSpan(0, n));
                }
            }
        }

        // Each tensor's range; the MSE rule measures candidates on the grid the quantizer builds from them,
        // in the width each tensor gets (the input takes its first layer's precision).
        int[] precisions = options.LayerPrecisions ?? new int[layers];
        static QuantGrid Asymmetric(double lo, double hi, int precision) => QuantGrid.Of(QuantizationRule.ForRange(lo, hi, precision));
        (ranges.InputMin, ranges.InputMax) = tensors[0].Range((lo, hi) => Asymmetric(lo, hi, precisions[0]));
        int block = Math.Max(0, Array.FindIndex(net.Layers, l => l is IndirectRecurrentFloat));
        (ranges.HiddenMin, ranges.HiddenMax) = hidden.Range((lo, hi) => Asymmetric(lo, hi, precisions[block]));
        ranges.OutputMin = new double[layers];
        ranges.OutputMax = new double[layers];
        for (int l = 0; l < layers; l++)
        {
            Activation a = net.Layers[l].Activation;
            int p = precisions[l];
            (ranges.OutputMin[l], ranges.OutputMax[l]) = tensors[l + 1].Range((lo, hi) => QuantGrid.Of(QuantizationRule.PreActivationParams(a, lo, hi, p)),
                floor: a == Activation.Relu ? 0 : double.NegativeInfinity);
        }
        ranges.MaxAbs = maxAbs;
    }

    /// <summary>
    /// The output layer only decides the class: per row the largest output and the runner-up matter,
    /// outputs below every runner-up never compete. So its range is [lowest runner-up, highest winner],
    /// which gives a finer step where classes are decided than the full range of all outputs.
    /// </summary>
    private static void AddDecisionRange(RangeCollector range, float[] pre, int batch, int outputs, RowWeights weights, int firstRow)
    {
        if (outputs < 3)
        {
            for (int b = 0; b < batch; b++) range.Add(pre.AsSpan(b * outputs, outputs), weights[firstRow + b]);
            return;
        }
        Span<float> pair = stackalloc float[2];
        for (int b = 0; b < batch; b++)
        {
            var y = pre.AsSpan(b * outputs, outputs);
            float top = float.NegativeInfinity, second = float.NegativeInfinity;
            foreach (float v in y)
            {
                if (v > top) { second = top; top = v; }
                else if (v > second) second = v;
            }
            pair[0] = second;
            pair[1] = top;
            range.Add(pair, weights[firstRow + b]);
        }
    }

    /// <summary>
    /// Error of the int8 model against the float network, per tensor: cumulative (the whole int8 model up to
    /// there) and added (only this layer int8, fed its quantized float input). Measured on `rows` evenly spaced
    /// rows of the stream (0 = all); window and streaming models run the whole stream in order (reset at session
    /// starts) so each measured row sees its real window and state. A recurrent layer "alone" runs on a copy of
    /// the int8 model with its own state, fed the quantized float inputs.
    /// </summary>
    public static LayerError[] MeasureErrors(Network net, QuantizeResult q, Dataset data, bool[] sessions = null, int rows = 0)
    {
        sessions ??= data.SessionStarts(null);
        Model model = q.Model;
        int layers = net.Layers.Length;
        var errors = new ErrorSum[layers + 1];
        for (int t = 0; t <= layers; t++) errors[t] = new ErrorSum();
        var engine = new InferenceEngine(model, keepEveryOutput: true); // the error table reads every layer
        // The layers run alone keep state of their own (recurrent), so they are a copy of the model's.
        byte[] bytes = ModelWriter.Write(model);
        Model alone = !net.Streaming ? model : ModelReader.Read(bytes, bytes.Length, int.MaxValue, out string why)
            ?? throw new InvalidOperationException("the quantized model does not read back: " + why);
        var alone8 = new AloneLayer[layers];
        for (int l = 0; l < layers; l++) alone8[l] = new AloneLayer(alone.Layers[l]);
        int[] sample = SampleRows(data.Count, rows); // ascending; null = every row
        int next = 0;
        bool sequential = net.Streaming || net.Window > 1;
        SequenceSet set = net.Samples(data, sessions); // samples made from the rows in place, one at a time
        IFeatureRows raw = data.Features;
        StreamRunner stream = net.Streaming ? new StreamRunner(net) : null;
        var trace = new float[layers + 1][];
        for (int r = 0; r < data.Count; r++)
        {
            bool measuredRow = sample == null || (next < sample.Length && sample[next] == r);
            if (measuredRow && sample != null) next++;
            if (!sequential && !measuredRow) continue;
            if (sessions[r])
            {
                engine.Reset();
                if (alone != model) foreach (Layer l in alone.Layers) l.ResetState();
                stream?.Reset();
            }
            engine.PushReading(QuantizationRule.ToRaw(raw.Row(r), model.Input));
            engine.Invoke();
            if (stream != null)
            {
                trace[0] = new float[set.Features];
                set.CopyReading(r, trace[0]);
                stream.Step(trace[0]);
                for (int l = 0; l < layers; l++) trace[l + 1] = stream.Output(l);
            }
            else
            {
                if (!measuredRow) continue;
                trace[0] = new float[set.SampleLength];
                set.CopySample(r, trace[0]);
                for (int l = 0; l < layers; l++)
                {
                    trace[l + 1] = new float[net.Layers[l].OutputLength];
                    net.Layers[l].Forward(trace[l], trace[l + 1], 1);
                }
            }
            for (int l = 0; l < layers; l++)
            {
                QuantParams inP = l == 0 ? q.Input : q.Outputs[l - 1];
                alone8[l].Run(inP, trace[l]);
            }
            if (!measuredRow) continue;
            for (int i = 0; i < trace[0].Length; i++)
            {
                double e = q.Input.Dequantize(engine.TensorValue(-1, i)) - trace[0][i];
                errors[0].Add(e, e);
            }
            for (int l = 0; l < layers; l++)
            {
                QuantParams outP = q.Outputs[l];
                float[] y = trace[l + 1];
                // Output layer: values below its range are losing classes clamped on purpose (decision range).
                double floor = l == layers - 1 ? outP.Dequantize(EdgeNet.Format.ModelFormat.TensorMin(outP.Precision)) : double.NegativeInfinity;
                for (int i = 0; i < y.Length; i++)
                {
                    if (y[i] < floor) continue;
                    errors[l + 1].Add(outP.Dequantize(engine.TensorValue(l, i)) - y[i], outP.Dequantize(alone8[l].Value(i)) - y[i]);
                }
            }
        }
        var result = new LayerError[layers + 1];
        for (int t = 0; t <= layers; t++)
        {
            result[t] = errors[t].ToError(t == 0 ? "input" : $"layer {t} ({net.Layers[t - 1].Describe()}, {Activations.Name(net.Layers[t - 1].Activation)})");
            result[t].Step = t == 0 ? q.Input.Scale : q.Outputs[t - 1].Scale;
        }
        return result;
    }

    /// <summary>One layer run alone on its quantized float input, in the width its kernel takes (int8 or 16x8).</summary>
    private sealed class AloneLayer(Layer layer)
    {
        private readonly sbyte[] _in = layer.WideKernel ? null : new sbyte[layer.InputLength];
        private readonly sbyte[] _out = layer.WideKernel ? null : new sbyte[layer.OutputLength];
        private readonly short[] _inWide = layer.WideKernel ? new short[layer.InputLength] : null;
        private readonly short[] _outWide = layer.WideKernel ? new short[layer.OutputLength] : null;

        public void Run(QuantParams input, float[] x)
        {
            if (_in != null)
            {
                for (int i = 0; i < _in.Length; i++) _in[i] = input.Quantize(x[i]);
                layer.Invoke(_in, _out);
            }
            else
            {
                for (int i = 0; i < _inWide.Length; i++) _inWide[i] = (short)input.QuantizeValue(x[i]);
                layer.InvokeWide(_inWide, _outWide);
            }
        }

        public int Value(int i) => _out != null ? _out[i] : _outWide[i];
    }

    /// <summary>
    /// Each calibration row's weight in the MSE range search: rows / (classes x rows of its class) with
    /// <see cref="QuantizeOptions.ClassBalancedError"/> and labels, else 1. One weight per class, looked up by
    /// the row's label (a 30-million-row calibration holds no array of weights).
    /// </summary>
    private sealed class RowWeights
    {
        private float[] _byClass;
        private int[] _labels;

        public float this[int r] => _byClass == null ? 1f : _byClass[_labels[r]];

        public static RowWeights Of(Dataset data, QuantizeOptions options)
        {
            var w = new RowWeights();
            if (options.Calibration != Calibration.Mse || !options.ClassBalancedError || data.Labels == null || data.Labels.Length != data.Count) return w;
            int[] counts = data.ClassCounts();
            int present = counts.Count(c => c > 0);
            w._byClass = new float[counts.Length];
            for (int c = 0; c < counts.Length; c++) w._byClass[c] = counts[c] == 0 ? 0f : (float)((double)data.Count / (present * counts[c]));
            w._labels = data.Labels;
            return w;
        }
    }

    /// <summary>`rows` evenly spaced row indices of `count`, ascending (null = all, when rows is 0 or not less than count).</summary>
    private static int[] SampleRows(int count, int rows)
    {
        if (rows <= 0 || count <= rows) return null;
        var idx = new int[rows];
        for (int i = 0; i < rows; i++) idx[i] = (int)((long)i * count / rows);
        return idx;
    }

    internal static void CheckFeatures(Network net, Dataset data)
    {
        if (!net.FeatureNames.SequenceEqual(data.FeatureNames))
            throw new DataException(data.SourceFile, 0, null,
                $"the data's features ({string.Join(", ", data.FeatureNames)}) are not the model's ({string.Join(", ", net.FeatureNames)})");
    }

    private sealed class ErrorSum
    {
        private double _sq, _max, _addedSq, _addedMax;
        private long _n;

        public void Add(double cumulative, double added)
        {
            _sq += cumulative * cumulative;
            _max = Math.Max(_max, Math.Abs(cumulative));
            _addedSq += added * added;
            _addedMax = Math.Max(_addedMax, Math.Abs(added));
            _n++;
        }

        public LayerError ToError(string name) => new()
        {
            Layer = name, RmsError = Math.Sqrt(_sq / Math.Max(1, _n)), MaxAbsError = _max,
            AddedRmsError = Math.Sqrt(_addedSq / Math.Max(1, _n)), AddedMaxAbsError = _addedMax,
        };
    }
}
