using System.Numerics;
using System.Numerics.Tensors;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>
/// The batched products of a dense layer, blocked by four. MLPs for microcontrollers are small (tens of inputs
/// and units), where one TensorPrimitives call per row and neuron costs more in call overhead and reloads than
/// its arithmetic: here four neurons share every load of an input row (forward, input gradient) and four rows
/// share every load and store of a weight-gradient row. Same results as the one-call-per-row form up to float
/// rounding (sums are grouped differently); tests/EdgeNet.Tests/Trainer/DenseMathTests.cs compares them.
/// Layouts: w [units][n], input [batch][n], pre and preGrad [batch][units], inputGrad [batch][n].
/// </summary>
public static class DenseMath
{
    /// <summary>pre[b, o] = w[o, :] . input[b, :] + bias[o].</summary>
    public static void Forward(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> pre, int n, int units, int batch)
    {
        int width = Vector<float>.Count;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> x = input.Slice(b * n, n);
            Span<float> y = pre.Slice(b * units, units);
            int o = 0;
            for (; o + 4 <= units; o += 4)
            {
                ReadOnlySpan<float> w0 = w.Slice(o * n, n), w1 = w.Slice((o + 1) * n, n), w2 = w.Slice((o + 2) * n, n), w3 = w.Slice((o + 3) * n, n);
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                int i = 0;
                for (; i + width <= n; i += width)
                {
                    var xv = new Vector<float>(x.Slice(i));
                    a0 += new Vector<float>(w0.Slice(i)) * xv;
                    a1 += new Vector<float>(w1.Slice(i)) * xv;
                    a2 += new Vector<float>(w2.Slice(i)) * xv;
                    a3 += new Vector<float>(w3.Slice(i)) * xv;
                }
                float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
                for (; i < n; i++)
                {
                    float xi = x[i];
                    s0 += w0[i] * xi; s1 += w1[i] * xi; s2 += w2[i] * xi; s3 += w3[i] * xi;
                }
                y[o] = s0 + bias[o]; y[o + 1] = s1 + bias[o + 1]; y[o + 2] = s2 + bias[o + 2]; y[o + 3] = s3 + bias[o + 3];
            }
            for (; o < units; o++) y[o] = TensorPrimitives.Dot(w.Slice(o * n, n), x) + bias[o];
        }
    }

    /// <summary>
    /// dw[o, :] += sum_b preGrad[b, o] input[b, :]; db += sum_b preGrad[b, :]; and, unless inputGrad is empty,
    /// inputGrad[b, :] = sum_o preGrad[b, o] w[o, :].
    /// </summary>
    public static void Backward(ReadOnlySpan<float> w, ReadOnlySpan<float> input, ReadOnlySpan<float> preGrad,
        Span<float> dw, Span<float> db, Span<float> inputGrad, int n, int units, int batch)
    {
        for (int b = 0; b < batch; b++) TensorPrimitives.Add(db, preGrad.Slice(b * units, units), db);

        // Weight gradients: four rows at a time per neuron. Blocks whose four gradients are all zero (ReLU) are skipped.
        for (int o = 0; o < units; o++)
        {
            Span<float> dwo = dw.Slice(o * n, n);
            int b = 0;
            for (; b + 4 <= batch; b += 4)
            {
                float g0 = preGrad[b * units + o], g1 = preGrad[(b + 1) * units + o], g2 = preGrad[(b + 2) * units + o], g3 = preGrad[(b + 3) * units + o];
                if (g0 == 0f && g1 == 0f && g2 == 0f && g3 == 0f) continue;
                Axpy4(dwo, input.Slice(b * n, n), input.Slice((b + 1) * n, n), input.Slice((b + 2) * n, n), input.Slice((b + 3) * n, n), g0, g1, g2, g3);
            }
            for (; b < batch; b++)
            {
                float g = preGrad[b * units + o];
                if (g != 0f) TensorPrimitives.MultiplyAdd(input.Slice(b * n, n), g, dwo, dwo);
            }
        }

        if (inputGrad.IsEmpty) return;
        // Input gradients: four neurons at a time per row.
        for (int b = 0; b < batch; b++)
        {
            Span<float> dx = inputGrad.Slice(b * n, n);
            ReadOnlySpan<float> g = preGrad.Slice(b * units, units);
            dx.Clear();
            int o = 0;
            for (; o + 4 <= units; o += 4)
            {
                if (g[o] == 0f && g[o + 1] == 0f && g[o + 2] == 0f && g[o + 3] == 0f) continue;
                Axpy4(dx, w.Slice(o * n, n), w.Slice((o + 1) * n, n), w.Slice((o + 2) * n, n), w.Slice((o + 3) * n, n), g[o], g[o + 1], g[o + 2], g[o + 3]);
            }
            for (; o < units; o++)
            {
                if (g[o] != 0f) TensorPrimitives.MultiplyAdd(w.Slice(o * n, n), g[o], dx, dx);
            }
        }
    }

    /// <summary>acc += c0 v0 + c1 v1 + c2 v2 + c3 v3 (one load and store of acc for four vectors).</summary>
    private static void Axpy4(Span<float> acc, ReadOnlySpan<float> v0, ReadOnlySpan<float> v1, ReadOnlySpan<float> v2, ReadOnlySpan<float> v3,
        float c0, float c1, float c2, float c3)
    {
        int width = Vector<float>.Count, n = acc.Length, i = 0;
        var k0 = new Vector<float>(c0);
        var k1 = new Vector<float>(c1);
        var k2 = new Vector<float>(c2);
        var k3 = new Vector<float>(c3);
        for (; i + width <= n; i += width)
        {
            var a = new Vector<float>(acc.Slice(i));
            a += new Vector<float>(v0.Slice(i)) * k0 + new Vector<float>(v1.Slice(i)) * k1
               + new Vector<float>(v2.Slice(i)) * k2 + new Vector<float>(v3.Slice(i)) * k3;
            a.CopyTo(acc.Slice(i));
        }
        for (; i < n; i++) acc[i] += v0[i] * c0 + v1[i] * c1 + v2[i] * c2 + v3[i] * c3;
    }
}
