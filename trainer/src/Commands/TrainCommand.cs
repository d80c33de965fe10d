using System.CommandLine;
using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.NetworkTypes;
using EdgeNet.Trainer.Output;
using EdgeNet.Trainer.Quantization;
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
            Description = "Network type: mlp (dense layers only) | cnn | rnn-direct | rnn-lateral | rnn-complete | rnn-indirect: the layers before --hidden's dense layers (see --layers)",
            DefaultValueFactory = _ => "mlp",
        };
        network.AcceptOnlyFromAmong(["mlp", .. Presets.Keys]);
        var layers = new Option<string>("--layers")
        {
            Description = "Layers before the output layer, e.g. conv1d:8k3,relu,maxpool:2,dense:32,relu (grammar: docs/cli.md); instead of --network and --hidden",
            HelpName = "spec",
        };
        var window = new Option<int>("--window") { Description = "Readings per sample: the window a conv1d or dense first layer sees, the BPTT length of a recurrent one (0 = 1 for a dense first layer, else 8)", DefaultValueFactory = _ => 0 };
        var session = SessionOption.Create();

        var command = new Command("train", "Train a float network by backpropagation (an MLP, a CNN or a recurrent network over the rows as a stream, or any --layers stack); writes the model and its training history (CSV and JSON).");
        data.AddTo(command);
        train.AddTo(command);
        foreach (Option o in new Option[] { output, history, network, layers, window, session }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            TrainOptions options = train.Resolve(parsed);
            string modelPath = parsed.GetValue(output);
            string historyPath = parsed.GetValue(history) ?? HistoryPrefix(modelPath);
            using var outputs = new OutputSet();
            foreach (var (what, path) in data.InputFiles(parsed)) outputs.Input(what, path);
            outputs.Add("--out", modelPath);
            outputs.Add("history", historyPath + ".csv");
            outputs.Add("history", historyPath + ".json");
            outputs.Check();

            string sessionColumn = SessionOption.Resolve(parsed.GetValue(session), null);
            (Dataset trainRows, Dataset testRows) = data.Resolve(parsed, requireTest: false, null, sessionColumn);
            DataProvenance provenance = data.Provenance(parsed, trainRows);
            options.SessionColumn = sessionColumn;
            options.Window = parsed.GetValue(window);
            if (options.Window < 0 || options.Window > 1024) throw new CliException("--window must be 0 (automatic) or in 1-1024", ExitCodes.Usage);
            string type = parsed.GetValue(network), spec = parsed.GetValue(layers);
            if (spec != null && (type != "mlp" || parsed.GetResult(train.Hidden) is { Implicit: false }))
                throw new CliException("give --layers, or --network and --hidden, not both", ExitCodes.Usage);
            options.Layers = spec ?? LayerSpec.Join(type == "mlp" ? "" : Presets[type], LayerSpec.Dense(options.Hidden, options.HiddenActivation));
            try
            {
                LayerSpec.Build(options.Layers, options.EffectiveWindow, trainRows.FeatureCount, trainRows.ClassCount, Activation.Identity);
            }
            catch (LayerSpecException e)
            {
                throw new CliException((spec != null ? $"--layers '{spec}': " : $"--network {type} --hidden: layers '{options.Layers}': ") + e.Message, ExitCodes.Usage);
            }
            trainRows.SessionStarts(sessionColumn); // an unusable session column fails here, before training
            testRows?.SessionStarts(sessionColumn);

            IAnsiConsole console = Cli.Out;
            console.MarkupLine($"Training on [bold]{trainRows.Count}[/] rows x {trainRows.FeatureNames.Length} features, {trainRows.ClassLabels.Length} classes" +
                               (testRows != null ? $"; {testRows.Count} test rows held out" : "") +
                               Markup.Escape($"; layers {(options.Layers.Length > 0 ? options.Layers + "," : "")}dense:{trainRows.ClassCount}, window {options.EffectiveWindow}" +
                                             (sessionColumn != null ? $", sessions by {sessionColumn}" : "")));
            TrainResult result = TrainingProgress.Run(trainRows, options, "train");
            result.Network.Data = provenance;
            result.Network.Missing = data.Fill;
            if (result.SelectionNotice != null) console.MarkupLine("[yellow]note:[/] " + Markup.Escape(result.SelectionNotice));

            outputs.Write(modelPath, result.Network.Save);
            outputs.Write(historyPath + ".csv", History.Csv(result.History, result.SelectedOn));
            outputs.Write(historyPath + ".json", History.Json(result, options, parsed.GetValue(data.Benchmark) ?? parsed.GetValue(data.File)));
            outputs.Commit();

            var table = new Table().AddColumns("", "accuracy", "balanced accuracy");
            AddRow(table, "learned (train rows)", result.Network, trainRows, sessionColumn);
            if (testRows != null) AddRow(table, "unlearned (test rows)", result.Network, testRows, sessionColumn);
            console.Write(table);
            console.MarkupLine(Markup.Escape($"Network: {string.Join(" -> ", result.Network.Layers.Select(l => $"{l.Describe()} {EdgeNet.Layers.Activations.Name(l.Activation)}"))}; {result.Network.ParameterCount} parameters."));
            if (result.QuantizedBaseline != null)
                console.MarkupLine(Markup.Escape(result.ValidationRows == 0
                    ? $"Quantization-aware fine-tuning: {options.QatEpochs} epochs (epochs {result.QuantizedBaseline.Epoch + 1}-{result.History[^1].Epoch}), the last kept (no validation rows)."
                    : $"Quantization-aware fine-tuning: {options.QatEpochs} epochs (epochs {result.QuantizedBaseline.Epoch + 1}-{result.History[^1].Epoch}); quantized validation balanced accuracy {result.QuantizedBaseline.ValidationBalancedAccuracy:P2} before, " +
                      $"{(result.BestEpoch > result.QuantizedBaseline.Epoch ? $"{result.History.First(e => e.Epoch == result.BestEpoch).ValidationBalancedAccuracy:P2} at the kept epoch" : "no fine-tuned epoch better (with at least its agreement with float): the float network quantized as is is kept")}."));
            if (result.Precision is PrecisionReport p)
                console.MarkupLine(Markup.Escape($"Fine-tuning precision {PrecisionChoice.Name(p.Mode)}, chosen before it: layers {string.Join(", ", p.Precisions.Select((_, l) => LayerWidths.Name(p.Precisions, p.WideWeights, l)))} " +
                                                 $"(the float network quantized so agreed with float on {p.Agreement:P2} of {p.JudgedRows} {p.JudgedOn}); quantize exports these."));
            console.MarkupLine($"Best epoch {result.BestEpoch} of {result.History.Count} ({result.ValidationRows} validation rows). Wrote [bold]{Markup.Escape(modelPath)}[/], {Markup.Escape(historyPath)}.csv/.json");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>--network value -> the layers before the dense stack: the time-series benchmark's configuration.</summary>
    public static readonly Dictionary<string, string> Presets = new(StringComparer.Ordinal)
    {
        ["cnn"] = Preset("cnn-maxpool"),
        ["rnn-direct"] = Preset("rnn-direct"),
        ["rnn-lateral"] = Preset("rnn-lateral"),
        ["rnn-complete"] = Preset("rnn-complete"),
        ["rnn-indirect"] = Preset("rnn-indirect"),
    };

    private static string Preset(string config) => TimeSeriesBenchmark.Configs.Single(c => c.Name == config).Layers;

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

    private static void AddRow(Table table, string name, Network network, Dataset rows, string sessionColumn)
    {
        var r = ClassificationReport.Of(rows.Labels, Comparison.PredictFloat(network, rows, rows.SessionStarts(sessionColumn)), rows.ClassLabels.Length);
        table.AddRow(name, $"{r.Accuracy:P2}", $"{r.BalancedAccuracy:P2}");
    }
}
