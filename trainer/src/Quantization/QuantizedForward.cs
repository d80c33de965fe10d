using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// The forward pass of quantization-aware training: the quantized model that the export rule
/// (<see cref="PostTraining.Build"/>) makes from the network's current weights, the current calibrated ranges and
/// the per-layer widths the export will use (int8, or symmetric int16 activations where the precision choice picked
/// them, with int16 weights where it picked int16x16),
/// run by the device's own <see cref="InferenceEngine"/> on each sample's raw readings. Every layer's output, in
/// its own width, is dequantized into the trainer's activation buffers, so the loss is the exported model's and the float
/// backward pass (straight-through: rounding and saturation count as identity) starts from what the device
/// computes. There is no second copy of the quantization rule: training sees exactly what `quantize` exports
/// with the same ranges and `simulate` runs. Window models push the sample's readings of its session (after a
/// reset, as the device does at a session start); streaming models (a recurrent first layer) are not supported.
/// </summary>
public sealed class QuantizedForward
{
    private readonly Network _net;
    private readonly Dataset _rows;
    private readonly int[] _sessionFirst;
    private readonly int[][] _raw;
    private QuantizeResult _q;
    private InferenceEngine _engine;
    private CalibratedRanges _builtWith;

    /// <summary>rows: the raw rows the samples come from (the training file); sessions: its session starts.</summary>
    public QuantizedForward(Network net, Dataset rows, bool[] sessions)
    {
        if (net.Streaming) throw new ArgumentException(Unsupported);
        _net = net;
        _rows = rows;
        _sessionFirst = new int[rows.Count];
        for (int r = 0; r < rows.Count; r++) _sessionFirst[r] = sessions[r] || r == 0 ? r : _sessionFirst[r - 1];
        _raw = new int[rows.Count][];
    }

    public const string Unsupported = "quantization-aware fine-tuning needs an MLP or window model; a recurrent first layer is not supported";

    /// <summary>The ranges the next <see cref="Rebuild"/> uses (calibrated by <see cref="PostTraining.Calibrate"/>).</summary>
    public CalibratedRanges Ranges;

    /// <summary>
    /// Per layer, the precision the next <see cref="Rebuild"/> gives its output (ModelFormat.PrecisionInt8 or
    /// PrecisionInt16, as <see cref="PrecisionChoice"/> reports them); null = every layer int8.
    /// </summary>
    public int[] Precisions;

    /// <summary>Per layer, 16-bit weights too (width int16x16, as <see cref="PrecisionChoice"/> reports them); null = none.</summary>
    public bool[] WideWeights;

    /// <summary>The quantized model of the last <see cref="Rebuild"/>.</summary>
    public Model Model => _q.Model;

    /// <summary>Builds the quantized model from the network's current weights (after every optimizer step).</summary>
    public void Rebuild()
    {
        _q = PostTraining.Build(_net, Ranges, Precisions, WideWeights);
        _engine = new InferenceEngine(_q.Model, keepEveryOutput: true);
        // The raw readings depend on the raw exponents only, which follow the ranges' MaxAbs.
        if (!ReferenceEquals(_builtWith, Ranges)) Array.Clear(_raw);
        _builtWith = Ranges;
    }

    /// <summary>
    /// For batch element b, sample rows[b] (a row index of the raw rows): act[0] gets the quantized input dequantized
    /// into the network's normalized units (the per-feature fold undone), act[l + 1] layer l's quantized output
    /// dequantized; output (optional) the last layer's integer values (int8 or int16), flat; saturated (optional)
    /// 1 where layer l's output sits at a limit of its grid (int8 -128 or 127; int16 beyond +-32767, the symmetric
    /// grid's ends) and 0 elsewhere, in saturated[l + 1].
    /// </summary>
    public void Run(ReadOnlySpan<int> rows, float[][] act, int[] output = null, float[][] saturated = null)
    {
        Model model = _q.Model;
        int window = _net.Window, f = _net.Normalization.Count, n = model.InputLength, layers = model.Layers.Length;
        float[] scale = _q.Ranges.FeatureScale, shift = _q.Ranges.FeatureShift;
        for (int b = 0; b < rows.Length; b++)
        {
            int r = rows[b];
            _engine.Reset();
            for (int i = Math.Max(_sessionFirst[r], r - window + 1); i <= r; i++)
                _engine.PushReading(_raw[i] ??= QuantizationRule.ToRaw(_rows.Rows[i], model.Input));
            _engine.Invoke();
            for (int i = 0; i < n; i++)
            {
                double u = _q.Input.Dequantize(_engine.TensorValue(-1, i));
                act[0][b * n + i] = scale == null ? (float)u : (float)(u * scale[i % f] + shift[i % f]);
            }
            for (int l = 0; l < layers; l++)
            {
                QuantParams p = _q.Outputs[l];
                int length = model.Layers[l].OutputLength, lowest = ModelFormat.TensorMin(p.Precision) + (p.Wide ? 1 : 0), highest = ModelFormat.TensorMax(p.Precision);
                for (int i = 0; i < length; i++)
                {
                    int y = _engine.TensorValue(l, i);
                    act[l + 1][b * length + i] = (float)p.Dequantize(y);
                    if (saturated != null) saturated[l + 1][b * length + i] = y <= lowest || y >= highest ? 1f : 0f;
                }
            }
            if (output != null)
            {
                int last = layers - 1, length = model.Layers[last].OutputLength;
                for (int i = 0; i < length; i++) output[b * length + i] = _engine.TensorValue(last, i);
            }
        }
    }
}
