using System.Numerics.Tensors;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>
/// Indirect feedback in float: a hidden layer and an output layer, the output fed back into the hidden
/// layer's input at the next step (the int8 IndirectRecurrentLayer block):
///   h_t = g(W1 x_t + V y_{t-1} + b1),   y_t = f(W2 h_t + b2),   y_0 = 0.
/// A training row is a sequence [steps][channels]; the layer outputs y_T. Backward is BPTT.
/// Parameters: W1 [hidden][channels], V [hidden][outputs], b1 [hidden], W2 [outputs][hidden], b2 [outputs].
/// <see cref="Activation"/> is f (the block's output), <see cref="HiddenActivation"/> is g.
/// </summary>
public sealed class IndirectRecurrentFloat : FloatLayer
{
    public IndirectRecurrentFloat(int steps, int channels, int hidden, int outputs, Activation hiddenActivation, Activation outputActivation)
    {
        if (steps <= 0 || channels <= 0 || hidden <= 0 || outputs <= 0) throw new ArgumentException("indirect block needs positive steps, channels, hidden units and outputs");
        if (hiddenActivation == Activation.Step || outputActivation == Activation.Step) throw new ArgumentException("step has no gradient");
        InputSteps = steps;
        InputChannels = channels;
        OutputSteps = 1;
        OutputChannels = outputs;
        Hidden = hidden;
        HiddenActivation = hiddenActivation;
        Activation = outputActivation;
        AllocateParameters(hidden * channels + hidden * outputs + hidden + outputs * hidden + outputs);
        DecayMask.AsSpan(_v, hidden * outputs).Fill(1f);
        DecayMask.AsSpan(0, hidden * channels).Fill(1f);
        DecayMask.AsSpan(_w2, outputs * hidden).Fill(1f);
    }

    public readonly int Hidden;
    public readonly Activation HiddenActivation;

    /// <summary>The hidden pre-activation's calibrated range (set before <see cref="Quantize"/>).</summary>
    public double HiddenPreMin = -1, HiddenPreMax = 1;

    public override LayerKind Kind => LayerKind.IndirectRecurrent;

    public override string Describe() => $"{KindName} {Hidden}/{Outputs}";

    public int Outputs => OutputChannels;
    private int _v => Hidden * InputChannels;
    private int _b1 => _v + Hidden * Outputs;
    private int _w2 => _b1 + Hidden;
    private int _b2 => _w2 + Outputs * Hidden;

    private float[] _h = Array.Empty<float>(), _y = Array.Empty<float>();
    private float[] _dy, _dpre2, _dh, _dpre1, _dyPrev;

    public override (int Offset, int Length)[] WeightGroups
    {
        get
        {
            var g = new List<(int, int)>();
            for (int o = 0; o < Hidden; o++) g.Add((o * InputChannels, InputChannels));
            for (int o = 0; o < Hidden; o++) g.Add((_v + o * Outputs, Outputs));
            for (int k = 0; k < Outputs; k++) g.Add((_w2 + k * Hidden, Hidden));
            return g.ToArray();
        }
    }

    public override void Initialize(Random rng, InitKind init)
    {
        InitWeights(Parameters.AsSpan(0, _v), rng, init, InputChannels + Outputs, Hidden);
        float a = 0.5f / MathF.Sqrt(Outputs);
        for (int k = _v; k < _b1; k++) Parameters[k] = (float)(rng.NextDouble() * 2 - 1) * a;
        InitWeights(Parameters.AsSpan(_w2, Outputs * Hidden), rng, init, Hidden, Outputs);
        Parameters.AsSpan(_b1, Hidden).Clear();
        Parameters.AsSpan(_b2, Outputs).Clear();
    }

    /// <summary>One step: hidden and output pre-activations and values from x and the previous output.</summary>
    public void Step(ReadOnlySpan<float> x, ReadOnlySpan<float> yPrev, Span<float> hiddenPre, Span<float> h, Span<float> outputPre, Span<float> y)
    {
        int c = InputChannels;
        for (int o = 0; o < Hidden; o++)
        {
            hiddenPre[o] = Parameters[_b1 + o] + TensorPrimitives.Dot(Parameters.AsSpan(o * c, c), x)
                + TensorPrimitives.Dot(Parameters.AsSpan(_v + o * Outputs, Outputs), yPrev);
        }
        hiddenPre.CopyTo(h);
        ActivationFunctions.Apply(HiddenActivation, h);
        for (int k = 0; k < Outputs; k++) outputPre[k] = Parameters[_b2 + k] + TensorPrimitives.Dot(Parameters.AsSpan(_w2 + k * Hidden, Hidden), h);
        outputPre.CopyTo(y);
        ActivationFunctions.Apply(Activation, y);
    }

    public override void Forward(float[] input, float[] output, int batch)
    {
        int T = InputSteps, c = InputChannels, H = Hidden, K = Outputs;
        if (_h.Length < batch * T * H) _h = new float[batch * T * H];
        if (_y.Length < batch * (T + 1) * K) _y = new float[batch * (T + 1) * K];
        Span<float> p1 = stackalloc float[H];
        Span<float> p2 = stackalloc float[K];
        for (int b = 0; b < batch; b++)
        {
            int yb = b * (T + 1) * K;
            _y.AsSpan(yb, K).Clear();
            for (int t = 0; t < T; t++)
            {
                Step(input.AsSpan((b * T + t) * c, c), _y.AsSpan(yb + t * K, K), p1, _h.AsSpan((b * T + t) * H, H), p2, _y.AsSpan(yb + (t + 1) * K, K));
            }
            _y.AsSpan(yb + T * K, K).CopyTo(output.AsSpan(b * K, K));
        }
    }

    public override void Propagate(float[] input, float[] pre, int batch)
    {
        int T = InputSteps, c = InputChannels, H = Hidden, K = Outputs;
        Forward(input, pre, batch);
        Span<float> p1 = stackalloc float[H];
        Span<float> h = stackalloc float[H];
        Span<float> y = stackalloc float[K];
        for (int b = 0; b < batch; b++)
        {
            Step(input.AsSpan((b * T + T - 1) * c, c), _y.AsSpan(b * (T + 1) * K + (T - 1) * K, K), p1, h, pre.AsSpan(b * K, K), y);
        }
    }

    public override void Backward(float[] input, float[] output, float[] outputGrad, float[] inputGrad, int batch)
    {
        int T = InputSteps, c = InputChannels, H = Hidden, K = Outputs;
        _dy ??= new float[K]; _dpre2 ??= new float[K]; _dyPrev ??= new float[K];
        _dh ??= new float[H]; _dpre1 ??= new float[H];
        for (int b = 0; b < batch; b++)
        {
            int yb = b * (T + 1) * K;
            outputGrad.AsSpan(b * K, K).CopyTo(_dy);
            if (inputGrad != null) inputGrad.AsSpan(b * T * c, T * c).Clear();
            for (int t = T - 1; t >= 0; t--)
            {
                ReadOnlySpan<float> y = _y.AsSpan(yb + (t + 1) * K, K);
                ReadOnlySpan<float> yPrev = _y.AsSpan(yb + t * K, K);
                ReadOnlySpan<float> h = _h.AsSpan((b * T + t) * H, H);
                ReadOnlySpan<float> x = input.AsSpan((b * T + t) * c, c);
                _dy.CopyTo(_dpre2, 0);
                ActivationFunctions.MultiplyByDerivative(Activation, y, _dpre2);
                Array.Clear(_dh);
                for (int k = 0; k < K; k++)
                {
                    float g = _dpre2[k];
                    if (g == 0f) continue;
                    Gradients[_b2 + k] += g;
                    Span<float> dw2 = Gradients.AsSpan(_w2 + k * H, H);
                    TensorPrimitives.MultiplyAdd(h, g, dw2, dw2);
                    TensorPrimitives.MultiplyAdd(Parameters.AsSpan(_w2 + k * H, H), g, _dh, _dh);
                }
                _dh.CopyTo(_dpre1, 0);
                ActivationFunctions.MultiplyByDerivative(HiddenActivation, h, _dpre1);
                Array.Clear(_dyPrev);
                for (int o = 0; o < H; o++)
                {
                    float g = _dpre1[o];
                    if (g == 0f) continue;
                    Gradients[_b1 + o] += g;
                    Span<float> dw1 = Gradients.AsSpan(o * c, c);
                    TensorPrimitives.MultiplyAdd(x, g, dw1, dw1);
                    Span<float> dv = Gradients.AsSpan(_v + o * K, K);
                    TensorPrimitives.MultiplyAdd(yPrev, g, dv, dv);
                    TensorPrimitives.MultiplyAdd(Parameters.AsSpan(_v + o * K, K), g, _dyPrev, _dyPrev);
                    if (inputGrad != null)
                    {
                        Span<float> dx = inputGrad.AsSpan((b * T + t) * c, c);
                        TensorPrimitives.MultiplyAdd(Parameters.AsSpan(o * c, c), g, dx, dx);
                    }
                }
                _dyPrev.CopyTo(_dy, 0);
            }
        }
        outputGrad.AsSpan(0, batch * K).Clear();
    }

    public override void BackPropagate(float[] input, float[] preGrad, float[] inputGrad, int batch) =>
        throw new NotSupportedException("an indirect block runs Backward as a whole (the activations are inside the recurrence)");

    public override Layer Quantize(QuantParams input, double preMin, double preMax) =>
        Quantize(input, preMin, preMax, EdgeNet.Format.ModelFormat.PrecisionInt8);

    public override bool HasWideKernel => true;

    public override Layer Quantize(QuantParams input, double preMin, double preMax, int precision) =>
        QuantizationRule.QuantizeIndirect(
            Parameters.AsSpan(0, _v).ToArray(), Parameters.AsSpan(_v, Hidden * Outputs).ToArray(), Parameters.AsSpan(_b1, Hidden).ToArray(),
            InputChannels, Hidden, HiddenActivation, HiddenPreMin, HiddenPreMax,
            Parameters.AsSpan(_w2, Outputs * Hidden).ToArray(), Parameters.AsSpan(_b2, Outputs).ToArray(), Outputs,
            Activation, preMin, preMax, input, precision);
}
