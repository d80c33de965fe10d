using System.CommandLine;
using EdgeNet.Engine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Output;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary><c>edgenet simulate</c>: run a .enet with the device's integer kernels on CSV rows.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = ".enet device model" };
        var data = new Argument<string>("data") { Description = "CSV or ARFF rows holding the model's feature columns (by name)" };
        var label = new Option<string>("--label") { Description = "Class column, to print the actual class and accuracy (default: the only column beside the model's features, if there is exactly one; else the rows are taken as unlabeled)" };
        var dump = new Option<bool>("--dump") { Description = "Print every layer's integer outputs for each row" };
        var limit = new Option<int>("--limit") { Description = "Only the first N rows (0 = all)" };
        var predictions = new Option<string>("--predictions") { Description = "Also write one CSV row per row run: row, line, label (empty when unlabeled), int8_class, int8_CLASS (the quantized model's integer output scores, int8 or int16)" };
        var nf = new Option<bool>("--device-build") { Description = "Run the nanoFramework-compiled kernels (artifacts/nf) instead of the desktop build of the same source" };
        var session = SessionOption.Create();

        var command = new Command("simulate", "Run an .enet model with the device kernels on CSV rows and print the predicted classes.");
        command.Arguments.Add(model);
        command.Arguments.Add(data);
        foreach (Option o in new Option[] { label, dump, limit, nf, session, predictions }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetValue(model);
            string dataPath = parsed.GetValue(data), predictionsPath = parsed.GetValue(predictions);
            if (parsed.GetValue(limit) < 0) throw new CliException("--limit must be 0 (all rows) or positive", ExitCodes.Usage);
            using var outputs = new OutputSet();
            outputs.Input("model", modelPath);
            outputs.Input("data", dataPath);
            outputs.Add("--predictions", predictionsPath);
            outputs.Check();
            Model m = QuantizeCommand.ReadEnet(modelPath);
            byte[] file = File.ReadAllBytes(modelPath);
            if (!File.Exists(dataPath)) throw new CliException(dataPath + ": file not found");
            // Columns by the model's feature names, with the rule every command uses (exact name, else the
            // one column that differs only in letter case).
            // A model that carries missing-value fills reads empty or '?' cells as missing; they get the model's fill.
            MissingPolicy missing = m.Input.FillRaw != null ? MissingPolicy.Mean : MissingPolicy.Error;
            Dataset rows = DatasetLoader.Load(dataPath, new LoadOptions { FeatureColumns = m.FeatureNames, Unlabeled = true, Missing = missing });
            // The class column: --label, or else the one column beside the model's features, if there is exactly one.
            string sessionColumn = SessionOption.Resolve(parsed.GetValue(session), null);
            string[] others = rows.OtherColumns.Keys.Where(k => k != sessionColumn).ToArray();
            string labelColumn = parsed.GetValue(label) ?? (others.Length == 1 ? others[0] : null);
            if (labelColumn != null)
                rows = DatasetLoader.Load(dataPath, new LoadOptions { FeatureColumns = m.FeatureNames, LabelColumn = labelColumn, TestSide = true, Missing = missing });
            DataArguments.PrintNotices(rows);
            int n = parsed.GetValue(limit) > 0 ? Math.Min(parsed.GetValue(limit), rows.Count) : rows.Count;
            int[] raw = BitExactCheck.RawReadings(m, rows, n);
            if (m.Input.FillRaw != null)
            {
                int f = m.FeatureCount;
                for (int r = 0; r < n; r++)
                    for (int j = 0; j < f; j++)
                        if (float.IsNaN(rows.Features.Row(r)[j])) raw[r * f + j] = m.Input.FillRaw[j];
            }

            bool device = parsed.GetValue(nf);
            Func<byte[], int[], int, int[]> classify = device ? DeviceAssembly.Default.Classify : DeviceProbe.Classify;
            Func<byte[], int[], int, short[]> trace = device ? DeviceAssembly.Default.TraceWide : DeviceProbe.TraceWide;
            // Each session runs on a freshly loaded model, as after the device's boot: input window and state reset.
            bool[] starts = rows.SessionStarts(sessionColumn);
            int per = m.InputLength + m.Layers.Sum(l => l.OutputLength);
            var classes = new int[n];
            short[] traced = parsed.GetValue(dump) || predictionsPath != null ? new short[n * per] : null;
            short[] dumped = parsed.GetValue(dump) ? traced : null;
            int features = m.FeatureCount;
            for (int first = 0; first < n;)
            {
                int end = first + 1;
                while (end < n && !starts[end]) end++;
                int[] part = raw[(first * features)..(end * features)];
                classify(file, part, end - first).CopyTo(classes, first);
                if (traced != null) trace(file, part, end - first).CopyTo(traced, first * per);
                first = end;
            }

            IAnsiConsole console = Cli.Out;
            // Each row's class among the model's (by name, or a numerically equal name); -1 = a label the model does not know.
            int[] actualClass = labelColumn == null ? null : rows.ClassLabels.Select(l => ModelClass(m.ClassLabels, l)).ToArray();
            int correct = 0, known = 0;
            var unknown = new SortedDictionary<string, int>(StringComparer.Ordinal);
            for (int r = 0; r < n; r++)
            {
                string line = $"line {rows.SourceLines[r]}: {m.ClassLabels[classes[r]]}";
                if (actualClass != null)
                {
                    string actual = rows.ClassLabels[rows.Labels[r]];
                    int k = actualClass[rows.Labels[r]];
                    if (k < 0)
                    {
                        unknown[actual] = unknown.GetValueOrDefault(actual) + 1;
                        line += $" (actual {actual}: not a class of the model)";
                    }
                    else
                    {
                        known++;
                        if (k == classes[r]) correct++;
                        line += $" (actual {actual})";
                    }
                }
                console.WriteLine(line);
                if (dumped != null) Dump(console, m, dumped, r * per);
            }
            if (predictionsPath != null)
            {
                int last = m.Layers[^1].OutputLength;
                var scores = new int[n][];
                for (int r = 0; r < n; r++) scores[r] = traced.AsSpan((r + 1) * per - last, last).ToArray().Select(v => (int)v).ToArray();
                string[] actual = labelColumn != null ? rows.Labels.Take(n).Select(l => rows.ClassLabels[l]).ToArray() : null;
                outputs.Write(predictionsPath, Predictions.Csv(m.ClassLabels, rows.SourceLines, actual, null, null, classes, scores));
                outputs.Commit();
            }
            string build = device ? "nanoFramework build" : "desktop build";
            if (actualClass != null && known > 0)
                console.MarkupLine(Markup.Escape($"{n} rows, accuracy {(double)correct / known:P2} over the {known} rows whose label the model knows ({build} of the kernels)"));
            if (unknown.Count > 0)
                console.MarkupLine("[yellow]note:[/] " + Markup.Escape($"{unknown.Values.Sum()} of {n} rows have a label the model does not know and are not counted in the accuracy: " +
                                   string.Join(", ", unknown.Select(u => $"'{Cells.Show(u.Key)}' ({u.Value} rows)")) + $"; the model's classes: {Cells.List(m.ClassLabels)}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int ModelClass(string[] modelClasses, string label)
    {
        int k = Array.IndexOf(modelClasses, label);
        if (k >= 0 || !double.TryParse(label, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)) return k;
        return Array.FindIndex(modelClasses, c => double.TryParse(c, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double w) && w == v);
    }

    private static void Dump(IAnsiConsole console, Model m, short[] trace, int at)
    {
        console.WriteLine("  input: " + string.Join(" ", trace.Skip(at).Take(m.InputLength)));
        at += m.InputLength;
        for (int i = 0; i < m.Layers.Length; i++)
        {
            var l = m.Layers[i];
            console.WriteLine($"  layer {i} ({l.Kind.ToString().ToLowerInvariant()} {l.InputLength}->{l.OutputLength} {l.Activation.ToString().ToLowerInvariant()}): " +
                              string.Join(" ", trace.Skip(at).Take(l.OutputLength)));
            at += l.OutputLength;
        }
    }
}
