using System.Numerics.Tensors;

namespace EdgeNet.Trainer.Training;

/// <summary>A loss over one row's network output and its class; writes dL/d(output).</summary>
public abstract class LossFunction
{
    /// <summary>Returns weight * loss and writes weight * dL/d(output) into grad.</summary>
    public abstract double Evaluate(ReadOnlySpan<float> output, int label, float weight, Span<float> grad);

    public static LossFunction For(Loss loss) => loss switch
    {
        Loss.CrossEntropy => new CrossEntropyLoss(),
        Loss.Quadratic => new QuadraticLoss(),
        _ => throw new ArgumentException($"unknown loss {loss}"),
    };
}

/// <summary>Softmax over the outputs (logits), then -log p(label). dL/dz = p - onehot(label).</summary>
public sealed class CrossEntropyLoss : LossFunction
{
    public override double Evaluate(ReadOnlySpan<float> output, int label, float weight, Span<float> grad)
    {
        // TensorPrimitives.SoftMax does not subtract the largest logit first: a logit near 89 overflows
        // exp to infinity and the loss to NaN (outlier rows of shuttle do this). Shifting changes nothing else.
        TensorPrimitives.Subtract(output, TensorPrimitives.Max(output), grad);
        TensorPrimitives.SoftMax(grad, grad);
        double p = Math.Max(grad[label], 1e-30f);
        grad[label] -= 1f;
        if (weight != 1f) TensorPrimitives.Multiply(grad, weight, grad);
        return -weight * Math.Log(p);
    }
}

/// <summary>The seed article's quadratic error: 0.5 * sum (y - t)^2 with t the one-hot target. dL/dy = y - t.</summary>
public sealed class QuadraticLoss : LossFunction
{
    public override double Evaluate(ReadOnlySpan<float> output, int label, float weight, Span<float> grad)
    {
        output.CopyTo(grad);
        grad[label] -= 1f;
        double loss = 0.5 * TensorPrimitives.SumOfSquares(grad);
        if (weight != 1f) TensorPrimitives.Multiply(grad, weight, grad);
        return weight * loss;
    }
}
