using EdgeNet.Layers;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.Training;

public class GradientCheckTests
{
    private const double Tolerance = 2e-2;

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void Dense_layer_gradients_match_central_differences(Activation activation)
    {
        Assert.InRange(GradientCheck.Layer(new DenseFloat(5, 4, activation), batch: 3, seed: 11), 0, Tolerance);
        // A dense layer over a window of 2 steps x 3 channels flattens it.
        Assert.InRange(GradientCheck.Layer(new DenseFloat(6, 2, activation, inputSteps: 2), batch: 2, seed: 12), 0, Tolerance);
    }

    [Theory]
    [InlineData(Loss.CrossEntropy, 1f)]
    [InlineData(Loss.CrossEntropy, 2.5f)]
    [InlineData(Loss.Quadratic, 1f)]
    [InlineData(Loss.Quadratic, 0.3f)]
    public void Loss_gradients_match_central_differences(Loss loss, float weight)
    {
        Assert.InRange(GradientCheck.Loss(LossFunction.For(loss), outputs: 4, weight, seed: 5), 0, Tolerance);
    }

    [Theory]
    [InlineData(Loss.CrossEntropy, Activation.Relu, Activation.Identity)]
    [InlineData(Loss.CrossEntropy, Activation.Tanh, Activation.Identity)]
    [InlineData(Loss.Quadratic, Activation.Sigmoid, Activation.Sigmoid)]
    [InlineData(Loss.Quadratic, Activation.Relu, Activation.Identity)]
    public void Network_gradients_match_central_differences(Loss loss, Activation hidden, Activation output)
    {
        FloatLayer[] layers = { new DenseFloat(4, 5, hidden), new DenseFloat(5, 3, hidden), new DenseFloat(3, 3, output) };
        Assert.InRange(GradientCheck.Network(layers, LossFunction.For(loss), batch: 4, seed: 3), 0, Tolerance);
    }

    [Fact]
    public void A_wrong_gradient_is_caught()
    {
        // The check itself must be able to fail: a layer whose backward pass is off by 10 %.
        Assert.True(GradientCheck.Layer(new SkewedDense(4, 3), batch: 2, seed: 1) > 0.04);
    }

    private sealed class SkewedDense(int inputs, int units) : FloatLayerWrapper(new DenseFloat(inputs, units, Activation.Tanh))
    {
        public override void BackPropagate(float[] input, float[] preGrad, float[] inputGrad, int batch)
        {
            base.BackPropagate(input, preGrad, inputGrad, batch);
            for (int i = 0; i < Gradients.Length; i++) Gradients[i] *= 1.1f;
        }
    }

    /// <summary>Delegates to an inner layer that shares its parameter arrays.</summary>
    private class FloatLayerWrapper : FloatLayer
    {
        private readonly FloatLayer _inner;

        protected FloatLayerWrapper(FloatLayer inner)
        {
            _inner = inner;
            InputSteps = inner.InputSteps; InputChannels = inner.InputChannels;
            OutputSteps = inner.OutputSteps; OutputChannels = inner.OutputChannels;
            Activation = inner.Activation;
            Parameters = inner.Parameters; Gradients = inner.Gradients; DecayMask = inner.DecayMask;
        }

        public override EdgeNet.Layers.LayerKind Kind => _inner.Kind;
        public override (int Offset, int Length)[] WeightGroups => _inner.WeightGroups;
        public override void Initialize(Random rng, InitKind init) => _inner.Initialize(rng, init);
        public override void Propagate(float[] input, float[] pre, int batch) => _inner.Propagate(input, pre, batch);
        public override void BackPropagate(float[] input, float[] preGrad, float[] inputGrad, int batch) => _inner.BackPropagate(input, preGrad, inputGrad, batch);
        public override EdgeNet.Layers.Layer Quantize(EdgeNet.Quantization.QuantParams input, double preMin, double preMax) => _inner.Quantize(input, preMin, preMax);
    }
}
