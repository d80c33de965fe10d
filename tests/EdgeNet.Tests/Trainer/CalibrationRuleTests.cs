using EdgeNet.Quantization;
using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Quantization;

namespace EdgeNet.Tests.Training;

/// <summary>The MSE calibration rule (RangeCollector.SearchMse) and the validation choice of the default rule.</summary>
public class CalibrationRuleTests
{
    private static QuantGrid Asymmetric(double lo, double hi) => QuantGrid.Of(QuantizationRule.ForRange(lo, hi));

    /// <summary>Squared error of rounding each value to the int8 grid of [lo, hi], computed value by value.</summary>
    private static double BruteError(double[] v, double[] w, double lo, double hi)
    {
        QuantParams p = QuantizationRule.ForRange(lo, hi);
        double e = 0;
        for (int i = 0; i < v.Length; i++)
        {
            double d = p.Dequantize(p.Quantize((float)v[i])) - v[i];
            e += w[i] * d * d;
        }
        return e;
    }

    private static (double[] V, double[] W) Gaussian(int n, int seed)
    {
        var rng = new Random(seed);
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var w = Enumerable.Repeat(1.0, n).ToArray();
        Array.Sort(v, w);
        return (v, w);
    }

    [Fact]
    public void Mse_range_clips_a_gaussian_tail_and_beats_min_max_and_a_brute_force_grid()
    {
        var (v, w) = Gaussian(40000, 3);
        var (lo, hi) = RangeCollector.SearchMse(v, w, Asymmetric);
        Assert.True(lo > v[0] && hi < v[^1], $"range [{lo}, {hi}] of values [{v[0]}, {v[^1]}] clips nothing");
        double mse = BruteError(v, w, lo, hi), minMax = BruteError(v, w, v[0], v[^1]);
        Assert.True(mse < 0.97 * minMax, $"MSE range error {mse} vs min/max {minMax}");
        // No symmetric clip on a fine grid does clearly better (the search is a coordinate descent, not exhaustive).
        double best = double.PositiveInfinity;
        for (double c = 2; c <= 5; c += 0.01) best = Math.Min(best, BruteError(v, w, -c, c));
        Assert.True(mse <= best * 1.02, $"MSE range error {mse}, best symmetric clip {best}");
    }

    [Fact]
    public void Heavy_weights_keep_rare_values_inside_the_range()
    {
        // The values the unweighted search clips become a rare class weighted like all the rest together
        // (what class-balanced weights do): the range must then reach them.
        var (v, w) = Gaussian(40000, 5);
        var (_, hi) = RangeCollector.SearchMse(v, w, Asymmetric);
        double step = (hi - v[0]) / 255;
        int clipped = v.Count(x => x > hi + 2 * step); // clamped by more than two steps
        Assert.True(clipped >= 1, "the unweighted search should clip some values for this test to mean anything");
        for (int i = v.Length - clipped; i < v.Length; i++) w[i] = 40000.0 / clipped;
        var (_, weightedHi) = RangeCollector.SearchMse(v, w, Asymmetric);
        Assert.True(weightedHi >= v[^clipped] - step, $"weighted range ends at {weightedHi}, below the {clipped} rare values from {v[^clipped]} (unweighted {hi})");
    }

    [Fact]
    public void Mse_search_uses_the_grid_it_is_given()
    {
        // With a grid of 2 levels, the best range for values at 0 and 1 (equal weight) puts a level on each.
        double[] v = [0, 0, 1, 1], w = [1, 1, 1, 1];
        var (lo, hi) = RangeCollector.SearchMse(v, w, (a, b) => new QuantGrid(a, b - a, 0, 1));
        Assert.Equal(0, lo, 9);
        Assert.Equal(1, hi, 9);
    }

    private static BenchmarkResult Judged(string id, double minMax, double mse, double mseDrop = 0) => new()
    {
        Id = id,
        Validation = new Dictionary<string, ValidationResult>
        {
            ["minMax"] = new() { Agreement = Stat.Of([minMax]), HeadlineDrop = Stat.Of([0.0]) },
            ["percentile"] = new() { Agreement = Stat.Of([minMax - 0.01]), HeadlineDrop = Stat.Of([0.0]) },
            ["mse"] = new() { Agreement = Stat.Of([mse]), HeadlineDrop = Stat.Of([mseDrop]) },
        },
    };

    [Fact]
    public void Validation_choice_needs_a_margin_and_no_benchmark_worse_by_more_than_0_3_points()
    {
        Assert.Equal("mse", AccuracyBenchmark.ChooseCalibration([Judged("a", 0.990, 0.995), Judged("b", 0.99, 0.99)]));
        // Better by less than the margin: the plain rule stays.
        Assert.Equal("minMax", AccuracyBenchmark.ChooseCalibration([Judged("a", 0.990, 0.9902)]));
        // Better agreement but one benchmark's headline drops 0.5 points more: refused.
        Assert.Equal("minMax", AccuracyBenchmark.ChooseCalibration([Judged("a", 0.990, 0.999), Judged("b", 0.99, 0.999, mseDrop: 0.005)]));
        Assert.Null(AccuracyBenchmark.ChooseCalibration([new BenchmarkResult { Id = "x" }]));
    }
}
