using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using Spectre.Console;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Trainer.Commands;

/// <summary>Runs training with a progress bar (or, when output is not a terminal, a line every few epochs).</summary>
public static class TrainingProgress
{
    public static TrainResult Run(Dataset train, TrainOptions options, string title)
    {
        IAnsiConsole console = Cli.Out;
        if (!Cli.Interactive)
        {
            int every = Math.Max(1, options.Epochs / 10);
            return TrainingLoop.Train(train, options, s =>
            {
                if (s.Epoch == 1 || s.Epoch % every == 0 || s.Epoch == options.Epochs)
                    console.MarkupLine(Markup.Escape($"  {title} epoch {s.Epoch}/{options.Epochs}: {Describe(s)}"));
            });
        }

        TrainResult result = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask(Markup.Escape(title), maxValue: options.Epochs);
                result = TrainingLoop.Train(train, options, s =>
                {
                    task.Value = s.Epoch;
                    task.Description = Markup.Escape($"{title} epoch {s.Epoch}: {Describe(s)}");
                });
                task.Value = options.Epochs; // early stopping ends before the last epoch
            });
        return result;
    }

    public static string Describe(EpochStats s)
    {
        string text = $"loss {s.TrainLoss:F4} acc {s.TrainAccuracy:P1}";
        if (!double.IsNaN(s.ValidationLoss)) text += $", val loss {s.ValidationLoss:F4} acc {s.ValidationAccuracy:P1}";
        return text;
    }
}
