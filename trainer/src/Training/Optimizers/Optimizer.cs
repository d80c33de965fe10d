using System.Numerics;
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
            if (UpdateFused(i, layer.Parameters, layer.Gradients, layer.DecayMask, scale, l2)) continue;
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

    /// <summary>
    /// True when a step is p += gradient * step alone (plain gradient descent without L2), so a layer can take it
    /// inside its backward pass (<see cref="FloatLayer.BackwardDescend"/>); step is what <see cref="Step"/> would use.
    /// </summary>
    public virtual bool PlainDescent(float scale, float l2, out float step)
    {
        step = 0;
        return false;
    }

    protected virtual void BeginStep() { }

    /// <summary>
    /// The whole update (g = gradients * scale + l2 * decayMask * p, then the optimizer's rule) in one pass over
    /// the parameters instead of several; false when the optimizer has no fused form for these arguments.
    /// Small networks train at millions of parameter updates per second, where each extra pass shows.
    /// </summary>
    protected virtual bool UpdateFused(int layer, float[] p, float[] gradients, float[] decayMask, float scale, float l2) => false;

    /// <summary>Applies the (mean, decayed) gradient g to parameters p of layer index i.</summary>
    protected abstract void Update(int layer, float[] p, float[] g);
}

/// <summary>Plain gradient descent: p -= lr * g.</summary>
public sealed class Sgd(float learningRate) : Optimizer(learningRate)
{
    protected override void Update(int layer, float[] p, float[] g) => TensorPrimitives.MultiplyAdd(g, -LearningRate, p, p);

    public override bool PlainDescent(float scale, float l2, out float step)
    {
        step = -LearningRate * scale; // the factor UpdateFused multiplies the gradients by
        return l2 == 0;
    }

    protected override bool UpdateFused(int layer, float[] p, float[] gradients, float[] decayMask, float scale, float l2)
    {
        if (l2 != 0) return false;
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

    protected override bool UpdateFused(int layer, float[] p, float[] gradients, float[] decayMask, float scale, float l2)
    {
        if (!_state.TryGetValue(layer, out var s)) _state[layer] = s = (new float[p.Length], new float[p.Length], new float[p.Length]);
        float c1 = 1f - MathF.Pow(Beta1, _t), c2 = 1f - MathF.Pow(Beta2, _t);
        float step = -LearningRate / c1, invC2 = 1f / c2;
        float[] m = s.M, v = s.V;
        int width = Vector<float>.Count, n = p.Length, k = 0;
        var vScale = new Vector<float>(scale);
        var vL2 = new Vector<float>(l2);
        var vB1 = new Vector<float>(Beta1);
        var vB1c = new Vector<float>(1 - Beta1);
        var vB2 = new Vector<float>(Beta2);
        var vB2c = new Vector<float>(1 - Beta2);
        var vInvC2 = new Vector<float>(invC2);
        var vEps = new Vector<float>(Epsilon);
        var vStep = new Vector<float>(step);
        for (; k + width <= n; k += width)
        {
            var pk = new Vector<float>(p, k);
            var g = new Vector<float>(gradients, k) * vScale + vL2 * new Vector<float>(decayMask, k) * pk;
            var mk = vB1 * new Vector<float>(m, k) + vB1c * g;
            var vk = vB2 * new Vector<float>(v, k) + vB2c * g * g;
            mk.CopyTo(m, k);
            vk.CopyTo(v, k);
            (pk + vStep * (mk / (Vector.SquareRoot(vk * vInvC2) + vEps))).CopyTo(p, k);
        }
        for (; k < n; k++)
        {
            float g = gradients[k] * scale + l2 * decayMask[k] * p[k];
            m[k] = Beta1 * m[k] + (1 - Beta1) * g;
            v[k] = Beta2 * v[k] + (1 - Beta2) * g * g;
            p[k] += step * (m[k] / (MathF.Sqrt(v[k] * invC2) + Epsilon));
        }
        return true;
    }

    /// <summary>The same rule step by step (the fused form above is what runs).</summary>
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
