using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Tests.Training;

public class HyperparameterSearchTests
{
    [Fact]
    public void Stratified_folds_split_every_class_evenly_and_are_seeded()
    {
        Dataset wine = TestData.Wine();
        int[] fold = HyperparameterSearch.StratifiedFolds(wine, 3, 7);
        Assert.All(fold, f => Assert.InRange(f, 0, 2));
        for (int c = 0; c < wine.ClassCount; c++)
        {
            int[] perFold = Enumerable.Range(0, 3).Select(k => Enumerable.Range(0, wine.Count).Count(r => wine.Labels[r] == c && fold[r] == k)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join("/", perFold)} rows per fold");
        }
        Assert.Equal(fold, HyperparameterSearch.StratifiedFolds(wine, 3, 7));
        Assert.NotEqual(fold, HyperparameterSearch.StratifiedFolds(wine, 3, 8));
    }

    [Fact]
    public void The_choice_is_the_best_mean_over_benchmarks_of_the_fold_means()
    {
        double[][][] scores =
        [
            [[0.9, 0.9], [0.5, 0.5]], // mean 0.70
            [[0.8, 0.8], [0.7, 0.7]], // mean 0.75: best overall, best on no single benchmark... but the mean decides
            [[0.95, 0.95], [0.4, 0.4]], // mean 0.675
        ];
        Assert.Equal(1, HyperparameterSearch.Choose(scores));
    }

    [Fact]
    public void The_grid_holds_the_previous_defaults_and_the_applied_options_match()
    {
        List<Candidate> grid = HyperparameterSearch.DefaultGrid();
        Assert.Equal(16, grid.Count);
        var o = new TrainOptions();
        grid[5].ApplyTo(o);
        Assert.True(grid[5].Matches(o));
        Assert.Equal(1, grid.Count(c => c.Matches(o)));
    }
}
