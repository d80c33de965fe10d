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
        StableSoftMax(output, grad);
        double p = Math.Max(grad[label], 1e-30f);
        grad[label] -= 1f;
        if (weight != 1f) TensorPrimitives.Multiply(grad, weight, grad);
        return -weight * Math.Log(p);
    }

    /// <summary>softmax(x) computed as exp(x - max) / sum, so large logits cannot overflow to infinity.</summary>
    public static void StableSoftMax(ReadOnlySpan<float> x, Span<float> dest)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, dest);
        TensorPrimitives.Exp(dest, dest);
        TensorPrimitives.Divide(dest, TensorPrimitives.Sum(dest), dest);
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
