using System.CommandLine;
using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Data;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// Where a command's rows come from, shared by train, quantize and evaluate: a data file with its label,
/// feature and split choices, or a benchmark id from SPLITS.md read from the datasets folder.
/// </summary>
public sealed class DataArguments
{
    public const string DefaultDatasets = "../shared/datasets";

    public readonly Argument<string> File = new("data")
    {
        Description = "CSV or ARFF file with a header row (not needed with --benchmark)",
        Arity = ArgumentArity.ZeroOrOne,
    };
    public readonly Option<string> Label = new("--label") { Description = "Class column (default: the last column)" };
    public readonly Option<string> Features = new("--features") { Description = "Feature columns, comma-separated (default: every other numeric column)" };
    public readonly Option<string> Drop = new("--drop") { Description = "Columns that are never features, comma-separated (e.g. Date,Time)" };
    public readonly Option<string> Split = new("--split")
    {
        Description = "Train/test split: rows:1-4435/4436-6435 | column:Date=2017/12/23 (test rows) | file:test.csv (default: no test rows)",
    };
    public readonly Option<string> Benchmark = new("--benchmark")
    {
        Description = "A benchmark of SPLITS.md instead of a file: " + string.Join(", ", Splits.BenchmarkIds),
    };
    public readonly Option<string> Datasets = new("--datasets")
    {
        Description = "Folder of the benchmark datasets",
        DefaultValueFactory = _ => DefaultDatasets,
    };

    public DataArguments()
    {
        // An optional argument takes any token, so a mistyped option would otherwise be read as a file name.
        File.Validators.Add(r =>
        {
            string v = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
            if (v != null && v.StartsWith('-')) r.AddError($"unknown option '{v}'");
        });
        Benchmark.AcceptOnlyFromAmong(Splits.BenchmarkIds);
        Benchmark.HelpName = "id";
    }

    public void AddTo(Command command)
    {
        command.Arguments.Add(File);
        foreach (Option o in new Option[] { Label, Features, Drop, Split, Benchmark, Datasets }) command.Options.Add(o);
    }

    /// <summary>
    /// The training rows and the test rows (null when no split was asked for). sessionColumn (optional) is
    /// never made a feature, so its values stay readable (<see cref="Dataset.SessionStarts"/>).
    /// </summary>
    public (Dataset Train, Dataset Test) Resolve(ParseResult parsed, bool requireTest, string sessionColumn = null)
    {
        string benchmark = parsed.GetValue(Benchmark);
        string file = parsed.GetValue(File);
        if (benchmark != null)
        {
            if (file != null) throw new CliException("give either a data file or --benchmark, not both", ExitCodes.Usage);
            return LoadBenchmark(benchmark, parsed.GetValue(Datasets));
        }
        if (file == null) throw new CliException("no data: give a CSV/ARFF file or --benchmark ID", ExitCodes.Usage);
        if (!System.IO.File.Exists(file)) throw new CliException(file + ": file not found");

        var options = new LoadOptions
        {
            LabelColumn = parsed.GetValue(Label),
            FeatureColumns = List(parsed.GetValue(Features)),
            DropColumns = List(parsed.GetValue(Drop)),
        };
        if (sessionColumn != null && (options.DropColumns == null || !options.DropColumns.Contains(sessionColumn)))
            options.DropColumns = [.. options.DropColumns ?? [], sessionColumn];
        Dataset data = DatasetLoader.Load(file, options);
        string split = parsed.GetValue(Split);
        if (split == null)
        {
            if (requireTest) throw new CliException("this command needs test rows: give --split SPEC or --benchmark ID", ExitCodes.Usage);
            return (data, null);
        }
        return Splits.Apply(data, split, Path.GetDirectoryName(Path.GetFullPath(file)));
    }

    /// <summary>A benchmark's split, or a clear message saying where to get its data when it is absent.</summary>
    public static (Dataset Train, Dataset Test) LoadBenchmark(string id, string datasets)
    {
        if (!Splits.BenchmarkIds.Contains(id))
            throw new CliException($"unknown benchmark '{id}'; known: {string.Join(", ", Splits.BenchmarkIds)}", ExitCodes.Usage);
        string missing = DatasetSources.Missing(id, datasets);
        if (missing != null) throw new CliException(missing);
        return Splits.Benchmark(id, datasets);
    }

    public static string[] List(string value) =>
        value == null ? null : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
