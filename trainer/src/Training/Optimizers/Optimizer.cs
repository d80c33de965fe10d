using System.Numerics.Tensors;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Training.Optimizers;

/// <summary>
/// Updates every layer's Parameters from its Gradients (summed over a batch). The gradient used is
/// Gradients * scale + L2 * DecayMask * Parameters, i.e. the batch mean plus weight decay on weights.
/// State is kept per layer, allocated on the first step.
/// </summary>
public abstract class Optimizer
{
    protected readonly float LearningRate;
    private float[][] _g;

    protected Optimizer(float learningRate) => LearningRate = learningRate;

    public static Optimizer Create(TrainOptions o) => o.Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(o.EffectiveLearningRate),
        OptimizerKind.Momentum => new Momentum(o.EffectiveLearningRate, o.Momentum),
        OptimizerKind.Adam => new Adam(o.EffectiveLearningRate),
        _ => throw new ArgumentException($"unknown optimizer {o.Optimizer}"),
    };

    public void Step(FloatLayer[] layers, float scale, float l2)
    {
        _g ??= layers.Select(l => new float[l.Parameters.Length]).ToArray();
        BeginStep();
        for (int i = 0; i < layers.Length; i++)
        {
            FloatLayer layer = layers[i];
            if (l2 == 0 && UpdateScaled(layer.Parameters, layer.Gradients, scale)) continue;
            float[] g = _g[i];
            TensorPrimitives.Multiply(layer.Gradients, scale, g);
            if (l2 > 0)
            {
                // g += l2 * mask * p
                for (int k = 0; k < g.Length; k++) g[k] += l2 * layer.DecayMask[k] * layer.Parameters[k];
            }
            Update(i, layer.Parameters, g);
        }
    }

    protected virtual void BeginStep() { }

    /// <summary>
    /// Applies gradients * scale in one pass when the optimizer has no state (saves a pass over the parameters,
    /// which matters at batch size 1); false when it cannot.
    /// </summary>
    protected virtual bool UpdateScaled(float[] p, float[] gradients, float scale) => false;

    /// <summary>Applies the (mean, decayed) gradient g to parameters p of layer index i.</summary>
    protected abstract void Update(int layer, float[] p, float[] g);
}

/// <summary>Plain gradient descent: p -= lr * g.</summary>
public sealed class Sgd(float learningRate) : Optimizer(learningRate)
{
    protected override void Update(int layer, float[] p, float[] g) => TensorPrimitives.MultiplyAdd(g, -LearningRate, p, p);

    protected override bool UpdateScaled(float[] p, float[] gradients, float scale)
    {
        TensorPrimitives.MultiplyAdd(gradients, -LearningRate * scale, p, p);
        return true;
    }
}

/// <summary>Gradient descent with momentum: v = mu * v - lr * g; p += v.</summary>
public sealed class Momentum(float learningRate, float mu) : Optimizer(learningRate)
{
    private readonly Dictionary<int, float[]> _v = new();

    protected override void Update(int layer, float[] p, float[] g)
    {
        if (!_v.TryGetValue(layer, out float[] v)) _v[layer] = v = new float[p.Length];
        TensorPrimitives.Multiply(v, mu, v);
        TensorPrimitives.MultiplyAdd(g, -LearningRate, v, v);
        TensorPrimitives.Add(p, v, p);
    }
}

/// <summary>Adam (Kingma and Ba) with beta1 0.9, beta2 0.999, epsilon 1e-8 and bias correction.</summary>
public sealed class Adam(float learningRate) : Optimizer(learningRate)
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;
    private readonly Dictionary<int, (float[] M, float[] V, float[] T)> _state = new();
    private int _t;

    protected override void BeginStep() => _t++;

    protected override void Update(int layer, float[] p, float[] g)
    {
        if (!_state.TryGetValue(layer, out var s)) _state[layer] = s = (new float[p.Length], new float[p.Length], new float[p.Length]);
        // m = b1 m + (1 - b1) g ; v = b2 v + (1 - b2) g^2
        TensorPrimitives.Multiply(s.M, Beta1, s.M);
        TensorPrimitives.MultiplyAdd(g, 1 - Beta1, s.M, s.M);
        TensorPrimitives.Multiply(s.V, Beta2, s.V);
        TensorPrimitives.Multiply(g, g, s.T);
        TensorPrimitives.MultiplyAdd(s.T, 1 - Beta2, s.V, s.V);
        float c1 = 1f - MathF.Pow(Beta1, _t), c2 = 1f - MathF.Pow(Beta2, _t);
        // p -= lr / c1 * m / (sqrt(v / c2) + eps)
        TensorPrimitives.Multiply(s.V, 1f / c2, s.T);
        TensorPrimitives.Sqrt(s.T, s.T);
        TensorPrimitives.Add(s.T, Epsilon, s.T);
        TensorPrimitives.Divide(s.M, s.T, s.T);
        TensorPrimitives.MultiplyAdd(s.T, -LearningRate / c1, p, p);
    }
}
