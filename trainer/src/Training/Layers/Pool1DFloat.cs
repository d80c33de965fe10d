using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>
/// Max or average pooling over steps, per channel, no padding: out[t, c] over in[t * stride + p, c],
/// p in [0, pool). No parameters. The int8 layer keeps the input's quantization, so <see cref="Quantize"/>
/// ignores the calibrated range: the output range is the input's.
/// </summary>
public sealed class Pool1DFloat : FloatLayer
{
    public Pool1DFloat(bool max, int steps, int channels, int pool, int stride)
    {
        if (steps <= 0 || channels <= 0 || pool <= 0 || stride <= 0 || pool > steps)
            throw new ArgumentException($"pooling: invalid shape (steps {steps}, channels {channels}, pool {pool}, stride {stride})");
        IsMax = max;
        InputSteps = steps;
        InputChannels = channels;
        OutputSteps = Pool1DLayer.OutputStepsOf(steps, pool, stride);
        OutputChannels = channels;
        Pool = pool;
        Stride = stride;
        Activation = Activation.Identity;
        AllocateParameters(0);
    }

    public readonly bool IsMax;
    public readonly int Pool, Stride;

    public override LayerKind Kind => IsMax ? LayerKind.MaxPool1D : LayerKind.AvgPool1D;

    public override (int Offset, int Length)[] WeightGroups => Array.Empty<(int, int)>();

    public override void Initialize(Random rng, InitKind init) { }

    public override void Propagate(float[] input, float[] pre, int batch)
    {
        int ch = InputChannels, inLen = InputLength, outLen = OutputLength;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < OutputSteps; t++)
            {
                for (int c = 0; c < ch; c++)
                {
                    int first = b * inLen + t * Stride * ch + c;
                    float v = input[first];
                    for (int p = 1; p < Pool; p++)
                    {
                        float x = input[first + p * ch];
                        v = IsMax ? Math.Max(v, x) : v + x;
                    }
                    pre[b * outLen + t * ch + c] = IsMax ? v : v / Pool;
                }
            }
        }
    }

    /// <summary>Max: the gradient goes to the first maximum (as the int8 kernel picks it); average: shared equally.</summary>
    public override void BackPropagate(float[] input, float[] preGrad, float[] inputGrad, int batch)
    {
        if (inputGrad == null) return;
        int ch = InputChannels, inLen = InputLength, outLen = OutputLength;
        Array.Clear(inputGrad, 0, batch * inLen);
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < OutputSteps; t++)
            {
                for (int c = 0; c < ch; c++)
                {
                    int first = b * inLen + t * Stride * ch + c;
                    float g = preGrad[b * outLen + t * ch + c];
                    if (IsMax)
                    {
                        int best = first;
                        for (int p = 1; p < Pool; p++)
                        {
                            if (input[first + p * ch] > input[best]) best = first + p * ch;
                        }
                        inputGrad[best] += g;
                    }
                    else
                    {
                        for (int p = 0; p < Pool; p++) inputGrad[first + p * ch] += g / Pool;
                    }
                }
            }
        }
    }

    public override bool HasWideKernel => true;

    /// <summary>Pooling keeps its input's quantization, so its precision is its input's whatever is asked.</summary>
    public override Layer Quantize(QuantParams input, double preMin, double preMax, int precision) => Quantize(input, preMin, preMax);

    public override Layer Quantize(QuantParams input, double preMin, double preMax) => IsMax
        ? QuantizationRule.QuantizeMaxPool1D(InputSteps, InputChannels, Pool, Stride, input)
        : QuantizationRule.QuantizeAvgPool1D(InputSteps, InputChannels, Pool, Stride, input);
}
