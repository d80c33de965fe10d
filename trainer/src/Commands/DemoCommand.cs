using System.CommandLine;
using System.Diagnostics;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Output;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Reports;
using EdgeNet.Trainer.Training;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// <c>edgenet demo</c>: the whole path on the bundled satellite data — train, quantize, export, evaluate
/// float vs int8, run the nanoFramework-compiled kernels on every test row and check them bit for bit,
/// and write a report with plots.
/// </summary>
public static class DemoCommand
{
    public const string BundledData = "data/satellite/satellite.csv";
    public const string SatelliteSplit = "rows:1-4435/4436-6435";

    /// <summary>The files the demo writes into its report folder.</summary>
    public static readonly string[] ReportFiles =
    [
        "satellite.float.json", "history.csv", "history.json", "satellite.enet", "loss.png", "accuracy.png",
        "confusion_float.png", "confusion_int8.png", "evaluation.json", "summary.md",
    ];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The satellite CSV (default: " + BundledData + " of the repository)" };
        var output = new Option<string>("--out", "-o") { Description = "Report folder", DefaultValueFactory = _ => "out/demo" };
        var epochs = new Option<int?>("--epochs") { Description = "Most epochs (default: the trainer's default)" };
        var seed = new Option<int?>("--seed") { Description = "Random seed (default: the trainer's default)" };
        var calibration = new Option<Calibration?>("--calibration") { Description = "Activation range calibration (default: the quantizer's default)" };
        var limit = new Option<int>("--rows") { Description = "Use only N training and N test rows, spread evenly over each side (quick runs; 0 = all)" };
        var precision = new Option<PrecisionMode>("--precision") { Description = "Width per layer (as quantize: auto, int8, int16 or int16x16)", DefaultValueFactory = _ => PrecisionMode.Auto };
        var deviceBuild = new Option<string>("--device-build") { Description = "Folder of the nanoFramework-compiled EdgeNet.Shared.dll to check (default: nf/ beside edgenet, else artifacts/nf)" };

        var command = new Command("demo", "Train, quantize, export and evaluate on the bundled Landsat satellite data, check the nanoFramework kernels bit for bit, and write a report.");
        foreach (Option o in new Option[] { data, output, epochs, seed, calibration, precision, limit, deviceBuild }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var options = new TrainOptions();
            if (parsed.GetValue(epochs) is int e) options.Epochs = e;
            if (parsed.GetValue(seed) is int s) options.Seed = s;
            var quantize = new QuantizeOptions();
            if (parsed.GetValue(calibration) is Calibration c) quantize.Calibration = c;
            DeviceAssembly device;
            try
            {
                device = parsed.GetValue(deviceBuild) is string folder ? new DeviceAssembly(Path.GetFullPath(folder)) : DeviceAssembly.Default;
            }
            catch (FileNotFoundException missing)
            {
                throw new CliException(missing.Message);
            }
            DemoReport report = Run(parsed.GetValue(data) ?? FindBundledData(), parsed.GetValue(output), options, quantize, parsed.GetValue(limit), device, parsed.GetValue(precision));
            return report.BitExact.Exact ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    public static DemoReport Run(string dataFile, string outFolder, TrainOptions options, QuantizeOptions quantize, int rowLimit, DeviceAssembly device = null,
        PrecisionMode precision = PrecisionMode.Auto)
    {
        device ??= DeviceAssembly.Default;
        IAnsiConsole console = Cli.Out;
        var total = Stopwatch.StartNew();
        var report = new DemoReport { DataFile = dataFile, Split = SatelliteSplit, Options = options, Quantize = quantize };
        var clock = Stopwatch.StartNew();
        void Done(string step)
        {
            report.Timings.Add((step, clock.Elapsed.TotalSeconds));
            clock.Restart();
        }

        // Every report file is written beside its target and renamed in only when the whole demo succeeded.
        using var outputs = new OutputSet();
        outputs.Input("--data", dataFile);
        string Out(string name) => Path.Combine(outFolder, name);
        foreach (string name in ReportFiles) outputs.Add("--out", Out(name));
        outputs.Check();
        if (!File.Exists(dataFile)) throw new CliException(dataFile + ": file not found (the demo data ships in the repository as " + BundledData + ")");
        Dataset all = DatasetLoader.Load(dataFile, new LoadOptions { LabelColumn = "classes" });
        (Dataset train, Dataset test) = Splits.Apply(all, SatelliteSplit, Path.GetDirectoryName(Path.GetFullPath(dataFile)));
        if (rowLimit > 0)
        {
            train = Spread(train, rowLimit);
            test = Spread(test, rowLimit);
        }
        report.TrainRows = train.Count;
        report.TestRows = test.Count;
        report.FeatureNames = train.FeatureNames;
        console.MarkupLine($"[bold]EdgeNet demo[/]: Statlog Landsat Satellite, {train.Count} training rows, {test.Count} test rows, {train.FeatureNames.Length} features, {train.ClassLabels.Length} classes");
        Done("load data");

        report.Training = TrainingProgress.Run(train, options, "train");
        Done("train (float)");

        report.Training.Network.Data = DataProvenance.OfFile(dataFile, SatelliteSplit, all.LabelColumn);
        outputs.Write(Out("satellite.float.json"), report.Training.Network.Save);
        outputs.Write(Out("history.csv"), History.Csv(report.Training.History, report.Training.SelectedOn));
        outputs.Write(Out("history.json"), History.Json(report.Training, options, dataFile));
        // The demo quantizes as quantize does (default --precision auto, judged on training's validation rows).
        report.Quantized = PrecisionChoice.Quantize(report.Training.Network, train, quantize, precision, out report.Precision);
        report.Enet = QuantizeCommand.Export(report.Quantized.Model, null);
        outputs.Write(Out("satellite.enet"), report.Enet);
        Done("quantize and export");

        report.Comparison = Comparison.Compute(report.Training.Network, report.Quantized.Model, train, test);
        Done("evaluate float and int8");

        report.BitExact = BitExactCheck.Run(report.Enet, report.Quantized.Model, test, device);
        Done("nanoFramework kernels, bit-exact check");

        WriteFigures(report, outputs, Out);
        outputs.Write(Out("evaluation.json"), Json.Text(EvaluateCommand.ToJson(report.Comparison, "satellite.float.json", "satellite.enet")));
        Done("plots and report");
        report.Timings.Add(("total", total.Elapsed.TotalSeconds));
        outputs.Write(Out("summary.md"), report.Markdown());
        outputs.Commit();

        EvaluateCommand.Print(console, report.Comparison);
        Comparison cmp = report.Comparison;
        var headline = new Table().Title("[bold]Result[/]").AddColumns("", "float", "quantized");
        headline.AddRow("test balanced accuracy", EvaluateCommand.Pct(cmp.FloatTest.BalancedAccuracy), EvaluateCommand.Pct(cmp.Int8Test.BalancedAccuracy));
        headline.AddRow("test accuracy", EvaluateCommand.Pct(cmp.FloatTest.Accuracy), EvaluateCommand.Pct(cmp.Int8Test.Accuracy));
        headline.AddRow("quantized agrees with float", "", EvaluateCommand.Pct(cmp.Agreement));
        console.Write(headline);
        foreach (string line in PrecisionChoice.Describe(report.Quantized.Model, report.Precision)) console.WriteLine(line);
        console.MarkupLine((report.BitExact.Exact ? "[green]" : "[red]") + Markup.Escape(report.BitExact.ToString()) + "[/]");
        console.MarkupLine($"Report: [bold]{Markup.Escape(Path.Combine(outFolder, "summary.md"))}[/] ({total.Elapsed.TotalSeconds:F1} s)");
        return report;
    }

    /// <summary>At most n rows taken evenly across the data (the files are grouped by class, a prefix is not).</summary>
    private static Dataset Spread(Dataset data, int n)
    {
        if (n >= data.Count) return data;
        return data.Subset(Enumerable.Range(0, n).Select(i => (int)((long)i * data.Count / n)).ToArray());
    }

    private static void WriteFigures(DemoReport report, OutputSet outputs, Func<string, string> at)
    {
        var h = report.Training.History;
        outputs.Write(at("loss.png"), path => Plots.Loss(path, h, report.Training.BestEpoch));
        outputs.Write(at("accuracy.png"), path => Plots.Accuracy(path, h, report.Training.BestEpoch));
        Comparison c = report.Comparison;
        outputs.Write(at("confusion_float.png"), path => Plots.Confusion(path, $"Float, test rows (accuracy {c.FloatTest.Accuracy:P1})", c.ClassLabels, c.FloatTest.Confusion));
        outputs.Write(at("confusion_int8.png"), path => Plots.Confusion(path, $"Quantized, test rows (accuracy {c.Int8Test.Accuracy:P1})", c.ClassLabels, c.Int8Test.Confusion));
        report.Figures = ["loss.png", "accuracy.png", "confusion_float.png", "confusion_int8.png"];
    }

    /// <summary>data/satellite/satellite.csv of the repository holding the current folder or the program.</summary>
    public static string FindBundledData()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                string path = Path.Combine(dir.FullName, BundledData);
                if (File.Exists(path)) return path;
            }
        }
        return BundledData;
    }
}
