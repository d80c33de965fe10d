using EdgeNet.Layers;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;
using EdgeNet.Trainer.Training.Optimizers;

namespace EdgeNet.Tests.Training;

/// <summary>
/// The one-pass optimizer updates against the rules written out in double: Adam with and without L2 (weights
/// decay, biases do not) over several steps, and SGD with L2 off (fused) and on (the general path).
/// </summary>
public class OptimizerFusedTests
{
    [Theory]
    [InlineData(OptimizerKind.Adam, 0f)]
    [InlineData(OptimizerKind.Adam, 1e-2f)]
    [InlineData(OptimizerKind.Sgd, 0f)]
    [InlineData(OptimizerKind.Sgd, 1e-2f)]
    public void Fused_updates_follow_the_rule(OptimizerKind kind, float l2)
    {
        var rng = new Random(5);
        // 13 x 7 weights + 13 biases: not a multiple of the vector width, so the scalar tail runs too.
        var layer = new DenseFloat(7, 13, Activation.Relu);
        for (int k = 0; k < layer.Parameters.Length; k++) layer.Parameters[k] = (float)(rng.NextDouble() * 2 - 1);
        var options = new TrainOptions { Optimizer = kind, LearningRate = 0.01f };
        Optimizer optimizer = Optimizer.Create(options);
        int n = layer.Parameters.Length;
        double[] p = layer.Parameters.Select(x => (double)x).ToArray(), m = new double[n], v = new double[n];
        const float scale = 1f / 8;
        for (int t = 1; t <= 5; t++)
        {
            for (int k = 0; k < n; k++) layer.Gradients[k] = (float)(rng.NextDouble() * 4 - 2);
            for (int k = 0; k < n; k++)
            {
                double g = layer.Gradients[k] * (double)scale + l2 * (double)layer.DecayMask[k] * p[k];
                if (kind == OptimizerKind.Sgd)
                {
                    p[k] -= 0.01 * g;
                    continue;
                }
                m[k] = 0.9 * m[k] + 0.1 * g;
                v[k] = 0.999 * v[k] + 0.001 * g * g;
                double mHat = m[k] / (1 - Math.Pow(0.9, t)), vHat = v[k] / (1 - Math.Pow(0.999, t));
                p[k] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
            optimizer.Step([layer], scale, l2);
        }
        for (int k = 0; k < n; k++) Assert.True(Math.Abs(p[k] - layer.Parameters[k]) < 1e-5, $"parameter {k}: expected {p[k]}, got {layer.Parameters[k]}");
        Assert.Contains(layer.DecayMask, d => d == 0f); // biases are in the layer and do not decay
    }
}
