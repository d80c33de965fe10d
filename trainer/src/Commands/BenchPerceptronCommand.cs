using System.CommandLine;
using EdgeNet.Trainer.NetworkTypes;
using EdgeNet.Trainer.Output;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// <c>edgenet bench perceptron</c>: the single-layer perceptron on iris setosa vs rest (converges), iris
/// versicolor vs rest and XOR (do not), and a 2-layer MLP on XOR (learns it); writes PATH.md and PATH.json.
/// </summary>
public static class BenchPerceptronCommand
{
    public static Command Create()
    {
        var iris = new Option<string>("--iris") { Description = "Iris CSV (first line: rows,features,class names)", DefaultValueFactory = _ => "data/iris/iris.csv" };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs per perceptron", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--out", "-o") { Description = "Result files to write: PATH.md and PATH.json", DefaultValueFactory = _ => "benchmarks/results/perceptron" };
        var command = new Command("perceptron", "Perceptron learning rule and delta rule on separable (iris setosa) and non-separable (iris versicolor, XOR) tasks, and a 2-layer MLP on XOR.");
        foreach (Option o in new Option[] { iris, epochs, output }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            int e = parsed.GetValue(epochs);
            if (e < 1) throw new CliException("--epochs must be at least 1", ExitCodes.Usage);
            string prefix = parsed.GetValue(output);
            using var outputs = new OutputSet();
            outputs.Input("--iris", parsed.GetValue(iris));
            outputs.Add("--out", prefix + ".md");
            outputs.Add("--out", prefix + ".json");
            outputs.Check();
            List<PerceptronRun> runs = PerceptronDemo.Run(parsed.GetValue(iris), e);
            foreach (PerceptronRun r in runs)
                Cli.Out.WriteLine($"{r.Task,-24} {r.Model,-46} converged {(r.Converged ? "yes" : "no "),-3}  epochs {r.Epochs,4}  accuracy {r.TrainAccuracy:P2}");
            BenchOutputs.WritePrefixed(outputs, prefix, staged => PerceptronDemo.Write(staged, runs, e));
            Cli.Out.WriteLine($"Wrote {prefix}.md and .json");
            return ExitCodes.Ok;
        });
        return command;
    }
}
