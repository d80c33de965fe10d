using EdgeNet.Engine;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.NetworkTypes;

public enum PerceptronRule
{
    /// <summary>Rosenblatt: w += rate * (t - step(w.x + b)) * x, t in {0, 1}; changes only on mistakes.</summary>
    Perceptron,
    /// <summary>Widrow-Hoff delta rule (ADALINE): w += rate * (t - (w.x + b)) * x on the linear output, t in {-1, +1}.</summary>
    Delta,
}

/// <summary>What perceptron training did.</summary>
public sealed class PerceptronResult
{
    /// <summary>Epochs run (stops at the first epoch without a misclassified row).</summary>
    public int Epochs;
    /// <summary>True when an epoch classified every training row correctly.</summary>
    public bool Converged;
    /// <summary>Misclassified training rows after each epoch.</summary>
    public List<int> Errors = new();
}

/// <summary>
/// The single-layer perceptron: one neuron, weighted sum + bias (propagation), step activation
/// (1 if the sum is >= 0, else 0), identity output. Trained by the perceptron learning rule or, as an
/// option, the delta rule; it separates two classes exactly when a hyperplane does (setosa vs the rest
/// of iris) and never when none does (XOR). On the device it is a dense layer of one unit with the step
/// table (binary output, class 1 at real 0.5).
/// </summary>
public sealed class Perceptron
{
    public Perceptron(int inputs)
    {
        Layer = new DenseFloat(inputs, 1, Activation.Step);
    }

    /// <summary>The neuron as a float layer: Parameters = weights then bias.</summary>
    public readonly DenseFloat Layer;

    public int Inputs => Layer.Inputs;

    public float Sum(ReadOnlySpan<float> x)
    {
        float s = Layer.Parameters[Inputs];
        for (int i = 0; i < Inputs; i++) s += Layer.Parameters[i] * x[i];
        return s;
    }

    /// <summary>step(w.x + b): 1 or 0.</summary>
    public int Classify(ReadOnlySpan<float> x) => Sum(x) >= 0 ? 1 : 0;

    /// <summary>
    /// Trains on rows x (already normalized) with labels y in {0, 1}, visiting rows in a seeded shuffled
    /// order each epoch, until an epoch makes no mistake or maxEpochs pass.
    /// </summary>
    public PerceptronResult Train(float[][] x, int[] y, PerceptronRule rule, float rate, int maxEpochs, int seed)
    {
        var rng = new Random(seed);
        float[] p = Layer.Parameters;
        Array.Clear(p);
        int[] order = Enumerable.Range(0, x.Length).ToArray();
        var result = new PerceptronResult();
        for (int epoch = 1; epoch <= maxEpochs; epoch++)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            foreach (int r in order)
            {
                float error = rule == PerceptronRule.Perceptron
                    ? y[r] - Classify(x[r])
                    : (2 * y[r] - 1) - Sum(x[r]);
                if (error == 0f) continue;
                for (int i = 0; i < Inputs; i++) p[i] += rate * error * x[r][i];
                p[Inputs] += rate * error;
            }
            int mistakes = 0;
            for (int r = 0; r < x.Length; r++) if (Classify(x[r]) != y[r]) mistakes++;
            result.Errors.Add(mistakes);
            result.Epochs = epoch;
            if (mistakes == 0) { result.Converged = true; break; }
        }
        return result;
    }

    /// <summary>
    /// The int8 device model: normalization folded into the input quantizer, the neuron as a one-unit dense
    /// layer with the step table, calibrated on the given raw rows.
    /// </summary>
    public Model ToModel(Normalization norm, float[][] rawRows, string[] featureNames, string[] classLabels)
    {
        var normalized = rawRows.Select(r => { var n = new float[r.Length]; norm.Apply(r, n); return n; }).ToArray();
        double inMin = normalized.Min(r => r.Min()), inMax = normalized.Max(r => r.Max());
        double preMin = normalized.Min(r => (double)Sum(r)), preMax = normalized.Max(r => (double)Sum(r));
        QuantParams input = QuantizationRule.ForRange(inMin, inMax);
        DenseLayer layer = QuantizationRule.QuantizeDense(Layer.Weights.ToArray(), Layer.Bias.ToArray(), Inputs, 1, Activation.Step, input, preMin, preMax);
        var maxAbs = new double[Inputs];
        foreach (float[] r in rawRows) for (int i = 0; i < Inputs; i++) maxAbs[i] = Math.Max(maxAbs[i], Math.Abs(r[i]));
        return new Model
        {
            Name = "perceptron", ClassLabels = classLabels, FeatureNames = featureNames,
            Input = QuantizationRule.QuantizeInput(norm.Mean, norm.Std, maxAbs, input), Layers = new EdgeNet.Layers.Layer[] { layer },
        };
    }
}
