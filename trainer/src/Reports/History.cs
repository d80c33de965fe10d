using System.Globalization;
using System.Text;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Reports;

/// <summary>The training history as CSV (one row per epoch) and JSON (with the options that produced it).</summary>
public static class History
{
    public static void WriteCsv(string path, IReadOnlyList<EpochStats> history) => Files.WriteAtomically(path, Csv(history));

    public static void WriteJson(string path, TrainResult result, TrainOptions options, string data) => Files.WriteAtomically(path, Json(result, options, data));

    /// <summary>One row per epoch: epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,seconds.</summary>
    public static string Csv(IReadOnlyList<EpochStats> history)
    {
        var s = new StringBuilder("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,seconds\n");
        foreach (EpochStats e in history)
        {
            s.Append(string.Join(",",
                e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.TrainLoss), F(e.TrainAccuracy),
                F(e.ValidationLoss), F(e.ValidationAccuracy), F(e.Seconds))).Append('\n');
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
            epochs = result.History.Select(e => new
            {
                epoch = e.Epoch, trainLoss = (double)e.TrainLoss, trainAccuracy = (double)e.TrainAccuracy,
                validationLoss = (double)e.ValidationLoss, validationAccuracy = (double)e.ValidationAccuracy, seconds = (double)e.Seconds,
            }),
        });

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
}
