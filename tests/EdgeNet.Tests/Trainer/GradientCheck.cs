using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.Training;

/// <summary>
/// Numerical gradient checks by central differences: any FloatLayer (so new layer types reuse it) and any
/// loss. The probe loss L = sum_k c_k y_k with random c gives dL/dy = c for a layer check.
/// </summary>
public static class GradientCheck
{
    private const double Eps = 1e-3;

    /// <summary>Largest relative difference between analytic and numerical gradients (parameters and input).</summary>
    public static double Layer(FloatLayer layer, int batch, int seed)
    {
        var rng = new Random(seed);
        layer.Initialize(rng, InitKind.Xavier);
        for (int i = 0; i < layer.Parameters.Length; i++) layer.Parameters[i] += (float)(rng.NextDouble() - 0.5) * 0.2f; // nonzero biases
        var x = Random(rng, batch * layer.InputLength);
        var c = Random(rng, batch * layer.OutputLength);

        double Probe()
        {
            var y = new float[batch * layer.OutputLength];
            layer.Forward(x, y, batch);
            double s = 0;
            for (int i = 0; i < y.Length; i++) s += (double)c[i] * y[i];
            return s;
        }

        var output = new float[batch * layer.OutputLength];
        layer.Forward(x, output, batch);
        var grad = (float[])c.Clone();
        var dx = new float[x.Length];
        layer.ZeroGradients();
        layer.Backward(x, output, grad, dx, batch);
        double worst = 0;
        for (int i = 0; i < layer.Parameters.Length; i++) worst = Math.Max(worst, Compare(layer.Gradients[i], Numerical(layer.Parameters, i, Probe)));
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Compare(dx[i], Numerical(x, i, Probe)));
        return worst;
    }

    /// <summary>Largest relative difference for a loss's dL/d(output) on random outputs.</summary>
    public static double Loss(LossFunction loss, int outputs, float weight, int seed)
    {
        var rng = new Random(seed);
        double worst = 0;
        for (int trial = 0; trial < 10; trial++)
        {
            var y = Random(rng, outputs, 3f);
            int label = rng.Next(outputs);
            var g = new float[outputs];
            loss.Evaluate(y, label, weight, g);
            var scratch = new float[outputs];
            for (int i = 0; i < outputs; i++) worst = Math.Max(worst, Compare(g[i], Numerical(y, i, () => loss.Evaluate(y, label, weight, scratch))));
        }
        return worst;
    }

    /// <summary>Whole network: d(mean loss)/d(every parameter) through all layers, against the trainer's backward pass.</summary>
    public static double Network(FloatLayer[] layers, LossFunction loss, int batch, int seed)
    {
        var rng = new Random(seed);
        foreach (var l in layers)
        {
            l.Initialize(rng, InitKind.Xavier);
            for (int i = 0; i < l.Parameters.Length; i++) l.Parameters[i] += (float)(rng.NextDouble() - 0.5) * 0.2f;
        }
        var x = Random(rng, batch * layers[0].InputLength);
        var labels = Enumerable.Range(0, batch).Select(_ => rng.Next(layers[^1].OutputLength)).ToArray();
        int outs = layers[^1].OutputLength;

        float[][] Forward()
        {
            var acts = new float[layers.Length + 1][];
            acts[0] = x;
            for (int l = 0; l < layers.Length; l++)
            {
                acts[l + 1] = new float[batch * layers[l].OutputLength];
                layers[l].Forward(acts[l], acts[l + 1], batch);
            }
            return acts;
        }

        double Total()
        {
            var y = Forward()[^1];
            var scratch = new float[outs];
            double s = 0;
            for (int b = 0; b < batch; b++) s += loss.Evaluate(y.AsSpan(b * outs, outs), labels[b], 1f, scratch);
            return s;
        }

        var a = Forward();
        var grads = new float[layers.Length + 1][];
        grads[layers.Length] = new float[batch * outs];
        for (int b = 0; b < batch; b++) loss.Evaluate(a[^1].AsSpan(b * outs, outs), labels[b], 1f, grads[layers.Length].AsSpan(b * outs, outs));
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            layers[l].ZeroGradients();
            grads[l] = new float[batch * layers[l].InputLength];
            layers[l].Backward(a[l], a[l + 1], grads[l + 1], grads[l], batch);
        }
        double worst = 0;
        foreach (var layer in layers)
        {
            for (int i = 0; i < layer.Parameters.Length; i++) worst = Math.Max(worst, Compare(layer.Gradients[i], Numerical(layer.Parameters, i, Total)));
        }
        return worst;
    }

    private static double Numerical(float[] values, int i, Func<double> f)
    {
        float keep = values[i];
        values[i] = (float)(keep + Eps);
        double plus = f();
        values[i] = (float)(keep - Eps);
        double minus = f();
        values[i] = keep;
        return (plus - minus) / (2 * Eps);
    }

    // Relative difference with a floor, so tiny gradients compare absolutely (float forward passes).
    private static double Compare(double analytic, double numerical) =>
        Math.Abs(analytic - numerical) / Math.Max(1e-2, Math.Abs(analytic) + Math.Abs(numerical));

    private static float[] Random(Random rng, int n, float scale = 1f)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }
}
