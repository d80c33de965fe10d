using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.NetworkTypes;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>
/// `bench timeseries` reports the default quantizer: its auto column is the model `edgenet quantize --precision
/// auto` exports (the widths <see cref="PrecisionChoice"/> chooses, judged on the validation rows training held
/// out), beside every width forced, and its tables show them.
/// </summary>
public class TimeSeriesBenchmarkTests
{
    /// <summary>Two features, two classes far apart (sign of feature 0, |x0| >= 1), a new "Date" session every 100 rows.</summary>
    private static Dataset Separable(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows][];
        var y = new int[rows];
        var dates = new string[rows];
        for (int r = 0; r < rows; r++)
        {
            y[r] = rng.Next(2);
            x[r] = [(float)((1 + rng.NextDouble() * 2) * (y[r] == 1 ? 1 : -1)), (float)rng.NextDouble()];
            dates[r] = $"day {r / 100}";
        }
        var d = new Dataset
        {
            Name = "separable", SourceFile = "separable.csv", FeatureNames = ["signal", "noise"], ClassLabels = ["low", "high"],
            Rows = x, Labels = y, SourceLines = Enumerable.Range(2, rows).ToArray(),
        };
        d.OtherColumns[TimeSeriesBenchmark.SessionColumn] = dates;
        return d;
    }

    /// <summary>The widths PrecisionChoice chooses for the benchmark's network of that seed, judged on the split `edgenet train` holds out.</summary>
    private static string ChosenWidths(Dataset train, int seed)
    {
        TimeSeriesBenchmark.Config config = TimeSeriesBenchmark.Configs.Single(c => c.Name == "mlp-current");
        TrainOptions o = TimeSeriesBenchmark.Options(config, 8, 2, seed);
        Network net = EdgeNet.Trainer.Training.Trainer.Train(train, o).Network;
        int[] validation = Splits.ValidationRows(train, new TrainOptions().ValidationFraction, seed).Validation;
        PrecisionChoice.Quantize(net, train, validation, new QuantizeOptions { SessionColumn = TimeSeriesBenchmark.SessionColumn }, PrecisionMode.Auto, out PrecisionReport report);
        return string.Join(" / ", report.Precisions.Select((_, l) => LayerWidths.Name(report.Precisions, report.WideWeights, l)));
    }

    private static TimeSeriesResult RunMlp(Dataset train, Dataset test) =>
        TimeSeriesBenchmark.Run(train, test, 8, 2, [1], ["mlp-current"], null).Single();

    /// <summary>
    /// 1,000 training rows hold out 100 validation rows, too few to show 99.5 % agreement: auto keeps every layer
    /// at its widest (int16x16 for dense), so an auto column that were int8 under another name differs.
    /// </summary>
    [Fact]
    public void Auto_is_the_precision_choice_not_int8_when_the_validation_rows_cannot_vouch_for_int8()
    {
        Dataset train = Separable(1000, 1), test = Separable(300, 2);
        TimeSeriesResult r = RunMlp(train, test);
        string chosen = ChosenWidths(train, 1);
        Assert.Equal("int16x16 / int16x16", chosen);
        Assert.Equal([chosen], r.Widths["auto"]);
        Assert.Equal(["int8 / int8"], r.Widths["int8"]);
        Assert.Equal(["int16 / int16"], r.Widths["int16"]);
        Assert.Equal(r.Widths["int16x16"], r.Widths["auto"]);
        // The auto column's figures are its own model's: 16-bit weights make the file larger than int8's.
        Assert.True(r.Quantized["auto"].ModelBytes.Mean > r.Quantized["int8"].ModelBytes.Mean);
        Assert.Equal(r.Quantized["int16x16"].ModelBytes.Mean, r.Quantized["auto"].ModelBytes.Mean);
        Assert.True(r.Quantized["auto"].ArenaBytes.Mean > r.Quantized["int8"].ArenaBytes.Mean);
        Assert.Equal(r.Quantized["auto"].Macs.Mean, r.Quantized["int8"].Macs.Mean);
    }

    /// <summary>
    /// 7,000 training rows hold out 700 validation rows, on which the well-separated classes agree at int8: auto is
    /// int8 there, which it can only be if the benchmark trains with the validation split and judges on it (without
    /// one, auto keeps the widest widths).
    /// </summary>
    [Fact]
    public void Auto_is_judged_on_the_validation_rows_training_held_out()
    {
        Dataset train = Separable(7000, 3), test = Separable(300, 4);
        TimeSeriesResult r = RunMlp(train, test);
        string chosen = ChosenWidths(train, 1);
        Assert.Equal("int8 / int8", chosen);
        Assert.Equal([chosen], r.Widths["auto"]);
        Assert.NotEqual(r.Widths["int16x16"], r.Widths["auto"]);
    }

    [Fact]
    public void Tables_show_auto_with_its_widths_beside_every_forced_width()
    {
        Dataset train = Separable(1000, 1), test = Separable(300, 2);
        TimeSeriesResult r = RunMlp(train, test);
        string summary = TimeSeriesBenchmark.SummaryTable([r], x => x.Name);
        string[] header = summary.Split('\n')[0].Split('|').Select(c => c.Trim()).ToArray();
        string[] row = summary.Split('\n')[2].Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal("int16x16 / int16x16", row[Array.IndexOf(header, "auto widths")]);
        Assert.Equal($"{r.Quantized["auto"].ModelBytes.Mean:0}", row[Array.IndexOf(header, "auto model bytes")]);
        Assert.Equal($"{r.Quantized["auto"].ArenaBytes.Mean:0}", row[Array.IndexOf(header, "auto arena bytes")]);
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Quantized["int8"].Agreement.Mean * 100:F2} %"), row[Array.IndexOf(header, "int8 = float")]);
        Assert.Contains("auto acc.", header);
        string columns = TimeSeriesBenchmark.ColumnsTable([r]);
        foreach (string name in new[] { "auto", "int8", "int16", "int16x16" })
            Assert.Contains($"| mlp-current | {name} | {r.Widths[name][0]} |", columns);
    }
}
