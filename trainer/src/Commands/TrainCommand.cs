using System.CommandLine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.NetworkTypes;
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
        var network = new Option<string>("--network")
        {
            Description = "Network type: mlp (one row) | cnn | rnn-direct | rnn-lateral | rnn-complete | rnn-indirect (the rows as one stream in file order)",
            DefaultValueFactory = _ => "mlp",
        };
        network.AcceptOnlyFromAmong(["mlp", .. SequenceCli.Types.Keys]);
        var window = new Option<int>("--window") { Description = "cnn: readings per window; rnn-*: sequence length for backpropagation through time", DefaultValueFactory = _ => 8 };

        var command = new Command("train", "Train a float network by backpropagation (an MLP, or with --network a CNN or recurrent network over the rows as a stream); writes the model and, for MLPs, its training history (CSV and JSON).");
        data.AddTo(command);
        train.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(history);
        command.Options.Add(network);
        command.Options.Add(window);
        command.SetAction(parsed =>
        {
            (Dataset trainRows, Dataset testRows) = data.Resolve(parsed, requireTest: false);
            TrainOptions options = train.Resolve(parsed);
            string modelPath = parsed.GetValue(output);
            if (parsed.GetValue(network) != "mlp")
                return TrainSequence(parsed.GetValue(network), parsed.GetValue(window), trainRows, testRows, options, modelPath);
            string historyPath = parsed.GetValue(history) ?? HistoryPrefix(modelPath);

            IAnsiConsole console = Cli.Out;
            console.MarkupLine($"Training on [bold]{trainRows.Count}[/] rows x {trainRows.FeatureNames.Length} features, {trainRows.ClassLabels.Length} classes" +
                               (testRows != null ? $"; {testRows.Count} test rows held out" : ""));
            TrainResult result = TrainingProgress.Run(trainRows, options, "train");
            result.Network.Missing = data.Fill;
            if (result.SelectionNotice != null) console.MarkupLine("[yellow]note:[/] " + Markup.Escape(result.SelectionNotice));

            Files.EnsureFolderFor(modelPath);
            result.Network.Save(modelPath);
            History.WriteCsv(historyPath + ".csv", result.History, result.SelectedOn);
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

    /// <summary>
    /// A CNN or recurrent network over the rows as one stream (file order), trained by the sequence trainer
    /// with the hyperparameter options; writes the float model file (no history files).
    /// </summary>
    private static int TrainSequence(string type, int window, Dataset trainRows, Dataset testRows, TrainOptions options, string modelPath)
    {
        if (window < 1 || window > 1024) throw new CliException("--window must be in 1-1024", ExitCodes.Usage);
        IAnsiConsole console = Cli.Out;
        SequenceNetwork net = SequenceCli.Create(type, trainRows, window);
        console.MarkupLine($"Training a {type} network (window {window}) on [bold]{trainRows.Count}[/] rows x {trainRows.FeatureNames.Length} features, {trainRows.ClassLabels.Length} classes" +
                           (testRows != null ? $"; {testRows.Count} test rows held out" : ""));
        List<double> losses = SequenceTrainer.Train(net, SequenceCli.Stream(net, trainRows), options);
        Files.EnsureFolderFor(modelPath);
        SequenceCli.ToFile(net).Save(modelPath);

        var table = new Table().AddColumns("", "accuracy", "balanced accuracy");
        foreach (var (name, rows) in new[] { ("learned (train rows)", trainRows), ("unlearned (test rows)", testRows) })
        {
            if (rows == null) continue;
            var r = ClassificationReport.Of(rows.Labels, net.Classify(SequenceCli.Stream(net, rows)), rows.ClassLabels.Length);
            table.AddRow(name, $"{r.Accuracy:P2}", $"{r.BalancedAccuracy:P2}");
        }
        console.Write(table);
        console.MarkupLine($"{losses.Count} epochs, final training loss {losses[^1]:F4}. Wrote [bold]{Markup.Escape(modelPath)}[/]");
        return ExitCodes.Ok;
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
