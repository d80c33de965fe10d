using EdgeNet.Engine;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Quantization;

public enum Calibration { MinMax, Percentile }

public sealed class QuantizeOptions
{
    /// <summary>How each tensor's real range is taken from the calibration rows.</summary>
    public Calibration Calibration = Calibration.MinMax;

    /// <summary>With Percentile: the range is [100 - P, P] percentiles (the output layer always uses min/max).</summary>
    public double Percentile = 99.9;

    /// <summary>Rows used for the error report (evenly spaced over the calibration rows); 0 = all.</summary>
    public int ErrorRows = 2000;

    /// <summary>
    /// Calibrate the output layer on the outputs that decide the class (each row's winner and runner-up)
    /// instead of all outputs; false = like every other layer.
    /// </summary>
    public bool DecisionRange = true;

    /// <summary>
    /// Give every input feature its own calibrated range (folded into the normalization and the first
    /// layer's weights) instead of one range shared by all features; false = one range for the input tensor.
    /// </summary>
    public bool PerFeatureInput = true;

    /// <summary>With PerFeatureInput: widen each feature's range by this factor (room for readings beyond calibration).</summary>
    public double InputHeadroom = 1.0;
}

/// <summary>The error quantization adds at one tensor (the input, then each layer's output), in real units.</summary>
public sealed class LayerError
{
    public string Layer;

    /// <summary>
    /// RMS and largest |int8 dequantized - float| with the whole int8 model before it (cumulative). For the
    /// output layer, outputs below its calibrated range (losing classes, clamped on purpose) are not counted.
    /// </summary>
    public double RmsError;
    public double MaxAbsError;

    /// <summary>The same when the layer alone is int8 (its input is the float input, quantized): the error it adds.</summary>
    public double AddedRmsError;
    public double AddedMaxAbsError;

    /// <summary>The tensor's quantization step (real value of one int8 unit).</summary>
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
    public QuantParams[] Outputs;

    /// <summary>
    /// The float network the int8 model mirrors layer by layer: the trained one, or with per-feature input
    /// ranges a copy whose normalization and first layer absorb them (same outputs up to float rounding).
    /// Compare int8 layer outputs with this one's.
    /// </summary>
    public Network Reference;
}

/// <summary>
/// Post-training quantization: calibrates every tensor's range on training rows (min/max, or percentiles
/// that ignore rare outliers), then builds the int8 model with the shared QuantizationRule (per-neuron
/// weight scales, int32 biases with the input zero point folded in, input normalization folded into the
/// input quantizer) and reports the error each layer adds.
/// </summary>
public static class PostTraining
{
    public static QuantizeResult Quantize(Network net, Dataset calibration, QuantizeOptions options = null)
    {
        options ??= new QuantizeOptions();
        if (calibration == null || calibration.Count == 0) throw new ArgumentException("calibration needs at least one row");
        string unsupported = Unsupported(net);
        if (unsupported != null) throw new ArgumentException(unsupported);
        CheckFeatures(net, calibration);
        Network reference = options.PerFeatureInput ? FoldFeatureRanges(net, calibration, options) : null;
        QuantizeResult result = QuantizeAs(reference ?? net, calibration, options, fixedInputRange: reference != null);
        result.Reference = reference ?? net;
        return result;
    }

    /// <summary>
    /// Why this row-by-row calibration cannot quantize the network, or null when it can. It feeds each
    /// calibration row through the layers as one sample, which is right only for dense layers on the current
    /// reading: conv1d, pooling and recurrent layers need windows or the stream with its state (SequenceQuantizer),
    /// so calibrating them here would silently give wrong ranges.
    /// </summary>
    public static string Unsupported(Network net)
    {
        for (int l = 0; l < net.Layers.Length; l++)
        {
            FloatLayer layer = net.Layers[l];
            if (layer is not DenseFloat)
                return $"layer {l + 1} ({layer.Kind}) cannot be calibrated row by row: this quantizer handles dense networks on single readings only; " +
                       "window and stream networks (conv1d, pooling, recurrent) are quantized by 'edgenet quantize' (sequence quantizer) or 'edgenet bench timeseries'";
        }
        int features = net.FeatureNames?.Length ?? net.InputLength;
        if (net.InputLength != features)
            return $"layer 1 (dense) takes {net.InputLength} inputs, a window of {features}-feature readings: this quantizer handles single readings only; " +
                   "window networks are quantized by 'edgenet quantize' (sequence quantizer) or 'edgenet bench timeseries'";
        return null;
    }

    /// <summary>
    /// Per-feature input ranges: each normalized feature's calibrated range [lo, hi] is mapped onto
    /// [-1, 1] (x = r u + m with m the middle, r the half-width times the headroom), and the first layer
    /// absorbs r and m, so the float network computes the same function while every feature gets the
    /// whole int8 range of the single input scale. Null when the first layer cannot absorb it.
    /// </summary>
    private static Network FoldFeatureRanges(Network net, Dataset calibration, QuantizeOptions options)
    {
        FloatLayer first = net.Layers[0].Clone();
        int channels = first.InputChannels, f = net.Normalization.Count;
        if (channels != f) return null;
        var ranges = new RangeCollector[f];
        for (int j = 0; j < f; j++) ranges[j] = new RangeCollector(options.Calibration == Calibration.Percentile ? options.Percentile : 100);
        var z = new float[f];
        var one = new float[1];
        foreach (float[] row in calibration.Rows)
        {
            net.Normalization.Apply(row, z);
            for (int j = 0; j < f; j++)
            {
                one[0] = z[j];
                ranges[j].Add(one);
            }
        }
        var scale = new float[f];
        var shift = new float[f];
        for (int j = 0; j < f; j++)
        {
            var (lo, hi) = ranges[j].Range();
            double half = (hi - lo) / 2 * options.InputHeadroom;
            scale[j] = half > 1e-6 ? (float)half : 1f;
            shift[j] = (float)((lo + hi) / 2);
        }
        if (!first.FoldInputAffine(scale, shift)) return null;
        var norm = new Normalization { Mean = new float[f], Std = new float[f], MaxAbs = net.Normalization.MaxAbs };
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
            ClassLabels = net.ClassLabels, Loss = net.Loss,
        };
    }

    private static QuantizeResult QuantizeAs(Network net, Dataset calibration, QuantizeOptions options, bool fixedInputRange)
    {
        int layers = net.Layers.Length;
        var tensors = new RangeCollector[layers + 1];
        for (int t = 0; t <= layers; t++)
            tensors[t] = new RangeCollector(options.Calibration == Calibration.Percentile && t < layers ? options.Percentile : 100);
        var maxAbs = (double[])net.Normalization.MaxAbs?.Clone() ?? new double[net.InputLength];

        // Float pass over the calibration rows: the normalized input and each layer's pre-activation.
        const int chunk = 256;
        var act = new float[layers + 1][];
        var pre = new float[layers][];
        act[0] = new float[chunk * net.InputLength];
        for (int l = 0; l < layers; l++)
        {
            pre[l] = new float[chunk * net.Layers[l].OutputLength];
            act[l + 1] = new float[chunk * net.Layers[l].OutputLength];
        }
        for (int start = 0; start < calibration.Count; start += chunk)
        {
            int batch = Math.Min(chunk, calibration.Count - start);
            int f = net.InputLength;
            for (int b = 0; b < batch; b++)
            {
                float[] row = calibration.Rows[start + b];
                for (int j = 0; j < row.Length; j++) maxAbs[j] = Math.Max(maxAbs[j], Math.Abs(row[j]));
                net.Normalization.Apply(row, act[0].AsSpan(b * f, f));
            }
            tensors[0].Add(act[0].AsSpan(0, batch * f));
            for (int l = 0; l < layers; l++)
            {
                var layer = net.Layers[l];
                int n = batch * layer.OutputLength;
                layer.Propagate(act[l], pre[l], batch);
                if (l < layers - 1 || !options.DecisionRange) tensors[l + 1].Add(pre[l].AsSpan(0, n));
                else AddDecisionRange(tensors[l + 1], pre[l], batch, layer.OutputLength);
                pre[l].AsSpan(0, n).CopyTo(act[l + 1]);
                ActivationFunctions.Apply(layer.Activation, act[l + 1].AsSpan(0, n));
            }
        }

        var (inMin, inMax) = fixedInputRange ? (-1.0, 1.0) : tensors[0].Range();
        QuantParams input = QuantizationRule.ForRange(inMin, inMax);
        // Headroom of 10x over the largest calibration reading when choosing the raw decimal exponent,
        // so a larger reading later still fits the raw int32 instead of saturating.
        double[] headroom = maxAbs.Select(m => m * 10).ToArray();
        InputQuantizer iq = QuantizationRule.QuantizeInput(net.Normalization.Mean, net.Normalization.Std, headroom, input);

        var qLayers = new Layer[layers];
        var outputs = new QuantParams[layers];
        QuantParams x = input;
        for (int l = 0; l < layers; l++)
        {
            var (lo, hi) = tensors[l + 1].Range();
            qLayers[l] = net.Layers[l].Quantize(x, lo, hi);
            outputs[l] = QuantizationRule.OutputParams(net.Layers[l].Activation, lo, hi);
            x = outputs[l];
        }
        var model = new Model
        {
            Name = net.Name ?? "edgenet", ClassLabels = net.ClassLabels, FeatureNames = net.FeatureNames,
            WindowLength = 1, Input = iq, Layers = qLayers,
        };
        var result = new QuantizeResult { Model = model, Input = input, Outputs = outputs };
        result.Errors = MeasureErrors(net, result, Sample(calibration, options.ErrorRows));
        for (int t = 0; t <= layers; t++) (result.Errors[t].RangeMin, result.Errors[t].RangeMax) = tensors[t].Range();
        if (fixedInputRange) (result.Errors[0].RangeMin, result.Errors[0].RangeMax) = (inMin, inMax);
        return result;
    }

    /// <summary>
    /// The output layer only decides the class: per row the largest output and the runner-up matter,
    /// outputs below every runner-up never compete. So its range is [lowest runner-up, highest winner],
    /// which gives a finer step where classes are decided than the full range of all outputs.
    /// </summary>
    private static void AddDecisionRange(RangeCollector range, float[] pre, int batch, int outputs)
    {
        if (outputs < 3)
        {
            range.Add(pre.AsSpan(0, batch * outputs));
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
            range.Add(pair);
        }
    }

    /// <summary>
    /// Error of the int8 model against the float network on the given rows, per tensor: cumulative (the
    /// whole int8 model up to there) and added (only this layer int8, fed the quantized float input).
    /// </summary>
    public static LayerError[] MeasureErrors(Network net, QuantizeResult q, Dataset data)
    {
        Model model = q.Model;
        int layers = net.Layers.Length;
        var errors = new ErrorSum[layers + 1];
        for (int t = 0; t <= layers; t++) errors[t] = new ErrorSum();
        var engine = new InferenceEngine(model, keepEveryOutput: true); // the error table reads every layer
        var qin = new sbyte[layers][];
        var qout = new sbyte[layers][];
        for (int l = 0; l < layers; l++)
        {
            qin[l] = new sbyte[net.Layers[l].InputLength];
            qout[l] = new sbyte[net.Layers[l].OutputLength];
        }
        foreach (float[] row in data.Rows)
        {
            float[][] trace = net.Trace(row);
            engine.PushReading(QuantizationRule.ToRaw(row, model.Input));
            engine.Invoke();
            for (int i = 0; i < trace[0].Length; i++)
            {
                double e = q.Input.Dequantize(engine.Input[i]) - trace[0][i];
                errors[0].Add(e, e);
            }
            for (int l = 0; l < layers; l++)
            {
                QuantParams inP = l == 0 ? q.Input : q.Outputs[l - 1], outP = q.Outputs[l];
                for (int i = 0; i < qin[l].Length; i++) qin[l][i] = inP.Quantize(trace[l][i]);
                model.Layers[l].Invoke(qin[l], qout[l]);
                sbyte[] full = engine.LayerOutput(l);
                float[] y = trace[l + 1];
                // Output layer: values below its range are losing classes clamped on purpose (decision range).
                double floor = l == layers - 1 ? outP.Dequantize(-128) : double.NegativeInfinity;
                for (int i = 0; i < y.Length; i++)
                {
                    if (y[i] < floor) continue;
                    errors[l + 1].Add(outP.Dequantize(full[i]) - y[i], outP.Dequantize(qout[l][i]) - y[i]);
                }
            }
        }
        var result = new LayerError[layers + 1];
        for (int t = 0; t <= layers; t++)
        {
            result[t] = errors[t].ToError(t == 0 ? "input" : $"layer {t} ({net.Layers[t - 1].Kind} {net.Layers[t - 1].OutputLength}, {Activations.Name(net.Layers[t - 1].Activation)})");
            result[t].Step = t == 0 ? q.Input.Scale : q.Outputs[t - 1].Scale;
        }
        return result;
    }

    private static Dataset Sample(Dataset data, int rows)
    {
        if (rows <= 0 || data.Count <= rows) return data;
        var idx = new int[rows];
        for (int i = 0; i < rows; i++) idx[i] = (int)((long)i * data.Count / rows);
        return data.Subset(idx);
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

    /// <summary>A tensor's calibrated range: exact min/max, or percentiles of every value seen.</summary>
    private sealed class RangeCollector(double percentile)
    {
        private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;
        private readonly List<float> _values = percentile < 100 ? new List<float>() : null;

        public void Add(ReadOnlySpan<float> v)
        {
            foreach (float x in v)
            {
                if (x < _min) _min = x;
                if (x > _max) _max = x;
            }
            if (_values != null) foreach (float x in v) _values.Add(x);
        }

        public (double Min, double Max) Range()
        {
            if (_values == null || _values.Count == 0) return (_min, _max);
            _values.Sort();
            double lo = Quantile(_values, (100 - percentile) / 100), hi = Quantile(_values, percentile / 100);
            return (lo, hi);
        }

        private static double Quantile(List<float> sorted, double p)
        {
            double pos = p * (sorted.Count - 1);
            int i = (int)Math.Floor(pos);
            if (i >= sorted.Count - 1) return sorted[^1];
            return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
        }
    }
}
