using EdgeNet.Format;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Tests.Training;

/// <summary>The automatic precision choice's acceptance test (<see cref="Judgement"/>) and how the choice uses it.</summary>
public class JudgementTests
{
    // Binomial P(X <= k) for q = 0.005, computed exactly with Python's math.comb (sum of C(n,i) q^i (1-q)^(n-i)).
    [Theory]
    [InlineData(0, 363, 0.1620982441899554)]
    [InlineData(0, 597, 0.05016250374880243)]
    [InlineData(0, 598, 0.04991169123005841)]
    [InlineData(13, 4350, 0.030812289336918874)]
    [InlineData(15, 4350, 0.0839534256735047)]
    [InlineData(2, 1000, 0.12401961723200053)]
    public void The_binomial_tail_is_exact(int k, int n, double expected) =>
        Assert.Equal(expected, Judgement.AtMost(k, n, 1 - Judgement.Required), 12);

    private static (int[] Predicted, int[] Float) Rows(int rows, int differing, int classes = 2)
    {
        var f = new int[rows];
        for (int r = 0; r < rows; r++) f[r] = r % classes;
        var p = (int[])f.Clone();
        for (int i = 0; i < differing; i++) p[i] = (f[i] + 1) % classes;
        return (p, f);
    }

    [Fact]
    public void Few_rows_cannot_show_99_5_percent_even_with_none_differing()
    {
        var (p, f) = Rows(597, 0);
        Judgement j = Judgement.Of(p, f, null, 2);
        Assert.Equal(1.0, j.Agreement);
        Assert.False(j.Passes);
        (p, f) = Rows(598, 0);
        Assert.True(Judgement.Of(p, f, null, 2).Passes);
    }

    [Fact]
    public void A_share_above_99_5_percent_on_many_rows_passes_and_one_too_close_does_not()
    {
        var (p, f) = Rows(4350, 13); // 99.70 %: p = 0.031
        Assert.True(Judgement.Of(p, f, null, 2).Passes);
        (p, f) = Rows(4350, 15); // 99.66 %: p = 0.084, not shown at the 5 % level
        Judgement j = Judgement.Of(p, f, null, 2);
        Assert.True(j.Agreement > Judgement.Required);
        Assert.False(j.Passes);
    }

    [Fact]
    public void One_flipped_row_of_a_rare_class_fails_even_when_the_overall_share_passes()
    {
        // 2,000 rows of class 0, then 3 of class 1; the first class-1 row is not judged but still counts for its class.
        var f = Enumerable.Repeat(0, 2000).Concat([1, 1, 1]).ToArray();
        var p = (int[])f.Clone();
        p[2000] = 0;
        int[] judged = Enumerable.Range(0, 2000).Concat([2001, 2002]).ToArray();
        Judgement j = Judgement.Of(p, f, judged, 2, ["common", "rare"]);
        Assert.Equal(0, j.Differing);
        Assert.True(j.Confident);
        Assert.False(j.EveryClass);
        Assert.False(j.Passes);
        Assert.Equal("rare", j.WorstClassLabel);
        Assert.Equal(2.0 / 3, j.WorstClassAgreement, 12);
        Assert.Contains("class rare keeps only", j.ToString());
    }

    [Fact]
    public void Auto_keeps_every_layer_16_bit_when_the_validation_rows_are_too_few_or_missing()
    {
        var (train, _, net) = QuantizationTests.Wine.Value;
        int[] few = Enumerable.Range(0, train.Count).ToArray(); // 119 judged rows, whatever int8 does on them
        PrecisionChoice.Quantize(net, train, few, new QuantizeOptions(), PrecisionMode.Auto, out PrecisionReport withSplit);
        Assert.All(withSplit.Precisions, p => Assert.Equal(ModelFormat.PrecisionInt16, p));
        Assert.Contains("p = ", withSplit.Reasons[0]);
        Assert.Contains("> 0.05", withSplit.Reasons[0]);

        PrecisionChoice.Quantize(net, train, null, new QuantizeOptions(), PrecisionMode.Auto, out PrecisionReport none);
        Assert.All(none.Precisions, p => Assert.Equal(ModelFormat.PrecisionInt16, p));
        Assert.Contains("no validation rows", none.Reasons[0]);
    }

    [Fact]
    public void Auto_keeps_int8_where_enough_judged_rows_show_it()
    {
        // Every training row judged, six times over (the same rows repeated: 6 x 119 rows), so the rows are enough
        // to show 99.5 % exactly when int8 differs from float on none of them.
        var (train, _, net) = QuantizationTests.Wine.Value;
        int[] judged = Enumerable.Range(0, 6 * train.Count).Select(i => i % train.Count).ToArray();
        var forced = PrecisionChoice.Forced(net, train, new QuantizeOptions(), PrecisionMode.Int8);
        int[] int8 = Simulator.Classify(forced.Model, train), f = Comparison.PredictFloat(net, train);
        Assert.Equal(f, int8); // the premise: int8 agrees on every training row

        PrecisionChoice.Quantize(net, train, judged, new QuantizeOptions(), PrecisionMode.Auto, out PrecisionReport report);
        Assert.All(report.Precisions, p => Assert.Equal(ModelFormat.PrecisionInt8, p));
        Assert.Contains("every class >= 99.5 %", report.Reasons[0]);
    }
}
