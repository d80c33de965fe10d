using System.Numerics.Tensors;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>
/// A recurrent layer in float with direct, lateral or complete feedback. A training row is a sequence
/// [steps][channels]; the layer runs it from a zero state,
///   h_t = f(W x_t + U h_{t-1} + b),
/// and outputs the last state h_T (one step of `units`). Backward is backpropagation through time over
/// the whole sequence. <see cref="Step"/> runs one reading with a given state, as the device does.
/// Parameters: W [units][channels], then U in the device layout of the feedback kind (direct: [units],
/// lateral: [units][units-1] without the diagonal, complete: [units][units]), then b.
/// </summary>
public sealed class RecurrentFloat : FloatLayer
{
    public RecurrentFloat(int steps, int channels, int units, Feedback feedback, Activation activation)
    {
        if (steps <= 0 || channels <= 0 || units <= 0) throw new ArgumentException("recurrent layer needs positive steps, channels and units");
        if (feedback == Feedback.Indirect) throw new ArgumentException("indirect feedback is IndirectRecurrentFloat");
        if (activation == Activation.Step) throw new ArgumentException("step has no gradient; backpropagation through time cannot train it");
        InputSteps = steps;
        InputChannels = channels;
        OutputSteps = 1;
        OutputChannels = units;
        Feedback = feedback;
        Activation = activation;
        (_row, _col) = FeedbackPairs(feedback, units, units);
        _runs = Runs(_row, _col);
        AllocateParameters(units * channels + _row.Length + units);
        DecayMask.AsSpan(0, units * channels + _row.Length).Fill(1f);
    }

    public readonly Feedback Feedback;

    public override LayerKind Kind => LayerKind.Recurrent;

    public override string Describe() => $"{KindName} {Feedback.ToString().ToLowerInvariant()} {Units}";

    public int Units => OutputChannels;
    private int WCount => Units * InputChannels;
    private int UCount => _row.Length;

    public Span<float> InputWeights => Parameters.AsSpan(0, WCount);
    public Span<float> FeedbackWeights => Parameters.AsSpan(WCount, UCount);
    public Span<float> Bias => Parameters.AsSpan(WCount + UCount, Units);

    // Stored recurrent weight k connects state j = _col[k] to neuron o = _row[k]. The weights form runs of
    // consecutive state columns (a whole row for complete, two for lateral, one weight for direct), which
    // the loops process as vector slices: (neuron, first stored weight, first column, length).
    private readonly int[] _row, _col;
    private readonly (int Row, int K, int Col, int Length)[] _runs;

    private static (int, int, int, int)[] Runs(int[] row, int[] col)
    {
        var runs = new List<(int, int, int, int)>();
        for (int k = 0; k < row.Length;)
        {
            int n = 1;
            while (k + n < row.Length && row[k + n] == row[k] && col[k + n] == col[k] + n) n++;
            runs.Add((row[k], k, col[k], n));
            k += n;
        }
        return runs.ToArray();
    }

    // Forward keeps every state of the batch for BPTT: _h[b][t] for t = 0 (zero) .. T.
    private float[] _h = Array.Empty<float>();
    private float[] _dh, _dpre, _dhPrev;
    // Per-step scratch sized once per layer: a stackalloc per sample would grow the stack with the batch.
    private float[] _stepPre, _stepOut;

    /// <summary>Rows and columns of the stored recurrent weights of a feedback kind, in storage order.</summary>
    public static (int[] Row, int[] Col) FeedbackPairs(Feedback feedback, int units, int stateLength)
    {
        var row = new List<int>();
        var col = new List<int>();
        for (int o = 0; o < units; o++)
        {
            for (int j = 0; j < stateLength; j++)
            {
                bool stored = feedback switch
                {
                    Feedback.Direct => j == o,
                    Feedback.Lateral => j != o,
                    _ => true,
                };
                if (stored) { row.Add(o); col.Add(j); }
            }
        }
        return (row.ToArray(), col.ToArray());
    }

    public override (int Offset, int Length)[] WeightGroups
    {
        get
        {
            // One scale per neuron for its input weights and one for its recurrent weights, as on the device.
            var groups = new List<(int, int)>();
            for (int o = 0; o < Units; o++) groups.Add((o * InputChannels, InputChannels));
            int at = WCount;
            for (int o = 0; o < Units; o++)
            {
                int n = 0;
                while (at + n < WCount + UCount && _row[at - WCount + n] == o) n++;
                if (n > 0) groups.Add((at, n));
                at += n;
            }
            return groups.ToArray();
        }
    }

    public override void Initialize(Random rng, InitKind init)
    {
        InitWeights(InputWeights, rng, init, InputChannels + Math.Max(1, UCount / Units), Units);
        // Recurrent weights start small so the initial dynamics neither explode nor saturate.
        Span<float> u = FeedbackWeights;
        float a = 0.5f / MathF.Sqrt(Math.Max(1, UCount / Units));
        for (int k = 0; k < u.Length; k++) u[k] = (float)(rng.NextDouble() * 2 - 1) * a;
        Bias.Clear();
    }

    /// <summary>One step: pre = W x + U hPrev + b, h = f(pre). x has InputChannels values.</summary>
    public void Step(ReadOnlySpan<float> x, ReadOnlySpan<float> hPrev, Span<float> pre, Span<float> h)
    {
        int c = InputChannels;
        ReadOnlySpan<float> w = Parameters.AsSpan(0, WCount);
        for (int o = 0; o < Units; o++) pre[o] = Parameters[WCount + UCount + o] + TensorPrimitives.Dot(w.Slice(o * c, c), x);
        foreach (var (o, k, j, n) in _runs) pre[o] += TensorPrimitives.Dot(Parameters.AsSpan(WCount + k, n), hPrev.Slice(j, n));
        pre.CopyTo(h);
        ActivationFunctions.Apply(Activation, h);
    }

    private void Ensure(int batch)
    {
        int need = batch * (InputSteps + 1) * Units;
        if (_h.Length < need) _h = new float[need];
        _dh ??= new float[Units];
        _dpre ??= new float[Units];
        _dhPrev ??= new float[Units];
        _stepPre ??= new float[Units];
        _stepOut ??= new float[Units];
    }

    public override void Forward(float[] input, float[] output, int batch)
    {
        Ensure(batch);
        int T = InputSteps, c = InputChannels, u = Units;
        Span<float> pre = _stepPre;
        for (int b = 0; b < batch; b++)
        {
            int hb = b * (T + 1) * u;
            _h.AsSpan(hb, u).Clear();
            for (int t = 0; t < T; t++)
            {
                Step(input.AsSpan((b * T + t) * c, c), _h.AsSpan(hb + t * u, u), pre, _h.AsSpan(hb + (t + 1) * u, u));
            }
            _h.AsSpan(hb + T * u, u).CopyTo(output.AsSpan(b * u, u));
        }
    }

    /// <summary>The pre-activation of the last step (for range collectors that call Propagate).</summary>
    public override void Propagate(float[] input, float[] pre, int batch)
    {
        Forward(input, pre, batch);
        int T = InputSteps, c = InputChannels, u = Units;
        for (int b = 0; b < batch; b++)
        {
            int hb = b * (T + 1) * u;
            Step(input.AsSpan((b * T + T - 1) * c, c), _h.AsSpan(hb + (T - 1) * u, u), pre.AsSpan(b * u, u), _stepOut);
        }
    }

    /// <summary>Backpropagation through time; outputGrad = dL/d(h_T) (overwritten).</summary>
    public override void Backward(float[] input, float[] output, float[] outputGrad, float[] inputGrad, int batch)
    {
        int T = InputSteps, c = InputChannels, u = Units;
        int bOffset = WCount + UCount;
        for (int b = 0; b < batch; b++)
        {
            int hb = b * (T + 1) * u;
            outputGrad.AsSpan(b * u, u).CopyTo(_dh);
            if (inputGrad != null) inputGrad.AsSpan(b * T * c, T * c).Clear();
            for (int t = T - 1; t >= 0; t--)
            {
                ReadOnlySpan<float> h = _h.AsSpan(hb + (t + 1) * u, u);
                ReadOnlySpan<float> hPrev = _h.AsSpan(hb + t * u, u);
                ReadOnlySpan<float> x = input.AsSpan((b * T + t) * c, c);
                _dh.CopyTo(_dpre, 0);
                ActivationFunctions.MultiplyByDerivative(Activation, h, _dpre);
                Array.Clear(_dhPrev);
                for (int o = 0; o < u; o++)
                {
                    float g = _dpre[o];
                    if (g == 0f) continue;
                    Gradients[bOffset + o] += g;
                    Span<float> dw = Gradients.AsSpan(o * c, c);
                    TensorPrimitives.MultiplyAdd(x, g, dw, dw);
                    if (inputGrad != null)
                    {
                        Span<float> dx = inputGrad.AsSpan((b * T + t) * c, c);
                        TensorPrimitives.MultiplyAdd(Parameters.AsSpan(o * c, c), g, dx, dx);
                    }
                }
                foreach (var (o, k, j, n) in _runs)
                {
                    float g = _dpre[o];
                    if (g == 0f) continue;
                    Span<float> du = Gradients.AsSpan(WCount + k, n);
                    TensorPrimitives.MultiplyAdd(hPrev.Slice(j, n), g, du, du);
                    Span<float> dh = _dhPrev.AsSpan(j, n);
                    TensorPrimitives.MultiplyAdd(Parameters.AsSpan(WCount + k, n), g, dh, dh);
                }
                _dhPrev.CopyTo(_dh, 0);
            }
        }
        outputGrad.AsSpan(0, batch * u).Clear();
    }

    public override void BackPropagate(float[] input, float[] preGrad, float[] inputGrad, int batch) =>
        throw new NotSupportedException("a recurrent layer runs Backward as a whole (the activation is inside the recurrence)");

    public override Layer Quantize(QuantParams input, double preMin, double preMax) =>
        Quantize(input, preMin, preMax, EdgeNet.Format.ModelFormat.PrecisionInt8);

    public override bool HasWideKernel => true;

    public override Layer Quantize(QuantParams input, double preMin, double preMax, int precision) =>
        QuantizationRule.QuantizeRecurrent(InputWeights.ToArray(), FeedbackWeights.ToArray(), Bias.ToArray(),
            Feedback, InputChannels, Units, Activation, input, preMin, preMax, precision);
}
