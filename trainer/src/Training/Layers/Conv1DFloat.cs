using System.Numerics.Tensors;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>
/// 1-D convolution over the steps of a [steps][channels] row, in float:
/// pre[t, f] = b[f] + sum_k sum_c W[f, k, c] * x[t * stride + k - padding, c], with real zeros as padding.
/// Parameters: W as [filters][kernel][channels] (the int8 Conv1DLayer's layout), then the biases.
/// Each filter is one weight group (one int8 scale per filter on the device).
/// </summary>
public sealed class Conv1DFloat : FloatLayer
{
    public Conv1DFloat(int steps, int channels, int filters, int kernel, int stride, int padding, Activation activation)
    {
        if (steps <= 0 || channels <= 0 || filters <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || padding >= kernel)
            throw new ArgumentException($"conv1d: invalid shape (steps {steps}, channels {channels}, filters {filters}, kernel {kernel}, stride {stride}, padding {padding})");
        int outSteps = EdgeNet.Kernels.Conv1D.OutputSteps(steps, kernel, stride, padding);
        if (outSteps < 1) throw new ArgumentException($"conv1d: kernel {kernel} does not fit {steps} steps with padding {padding}");
        InputSteps = steps;
        InputChannels = channels;
        OutputSteps = outSteps;
        OutputChannels = filters;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        Activation = activation;
        AllocateParameters(filters * kernel * channels + filters);
        DecayMask.AsSpan(0, WeightCount).Fill(1f);
    }

    public readonly int Kernel, Stride, Padding;

    public override LayerKind Kind => LayerKind.Conv1D;

    public int Filters => OutputChannels;
    private int Row => Kernel * InputChannels;
    private int WeightCount => Filters * Row;

    public Span<float> Weights => Parameters.AsSpan(0, WeightCount);
    public Span<float> Bias => Parameters.AsSpan(WeightCount, Filters);

    public override (int Offset, int Length)[] WeightGroups
    {
        get
        {
            var groups = new (int, int)[Filters];
            for (int f = 0; f < Filters; f++) groups[f] = (f * Row, Row);
            return groups;
        }
    }

    public override void Initialize(Random rng, InitKind init)
    {
        InitWeights(Weights, rng, init, Row, Filters);
        Bias.Clear();
    }

    public override void Propagate(float[] input, float[] pre, int batch)
    {
        int ch = InputChannels, row = Row, inLen = InputLength, outLen = OutputLength;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.AsSpan(b * inLen, inLen);
            Span<float> y = pre.AsSpan(b * outLen, outLen);
            for (int t = 0; t < OutputSteps; t++)
            {
                // The kernel's taps that fall inside the input: a contiguous slice of x and of each filter row.
                var (k0, k1) = Taps(t);
                int s0 = t * Stride - Padding + k0, n = (k1 - k0) * ch;
                ReadOnlySpan<float> xs = x.Slice(s0 * ch, n);
                for (int f = 0; f < Filters; f++)
                {
                    y[t * Filters + f] = Parameters[WeightCount + f] + TensorPrimitives.Dot(Parameters.AsSpan(f * row + k0 * ch, n), xs);
                }
            }
        }
    }

    public override void BackPropagate(float[] input, float[] preGrad, float[] inputGrad, int batch)
    {
        int ch = InputChannels, row = Row, inLen = InputLength, outLen = OutputLength;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.AsSpan(b * inLen, inLen);
            ReadOnlySpan<float> g = preGrad.AsSpan(b * outLen, outLen);
            Span<float> dx = inputGrad == null ? default : inputGrad.AsSpan(b * inLen, inLen);
            if (inputGrad != null) dx.Clear();
            for (int t = 0; t < OutputSteps; t++)
            {
                var (k0, k1) = Taps(t);
                int s0 = t * Stride - Padding + k0, n = (k1 - k0) * ch;
                ReadOnlySpan<float> xs = x.Slice(s0 * ch, n);
                for (int f = 0; f < Filters; f++)
                {
                    float go = g[t * Filters + f];
                    if (go == 0f) continue;
                    Gradients[WeightCount + f] += go;
                    Span<float> dw = Gradients.AsSpan(f * row + k0 * ch, n);
                    TensorPrimitives.MultiplyAdd(xs, go, dw, dw);
                    if (inputGrad != null)
                    {
                        Span<float> dxs = dx.Slice(s0 * ch, n);
                        TensorPrimitives.MultiplyAdd(Parameters.AsSpan(f * row + k0 * ch, n), go, dxs, dxs);
                    }
                }
            }
        }
    }

    /// <summary>Kernel taps [k0, k1) of output step t that read real input (not padding).</summary>
    private (int, int) Taps(int t)
    {
        int first = t * Stride - Padding;
        int k0 = Math.Max(0, -first);
        int k1 = Math.Min(Kernel, InputSteps - first);
        return (k0, k1);
    }

    public override Layer Quantize(QuantParams input, double preMin, double preMax) =>
        Quantize(input, preMin, preMax, EdgeNet.Format.ModelFormat.PrecisionInt8);

    public override bool HasWideKernel => true;

    public override Layer Quantize(QuantParams input, double preMin, double preMax, int precision) =>
        QuantizationRule.QuantizeConv1D(Weights.ToArray(), Bias.ToArray(), InputSteps, InputChannels,
            Filters, Kernel, Stride, Padding, Activation, input, preMin, preMax, precision);
}
