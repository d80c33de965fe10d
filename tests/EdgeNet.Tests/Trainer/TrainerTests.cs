using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Tests.Training;

// The class, not the EdgeNet.Trainer namespace (which an unqualified name inside EdgeNet.* would find first).
using Trainer = EdgeNet.Trainer.Training.Trainer;

public class TrainerTests
{
    private static (Dataset Train, Dataset Test) WineSplit() => Splits.Validation(TestData.Wine(), 0.33, 42);

    private static double Accuracy(Network net, Dataset d) =>
        net.Classify(d).Zip(d.Labels).Count(p => p.First == p.Second) / (double)d.Count;

    [Fact]
    public void Same_seed_gives_identical_networks_and_another_seed_does_not()
    {
        Dataset iris = TestData.Iris();
        var o = new TrainOptions { Epochs = 15, Seed = 3 };
        float[] a = Trainer.Train(iris, o).Network.Layers.SelectMany(l => l.Parameters).ToArray();
        float[] b = Trainer.Train(iris, o).Network.Layers.SelectMany(l => l.Parameters).ToArray();
        Assert.Equal(a, b);
        o.Seed = 4;
        float[] c = Trainer.Train(iris, o).Network.Layers.SelectMany(l => l.Parameters).ToArray();
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, Loss.CrossEntropy)]
    [InlineData(OptimizerKind.Momentum, Loss.CrossEntropy)]
    [InlineData(OptimizerKind.Adam, Loss.CrossEntropy)]
    [InlineData(OptimizerKind.Adam, Loss.Quadratic)]
    [InlineData(OptimizerKind.Momentum, Loss.Quadratic)]
    public void Every_optimizer_and_loss_learns_wine(OptimizerKind optimizer, Loss loss)
    {
        var (train, test) = WineSplit();
        var o = new TrainOptions { Optimizer = optimizer, Loss = loss, Epochs = 60, Patience = 0, ValidationFraction = 0 };
        if (loss == Loss.Quadratic && optimizer != OptimizerKind.Adam) o.LearningRate = 0.1f;
        TrainResult r = Trainer.Train(train, o);
        Assert.True(r.History[^1].TrainLoss < r.History[0].TrainLoss * 0.5, $"loss {r.History[0].TrainLoss} -> {r.History[^1].TrainLoss}");
        Assert.True(Accuracy(r.Network, test) >= 0.9, $"test accuracy {Accuracy(r.Network, test)}");
    }

    [Theory]
    [InlineData(Activation.Sigmoid, InitKind.Xavier)]
    [InlineData(Activation.Tanh, InitKind.Uniform)]
    [InlineData(Activation.Identity, InitKind.Xavier)]
    public void Other_hidden_activations_and_inits_learn(Activation hidden, InitKind init)
    {
        var (train, test) = WineSplit();
        var r = Trainer.Train(train, new TrainOptions { HiddenActivation = hidden, Init = init, Hidden = new[] { 8, 8 }, Epochs = 60, ValidationFraction = 0 });
        Assert.True(Accuracy(r.Network, test) >= 0.85, $"test accuracy {Accuracy(r.Network, test)}");
    }

    [Theory]
    [InlineData(StoppingCriterion.Loss)]
    [InlineData(StoppingCriterion.BalancedLoss)]
    public void Early_stopping_returns_the_best_validation_epoch(StoppingCriterion stopping)
    {
        var (train, _) = WineSplit();
        // 13 validation rows per class: below the tiny-validation rule's 30, switched off to test the mechanics.
        var o = new TrainOptions { Epochs = 400, Patience = 5, ValidationFraction = 0.3, Hidden = new[] { 64 }, L2 = 0, LearningRate = 0.02f, Stopping = stopping, MinValidationRowsPerClass = 0 };
        TrainResult r = Trainer.Train(train, o);
        Assert.True(r.History.Count < 400, "never stopped");
        Func<EpochStats, double> score = stopping == StoppingCriterion.Loss ? h => h.ValidationLoss : h => h.ValidationBalancedLoss;
        int best = r.History.OrderBy(score).ThenBy(h => h.Epoch).First().Epoch;
        Assert.Equal(best, r.BestEpoch);
        Assert.Equal(r.BestEpoch + o.Patience, r.History.Count);
        // The returned parameters are the best epoch's: recompute its validation accuracy and balanced accuracy.
        var (_, validation) = Splits.Validation(train, 0.3, o.Seed);
        Assert.Equal(r.History[best - 1].ValidationAccuracy, Accuracy(r.Network, validation), 10);
        Assert.Equal(r.History[best - 1].ValidationBalancedAccuracy, BalancedAccuracy(r.Network, validation), 10);
    }

    [Fact]
    public void Balanced_loss_weighs_every_class_equally_and_picks_another_epoch_than_plain_loss()
    {
        // Imbalanced validation rows: plain loss is dominated by the frequent class, the balanced loss is the
        // mean of the per-class means, so the two criteria disagree on some epochs.
        Dataset data = RareClassData(1000, everyNth: 20, shift: 1.5f, seed: 9);
        var o = new TrainOptions { Epochs = 40, Patience = 0, ValidationFraction = 0.3, Hidden = new[] { 4 } };
        TrainResult r = Trainer.Train(data, o);
        Assert.Contains(r.History, h => Math.Abs(h.ValidationBalancedLoss - h.ValidationLoss) > 0.05);
        Assert.Equal(r.History.OrderBy(h => h.ValidationBalancedLoss).ThenBy(h => h.Epoch).First().Epoch, r.BestEpoch);
    }

    [Fact]
    public void L2_is_capped_below_the_rarest_class_share()
    {
        var o = new TrainOptions { L2 = 1e-3f };
        // Shuttle's training side: 5 of 39,150 rows in the rarest class.
        Assert.Equal(0.1 * 5 / 39150, Trainer.EffectiveL2(o, new[] { 30697, 5, 119, 6073, 2212, 10, 34 }), 9);
        Assert.Equal(1e-3f, Trainer.EffectiveL2(o, new[] { 400, 400, 39 }));
        o.MaxL2PerRarestShare = 0;
        Assert.Equal(1e-3f, Trainer.EffectiveL2(o, new[] { 30697, 5 }));
    }

    [Fact]
    public void A_class_rarer_than_the_L2_penalty_is_learned_only_with_the_cap()
    {
        // 0.1 % of the rows form a clearly separated class; L2 0.01 outweighs its share of the gradient.
        Dataset data = RareClassData(10000, everyNth: 1000, shift: 8f, seed: 4);
        double Recall(float cap)
        {
            var o = new TrainOptions { L2 = 1e-2f, MaxL2PerRarestShare = cap, Epochs = 20, ValidationFraction = 0, Hidden = new[] { 4 } };
            TrainResult r = Trainer.Train(data, o);
            int[] p = r.Network.Classify(data);
            return Enumerable.Range(0, data.Count).Count(i => data.Labels[i] == 1 && p[i] == 1) / 10.0;
        }
        double uncapped = Recall(0), capped = Recall(0.1f);
        Assert.True(uncapped <= 0.2 && capped >= 0.9, $"rare-class recall {uncapped} uncapped, {capped} capped");
    }

    private static double BalancedAccuracy(Network net, Dataset d)
    {
        int[] p = net.Classify(d);
        return Enumerable.Range(0, d.ClassCount).Where(c => d.Labels.Contains(c))
            .Average(c => Enumerable.Range(0, d.Count).Count(i => d.Labels[i] == c && p[i] == c) / (double)d.Labels.Count(l => l == c));
    }

    /// <summary>1-D, two classes: class 1 every <paramref name="everyNth"/> row, shifted by <paramref name="shift"/>.</summary>
    private static Dataset RareClassData(int count, int everyNth, float shift, int seed)
    {
        var rng = new Random(seed);
        var rows = new float[count][];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % everyNth == 0 ? 1 : 0;
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            rows[i] = new[] { (float)(g + shift * labels[i]) };
        }
        return new Dataset
        {
            Name = "rare", FeatureNames = new[] { "x" }, ClassLabels = new[] { "common", "rare" },
            Rows = rows, Labels = labels, SourceLines = Enumerable.Range(2, count).ToArray(),
        };
    }

    [Fact]
    public void Normalization_is_fitted_on_the_training_rows_only()
    {
        var (train, test) = WineSplit();
        Network net = Trainer.Train(train, new TrainOptions { Epochs = 2, ValidationFraction = 0, InputClip = 0 }).Network; // unclipped: the mean of the raw rows
        for (int f = 0; f < train.FeatureCount; f++)
        {
            double mean = train.Rows.Average(r => (double)r[f]);
            Assert.Equal(mean, net.Normalization.Mean[f], Math.Abs(mean) * 1e-5 + 1e-6);
        }
        double allMean = train.Rows.Concat(test.Rows).Average(r => (double)r[12]);
        Assert.NotEqual(allMean, net.Normalization.Mean[12], 3);
    }

    [Fact]
    public void Class_weights_raise_the_recall_of_a_rare_class()
    {
        // 1-D, overlapping classes, 95 % / 5 %: unweighted training barely predicts the rare class.
        var rng = new Random(9);
        var rows = new List<float[]>();
        var labels = new List<int>();
        for (int i = 0; i < 1000; i++)
        {
            int c = i % 20 == 0 ? 1 : 0;
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            rows.Add(new[] { (float)(g + 1.5 * c) });
            labels.Add(c);
        }
        var data = new Dataset
        {
            Name = "rare", FeatureNames = new[] { "x" }, ClassLabels = new[] { "common", "rare" },
            Rows = rows.ToArray(), Labels = labels.ToArray(), SourceLines = Enumerable.Range(2, 1000).ToArray(),
        };
        double Recall(bool weights)
        {
            var net = Trainer.Train(data, new TrainOptions { ClassWeights = weights, Epochs = 30, ValidationFraction = 0, Hidden = new[] { 4 } }).Network;
            int[] p = net.Classify(data);
            return Enumerable.Range(0, 1000).Count(i => labels[i] == 1 && p[i] == 1) / 50.0;
        }
        double without = Recall(false), with = Recall(true);
        Assert.True(with >= 0.6 && with > without + 0.3, $"rare-class recall {without} without weights, {with} with");
    }

    [Fact]
    public void Model_file_round_trips_exactly_and_bad_files_are_reported()
    {
        var (train, test) = WineSplit();
        Network net = Trainer.Train(train, new TrainOptions { Epochs = 5, Hidden = new[] { 7, 5 } }).Network;
        string path = TestData.Write("", ".json");
        net.Save(path);
        Network back = Network.Load(path);
        Assert.Equal(net.FeatureNames, back.FeatureNames);
        Assert.Equal(net.ClassLabels, back.ClassLabels);
        Assert.Equal(net.Normalization.Std, back.Normalization.Std);
        for (int l = 0; l < net.Layers.Length; l++) Assert.Equal(net.Layers[l].Parameters, back.Layers[l].Parameters);
        foreach (float[] row in test.Rows) Assert.Equal(net.Forward(row), back.Forward(row));

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"dense\"", "\"conv9d\""));
        Assert.Contains("conv9d", Assert.Throws<DataException>(() => Network.Load(path)).Message);
        File.WriteAllText(path, "{ \"format\": \"edgenet-float-model\", ");
        Assert.Equal(path, Assert.Throws<DataException>(() => Network.Load(path)).File);
    }

    [Fact]
    public void Training_refuses_a_class_without_rows()
    {
        Dataset iris = TestData.Iris();
        Dataset two = iris.Subset(Enumerable.Range(0, 100).ToArray()); // setosa and versicolor only
        var e = Assert.Throws<DataException>(() => Trainer.Train(two, new TrainOptions { Epochs = 1 }));
        Assert.Contains("virginica", e.Message);
    }
}
