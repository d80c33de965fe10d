using System.CommandLine;
using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Output;
using EdgeNet.Trainer.Reports;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary><c>edgenet bench</c>: benchmarks that write result files. <c>bench accuracy</c>: float vs int8 on every SPLITS.md benchmark.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks that write result files (Markdown and JSON).");
        bench.Subcommands.Add(CreateAccuracy());
        bench.Subcommands.Add(CreateHyperparameters());
        bench.Subcommands.Add(BenchTimeSeriesCommand.Create());
        bench.Subcommands.Add(BenchPerceptronCommand.Create());
        bench.Subcommands.Add(BenchQatCommand.Create());
        bench.Subcommands.Add(BenchFleetCommand.Create());
        bench.Subcommands.Add(CreateReport());
        return bench;
    }

    /// <summary><c>edgenet bench report [--check]</c>: the figure tables of README.md and docs/*.md from the results JSON (<see cref="DocFigures"/>).</summary>
    public static Command CreateReport()
    {
        var check = new Option<bool>("--check") { Description = "Change nothing: list the documents whose generated tables are stale and exit 3 if any" };
        var command = new Command("report", "Regenerate the figure tables of README.md and docs/*.md (the blocks between '<!-- generated: ... -->' and '<!-- end generated -->') from benchmarks/results/*.json.");
        command.Options.Add(check);
        command.SetAction(parsed =>
        {
            string root = Stamp.FindRepoRoot(Environment.CurrentDirectory)
                ?? throw new CliException($"{Environment.CurrentDirectory}: not inside the EdgeNet repository (no EdgeNet.sln above it)");
            try
            {
                if (parsed.GetValue(check))
                {
                    var stale = DocFigures.Documents(root)
                        .Where(p => { string t = File.ReadAllText(p); return DocFigures.Regenerate(t, root, p) != t; })
                        .Select(p => Path.GetRelativePath(root, p)).ToList();
                    foreach (string s in stale) Cli.Out.WriteLine($"stale: {s}");
                    if (stale.Count == 0) Cli.Out.WriteLine("every generated table matches its results file");
                    return stale.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
                }
                List<string> changed = DocFigures.Update(root);
                Cli.Out.WriteLine(changed.Count == 0 ? "every generated table was up to date" : "rewrote " + string.Join(", ", changed));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or System.Text.Json.JsonException)
            {
                throw new CliException(e.Message);
            }
        });
        return command;
    }

    /// <summary><c>edgenet bench hyperparameters</c>: the training defaults chosen by cross-validation on the training rows (<see cref="HyperparameterSearch"/>).</summary>
    public static Command CreateHyperparameters()
    {
        var datasets = new Option<string>("--datasets") { Description = "Folder of the benchmark datasets", DefaultValueFactory = _ => DataArguments.DefaultDatasets };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds of the training rows", DefaultValueFactory = _ => 3 };
        var only = new Option<string>("--only") { Description = "Only these benchmark ids, comma-separated (default: " + string.Join(", ", HyperparameterSearch.DefaultBenchmarks) + ")" };
        var output = new Option<string>("--out", "-o") { Description = "Result files to write: PATH.md and PATH.json", DefaultValueFactory = _ => "benchmarks/results/hyperparameters" };
        var command = new Command("hyperparameters", "Cross-validate the training defaults (L2, L2 cap, stopping criterion, patience) on the training rows of the SPLITS.md benchmarks; test rows are never read.");
        foreach (Option o in new Option[] { datasets, folds, only, output }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            int k = parsed.GetValue(folds);
            if (k < 2 || k > 10) throw new CliException("--folds must be in 2..10", ExitCodes.Usage);
            string folder = parsed.GetValue(datasets);
            if (!Directory.Exists(folder)) throw new CliException($"{folder}: datasets folder not found (give --datasets; SPLITS.md lists the files)");
            string[] ids = DataArguments.List(parsed.GetValue(only)) ?? HyperparameterSearch.DefaultBenchmarks;
            foreach (string id in ids)
            {
                if (!Splits.BenchmarkIds.Contains(id)) throw new CliException($"unknown benchmark '{id}'; known: {string.Join(", ", Splits.BenchmarkIds)}", ExitCodes.Usage);
                if (DatasetSources.Missing(id, folder) is string missing) throw new CliException($"{id}: {missing}");
            }
            string prefix = parsed.GetValue(output);
            using var outputs = new OutputSet();
            outputs.Add("--out", prefix + ".md");
            outputs.Add("--out", prefix + ".json");
            outputs.Check();
            HyperparameterResults results = HyperparameterSearch.Run(folder, ids, HyperparameterSearch.DefaultGrid(), k, 1, line => Cli.Out.WriteLine(line));
            results.Command = ("edgenet bench hyperparameters " + string.Join(" ", parsed.Tokens.Skip(2).Select(t => t.Value))).Trim();
            outputs.Write(prefix + ".json", Json.Text(results));
            outputs.Write(prefix + ".md", HyperparameterSearch.Markdown(results));
            outputs.Commit();
            Cli.Out.WriteLine($"Chosen: {results.Grid[results.Chosen].Name}. Wrote {prefix}.md and .json");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateAccuracy()
    {
        var train = new TrainArguments();
        var datasets = new Option<string>("--datasets") { Description = "Folder of the benchmark datasets", DefaultValueFactory = _ => DataArguments.DefaultDatasets };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per benchmark", DefaultValueFactory = _ => 5 };
        var only = new Option<string>("--only") { Description = "Only these benchmark ids, comma-separated (default: all of " + string.Join(", ", Splits.BenchmarkIds) + ")" };
        var output = new Option<string>("--out", "-o") { Description = "Result files to write: PATH.md and PATH.json", DefaultValueFactory = _ => "benchmarks/results/accuracy" };
        var render = new Option<string>("--render") { Description = "Only rewrite the Markdown from an earlier results JSON (no training)" };
        var previous = new Option<string>("--previous") { Description = "An earlier accuracy.json whose float figures (the previous defaults) are compared with this run's" };
        var sklearn = new Option<string>("--sklearn") { Description = "scikit-learn reference figures (benchmarks/sklearn_reference.py) to put beside ours", DefaultValueFactory = _ => "benchmarks/results/sklearn.json" };

        var command = new Command("accuracy", "Float vs int8 test accuracy and balanced accuracy of the default MLP on every SPLITS.md benchmark, over several seeds, with min/max and percentile calibration.");
        foreach (Option o in new Option[] { datasets, seeds, only, output, sklearn, render, previous }) command.Options.Add(o);
        train.AddTo(command);
        command.SetAction(parsed =>
        {
            string prefix = parsed.GetValue(output);
            string earlier = parsed.GetValue(render);
            using var outputs = new OutputSet();
            outputs.Input("--sklearn", parsed.GetValue(sklearn));
            outputs.Input("--render", earlier);
            outputs.Input("--previous", parsed.GetValue(previous));
            outputs.Add("--out", prefix + ".md");
            if (earlier == null) outputs.Add("--out", prefix + ".json");
            outputs.Check();
            SklearnReference reference = SklearnReference.Load(parsed.GetValue(sklearn));
            if (earlier != null)
            {
                if (!File.Exists(earlier)) throw new CliException(earlier + ": file not found");
                AccuracyResults old = Json.Read<AccuracyResults>(earlier);
                outputs.Write(prefix + ".md", AccuracyMarkdown.Write(old, reference));
                outputs.Commit();
                Cli.Out.MarkupLine($"Wrote [bold]{Markup.Escape(prefix)}.md[/] from {Markup.Escape(earlier)}");
                return ExitCodes.Ok;
            }
            if (parsed.GetValue(previous) is string prior && !File.Exists(prior)) throw new CliException(prior + ": file not found (--previous)");
            int n = parsed.GetValue(seeds);
            if (n < 1) throw new CliException("--seeds must be at least 1", ExitCodes.Usage);
            string folder = parsed.GetValue(datasets);
            if (!Directory.Exists(folder)) throw new CliException($"{folder}: datasets folder not found (give --datasets; SPLITS.md lists the files)");
            string[] ids = DataArguments.List(parsed.GetValue(only)) ?? Splits.BenchmarkIds.ToArray();
            foreach (string id in ids)
                if (!Splits.BenchmarkIds.Contains(id)) throw new CliException($"unknown benchmark '{id}'; known: {string.Join(", ", Splits.BenchmarkIds)}", ExitCodes.Usage);
            train.Resolve(parsed); // validates the options once

            IAnsiConsole console = Cli.Out;
            AccuracyResults results = AccuracyBenchmark.Run(folder, n, () => train.Resolve(parsed), ids, line => console.WriteLine(line));
            results.Command = ("edgenet bench accuracy " + string.Join(" ", parsed.Tokens.Skip(2).Select(t => t.Value))).Trim();
            if (parsed.GetValue(previous) is string before) AccuracyBenchmark.AddPrevious(results, before);
            outputs.Write(prefix + ".json", Json.Text(results));
            outputs.Write(prefix + ".md", AccuracyMarkdown.Write(results, reference));
            outputs.Commit();
            console.MarkupLine($"Wrote [bold]{Markup.Escape(prefix)}.md[/] and .json" + (reference == null ? " (no scikit-learn reference found; run benchmarks/sklearn_reference.py)" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>Result files named PREFIX.md and PREFIX.json, written by a writer that takes the prefix.</summary>
public static class BenchOutputs
{
    /// <summary>Runs the writer on a staging prefix, hands both files to the set and commits it.</summary>
    public static void WritePrefixed(OutputSet outputs, string prefix, Action<string> write)
    {
        string staged = Path.Combine(outputs.Staging(prefix + ".md"), Path.GetFileName(prefix));
        write(staged);
        outputs.Adopt(prefix + ".md", staged + ".md");
        outputs.Adopt(prefix + ".json", staged + ".json");
        outputs.Commit();
    }
}
