using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Evaluation;

namespace EdgeNet.Tests.Cli;

/// <summary>Metrics on cases computed by hand (comments show the arithmetic).</summary>
public class MetricsTests
{
    // actual    0 0 0 1 1 2
    // predicted 0 0 1 1 2 2
    private static readonly int[] Actual = [0, 0, 0, 1, 1, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 2, 2];

    [Fact]
    public void Confusion_matrix_counts_actual_rows_by_predicted_columns()
    {
        int[][] m = Metrics.ConfusionMatrix(Actual, Predicted, 3);
        Assert.Equal([2, 1, 0], m[0]);
        Assert.Equal([0, 1, 1], m[1]);
        Assert.Equal([0, 0, 1], m[2]);
    }

    [Fact]
    public void Accuracy_recall_balanced_accuracy_and_macro_f1()
    {
        var r = ClassificationReport.Of(Actual, Predicted, 3);
        Assert.Equal(4.0 / 6, r.Accuracy, 12);
        Assert.Equal([2.0 / 3, 1.0 / 2, 1.0], r.Recall);
        Assert.Equal(13.0 / 18, r.BalancedAccuracy, 12);          // (2/3 + 1/2 + 1) / 3
        Assert.Equal([1.0, 0.5, 0.5], r.Precision);               // 2/2, 1/2, 1/2
        Assert.Equal(0.8, r.F1[0], 12);                           // 2 * 1 * 2/3 / (1 + 2/3)
        Assert.Equal(0.5, r.F1[1], 12);
        Assert.Equal(2.0 / 3, r.F1[2], 12);                       // 2 * 1/2 * 1 / (3/2)
        Assert.Equal(59.0 / 90, r.MacroF1, 12);                   // (0.8 + 0.5 + 2/3) / 3
    }

    [Fact]
    public void A_class_without_actual_rows_is_left_out_of_balanced_accuracy_but_counts_in_macro_f1_when_predicted()
    {
        // class 2 never occurs but is predicted once: its recall is undefined, its F1 is 0.
        var r = ClassificationReport.Of([0, 0, 1, 1], [0, 2, 1, 1], 3);
        Assert.True(double.IsNaN(r.Recall[2]));
        Assert.Equal(0.75, r.BalancedAccuracy, 12);               // (1/2 + 1) / 2
        Assert.Equal(5.0 / 9, r.MacroF1, 12);                     // (2/3 + 1 + 0) / 3
    }

    [Fact]
    public void A_class_neither_present_nor_predicted_is_ignored()
    {
        var r = ClassificationReport.Of([0, 1, 1], [0, 1, 0], 3);
        Assert.True(double.IsNaN(r.F1[2]));
        Assert.Equal(0.75, r.BalancedAccuracy, 12);               // (1 + 1/2) / 2
        Assert.Equal(((2.0 / 3) + (2.0 / 3)) / 2, r.MacroF1, 12); // c0: p 1/2 r 1; c1: p 1 r 1/2
    }

    [Fact]
    public void Agreement_is_the_share_of_equal_predictions()
    {
        Assert.Equal(2.0 / 3, Metrics.Agreement([1, 2, 3], [1, 0, 3]), 12);
        Assert.Equal(1.0, Metrics.Agreement(Predicted, Predicted));
    }

    [Fact]
    public void Mismatched_lengths_and_out_of_range_classes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Metrics.Agreement([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => Metrics.ConfusionMatrix([0, 3], [0, 1], 3));
    }

    [Fact]
    public void Benchmark_spread_is_the_sample_standard_deviation()
    {
        Stat s = Stat.Of([0.90, 0.92, 0.94]);
        Assert.Equal(0.92, s.Mean, 12);
        Assert.Equal(0.02, s.Std, 12);                            // sqrt((0.02^2 + 0 + 0.02^2) / 2)
        Assert.Equal(0.90, s.Min);
        Assert.Equal(0.94, s.Max);
        Assert.Equal(0, Stat.Of([0.5]).Std);
    }
}
