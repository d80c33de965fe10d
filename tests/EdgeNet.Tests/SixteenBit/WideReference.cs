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
    public static int[][] Trace(Model m, int[] raw)
    {
        int precision = m.Layers[0].Precision;
        var x = new int[m.InputLength];
        for (int i = 0; i < x.Length; i++) x[i] = m.Input.ZeroPoint;
        int at = x.Length - m.FeatureCount;
        for (int f = 0; f < m.FeatureCount; f++)
        {
            BigInteger centered = Clamp((BigInteger)raw[f] - m.Input.Offset[f], int.MinValue, int.MaxValue);
            BigInteger v = Clamp(Scale(centered, m.Input.Multiplier[f], m.Input.Shift[f]) + m.Input.ZeroPoint, int.MinValue, int.MaxValue);
            x[at + f] = (int)Clamp(v, ModelFormat.TensorMin(precision), ModelFormat.TensorMax(precision));
        }
        var trace = new int[m.Layers.Length + 1][];
        trace[0] = x;
        for (int l = 0; l < m.Layers.Length; l++) trace[l + 1] = x = Layer(m.Layers[l], x);
        return trace;
    }

    private static int[] Layer(Layer layer, int[] x)
    {
        var y = new int[layer.OutputLength];
        switch (layer)
        {
            case DenseLayer d:
                for (int o = 0; o < d.OutputChannels; o++)
                {
                    // The input zero point is folded into the stored bias.
                    BigInteger acc = d.Bias[o];
                    for (int i = 0; i < d.InputLength; i++) acc += (BigInteger)d.Weights[o * d.InputLength + i] * x[i];
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
