using System.CommandLine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Reports;
using EdgeNet.Trainer.Training;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary><c>edgenet train</c>: learn a float network from labelled rows; write it and its history.</summary>
public static class TrainCommand
{
    public const string DefaultModel = "model.float.json";

    public static Command Create()
    {
        var data = new DataArguments();
        var train = new TrainArguments();
        var output = new Option<string>("--out", "-o") { Description = "Float model file to write", DefaultValueFactory = _ => DefaultModel };
        var history = new Option<string>("--history") { Description = "History files to write: PATH.csv and PATH.json (default: beside the model)" };

        var command = new Command("train", "Train a float MLP by backpropagation; writes the model and its training history (CSV and JSON).");
        data.AddTo(command);
        train.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(history);
        command.SetAction(parsed =>
        {
            (Dataset trainRows, Dataset testRows) = data.Resolve(parsed, requireTest: false);
            TrainOptions options = train.Resolve(parsed);
            string modelPath = parsed.GetValue(output);
            string historyPath = parsed.GetValue(history) ?? HistoryPrefix(modelPath);

            IAnsiConsole console = Cli.Out;
            console.MarkupLine($"Training on [bold]{trainRows.Count}[/] rows x {trainRows.FeatureNames.Length} features, {trainRows.ClassLabels.Length} classes" +
                               (testRows != null ? $"; {testRows.Count} test rows held out" : ""));
            TrainResult result = TrainingProgress.Run(trainRows, options, "train");

            Files.EnsureFolderFor(modelPath);
            result.Network.Save(modelPath);
            History.WriteCsv(historyPath + ".csv", result.History);
            History.WriteJson(historyPath + ".json", result, options, parsed.GetValue(data.Benchmark) ?? parsed.GetValue(data.File));

            var table = new Table().AddColumns("", "accuracy", "balanced accuracy");
            AddRow(table, "learned (train rows)", result.Network, trainRows);
            if (testRows != null) AddRow(table, "unlearned (test rows)", result.Network, testRows);
            console.Write(table);
            console.MarkupLine($"Best epoch {result.BestEpoch} of {result.History.Count}. Wrote [bold]{Markup.Escape(modelPath)}[/], {Markup.Escape(historyPath)}.csv/.json");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>model.float.json -> model.history (then .csv and .json)</summary>
    public static string HistoryPrefix(string modelPath)
    {
        string name = Path.GetFileName(modelPath);
        foreach (string suffix in new[] { ".float.json", ".json" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name.Length > suffix.Length)
            {
                name = name[..^suffix.Length];
                break;
            }
        }
        return Path.Combine(Path.GetDirectoryName(modelPath) ?? "", name + ".history");
    }

    private static void AddRow(Table table, string name, Network network, Dataset rows)
    {
        var r = ClassificationReport.Of(rows.Labels, Comparison.PredictFloat(network, rows), rows.ClassLabels.Length);
        table.AddRow(name, $"{r.Accuracy:P2}", $"{r.BalancedAccuracy:P2}");
    }
}
