using System.CommandLine;
using EdgeNet.Engine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Output;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Reports;
using EdgeNet.Trainer.Training;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary><c>edgenet evaluate</c>: float and int8 side by side on the test rows (and on the training rows).</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new DataArguments();
        var quant = new QuantizeArguments();
        var model = new Option<string>("--model", "-m") { Description = "Float model file written by 'edgenet train'", DefaultValueFactory = _ => TrainCommand.DefaultModel };
        var enet = new Option<string>("--enet") { Description = ".enet model to evaluate as int8 (default: quantize the float model now, calibrated on the training rows)" };
        var json = new Option<string>("--json") { Description = "Also write every figure as JSON to this file" };
        var session = SessionOption.Create("the model's, from training");
        var predictions = new Option<string>("--predictions") { Description = "Also write one CSV row per test row: row, line, label, float_class, int8_class, float_p_CLASS (probabilities), int8_CLASS (the quantized model's integer output scores, int8 or int16)" };

        var command = new Command("evaluate", "Evaluate float and int8 side by side: accuracy, balanced accuracy, macro-F1, per-class recall, confusion matrices, learned vs unlearned rows, agreement.");
        command.Options.Add(model);
        command.Options.Add(enet);
        data.AddTo(command);
        quant.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(session);
        command.Options.Add(predictions);
        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetValue(model), enetPath = parsed.GetValue(enet);
            string jsonPath = parsed.GetValue(json), predictionsPath = parsed.GetValue(predictions);
            Network network = QuantizeCommand.LoadNetwork(modelPath);
            using var outputs = new OutputSet();
            outputs.Input("--model", modelPath);
            outputs.Input("--enet", enetPath);
            foreach (var (what, path) in data.InputFiles(parsed, network)) outputs.Input(what, path);
            outputs.Add("--json", jsonPath);
            outputs.Add("--predictions", predictionsPath);
            outputs.Check();

            string sessionColumn = SessionOption.Resolve(parsed.GetValue(session), network.SessionColumn);
            (Dataset train, Dataset test) = data.Resolve(parsed, requireTest: true, network, sessionColumn);
            QuantizeCommand.CheckColumns(network, test);
            QuantizeOptions options = quant.Resolve(parsed);
            options.SessionColumn = sessionColumn;
            Model int8 = enetPath != null
                ? QuantizeCommand.ReadEnet(enetPath)
                : PrecisionChoice.Quantize(network, train, options, quant.PrecisionOf(parsed, network), out _).Model;
            if (!int8.FeatureNames.SequenceEqual(network.FeatureNames) || !int8.ClassLabels.SequenceEqual(network.ClassLabels))
                throw new CliException($"{enetPath}: its features or classes differ from the float model's");

            Comparison c = Comparison.Compute(network, int8, train, test, sessionColumn);
            if (jsonPath != null) outputs.Write(jsonPath, Json.Text(ToJson(c, modelPath, enetPath)));
            if (predictionsPath != null) outputs.Write(predictionsPath, Predictions.ForEvaluate(network, int8, test, c));
            outputs.Commit();
            Print(Cli.Out, c);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static object ToJson(Comparison c, string model, string enet) => new
    {
        model,
        enet,
        classes = c.ClassLabels,
        agreement = c.Agreement,
        test = new { @float = c.FloatTest, int8 = c.Int8Test },
        train = c.FloatTrain == null ? null : new { @float = c.FloatTrain, int8 = c.Int8Train },
    };

    public static void Print(IAnsiConsole console, Comparison c)
    {
        var summary = new Table().Title("Float vs quantized").AddColumns("", "float", "quantized", "quantized - float");
        Row(summary, "test accuracy", c.FloatTest.Accuracy, c.Int8Test.Accuracy);
        Row(summary, "test balanced accuracy", c.FloatTest.BalancedAccuracy, c.Int8Test.BalancedAccuracy);
        Row(summary, "test macro-F1", c.FloatTest.MacroF1, c.Int8Test.MacroF1);
        if (c.FloatTrain != null)
        {
            Row(summary, "learned accuracy (train rows)", c.FloatTrain.Accuracy, c.Int8Train.Accuracy);
            Row(summary, "unlearned accuracy (test rows)", c.FloatTest.Accuracy, c.Int8Test.Accuracy);
        }
        summary.AddRow("quantized agrees with float (test rows)", $"{c.Agreement:P2}", "", "");
        console.Write(summary);

        var recall = new Table().Title("Per-class recall (test rows)").AddColumns("class", "rows", "float", "quantized");
        for (int k = 0; k < c.ClassLabels.Length; k++)
            recall.AddRow(Markup.Escape(c.ClassLabels[k]), Metrics.Support(c.FloatTest.Confusion, k).ToString(), Pct(c.FloatTest.Recall[k]), Pct(c.Int8Test.Recall[k]));
        console.Write(recall);

        console.Write(ConfusionTable("Float confusion matrix (test rows)", c.ClassLabels, c.FloatTest.Confusion));
        console.Write(ConfusionTable("Quantized confusion matrix (test rows)", c.ClassLabels, c.Int8Test.Confusion));
    }

    /// <summary>Rows: actual class; columns: predicted class, by number (the row headers name them).</summary>
    public static Table ConfusionTable(string title, string[] labels, int[][] confusion)
    {
        var table = new Table().Title(title).AddColumn("actual \\ predicted");
        for (int k = 0; k < labels.Length; k++) table.AddColumn(new TableColumn(k.ToString()).RightAligned());
        for (int a = 0; a < labels.Length; a++)
        {
            var cells = new List<string> { Markup.Escape($"{a} {labels[a]}") };
            for (int p = 0; p < labels.Length; p++)
                cells.Add(a == p ? $"[green]{confusion[a][p]}[/]" : confusion[a][p] == 0 ? "[grey]0[/]" : $"[red]{confusion[a][p]}[/]");
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    private static void Row(Table t, string name, double f, double q) =>
        t.AddRow(name, Pct(f), Pct(q), double.IsNaN(f - q) ? "" : $"{(q - f) * 100:+0.00;-0.00;0.00} pt");

    public static string Pct(double v) => double.IsNaN(v) ? "-" : $"{v:P2}";
}
