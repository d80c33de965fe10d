using System.Numerics.Tensors;
using EdgeNet.Layers;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// The activations of EdgeNet.Layers.Activation in float, vectorized, and their derivatives written in
/// terms of the output (so the backward pass needs no stored pre-activation). Step (the perceptron's)
/// has no useful derivative: training it needs its own rule, so the derivative refuses it.
/// </summary>
public static class ActivationFunctions
{
    public static void Apply(Activation a, Span<float> x)
    {
        switch (a)
        {
            case Activation.Identity: break;
            case Activation.Relu: TensorPrimitives.Max(x, 0f, x); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(x, x); break;
            case Activation.Tanh: TensorPrimitives.Tanh(x, x); break;
            case Activation.Step:
                for (int i = 0; i < x.Length; i++) x[i] = x[i] >= 0 ? 1f : 0f;
                break;
            default: throw new ArgumentException($"unknown activation {a}");
        }
    }

    /// <summary>grad[i] *= f'(pre[i]), with f' expressed through y = f(pre).</summary>
    public static void MultiplyByDerivative(Activation a, ReadOnlySpan<float> y, Span<float> grad)
    {
        switch (a)
        {
            case Activation.Identity: break;
            case Activation.Relu:
                for (int i = 0; i < grad.Length; i++)
                {
                    if (y[i] <= 0f) grad[i] = 0f;
                }
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < grad.Length; i++) grad[i] *= y[i] * (1f - y[i]);
                break;
            case Activation.Tanh:
                for (int i = 0; i < grad.Length; i++) grad[i] *= 1f - y[i] * y[i];
                break;
            default: throw new ArgumentException($"{a} has no derivative for backpropagation");
        }
    }

    public static Activation Parse(string name)
    {
        for (int i = 0; i < Activations.Count; i++)
        {
            if (string.Equals(Activations.Name((Activation)i), name, StringComparison.OrdinalIgnoreCase)) return (Activation)i;
        }
        throw new ArgumentException($"unknown activation '{name}' (relu, sigmoid, tanh, identity, step)");
    }
}
