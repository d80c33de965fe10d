using EdgeNet.Trainer.Data;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// When the validation split is too small to choose an epoch on. With fewer than
/// <see cref="MinRowsPerClass"/> validation rows per class (e.g. 15 rows over 6 classes) the validation loss
/// is so noisy that early stopping picks epoch 1 or 2. The rule then: no validation split and no early
/// stopping; training runs every epoch on all training rows and keeps the epoch of lowest training loss
/// (what --validation 0 does), and says so. The history file names the quantity each epoch was scored on.
/// </summary>
public static class ValidationRule
{
    /// <summary>The default of <see cref="TrainOptions.MinValidationRowsPerClass"/>.</summary>
    public const int MinRowsPerClass = 30;

    /// <summary>A notice when <paramref name="validation"/> is too small (the caller then trains without it), else null.</summary>
    public static string TooSmall(Dataset validation, Dataset train, TrainOptions o)
    {
        if (validation == null || validation.Count == 0) return null;
        int classes = train.ClassCounts().Count(c => c > 0);
        if (validation.Count >= o.MinValidationRowsPerClass * classes) return null;
        return $"the validation split has {validation.Count} rows for {classes} classes, fewer than {o.MinValidationRowsPerClass} per class, too few to choose an epoch on: " +
               $"early stopping is off; training runs all {o.Epochs} epochs on all {train.Count} training rows and keeps the last epoch";
    }

    /// <summary>The quantity the best epoch is chosen on (as written to the history files).</summary>
    public static string SelectedOn(bool validation, StoppingCriterion criterion) =>
        !validation ? "last_epoch" : criterion == StoppingCriterion.BalancedLoss ? "validation_balanced_loss" : "validation_loss";
}
