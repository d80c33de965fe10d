using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.Training;

/// <summary>
/// The blocked dense-layer products against the plain definition computed in double: every remainder of the
/// blocking by four (neurons, rows) and of the vector width, zero gradients (the ReLU skip), with and without
/// the input gradient. Differences may only be float rounding.
/// </summary>
public class DenseMathTests
{
    // The dispatching entry points (the AVX2/FMA path where the CPU has it) and the portable reference.
    public static TheoryData<bool> Paths => new() { true, false };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Blocked_forward_and_backward_match_the_definition(bool dispatched)
    {
        var rng = new Random(77);
        int checkedValues = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            // Up to 80 inputs and 20 units: every remainder of the 32-, 8- and 4-wide blocks and of 8 and 4 neurons.
            int n = rng.Next(1, 81), units = rng.Next(1, 21), batch = rng.Next(1, 12);
            float[] w = Floats(rng, units * n), bias = Floats(rng, units), x = Floats(rng, batch * n), g = Floats(rng, batch * units);
            for (int i = 0; i < g.Length; i++) if (rng.Next(3) == 0) g[i] = 0f; // ReLU zeroes
            if (rng.Next(4) == 0) Array.Clear(g, 0, Math.Min(g.Length, 4 * units)); // a whole zero block

            var pre = new float[batch * units];
            if (dispatched) DenseMath.Forward(w, bias, x, pre, n, units, batch);
            else DenseMath.ForwardPortable(w, bias, x, pre, n, units, batch);
            for (int b = 0; b < batch; b++)
                for (int o = 0; o < units; o++)
                {
                    double s = bias[o];
                    for (int i = 0; i < n; i++) s += (double)w[o * n + i] * x[b * n + i];
                    Close(s, pre[b * units + o], n);
                    checkedValues++;
                }

            float[] dw = Floats(rng, units * n), db = Floats(rng, units);
            float[] dw0 = (float[])dw.Clone(), db0 = (float[])db.Clone();
            bool withInput = rng.Next(3) != 0;
            var dx = withInput ? Floats(rng, batch * n) : null; // stale values must be overwritten
            if (dispatched) DenseMath.Backward(w, x, g, dw, db, withInput ? dx : Span<float>.Empty, n, units, batch);
            else DenseMath.BackwardPortable(w, x, g, dw, db, withInput ? dx : Span<float>.Empty, n, units, batch);
            for (int o = 0; o < units; o++)
            {
                double sb = db0[o];
                for (int b = 0; b < batch; b++) sb += g[b * units + o];
                Close(sb, db[o], batch);
                for (int i = 0; i < n; i++)
                {
                    double s = dw0[o * n + i];
                    for (int b = 0; b < batch; b++) s += (double)g[b * units + o] * x[b * n + i];
                    Close(s, dw[o * n + i], batch);
                    checkedValues++;
                }
            }
            if (withInput)
            {
                for (int b = 0; b < batch; b++)
                    for (int i = 0; i < n; i++)
                    {
                        double s = 0;
                        for (int o = 0; o < units; o++) s += (double)g[b * units + o] * w[o * n + i];
                        Close(s, dx![b * n + i], units);
                        checkedValues++;
                    }
            }
        }
        Assert.True(checkedValues > 50_000, $"checked only {checkedValues} values");
    }

    private static void Close(double expected, float actual, int terms) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * (terms + 1) * Math.Max(1, Math.Abs(expected)),
            $"expected {expected}, got {actual}");

    private static float[] Floats(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 4 - 2);
        return a;
    }
}
