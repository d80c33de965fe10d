using System.Numerics;
using EdgeNet.Engine;
using EdgeNet.Layers;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>
/// An independent statement of what each layer computes, in arbitrary-precision integers and the plainest
/// loops: padding materialized as zero-point values, recurrent matrices expanded to full size with zeros,
/// rounding written as floor division. Keeps its own recurrent state. Used to check the shared kernels.
/// </summary>
public sealed class NaiveLayers
{
    private readonly Model _model;
    private readonly sbyte[]?[] _state;

    public NaiveLayers(Model model)
    {
        _model = model;
        _state = new sbyte[]?[model.Layers.Length];
    }

    public sbyte[][] Run(sbyte[] input)
    {
        var outputs = new sbyte[_model.Layers.Length][];
        sbyte[] x = input;
        for (int l = 0; l < outputs.Length; l++)
        {
            outputs[l] = Layer(l, _model.Layers[l], x);
            x = outputs[l];
        }
        return outputs;
    }

    private sbyte[] Layer(int index, Layer layer, sbyte[] x)
    {
        switch (layer)
        {
            case DenseLayer d:
                return Dense(d, x);
            case Conv1DLayer c:
                return Conv(c, x);
            case Pool1DLayer p:
                return Pool(p, x);
            case RecurrentLayer r:
            {
                sbyte[] state = _state[index] ??= Filled(r.OutputChannels, r.OutputZeroPoint);
                sbyte[] y = Recurrent(r, x, state, r.OutputZeroPoint);
                _state[index] = y;
                return y;
            }
            case IndirectRecurrentLayer b:
            {
                sbyte[] state = _state[index] ??= Filled(b.OutputChannels, b.OutputZeroPoint);
                sbyte[] hidden = Recurrent(b.Hidden, x, state, b.OutputZeroPoint);
                sbyte[] y = Dense(b.Output, hidden);
                _state[index] = y;
                return y;
            }
            default:
                throw new NotSupportedException(layer.Kind.ToString());
        }
    }

    private static sbyte[] Filled(int n, int value) => Enumerable.Repeat((sbyte)value, n).ToArray();

    private static sbyte[] Dense(DenseLayer d, sbyte[] x)
    {
        var y = new sbyte[d.OutputChannels];
        int n = d.InputLength;
        for (int o = 0; o < y.Length; o++)
        {
            BigInteger acc = d.Bias[o];
            for (int i = 0; i < n; i++) acc += d.Weights[o * n + i] * x[i];
            y[o] = Finish(d, Scale(acc, d.Multiplier[o], d.Shift[o]));
        }
        return y;
    }

    private static sbyte[] Conv(Conv1DLayer c, sbyte[] x)
    {
        int steps = c.InputSteps, ch = c.InputChannels, k = c.KernelSize;
        int paddedSteps = steps + 2 * c.Padding;
        var padded = new int[paddedSteps * ch];
        for (int s = 0; s < paddedSteps; s++)
        {
            for (int i = 0; i < ch; i++)
            {
                int src = s - c.Padding;
                padded[s * ch + i] = src >= 0 && src < steps ? x[src * ch + i] : c.InputZeroPoint;
            }
        }
        int outSteps = (paddedSteps - k) / c.Stride + 1;
        Assert.Equal(outSteps, c.OutputSteps);
        var y = new sbyte[outSteps * c.OutputChannels];
        for (int t = 0; t < outSteps; t++)
        {
            for (int f = 0; f < c.OutputChannels; f++)
            {
                BigInteger acc = c.Bias[f];
                for (int j = 0; j < k; j++)
                {
                    for (int i = 0; i < ch; i++)
                    {
                        acc += c.Weights[(f * k + j) * ch + i] * (padded[(t * c.Stride + j) * ch + i] - c.InputZeroPoint);
                    }
                }
                y[t * c.OutputChannels + f] = Finish(c, Scale(acc, c.Multiplier[f], c.Shift[f]));
            }
        }
        return y;
    }

    private static sbyte[] Pool(Pool1DLayer p, sbyte[] x)
    {
        int ch = p.InputChannels;
        var y = new sbyte[p.OutputSteps * ch];
        for (int t = 0; t < p.OutputSteps; t++)
        {
            for (int i = 0; i < ch; i++)
            {
                var window = Enumerable.Range(0, p.PoolSize).Select(j => (int)x[(t * p.Stride + j) * ch + i]).ToArray();
                BigInteger v = p is MaxPool1DLayer
                    ? window.Max()
                    : p.InputZeroPoint + (long)Math.Round(window.Sum(q => q - p.InputZeroPoint) / (double)p.PoolSize, MidpointRounding.AwayFromZero);
                y[t * ch + i] = Finish(p, v - p.RequantZeroPoint);
            }
        }
        return y;
    }

    private static sbyte[] Recurrent(RecurrentLayer r, sbyte[] x, sbyte[] state, int stateZeroPoint)
    {
        int units = r.OutputChannels, n = r.InputLength, f = state.Length;
        var u = new int[units, f];
        int at = 0;
        for (int o = 0; o < units; o++)
        {
            for (int j = 0; j < f; j++)
            {
                bool stored = r.Feedback switch
                {
                    Feedback.Direct => j == o,
                    Feedback.Lateral => j != o,
                    _ => true,
                };
                if (stored) u[o, j] = r.FeedbackWeights[at++];
            }
        }
        Assert.Equal(r.FeedbackWeights.Length, at);
        var y = new sbyte[units];
        for (int o = 0; o < units; o++)
        {
            BigInteger a = r.Bias[o];
            for (int i = 0; i < n; i++) a += r.Weights[o * n + i] * (x[i] - r.InputZeroPoint);
            BigInteger b = 0;
            for (int j = 0; j < f; j++) b += u[o, j] * (state[j] - stateZeroPoint);
            BigInteger sum = Saturate32(Scale(a, r.InputMultiplier[o], r.InputShift[o]) + Scale(b, r.FeedbackMultiplier[o], r.FeedbackShift[o]));
            y[o] = Finish(r, sum);
        }
        return y;
    }

    /// <summary>floor(acc * m / 2^s + 1/2), saturated to int32.</summary>
    private static BigInteger Scale(BigInteger acc, int multiplier, int shift)
    {
        Assert.InRange(acc, int.MinValue, int.MaxValue); // the reader's accumulator bound
        BigInteger p = acc * multiplier;
        BigInteger scaled = shift == 0 ? p : FloorDiv(2 * p + (BigInteger.One << shift), BigInteger.One << (shift + 1));
        return Saturate32(scaled);
    }

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        BigInteger q = BigInteger.DivRem(a, b, out BigInteger rem);
        return rem < 0 ? q - 1 : q;
    }

    private static BigInteger Saturate32(BigInteger v) => BigInteger.Min(BigInteger.Max(v, int.MinValue), int.MaxValue);

    /// <summary>Adds the zero point, saturates, clamps, then the table if any.</summary>
    private static sbyte Finish(Layer layer, BigInteger scaled)
    {
        BigInteger v = Saturate32(scaled + layer.RequantZeroPoint);
        v = BigInteger.Min(BigInteger.Max(v, layer.ClampMin), layer.ClampMax);
        int q = (int)BigInteger.Min(BigInteger.Max(v, -128), 127);
        return layer.Table == null ? (sbyte)q : layer.Table[q + 128];
    }
}
