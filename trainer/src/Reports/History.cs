using System.Globalization;
using System.Text;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Reports;

/// <summary>The training history as CSV (one row per epoch) and JSON (with the options that produced it).</summary>
public static class History
{
    /// <summary>
    /// One row per epoch; "selection_score" is the figure the best epoch is chosen on (lowest wins), and
    /// "selected_on" names it (validation_loss or validation_balanced_loss; last_epoch without validation rows).
    /// </summary>
    public static string Csv(IReadOnlyList<EpochStats> history, string selectedOn = null)
    {
        var s = new StringBuilder("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,selection_score,selected_on,seconds\n");
        foreach (EpochStats e in history)
        {
            s.Append(string.Join(",",
                e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.TrainLoss), F(e.TrainAccuracy),
                F(e.ValidationLoss), F(e.ValidationAccuracy), F(e.SelectionScore), selectedOn ?? "", F(e.Seconds))).Append('\n');
        }
        return s.ToString();
    }

    /// <summary>The history with the options that produced it and the best epoch.</summary>
    public static string Json(TrainResult result, TrainOptions options, string data) =>
        Reports.Json.Text(new
        {
            data,
            options,
            bestEpoch = result.BestEpoch,
            trainRows = result.TrainRows,
            validationRows = result.ValidationRows,
            l2 = (double)result.L2,
            selectedOn = result.SelectedOn,
            selectionNotice = result.SelectionNotice,
            epochs = result.History.Select(e => new
            {
                epoch = e.Epoch, trainLoss = (double)e.TrainLoss, trainAccuracy = (double)e.TrainAccuracy,
                validationLoss = (double)e.ValidationLoss, validationAccuracy = (double)e.ValidationAccuracy,
                selectionScore = (double)e.SelectionScore, seconds = (double)e.Seconds,
            }),
        });

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
}
