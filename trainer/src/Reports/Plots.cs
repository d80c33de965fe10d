using EdgeNet.Trainer.Training;
using ScottPlot;

namespace EdgeNet.Trainer.Reports;

/// <summary>The PNG figures of the demo report (ScottPlot, rendered with SkiaSharp; no display needed).</summary>
public static class Plots
{
    /// <summary>Training and validation loss per epoch.</summary>
    public static void Loss(string path, IReadOnlyList<EpochStats> history, int bestEpoch) =>
        Curves(path, history, bestEpoch, "Loss", e => e.TrainLoss, e => e.ValidationLoss, percent: false);

    /// <summary>Training and validation accuracy per epoch.</summary>
    public static void Accuracy(string path, IReadOnlyList<EpochStats> history, int bestEpoch) =>
        Curves(path, history, bestEpoch, "Accuracy (%)", e => e.TrainAccuracy, e => e.ValidationAccuracy, percent: true);

    private static void Curves(string path, IReadOnlyList<EpochStats> history, int bestEpoch, string what,
        Func<EpochStats, double> train, Func<EpochStats, double> validation, bool percent)
    {
        var plt = new Plot();
        double k = percent ? 100 : 1;
        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
        var t = plt.Add.Scatter(epochs, history.Select(e => train(e) * k).ToArray());
        t.LegendText = "training rows";
        t.MarkerSize = 0;
        t.LineWidth = 2;
        double[] v = history.Select(e => validation(e) * k).ToArray();
        if (v.Any(x => !double.IsNaN(x)))
        {
            var s = plt.Add.Scatter(epochs, v);
            s.LegendText = "validation rows";
            s.MarkerSize = 0;
            s.LineWidth = 2;
        }
        if (bestEpoch > 0)
        {
            var line = plt.Add.VerticalLine(bestEpoch);
            line.LegendText = $"best epoch ({bestEpoch})";
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
        }
        plt.Title(what + " per epoch");
        plt.XLabel("epoch");
        plt.YLabel(what);
        plt.ShowLegend(Alignment.MiddleRight);
        Save(plt, path, 640, 420);
    }

    /// <summary>A confusion matrix: cells shaded by the share of the actual class's rows, labelled with counts.</summary>
    public static void Confusion(string path, string title, string[] labels, int[][] confusion)
    {
        var plt = new Plot();
        int k = labels.Length;
        Color high = Color.FromHex("#1f4e99");
        for (int a = 0; a < k; a++)
        {
            long support = confusion[a].Sum(x => (long)x);
            for (int p = 0; p < k; p++)
            {
                double share = support == 0 ? 0 : (double)confusion[a][p] / support;
                var cell = plt.Add.Rectangle(p - 0.5, p + 0.5, -a - 0.5, -a + 0.5);
                cell.FillColor = Colors.White.MixedWith(high, share);
                cell.LineColor = Colors.LightGray;
                var text = plt.Add.Text(confusion[a][p].ToString(), p, -a);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = k > 8 ? 10 : 14;
                text.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
            }
        }
        double[] positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions.Select(x => -x).ToArray(), labels);
        plt.Axes.Bottom.TickLabelStyle.Rotation = 40;
        plt.Axes.Bottom.MinimumSize = 120; // room for the rotated class names above the axis label
        plt.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plt.Axes.SetLimits(-0.5, k - 0.5, -k + 0.5, 0.5);
        plt.Grid.IsVisible = false;
        plt.Title(title);
        plt.XLabel("predicted class");
        plt.YLabel("actual class");
        Save(plt, path, 640, 620);
    }

    private static void Save(Plot plt, string path, int width, int height)
    {
        Files.EnsureFolderFor(path);
        plt.SavePng(path, width, height);
    }
}
