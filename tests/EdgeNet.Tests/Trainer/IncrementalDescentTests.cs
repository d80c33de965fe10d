using System.Numerics.Tensors;
using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Tests.Training;

/// <summary>
/// Incremental training's fused backward-and-step (DenseMath.BackwardDescend, taken by the trainer for batch 1,
/// plain gradient descent, no L2) computes bit for bit what the general path computes: the backward pass into
/// zeroed gradients, then the optimizer's p += g * (-learning rate).
/// </summary>
public class IncrementalDescentTests
{
    [Fact]
    public void Fused_backward_and_step_equals_backward_then_update_bit_for_bit()
    {
        var rng = new Random(1507);
        for (int trial = 0; trial < 400; trial++)
        {
            int n = rng.Next(1, 41), units = rng.Next(1, 41);
            float[] w = Floats(rng, units * n), bias = Floats(rng, units), x = Floats(rng, n), g = Floats(rng, units);
            for (int o = 0; o < units; o++) if (rng.Next(4) == 0) g[o] = 0f; // ReLU zeros
            const float step = -0.1f;

            float[] dw = new float[units * n], db = new float[units], dx = new float[n];
            DenseMath.Backward(w, x, g, dw, db, dx, n, units, 1);
            float[] p = [.. w, .. bias], grads = [.. dw, .. db];
            TensorPrimitives.MultiplyAdd(grads, step, p, p); // Sgd's update with scale 1

            float[] w2 = (float[])w.Clone(), bias2 = (float[])bias.Clone(), dx2 = new float[n];
            DenseMath.BackwardDescend(w2, bias2, x, g, dx2, n, units, step);
            Assert.Equal(Bits(p), Bits([.. w2, .. bias2]));
            Assert.Equal(Bits(dx), Bits(dx2));
        }
    }

    [Fact]
    public void Incremental_training_takes_the_fused_path_and_trains_exactly_like_the_general_one()
    {
        // SGD with batch 1 takes the fused path; momentum 0 does the same arithmetic through the general one
        // (v = 0 * v + g * -lr, p += v). Every parameter after 3 epochs must match bit for bit.
        Dataset data = Synthetic(400, 6, 3);
        TrainResult fused = TrainingLoop.Train(data, Options(OptimizerKind.Sgd));
        TrainResult general = TrainingLoop.Train(data, Options(OptimizerKind.Momentum));
        for (int l = 0; l < fused.Network.Layers.Length; l++)
            Assert.Equal(Bits(general.Network.Layers[l].Parameters), Bits(fused.Network.Layers[l].Parameters));
        Assert.Equal(general.History.Select(h => h.TrainLoss), fused.History.Select(h => h.TrainLoss));
        Assert.True(fused.Network.Layers.All(l => l.HasFusedDescent));
    }

    private static TrainOptions Options(OptimizerKind kind) => new()
    {
        Hidden = [9, 5], HiddenActivation = Activation.Tanh, Loss = Loss.Quadratic, OutputActivation = Activation.Sigmoid,
        Optimizer = kind, Momentum = 0f, LearningRate = 0.1f, Epochs = 3, BatchSize = 1, Seed = 3, L2 = 0,
        Patience = 0, ValidationFraction = 0, Init = InitKind.Uniform,
    };

    private static Dataset Synthetic(int rows, int features, int classes)
    {
        var rng = new Random(11);
        var x = new float[rows][];
        var y = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            y[r] = r % classes;
            x[r] = Enumerable.Range(0, features).Select(f => (float)(rng.NextDouble() + (f % classes == y[r] ? 1 : 0))).ToArray();
        }
        return new Dataset
        {
            Name = "synthetic", SourceFile = "memory", FeatureNames = Enumerable.Range(0, features).Select(f => "f" + f).ToArray(),
            ClassLabels = Enumerable.Range(0, classes).Select(c => "c" + c).ToArray(), Rows = x, Labels = y,
            SourceLines = Enumerable.Range(2, rows).ToArray(),
        };
    }

    private static float[] Floats(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    private static int[] Bits(float[] a) => a.Select(BitConverter.SingleToInt32Bits).ToArray();
}
