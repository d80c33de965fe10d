using EdgeNet.Trainer.Training;

namespace EdgeNet.Tests.Training;

/// <summary>
/// Large logits (outlier rows, e.g. shuttle's 77-sigma readings) must not overflow the softmax: before the
/// fix, TensorPrimitives.SoftMax of a logit of 100 gave NaN and training stopped at epoch 1.
/// </summary>
public class SoftmaxOverflowTests
{
    [Fact]
    public void Cross_entropy_stays_finite_for_large_logits()
    {
        var grad = new float[3];
        double loss = new CrossEntropyLoss().Evaluate([1000f, 0f, -5f], 1, 1f, grad);
        Assert.True(double.IsFinite(loss) && loss > 60, $"loss {loss}"); // p(label) underflows to 0; the loss clamps it
        Assert.Equal([1f, -1f, 0f], grad);              // p - onehot: p = (1, 0, 0)

        double right = new CrossEntropyLoss().Evaluate([1000f, 0f, -5f], 0, 1f, grad);
        Assert.Equal(0.0, right, 6);                    // -log 1
    }

    [Fact]
    public void Cross_entropy_matches_the_textbook_value_for_small_logits()
    {
        var grad = new float[2];
        double loss = new CrossEntropyLoss().Evaluate([1f, 0f], 0, 1f, grad);
        Assert.Equal(Math.Log(1 + Math.Exp(-1)), loss, 6);
        Assert.Equal(1 / (1 + Math.E) * -1, grad[0], 5); // p0 - 1 = -1 / (1 + e)
    }
}
