using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>
/// The batched products of a dense layer, blocked by four. MLPs for microcontrollers are small (tens of inputs
/// and units), where one TensorPrimitives call per row and neuron costs more in call overhead and reloads than
/// its arithmetic: here four neurons share every load of an input row (forward, input gradient) and four rows
/// share every load and store of a weight-gradient row. Same results as the one-call-per-row form up to float
/// rounding (sums are grouped differently); tests/EdgeNet.Tests/Trainer/DenseMathTests.cs compares them.
/// Layouts: w [units][n], input [batch][n], pre and preGrad [batch][units], inputGrad [batch][n].
/// On x86-64 with AVX2 and FMA the products run in <see cref="DenseMathFma"/> (256-bit fused multiply-adds,
/// sums kept in registers); the portable forms below are the reference and run everywhere else.
/// </summary>
public static class DenseMath
{
    /// <summary>pre[b, o] = w[o, :] . input[b, :] + bias[o].</summary>
    public static void Forward(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> pre, int n, int units, int batch)
    {
        CheckLengths(w.Length, input.Length, pre.Length, n, units, batch);
        if (bias.Length < units) throw new ArgumentException("bias shorter than units");
        if (DenseMathFma.IsSupported) DenseMathFma.Forward(w, bias, input, pre, n, units, batch);
        else ForwardPortable(w, bias, input, pre, n, units, batch);
    }

    /// <summary>
    /// dw[o, :] += sum_b preGrad[b, o] input[b, :]; db += sum_b preGrad[b, :]; and, unless inputGrad is empty,
    /// inputGrad[b, :] = sum_o preGrad[b, o] w[o, :].
    /// </summary>
    public static void Backward(ReadOnlySpan<float> w, ReadOnlySpan<float> input, ReadOnlySpan<float> preGrad,
        Span<float> dw, Span<float> db, Span<float> inputGrad, int n, int units, int batch)
    {
        CheckLengths(w.Length, input.Length, preGrad.Length, n, units, batch);
        if (dw.Length < units * n || db.Length < units || (!inputGrad.IsEmpty && inputGrad.Length < batch * n))
            throw new ArgumentException("gradient buffers shorter than the layer");
        if (DenseMathFma.IsSupported) DenseMathFma.Backward(w, input, preGrad, dw, db, inputGrad, n, units, batch);
        else BackwardPortable(w, input, preGrad, dw, db, inputGrad, n, units, batch);
    }

    /// <summary>
    /// One row's backward pass and plain gradient-descent step in one go (incremental training: batch 1, no L2):
    /// inputGrad = preGrad . w with the weights before the step (unless empty), then w[o, i] += (preGrad[o] * input[i]) * step
    /// and bias[o] += preGrad[o] * step, step = -learning rate. Bit for bit what <see cref="Backward"/> into zeroed
    /// gradients followed by the optimizer's p += gradient * step computes (a gradient g * x formed once, rounded,
    /// then multiplied by the step, then added), without writing, reading and clearing the gradient arrays.
    /// </summary>
    public static void BackwardDescend(Span<float> w, Span<float> bias, ReadOnlySpan<float> input, ReadOnlySpan<float> preGrad,
        Span<float> inputGrad, int n, int units, float step)
    {
        CheckLengths(w.Length, input.Length, preGrad.Length, n, units, 1);
        if (bias.Length < units || (!inputGrad.IsEmpty && inputGrad.Length < n)) throw new ArgumentException("buffers shorter than the layer");
        if (DenseMathFma.IsSupported)
        {
            if (!inputGrad.IsEmpty) DenseMathFma.InputGradient(w, preGrad, inputGrad, n, units, 1);
            DenseMathFma.Descend(w, bias, input, preGrad, n, units, step);
            return;
        }
        if (!inputGrad.IsEmpty) InputGradientPortable(w, preGrad, inputGrad, n, units, 1);
        for (int o = 0; o < units; o++)
        {
            float g = preGrad[o];
            Span<float> wo = w.Slice(o * n, n);
            for (int i = 0; i < n; i++) wo[i] = g * input[i] * step + wo[i];
            bias[o] = g * step + bias[o];
        }
    }

    // The FMA path reads through unchecked references, so every length is checked here once.
    private static void CheckLengths(int w, int input, int perUnit, int n, int units, int batch)
    {
        if (n <= 0 || units <= 0 || batch <= 0) throw new ArgumentException("n, units and batch must be positive");
        if (w < units * n || input < batch * n || perUnit < batch * units) throw new ArgumentException("buffers shorter than n, units and batch need");
    }

    /// <summary>The portable forward product (Vector&lt;float&gt;, blocked by four neurons).</summary>
    public static void ForwardPortable(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> pre, int n, int units, int batch)
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

    /// <summary>The portable backward products (Vector&lt;float&gt;, blocked by four rows / neurons).</summary>
    public static void BackwardPortable(ReadOnlySpan<float> w, ReadOnlySpan<float> input, ReadOnlySpan<float> preGrad,
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

        if (!inputGrad.IsEmpty) InputGradientPortable(w, preGrad, inputGrad, n, units, batch);
    }

    /// <summary>inputGrad[b, :] = sum_o preGrad[b, o] w[o, :], four neurons at a time per row.</summary>
    private static void InputGradientPortable(ReadOnlySpan<float> w, ReadOnlySpan<float> preGrad, Span<float> inputGrad, int n, int units, int batch)
    {
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

/// <summary>
/// The dense products with 256-bit fused multiply-adds (x86-64 AVX2 + FMA), through unchecked references
/// (DenseMath checked every length). Forward: eight neurons per pass over an input row, their eight sums
/// reduced together by horizontal adds. Weight gradient: four neurons by eight (then four) columns held in registers
/// over the whole batch, so each dw element is loaded and stored once per batch, not once per row. Input gradient:
/// 32 columns held in registers while the neurons are summed. Remainders: 128-bit, then scalar.
/// </summary>
internal static class DenseMathFma
{
    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    public static void Forward(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ReadOnlySpan<float> input, Span<float> pre, int n, int units, int batch)
    {
        ref float W = ref MemoryMarshal.GetReference(w);
        ref float B = ref MemoryMarshal.GetReference(bias);
        for (int b = 0; b < batch; b++)
        {
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), b * n);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(pre), b * units);
            int o = 0;
            for (; o + 8 <= units; o += 8)
            {
                Vector256<float> s = Dot8(ref Unsafe.Add(ref W, o * n), ref x, n) + Vector256.LoadUnsafe(ref B, (nuint)o);
                s.StoreUnsafe(ref y, (nuint)o);
            }
            for (; o + 4 <= units; o += 4)
            {
                Vector128<float> s = Dot4(ref Unsafe.Add(ref W, o * n), ref x, n) + Vector128.LoadUnsafe(ref B, (nuint)o);
                s.StoreUnsafe(ref y, (nuint)o);
            }
            if (o + 2 <= units)
            {
                var (s0, s1) = Dot2(ref Unsafe.Add(ref W, o * n), ref x, n);
                Unsafe.Add(ref y, o) = s0 + Unsafe.Add(ref B, o);
                Unsafe.Add(ref y, o + 1) = s1 + Unsafe.Add(ref B, o + 1);
                o += 2;
            }
            if (o < units) Unsafe.Add(ref y, o) = Dot1(ref Unsafe.Add(ref W, o * n), ref x, n) + Unsafe.Add(ref B, o);
        }
    }

    private static (float, float) Dot2(ref float w, ref float x, int n)
    {
        Vector256<float> a0 = default, a1 = default;
        ref float w1 = ref Unsafe.Add(ref w, n);
        nuint i = 0, end = (nuint)(n & ~7);
        for (; i < end; i += 8)
        {
            Vector256<float> xv = Vector256.LoadUnsafe(ref x, i);
            a0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w, i), xv, a0);
            a1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w1, i), xv, a1);
        }
        // [a0 01, a0 23, a1 01, a1 23 | a0 45, a0 67, a1 45, a1 67] -> lanes 0 + 1 (+ upper half) = sum a0, lanes 2 + 3 = sum a1.
        Vector256<float> h = Avx.HorizontalAdd(a0, a1);
        Vector128<float> q = h.GetLower() + h.GetUpper();
        float s0 = q.GetElement(0) + q.GetElement(1), s1 = q.GetElement(2) + q.GetElement(3);
        for (; i < (nuint)n; i++)
        {
            float xi = Unsafe.Add(ref x, i);
            s0 += Unsafe.Add(ref w, i) * xi;
            s1 += Unsafe.Add(ref w1, i) * xi;
        }
        return (s0, s1);
    }

    /// <summary>The dot products of rows w[0..8) (stride n) with x, as one vector.</summary>
    private static Vector256<float> Dot8(ref float w, ref float x, int n)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        ref float w1 = ref Unsafe.Add(ref w, n), w2 = ref Unsafe.Add(ref w, 2 * n), w3 = ref Unsafe.Add(ref w, 3 * n);
        ref float w4 = ref Unsafe.Add(ref w, 4 * n), w5 = ref Unsafe.Add(ref w, 5 * n), w6 = ref Unsafe.Add(ref w, 6 * n), w7 = ref Unsafe.Add(ref w, 7 * n);
        nuint i = 0, end = (nuint)(n & ~7);
        for (; i < end; i += 8)
        {
            Vector256<float> xv = Vector256.LoadUnsafe(ref x, i);
            a0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w, i), xv, a0);
            a1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w1, i), xv, a1);
            a2 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w2, i), xv, a2);
            a3 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w3, i), xv, a3);
            a4 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w4, i), xv, a4);
            a5 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w5, i), xv, a5);
            a6 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w6, i), xv, a6);
            a7 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w7, i), xv, a7);
        }
        if ((n & 4) != 0)
        {
            // Four more columns in the lower halves (ToVector256 zeroes the upper half).
            Vector128<float> xv = Vector128.LoadUnsafe(ref x, i);
            a0 += (Vector128.LoadUnsafe(ref w, i) * xv).ToVector256();
            a1 += (Vector128.LoadUnsafe(ref w1, i) * xv).ToVector256();
            a2 += (Vector128.LoadUnsafe(ref w2, i) * xv).ToVector256();
            a3 += (Vector128.LoadUnsafe(ref w3, i) * xv).ToVector256();
            a4 += (Vector128.LoadUnsafe(ref w4, i) * xv).ToVector256();
            a5 += (Vector128.LoadUnsafe(ref w5, i) * xv).ToVector256();
            a6 += (Vector128.LoadUnsafe(ref w6, i) * xv).ToVector256();
            a7 += (Vector128.LoadUnsafe(ref w7, i) * xv).ToVector256();
            i += 4;
        }
        Vector256<float> s = Reduce8(a0, a1, a2, a3, a4, a5, a6, a7);
        if (i < (nuint)n)
        {
            Span<float> t = stackalloc float[8];
            for (nuint k = 0; k < 8; k++)
            {
                ref float wk = ref Unsafe.Add(ref w, (int)k * n);
                float r = 0;
                for (nuint j = i; j < (nuint)n; j++) r += Unsafe.Add(ref wk, j) * Unsafe.Add(ref x, j);
                t[(int)k] = r;
            }
            s += Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(t));
        }
        return s;
    }

    /// <summary>[sum a0, sum a1, ..., sum a7]: three rounds of horizontal adds, then the two halves added.</summary>
    private static Vector256<float> Reduce8(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7)
    {
        Vector256<float> h0 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3)); // [0 1 2 3 | 0 1 2 3] partial
        Vector256<float> h1 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7)); // [4 5 6 7 | 4 5 6 7] partial
        return Avx.Permute2x128(h0, h1, 0x20) + Avx.Permute2x128(h0, h1, 0x31);
    }

    private static Vector128<float> Dot4(ref float w, ref float x, int n)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        ref float w1 = ref Unsafe.Add(ref w, n), w2 = ref Unsafe.Add(ref w, 2 * n), w3 = ref Unsafe.Add(ref w, 3 * n);
        nuint i = 0, end = (nuint)(n & ~7);
        for (; i < end; i += 8)
        {
            Vector256<float> xv = Vector256.LoadUnsafe(ref x, i);
            a0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w, i), xv, a0);
            a1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w1, i), xv, a1);
            a2 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w2, i), xv, a2);
            a3 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w3, i), xv, a3);
        }
        Vector256<float> h = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
        Vector128<float> s = h.GetLower() + h.GetUpper();
        for (; i < (nuint)n; i++)
        {
            float xi = Unsafe.Add(ref x, i);
            s += Vector128.Create(Unsafe.Add(ref w, i), Unsafe.Add(ref w1, i), Unsafe.Add(ref w2, i), Unsafe.Add(ref w3, i)) * xi;
        }
        return s;
    }

    private static float Dot1(ref float w, ref float x, int n)
    {
        Vector256<float> a = default;
        nuint i = 0, end = (nuint)(n & ~7);
        for (; i < end; i += 8) a = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w, i), Vector256.LoadUnsafe(ref x, i), a);
        float s = Vector256.Sum(a);
        for (; i < (nuint)n; i++) s += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
        return s;
    }

    public static void Backward(ReadOnlySpan<float> w, ReadOnlySpan<float> input, ReadOnlySpan<float> preGrad,
        Span<float> dw, Span<float> db, Span<float> inputGrad, int n, int units, int batch)
    {
        ref float X = ref MemoryMarshal.GetReference(input);
        ref float G = ref MemoryMarshal.GetReference(preGrad);
        ref float DW = ref MemoryMarshal.GetReference(dw);
        ref float DB = ref MemoryMarshal.GetReference(db);
        for (int r = 0; r < batch; r++)
        {
            ref float g = ref Unsafe.Add(ref G, r * units);
            int k = 0;
            for (; k + 8 <= units; k += 8) (Vector256.LoadUnsafe(ref DB, (nuint)k) + Vector256.LoadUnsafe(ref g, (nuint)k)).StoreUnsafe(ref DB, (nuint)k);
            for (; k < units; k++) Unsafe.Add(ref DB, k) += Unsafe.Add(ref g, k);
        }

        // dw[o, i..i+8) for four neurons stays in registers across the batch.
        int o = 0;
        for (; o + 4 <= units; o += 4)
        {
            ref float d0 = ref Unsafe.Add(ref DW, o * n);
            ref float d1 = ref Unsafe.Add(ref d0, n), d2 = ref Unsafe.Add(ref d0, 2 * n), d3 = ref Unsafe.Add(ref d0, 3 * n);
            nuint i = 0, end = (nuint)(n & ~7);
            for (; i < end; i += 8)
            {
                Vector256<float> s0 = Vector256.LoadUnsafe(ref d0, i), s1 = Vector256.LoadUnsafe(ref d1, i);
                Vector256<float> s2 = Vector256.LoadUnsafe(ref d2, i), s3 = Vector256.LoadUnsafe(ref d3, i);
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref G, r * units + o);
                    Vector256<float> xv = Vector256.LoadUnsafe(ref X, (nuint)(r * n) + i);
                    s0 = Fma.MultiplyAdd(Vector256.Create(g), xv, s0);
                    s1 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref g, 1)), xv, s1);
                    s2 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref g, 2)), xv, s2);
                    s3 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref g, 3)), xv, s3);
                }
                s0.StoreUnsafe(ref d0, i); s1.StoreUnsafe(ref d1, i); s2.StoreUnsafe(ref d2, i); s3.StoreUnsafe(ref d3, i);
            }
            if ((n & 4) != 0)
            {
                Vector128<float> s0 = Vector128.LoadUnsafe(ref d0, i), s1 = Vector128.LoadUnsafe(ref d1, i);
                Vector128<float> s2 = Vector128.LoadUnsafe(ref d2, i), s3 = Vector128.LoadUnsafe(ref d3, i);
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref G, r * units + o);
                    Vector128<float> xv = Vector128.LoadUnsafe(ref X, (nuint)(r * n) + i);
                    s0 = Fma.MultiplyAdd(Vector128.Create(g), xv, s0);
                    s1 = Fma.MultiplyAdd(Vector128.Create(Unsafe.Add(ref g, 1)), xv, s1);
                    s2 = Fma.MultiplyAdd(Vector128.Create(Unsafe.Add(ref g, 2)), xv, s2);
                    s3 = Fma.MultiplyAdd(Vector128.Create(Unsafe.Add(ref g, 3)), xv, s3);
                }
                s0.StoreUnsafe(ref d0, i); s1.StoreUnsafe(ref d1, i); s2.StoreUnsafe(ref d2, i); s3.StoreUnsafe(ref d3, i);
                i += 4;
            }
            for (; i < (nuint)n; i++)
            {
                for (int k = 0; k < 4; k++)
                {
                    ref float d = ref Unsafe.Add(ref d0, k * n + (int)i);
                    float s = d;
                    for (int r = 0; r < batch; r++) s += Unsafe.Add(ref G, r * units + o + k) * Unsafe.Add(ref X, r * n + (int)i);
                    d = s;
                }
            }
        }
        for (; o < units; o++)
        {
            ref float d = ref Unsafe.Add(ref DW, o * n);
            nuint i = 0, end = (nuint)(n & ~7);
            for (; i < end; i += 8)
            {
                Vector256<float> s = Vector256.LoadUnsafe(ref d, i);
                for (int r = 0; r < batch; r++)
                    s = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref G, r * units + o)), Vector256.LoadUnsafe(ref X, (nuint)(r * n) + i), s);
                s.StoreUnsafe(ref d, i);
            }
            for (; i < (nuint)n; i++)
            {
                float s = Unsafe.Add(ref d, i);
                for (int r = 0; r < batch; r++) s += Unsafe.Add(ref G, r * units + o) * Unsafe.Add(ref X, r * n + (int)i);
                Unsafe.Add(ref d, i) = s;
            }
        }

        if (!inputGrad.IsEmpty) InputGradient(w, preGrad, inputGrad, n, units, batch);
    }

    /// <summary>
    /// w[o, :] += (preGrad[o] * input[:]) * step, bias[o] += preGrad[o] * step for one row: the product rounded, then
    /// scaled, then added, as the separate gradient and optimizer passes do (no fused multiply-add here).
    /// </summary>
    public static void Descend(Span<float> w, Span<float> bias, ReadOnlySpan<float> input, ReadOnlySpan<float> preGrad, int n, int units, float step)
    {
        ref float W = ref MemoryMarshal.GetReference(w);
        ref float X = ref MemoryMarshal.GetReference(input);
        ref float G = ref MemoryMarshal.GetReference(preGrad);
        ref float B = ref MemoryMarshal.GetReference(bias);
        Vector256<float> vs = Vector256.Create(step);
        for (int o = 0; o < units; o++)
        {
            float g = Unsafe.Add(ref G, o);
            ref float wo = ref Unsafe.Add(ref W, o * n);
            Vector256<float> vg = Vector256.Create(g);
            nuint i = 0, end = (nuint)(n & ~7);
            for (; i < end; i += 8)
                ((vg * Vector256.LoadUnsafe(ref X, i)) * vs + Vector256.LoadUnsafe(ref wo, i)).StoreUnsafe(ref wo, i);
            for (; i < (nuint)n; i++) Unsafe.Add(ref wo, i) = g * Unsafe.Add(ref X, i) * step + Unsafe.Add(ref wo, i);
            Unsafe.Add(ref B, o) = g * step + Unsafe.Add(ref B, o);
        }
    }

    /// <summary>inputGrad[b, :] = sum_o preGrad[b, o] w[o, :]: 32 (then 8) columns in registers while the neurons are summed.</summary>
    public static void InputGradient(ReadOnlySpan<float> w, ReadOnlySpan<float> preGrad, Span<float> inputGrad, int n, int units, int batch)
    {
        ref float G = ref MemoryMarshal.GetReference(preGrad);
        ref float W = ref MemoryMarshal.GetReference(w);
        ref float DX = ref MemoryMarshal.GetReference(inputGrad);
        for (int r = 0; r < batch; r++)
        {
            ref float g = ref Unsafe.Add(ref G, r * units);
            ref float dx = ref Unsafe.Add(ref DX, r * n);
            nuint i = 0;
            // 32 columns in four registers while every neuron's contribution is added; neurons with a zero
            // gradient (ReLU) are skipped.
            for (; i + 32 <= (nuint)n; i += 32)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int k = 0; k < units; k++)
                {
                    float gk = Unsafe.Add(ref g, k);
                    if (gk == 0f) continue;
                    var c = Vector256.Create(gk);
                    ref float wk = ref Unsafe.Add(ref W, k * n);
                    s0 = Fma.MultiplyAdd(c, Vector256.LoadUnsafe(ref wk, i), s0);
                    s1 = Fma.MultiplyAdd(c, Vector256.LoadUnsafe(ref wk, i + 8), s1);
                    s2 = Fma.MultiplyAdd(c, Vector256.LoadUnsafe(ref wk, i + 16), s2);
                    s3 = Fma.MultiplyAdd(c, Vector256.LoadUnsafe(ref wk, i + 24), s3);
                }
                s0.StoreUnsafe(ref dx, i); s1.StoreUnsafe(ref dx, i + 8); s2.StoreUnsafe(ref dx, i + 16); s3.StoreUnsafe(ref dx, i + 24);
            }
            for (; i + 8 <= (nuint)n; i += 8)
            {
                Vector256<float> s = default;
                for (int k = 0; k < units; k++)
                {
                    float gk = Unsafe.Add(ref g, k);
                    if (gk != 0f) s = Fma.MultiplyAdd(Vector256.Create(gk), Vector256.LoadUnsafe(ref Unsafe.Add(ref W, k * n), i), s);
                }
                s.StoreUnsafe(ref dx, i);
            }
            for (; i < (nuint)n; i++)
            {
                float s = 0;
                for (int k = 0; k < units; k++) s += Unsafe.Add(ref g, k) * Unsafe.Add(ref W, k * n + (int)i);
                Unsafe.Add(ref dx, i) = s;
            }
        }
    }
}
