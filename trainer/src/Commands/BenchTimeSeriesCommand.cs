using System.CommandLine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.NetworkTypes;
using EdgeNet.Trainer.Output;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// <c>edgenet bench timeseries</c>: every network type (MLP on the current reading or a window, CNNs, each
/// recurrent feedback kind) on the room-occupancy streams, float vs the default quantizer (--precision auto) and
/// each width forced (int8, int16, int16x16); writes PATH.md and PATH.json.
/// </summary>
public static class BenchTimeSeriesCommand
{
    public static Command Create()
    {
        var datasets = new Option<string>("--datasets") { Description = "Folder of the benchmark datasets (room_occupancy_estimation/...)", DefaultValueFactory = _ => DataArguments.DefaultDatasets };
        var window = new Option<int>("--window") { Description = "Readings per window and per BPTT training sequence", DefaultValueFactory = _ => 8 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs per network", DefaultValueFactory = _ => 12 };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per network (1, 2, ...); accuracies are their mean", DefaultValueFactory = _ => 3 };
        var only = new Option<string>("--only") { Description = "Only these networks, comma-separated (default: all of " + string.Join(", ", TimeSeriesBenchmark.Configs.Select(c => c.Name)) + ")" };
        var output = new Option<string>("--out", "-o") { Description = "Result files to write: PATH.md and PATH.json", DefaultValueFactory = _ => "benchmarks/results/timeseries" };
        var models = new Option<string>("--models") { Description = "Also write each network's default-quantizer (--precision auto) model (first seed) as DIR/NAME.enet" };
        var command = new Command("timeseries", "Time-series benchmark: MLP, CNN and every recurrent feedback kind on the room-occupancy streams (last N readings), float vs the default quantizer (--precision auto) and int8 / int16 / int16x16 forced.");
        foreach (Option o in new Option[] { datasets, window, epochs, seeds, only, output, models }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            string folder = parsed.GetValue(datasets);
            int w = parsed.GetValue(window), e = parsed.GetValue(epochs), n = parsed.GetValue(seeds);
            if (w < 2 || w > 64) throw new CliException("--window must be in 2..64", ExitCodes.Usage);
            if (e < 1) throw new CliException("--epochs must be at least 1", ExitCodes.Usage);
            if (n < 1 || n > 20) throw new CliException("--seeds must be in 1..20", ExitCodes.Usage);
            int[] s = Enumerable.Range(1, n).ToArray();
            string[] names = DataArguments.List(parsed.GetValue(only));
            foreach (string name in names ?? Array.Empty<string>())
                if (!TimeSeriesBenchmark.Configs.Any(c => c.Name == name)) throw new CliException($"unknown network '{name}'; known: {string.Join(", ", TimeSeriesBenchmark.Configs.Select(c => c.Name))}", ExitCodes.Usage);
            string prefix = parsed.GetValue(output), modelsFolder = parsed.GetValue(models);
            string[] modelFiles = modelsFolder == null ? [] : (names ?? TimeSeriesBenchmark.Configs.Select(c => c.Name).ToArray()).Select(n => Path.Combine(modelsFolder, n + ".enet")).ToArray();
            using var outputs = new OutputSet();
            outputs.Input("--datasets", Path.Combine(folder, Splits.BenchmarkFile(TimeSeriesBenchmark.BenchmarkId)));
            outputs.Add("--out", prefix + ".md");
            outputs.Add("--out", prefix + ".json");
            foreach (string f in modelFiles) outputs.Add("--models", f);
            outputs.Check();
            if (!Directory.Exists(folder)) throw new CliException($"{folder}: datasets folder not found (give --datasets; the benchmark reads {Splits.BenchmarkFile(TimeSeriesBenchmark.BenchmarkId)})");
            (Dataset train, Dataset test) = Splits.Benchmark(TimeSeriesBenchmark.BenchmarkId, folder);
            // The models are written into a staging folder as they are trained and handed over at the end.
            string stagedModels = modelFiles.Length > 0 ? outputs.Staging(modelFiles[0]) : null;
            var results = TimeSeriesBenchmark.Run(train, test, w, e, s, names, line => Cli.Out.WriteLine(line), stagedModels);
            foreach (string f in modelFiles) outputs.Adopt(f, Path.Combine(stagedModels, Path.GetFileName(f)));
            BenchOutputs.WritePrefixed(outputs, prefix, staged => TimeSeriesBenchmark.Write(staged, results, w, e, s, train.Count, test.Count));
            Cli.Out.WriteLine($"Wrote {prefix}.md and .json");
            return ExitCodes.Ok;
        });
        return command;
    }
}
