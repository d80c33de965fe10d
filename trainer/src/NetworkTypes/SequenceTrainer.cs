using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;
using EdgeNet.Trainer.Training.Optimizers;

namespace EdgeNet.Trainer.NetworkTypes;

/// <summary>
/// Mini-batch backpropagation (through time, for recurrent layers) over window samples, with the trainer's
/// losses and optimizers. Every sample is one [window][features] input; the layers' Forward/Backward do the
/// rest (a conv slides over the steps, a recurrent layer runs them in order). Deterministic for a seed.
/// </summary>
public static class SequenceTrainer
{
    /// <summary>Trains in place; returns the mean training loss of each epoch.</summary>
    public static List<double> Train(SequenceNetwork net, SequenceSet set, TrainOptions o)
    {
        var rng = new Random(o.Seed);
        foreach (FloatLayer l in net.Layers) l.Initialize(rng, o.Init);
        FloatLayer[] layers = net.Layers;
        LossFunction loss = LossFunction.For(o.Loss);
        Optimizer optimizer = Optimizer.Create(o);
        int n = set.SampleLength, batchSize = Math.Min(o.BatchSize, set.Count);
        var acts = new float[layers.Length + 1][];
        var grads = new float[layers.Length + 1][];
        acts[0] = new float[batchSize * n];
        for (int l = 0; l < layers.Length; l++)
        {
            acts[l + 1] = new float[batchSize * layers[l].OutputLength];
            grads[l + 1] = new float[batchSize * layers[l].OutputLength];
        }
        var weight = ClassWeights(set, net.ClassLabels.Length, o.ClassWeights);
        int[] order = Enumerable.Range(0, set.Count).ToArray();
        var history = new List<double>();
        int outs = layers[^1].OutputLength;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            double sum = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int batch = Math.Min(batchSize, order.Length - start);
                for (int b = 0; b < batch; b++) Array.Copy(set.X, order[start + b] * n, acts[0], b * n, n);
                for (int l = 0; l < layers.Length; l++) layers[l].Forward(acts[l], acts[l + 1], batch);
                for (int b = 0; b < batch; b++)
                {
                    int label = set.Y[order[start + b]];
                    sum += loss.Evaluate(acts[^1].AsSpan(b * outs, outs), label, weight[label], grads[^1].AsSpan(b * outs, outs));
                }
                for (int l = layers.Length - 1; l >= 0; l--) layers[l].Backward(acts[l], acts[l + 1], grads[l + 1], l == 0 ? null : grads[l], batch);
                optimizer.Step(layers, 1f / batch, o.L2);
                foreach (FloatLayer layer in layers) layer.ZeroGradients();
            }
            double mean = sum / order.Length;
            if (double.IsNaN(mean)) throw new InvalidOperationException($"training diverged at epoch {epoch + 1} (loss is NaN); lower the learning rate");
            history.Add(mean);
        }
        return history;
    }

    /// <summary>rows / (classes * rows of the class) per class when balancing, else 1.</summary>
    public static float[] ClassWeights(SequenceSet set, int classes, bool balance)
    {
        var w = new float[classes];
        var counts = new int[classes];
        foreach (int y in set.Y) counts[y]++;
        for (int c = 0; c < classes; c++) w[c] = !balance ? 1f : counts[c] == 0 ? 0f : (float)set.Count / (classes * counts[c]);
        return w;
    }
}
