using System.Numerics;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;

namespace EdgeNet.Tests.SixteenBit;

/// <summary>
/// An evaluator of quantized models written from docs/quantization.md alone, independent of the engine and its
/// kernels: every sum and product in BigInteger (no wrap, no width), rounding and saturation spelled out as the
/// rule states them. It covers what 16-bit activations add (int16 tensors, 16x8 kernels, mixed widths) for
/// dense, conv1d and pooling layers; the engine's integers must equal these on the desktop build and on the
/// nanoFramework-compiled IL.
/// </summary>
public static class WideReference
{
    /// <summary>round(v * m / 2^s), halves toward +infinity, then saturated to int32 (the rule's requantization step).</summary>
    public static BigInteger Scale(BigInteger v, int m, int s)
    {
        BigInteger p = v * m;
        if (s > 0) p = Floor(p + (BigInteger.One << (s - 1)), BigInteger.One << s);
        return Clamp(p, int.MinValue, int.MaxValue);
    }

    private static BigInteger Floor(BigInteger a, BigInteger b)
    {
        BigInteger q = BigInteger.DivRem(a, b, out BigInteger r);
        return r.Sign < 0 ? q - 1 : q;
    }

    private static BigInteger Clamp(BigInteger v, long lo, long hi) => v < lo ? lo : v > hi ? hi : v;

    /// <summary>Output stage: saturate(scaled + zero point) to int32, clamp to [min, max], then the table if any.</summary>
    private static int Output(BigInteger acc, int m, int s, Layer layer)
    {
        BigInteger v = Clamp(Scale(acc, m, s) + layer.RequantZeroPoint, int.MinValue, int.MaxValue);
        int q = (int)Clamp(v, layer.ClampMin, layer.ClampMax);
        return layer.Table != null ? layer.Table[q + 128] : q;
    }

    /// <summary>The input tensor then every layer's output, for one reading on a fresh model (window of zero points before it).</summary>
    public static int[][] Trace(Model m, int[] raw) => new Run(m).Step(raw);

    /// <summary>A model run reading by reading: the input window shifts, recurrent layers carry their state (starting at real 0).</summary>
    public sealed class Run
    {
        private readonly Model _m;
        private readonly int[] _window;
        private readonly int[]?[] _state;

        public Run(Model m)
        {
            _m = m;
            _window = Enumerable.Repeat(m.Input.ZeroPoint, m.InputLength).ToArray();
            _state = m.Layers.Select(l => l is RecurrentLayer r ? Enumerable.Repeat(r.OutputZeroPoint, r.OutputChannels).ToArray()
                : l is IndirectRecurrentLayer b ? Enumerable.Repeat(b.OutputZeroPoint, b.OutputChannels).ToArray() : null).ToArray();
        }

        /// <summary>Pushes one raw reading and returns the input tensor then every layer's output.</summary>
        public int[][] Step(int[] raw)
        {
            Model m = _m;
            int precision = m.Layers[0].Precision;
            int features = m.FeatureCount;
            Array.Copy(_window, features, _window, 0, _window.Length - features);
            int at = _window.Length - features;
            for (int f = 0; f < features; f++)
            {
                BigInteger centered = Clamp((BigInteger)raw[f] - m.Input.Offset[f], int.MinValue, int.MaxValue);
                BigInteger v = Clamp(Scale(centered, m.Input.Multiplier[f], m.Input.Shift[f]) + m.Input.ZeroPoint, int.MinValue, int.MaxValue);
                _window[at + f] = (int)Clamp(v, ModelFormat.TensorMin(precision), ModelFormat.TensorMax(precision));
            }
            var trace = new int[m.Layers.Length + 1][];
            int[] x = trace[0] = (int[])_window.Clone();
            for (int l = 0; l < m.Layers.Length; l++)
            {
                trace[l + 1] = x = Layer(m.Layers[l], x, _state[l]);
                if (_state[l] is int[] s) Array.Copy(x, s, x.Length);
            }
            return trace;
        }
    }

    /// <summary>One recurrent step: two sums scaled separately, added with saturation, then the output stage.</summary>
    private static int[] Recurrent(RecurrentLayer r, int[] x, int[] state, int stateZeroPoint)
    {
        int units = r.OutputChannels, n = r.InputLength;
        var y = new int[units];
        for (int o = 0; o < units; o++)
        {
            BigInteger inAcc = r.Bias[o];
            for (int i = 0; i < n; i++) inAcc += (BigInteger)r.Weights[o * n + i] * (x[i] - r.InputZeroPoint);
            BigInteger fbAcc = 0;
            for (int j = 0; j < state.Length; j++)
            {
                int weight = r.Feedback switch
                {
                    Feedback.Direct => j == o ? r.FeedbackWeights[o] : 0,
                    Feedback.Lateral => j == o ? 0 : r.FeedbackWeights[o * (units - 1) + (j < o ? j : j - 1)],
                    _ => r.FeedbackWeights[o * state.Length + j],
                };
                fbAcc += (BigInteger)weight * (state[j] - stateZeroPoint);
            }
            BigInteger sum = Clamp(Scale(inAcc, r.InputMultiplier[o], r.InputShift[o]) + Scale(fbAcc, r.FeedbackMultiplier[o], r.FeedbackShift[o]), int.MinValue, int.MaxValue);
            BigInteger v = Clamp(sum + r.RequantZeroPoint, int.MinValue, int.MaxValue);
            int q = (int)Clamp(v, r.ClampMin, r.ClampMax);
            y[o] = r.Table != null ? r.Table[q + 128] : q;
        }
        return y;
    }

    private static int[] Layer(Layer layer, int[] x, int[]? state)
    {
        var y = new int[layer.OutputLength];
        switch (layer)
        {
            case RecurrentLayer r:
                return Recurrent(r, x, state!, r.OutputZeroPoint);
            case IndirectRecurrentLayer b:
                return Layer(b.Output, Recurrent(b.Hidden, x, state!, b.OutputZeroPoint), null);
            case DenseLayer d:
                for (int o = 0; o < d.OutputChannels; o++)
                {
                    // The input zero point is folded into the stored bias.
                    BigInteger acc = d.Bias[o];
                    // int8 weights, or int16 ones (docs/quantization.md, "16-bit weights"): the same sum.
                    for (int i = 0; i < d.InputLength; i++) acc += (BigInteger)(d.Weights16 != null ? d.Weights16[o * d.InputLength + i] : d.Weights[o * d.InputLength + i]) * x[i];
                    y[o] = Output(acc, d.Multiplier[o], d.Shift[o], d);
                }
                break;
            case Conv1DLayer c:
                for (int t = 0; t < c.OutputSteps; t++)
                {
                    for (int f = 0; f < c.Filters; f++)
                    {
                        BigInteger acc = c.Bias[f];
                        for (int k = 0; k < c.KernelSize; k++)
                        {
                            int s = t * c.Stride - c.Padding + k;
                            if (s < 0 || s >= c.InputSteps) continue;
                            for (int ch = 0; ch < c.InputChannels; ch++)
                                acc += (BigInteger)c.Weights[(f * c.KernelSize + k) * c.InputChannels + ch] * (x[s * c.InputChannels + ch] - c.InputZeroPoint);
                        }
                        y[t * c.Filters + f] = Output(acc, c.Multiplier[f], c.Shift[f], c);
                    }
                }
                break;
            case Pool1DLayer p:
                for (int t = 0; t < p.OutputSteps; t++)
                {
                    for (int ch = 0; ch < p.InputChannels; ch++)
                    {
                        int best = int.MinValue;
                        long sum = 0;
                        for (int k = 0; k < p.PoolSize; k++)
                        {
                            int v = x[(t * p.Stride + k) * p.InputChannels + ch];
                            best = Math.Max(best, v);
                            sum += v - p.InputZeroPoint;
                        }
                        // Average: round half away from zero on the zero-point-relative sum.
                        long avg = sum >= 0 ? (sum + p.PoolSize / 2) / p.PoolSize : -((p.PoolSize / 2 - sum) / p.PoolSize);
                        long q = p.Kind == LayerKind.MaxPool1D ? best : p.InputZeroPoint + avg;
                        q = Math.Clamp(q, p.ClampMin, p.ClampMax);
                        y[t * p.InputChannels + ch] = p.Table != null ? p.Table[q + 128] : (int)q;
                    }
                }
                break;
            default:
                throw new ArgumentException("no reference for " + layer.Kind);
        }
        return y;
    }
}
