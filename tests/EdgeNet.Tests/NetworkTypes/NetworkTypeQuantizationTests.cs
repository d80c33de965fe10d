using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>
/// The quantization rule of each new layer against its float layer: the int8 kernel's dequantized output
/// stays within a few output steps of the float output on random inputs (per-filter / per-neuron scales,
/// the input zero point, padding and the recurrent state's two scales all have to be right for that).
/// </summary>
public class NetworkTypeQuantizationTests
{
    private static float[] Uniform(Random rng, int n, double a) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * a)).ToArray();

    /// <summary>
    /// Max |dequantized int8 - float| in output steps, over rows of input in [-2, 3] (asymmetric on purpose).
    /// For a table activation the error is counted in pre-activation steps instead (the table's input
    /// resolution; tanh has slope at most 1, so one pre-activation step moves the output by at most that).
    /// </summary>
    private static double WorstError(FloatLayer f, Func<QuantParams, double, double, Layer> quantize, int rows, int seed)
    {
        var rng = new Random(seed);
        f.Initialize(rng, Trainer.Training.InitKind.Xavier);
        for (int i = 0; i < f.Parameters.Length; i++) f.Parameters[i] += (float)(rng.NextDouble() - 0.5) * 0.3f;
        // Different scales per output channel, so a shared scale would lose precision visibly.
        var inGroup = new bool[f.Parameters.Length];
        foreach (var (offset, length) in f.WeightGroups)
        {
            float k = (float)Math.Pow(10, rng.NextDouble() * 2 - 1);
            for (int i = offset; i < offset + length; i++) { f.Parameters[i] *= k; inGroup[i] = true; }
        }
        // Sizeable biases, so a bias at the wrong scale shows.
        for (int i = 0; i < inGroup.Length; i++) if (!inGroup[i]) f.Parameters[i] = (float)(rng.NextDouble() * 4 - 2);
        var x = Enumerable.Range(0, rows * f.InputLength).Select(_ => (float)(rng.NextDouble() * 5 - 2)).ToArray();
        var pre = new float[rows * f.OutputLength];
        f.Propagate(x, pre, rows);
        var y = new float[rows * f.OutputLength];
        f.Forward(x, y, rows);
        QuantParams input = QuantizationRule.ForRange(-2, 3);
        Layer q = quantize(input, pre.Min(), pre.Max());
        double step = Activations.UsesTable(q.Activation) ? Math.Max(q.OutputScale, QuantizationRule.ForRange(pre.Min(), pre.Max()).Scale) : q.OutputScale;
        double worst = 0;
        var qx = new sbyte[f.InputLength];
        var qy = new sbyte[q.OutputLength];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < qx.Length; i++) qx[i] = input.Quantize(x[r * f.InputLength + i]);
            q.ResetState();
            q.Invoke(qx, qy);
            for (int o = 0; o < qy.Length; o++)
            {
                double real = q.OutputScale * (qy[o] - q.OutputZeroPoint);
                worst = Math.Max(worst, Math.Abs(real - y[r * f.OutputLength + o]) / step);
            }
        }
        return worst;
    }

    [Theory]
    [InlineData(6, 3, 4, 3, 1, 1)]
    [InlineData(9, 2, 5, 4, 2, 2)]
    [InlineData(5, 4, 3, 1, 1, 0)]
    public void Conv1d_int8_follows_float(int steps, int channels, int filters, int kernel, int stride, int padding)
    {
        var f = new Conv1DFloat(steps, channels, filters, kernel, stride, padding, Activation.Identity);
        double worst = WorstError(f, (input, lo, hi) => f.Quantize(input, lo, hi), rows: 50, seed: steps);
        Assert.InRange(worst, 0, 3.0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pooling_int8_follows_float(bool max)
    {
        var f = new Pool1DFloat(max, 7, 3, 3, 2);
        // Pooling adds at most half a step (the average's rounding) to the input's own quantization error.
        double worst = WorstError(f, (input, lo, hi) => f.Quantize(input, lo, hi), rows: 50, seed: 3);
        Assert.InRange(worst, 0, 1.0 + 1e-9);
    }

    [Theory]
    [InlineData(Feedback.Direct)]
    [InlineData(Feedback.Lateral)]
    [InlineData(Feedback.Complete)]
    public void Recurrent_step_int8_follows_float(Feedback feedback)
    {
        // One step from the zero state: the input part's scale; the feedback part is checked over a stream below.
        var f = new RecurrentFloat(1, 4, 5, feedback, Activation.Tanh);
        double worst = WorstError(f, (input, lo, hi) => f.Quantize(input, lo, hi), rows: 50, seed: (int)feedback);
        Assert.InRange(worst, 0, 3.0);
    }

    [Theory]
    [InlineData(Feedback.Direct)]
    [InlineData(Feedback.Lateral)]
    [InlineData(Feedback.Complete)]
    public void Recurrent_stream_int8_follows_float_through_its_state(Feedback feedback)
    {
        var rng = new Random(10 + (int)feedback);
        var f = new RecurrentFloat(1, 3, 4, feedback, Activation.Tanh);
        f.Initialize(rng, Trainer.Training.InitKind.Xavier);
        for (int k = 0; k < f.FeedbackWeights.Length; k++) f.FeedbackWeights[k] = (float)((rng.NextDouble() * 2 - 1) * 0.9);
        QuantParams input = QuantizationRule.ForRange(-2, 2);
        var q = (RecurrentLayer)f.Quantize(input, -4, 4);
        float[] h = new float[4], pre = new float[4], next = new float[4];
        var qx = new sbyte[3];
        var qy = new sbyte[4];
        double worst = 0;
        for (int t = 0; t < 200; t++)
        {
            float[] x = Uniform(rng, 3, 2);
            f.Step(x, h, pre, next);
            next.CopyTo(h, 0);
            for (int i = 0; i < 3; i++) qx[i] = input.Quantize(x[i]);
            q.Invoke(qx, qy);
            for (int o = 0; o < 4; o++) worst = Math.Max(worst, Math.Abs(q.OutputScale * (qy[o] - q.OutputZeroPoint) - h[o]));
        }
        // Each step adds the table's error (half a pre-activation step, 8/255/2, plus half an output step, 1/256)
        // and carries the previous state's error through U and tanh; over 200 steps it must stay a few steps
        // wide, not grow with t.
        double preStep = 8.0 / 255;
        Assert.InRange(worst, 0, 2 * preStep + 2.0 / 128);
    }
}
