using EdgeNet.Layers;
using EdgeNet.Tests.Training;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>
/// Central-difference gradient checks (tests/EdgeNet.Tests/Trainer/GradientCheck.cs) of the conv1d, pooling,
/// recurrent (backpropagation through time, every feedback kind) and indirect float layers, alone and inside
/// networks with a loss. Parameters and inputs are both checked.
/// </summary>
public class NetworkTypeGradientTests
{
    private const double Tolerance = 2e-2;

    [Theory]
    [InlineData(6, 3, 4, 3, 1, 1, Activation.Tanh)]
    [InlineData(7, 2, 3, 3, 2, 0, Activation.Identity)]
    [InlineData(5, 4, 2, 5, 1, 2, Activation.Sigmoid)]
    [InlineData(8, 1, 5, 2, 3, 1, Activation.Tanh)]
    [InlineData(4, 3, 3, 1, 1, 0, Activation.Identity)]
    public void Conv1d_gradients_match(int steps, int channels, int filters, int kernel, int stride, int padding, Activation activation)
    {
        var layer = new Conv1DFloat(steps, channels, filters, kernel, stride, padding, activation);
        Assert.InRange(GradientCheck.Layer(layer, batch: 3, seed: steps * 10 + kernel), 0, Tolerance);
    }

    [Theory]
    [InlineData(true, 6, 3, 2, 2)]
    [InlineData(true, 7, 2, 3, 1)]
    [InlineData(false, 6, 3, 2, 2)]
    [InlineData(false, 7, 2, 3, 2)]
    public void Pooling_gradients_match(bool max, int steps, int channels, int pool, int stride)
    {
        var layer = new Pool1DFloat(max, steps, channels, pool, stride);
        Assert.InRange(GradientCheck.Layer(layer, batch: 3, seed: steps + pool), 0, Tolerance);
    }

    [Theory]
    [InlineData(Feedback.Direct, Activation.Tanh)]
    [InlineData(Feedback.Lateral, Activation.Tanh)]
    [InlineData(Feedback.Complete, Activation.Tanh)]
    [InlineData(Feedback.Direct, Activation.Sigmoid)]
    [InlineData(Feedback.Lateral, Activation.Identity)]
    [InlineData(Feedback.Complete, Activation.Sigmoid)]
    public void Recurrent_bptt_gradients_match(Feedback feedback, Activation activation)
    {
        var layer = new RecurrentFloat(steps: 5, channels: 3, units: 4, feedback, activation);
        Assert.InRange(GradientCheck.Layer(layer, batch: 2, seed: (int)feedback * 7 + (int)activation), 0, Tolerance);
    }

    [Theory]
    [InlineData(Activation.Tanh, Activation.Tanh)]
    [InlineData(Activation.Tanh, Activation.Identity)]
    [InlineData(Activation.Sigmoid, Activation.Tanh)]
    public void Indirect_bptt_gradients_match(Activation hidden, Activation output)
    {
        var layer = new IndirectRecurrentFloat(steps: 5, channels: 3, hidden: 4, outputs: 3, hidden, output);
        Assert.InRange(GradientCheck.Layer(layer, batch: 2, seed: 40 + (int)hidden), 0, Tolerance);
    }

    [Fact]
    public void Recurrent_gradients_reach_the_first_step()
    {
        // dL/dx at step 0 comes only through the recurrence (T - 1 state transitions): nonzero for every kind.
        foreach (Feedback feedback in new[] { Feedback.Direct, Feedback.Lateral, Feedback.Complete })
        {
            var layer = new RecurrentFloat(4, 2, 3, feedback, Activation.Tanh);
            layer.Initialize(new Random(1), InitKind.Xavier);
            var x = Enumerable.Range(0, 8).Select(i => (float)Math.Sin(i)).ToArray();
            var y = new float[3];
            layer.Forward(x, y, 1);
            var g = new float[] { 1, -1, 0.5f };
            var dx = new float[8];
            layer.Backward(x, y, g, dx, 1);
            Assert.True(Math.Abs(dx[0]) + Math.Abs(dx[1]) > 1e-6, $"{feedback}: no gradient reached the first reading");
        }
    }

    [Fact]
    public void Cnn_network_gradients_match()
    {
        var conv = new Conv1DFloat(8, 3, 4, 3, 1, 1, Activation.Tanh);
        var pool = new Pool1DFloat(false, conv.OutputSteps, 4, 2, 2);
        var conv2 = new Conv1DFloat(pool.OutputSteps, 4, 3, 2, 1, 0, Activation.Sigmoid);
        var pool2 = new Pool1DFloat(true, conv2.OutputSteps, 3, 2, 1);
        FloatLayer[] layers = { conv, pool, conv2, pool2, new DenseFloat(pool2.OutputLength, 3, Activation.Identity, pool2.OutputSteps) };
        Assert.InRange(GradientCheck.Network(layers, LossFunction.For(Loss.CrossEntropy), batch: 3, seed: 9), 0, Tolerance);
    }

    [Theory]
    [InlineData(Feedback.Direct)]
    [InlineData(Feedback.Lateral)]
    [InlineData(Feedback.Complete)]
    public void Recurrent_network_gradients_match(Feedback feedback)
    {
        FloatLayer[] layers = { new RecurrentFloat(4, 3, 5, feedback, Activation.Tanh), new DenseFloat(5, 3, Activation.Identity) };
        Assert.InRange(GradientCheck.Network(layers, LossFunction.For(Loss.CrossEntropy), batch: 3, seed: 2), 0, Tolerance);
    }

    [Fact]
    public void Indirect_network_gradients_match()
    {
        FloatLayer[] layers = { new IndirectRecurrentFloat(4, 3, 5, 3, Activation.Tanh, Activation.Tanh), new DenseFloat(3, 2, Activation.Identity) };
        Assert.InRange(GradientCheck.Network(layers, LossFunction.For(Loss.Quadratic), batch: 3, seed: 4), 0, Tolerance);
    }
}
