using System.CommandLine;
using System.Text.Json.Nodes;
using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Output;
using EdgeNet.Trainer.Reports;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// <c>edgenet bench qat</c>: quantization-aware fine-tuning against post-training quantization of the same float
/// networks on chosen SPLITS.md benchmarks (<see cref="QatBenchmark"/>); writes PATH.md and PATH.json, stamped.
/// </summary>
public static class BenchQatCommand
{
    public static Command Create()
    {
        var train = new TrainArguments();
        var datasets = new Option<string>("--datasets") { Description = "Folder of the benchmark datasets", DefaultValueFactory = _ => DataArguments.DefaultDatasets };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per benchmark", DefaultValueFactory = _ => 5 };
        var only = new Option<string>("--only") { Description = "Benchmark ids, comma-separated (default: all of " + string.Join(", ", Splits.BenchmarkIds) + ")" };
        var output = new Option<string>("--out", "-o") { Description = "Result files to write: PATH.md and PATH.json", DefaultValueFactory = _ => "benchmarks/results/qat" };
        var command = new Command("qat", "Quantization-aware fine-tuning (--qat-epochs, default QatBenchmark.Epochs = 10 here) vs post-training quantization of the same float networks: test metric, agreement, and the validation figures settings are chosen on.");
        foreach (Option o in new Option[] { datasets, seeds, only, output }) command.Options.Add(o);
        train.AddTo(command);
        command.SetAction(parsed =>
        {
            int n = parsed.GetValue(seeds);
            if (n < 1) throw new CliException("--seeds must be at least 1", ExitCodes.Usage);
            string folder = parsed.GetValue(datasets);
            if (!Directory.Exists(folder)) throw new CliException($"{folder}: datasets folder not found (give --datasets; SPLITS.md lists the files)");
            string[] ids = DataArguments.List(parsed.GetValue(only)) ?? Splits.BenchmarkIds.ToArray();
            foreach (string id in ids)
                if (!Splits.BenchmarkIds.Contains(id)) throw new CliException($"unknown benchmark '{id}'; known: {string.Join(", ", Splits.BenchmarkIds)}", ExitCodes.Usage);
            Func<Training.TrainOptions> options = () =>
            {
                Training.TrainOptions o = train.Resolve(parsed);
                if (parsed.GetResult(train.QatEpochs) == null || parsed.GetResult(train.QatEpochs).Implicit) o.QatEpochs = QatBenchmark.Epochs;
                if (o.QatEpochs < 1) throw new CliException("--qat-epochs must be at least 1 here", ExitCodes.Usage);
                return o;
            };
            options();
            string prefix = parsed.GetValue(output);
            using var outputs = new OutputSet();
            outputs.Add("--out", prefix + ".md");
            outputs.Add("--out", prefix + ".json");
            outputs.Check();

            JsonObject stamp = Stamp.Machine(Stamp.FindRepoRoot(Environment.CurrentDirectory));
            var results = QatBenchmark.Run(folder, ids, n, options, line => Cli.Out.WriteLine(line));
            Stamp.Finish(stamp);
            string commandLine = ("edgenet bench qat " + string.Join(" ", parsed.Tokens.Skip(2).Select(t => t.Value))).Trim();
            var json = new { Machine = stamp, Command = commandLine, Seeds = n, Benchmarks = results.Select(r => new { r.Id, r.Seeds }).ToList() };
            outputs.Write(prefix + ".json", Json.Text(json));
            outputs.Write(prefix + ".md", QatBenchmark.Markdown(results, Stamp.Line(stamp), commandLine));
            outputs.Commit();
            Cli.Out.WriteLine($"Wrote {prefix}.md and .json");
            return ExitCodes.Ok;
        });
        return command;
    }
}
