using System.CommandLine;
using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Output;
using EdgeNet.Trainer.Training;
using Spectre.Console;

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
        Description = "Train/test split: rows:1-4435/4436-6435 | column:Date=2017/12/23 (test rows) | file:test.csv (test rows from another file; " +
                      "a relative path is relative to the current folder) (default: none, or the split the model was trained with)",
    };
    public readonly Option<string> Benchmark = new("--benchmark")
    {
        Description = "A benchmark of SPLITS.md instead of a file: " + string.Join(", ", Splits.BenchmarkIds),
    };
    public readonly Option<MissingPolicy> Missing = new("--missing")
    {
        Description = "Missing feature values ('?', empty, NA): error (stop, naming the cell) | drop (leave out the row) | " +
                      "mean | median (fill with the training rows' value, stored in the model and used by evaluate, quantize and simulate)",
        DefaultValueFactory = _ => MissingPolicy.Error,
    };
    public readonly Option<int> MaxClasses = new("--max-classes")
    {
        Description = $"Most distinct label values accepted (default {LoadOptions.DefaultMaxClasses}; more looks like a measurement, not a class)",
        DefaultValueFactory = _ => LoadOptions.DefaultMaxClasses,
    };
    public readonly Option<string> MaxFileSize = new("--max-file-size")
    {
        Description = $"Sanity limit on the data file's size, in bytes or with K/M/G/T (default {LoadOptions.DefaultMaxFileBytes >> 30}G); a larger file is refused before it is read",
        HelpName = "bytes",
    };
    public readonly Option<string> StoreAbove = new("--store-above")
    {
        Description = $"Files larger than this (bytes or K/M/G/T; default {LoadOptions.DefaultStoreAboveBytes >> 20}M) stream into the memory-mapped row store, a cache file beside the data (docs/cli.md); 0 = always",
        HelpName = "bytes",
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
        foreach (Option o in new Option[] { Label, Features, Drop, Split, Missing, MaxClasses, MaxFileSize, StoreAbove, Benchmark, Datasets }) command.Options.Add(o);
    }

    private static long Size(ParseResult parsed, Option<string> option, long fallback)
    {
        string text = parsed.GetValue(option);
        if (text == null) return fallback;
        return LoadOptions.ParseSize(text) ?? throw new CliException($"{option.Name} '{text}': give a byte count such as 5000000, 64M or 32G", ExitCodes.Usage);
    }

    /// <summary>The missing-value fill fitted on the training rows by the last <see cref="Resolve"/> (null when none).</summary>
    public MissingValues Fill { get; private set; }

    /// <summary>
    /// The training rows and the test rows (null when no split was asked for). With a float model (quantize,
    /// evaluate) the rows are read for that model: its features by name (unless --features is given), its
    /// classes and its missing-value fill; what the command line leaves out comes from the model's "data"
    /// record (the data file, and for that same file its split and label; a file whose SHA-256 changed since
    /// training gets a warning). sessionColumn (optional) is never made a feature, so its values stay
    /// readable (<see cref="Dataset.SessionStarts"/>). Notices of the load are printed once.
    /// </summary>
    public (Dataset Train, Dataset Test) Resolve(ParseResult parsed, bool requireTest, Network model = null, string sessionColumn = null)
    {
        Fill = null;
        Source s = Choose(parsed, model);
        if (s.Benchmark != null) return LoadBenchmark(s.Benchmark, parsed.GetValue(Datasets));
        if (s.File == null) throw new CliException("no data: give a CSV/ARFF file or --benchmark ID", ExitCodes.Usage);
        if (!System.IO.File.Exists(s.File)) throw new CliException(s.File + ": file not found");
        if (s.Recorded != null && parsed.GetValue(File) == null)
            Cli.Out.WriteLine($"Data from the model's record: {s.File}" + (s.Split != null ? $", split {s.Split}" : "") + (s.Label != null ? $", label {s.Label}" : ""));
        if (s.Recorded?.Sha256 != null)
        {
            string now = DataProvenance.HashOf(s.File);
            if (now != s.Recorded.Sha256)
                Cli.Error.WriteLine($"warning: {s.File} changed since the model was trained (SHA-256 {s.Recorded.Sha256[..12]}... then, {now[..12]}... now); the rows may not be the ones it learned from");
        }
        int maxClasses = parsed.GetValue(MaxClasses);
        if (maxClasses < 2) throw new CliException("--max-classes must be at least 2", ExitCodes.Usage);

        MissingPolicy missing = parsed.GetValue(Missing);
        var options = new LoadOptions
        {
            LabelColumn = s.Label,
            FeatureColumns = List(parsed.GetValue(Features)) ?? model?.FeatureNames,
            DropColumns = List(parsed.GetValue(Drop)),
            ClassLabels = model?.ClassLabels,
            Missing = missing,
            MaxClasses = maxClasses,
            MaxFileBytes = Size(parsed, MaxFileSize, LoadOptions.DefaultMaxFileBytes),
            StoreAboveBytes = Size(parsed, StoreAbove, LoadOptions.DefaultStoreAboveBytes),
        };
        if (sessionColumn != null && (options.DropColumns == null || !options.DropColumns.Contains(sessionColumn)))
            options.DropColumns = [.. options.DropColumns ?? [], sessionColumn];
        if (model?.Missing != null && missing != MissingPolicy.Drop)
        {
            // The model's own fill values, never refitted: a missing reading is filled as in training.
            options.Fill = model.Missing;
        }
        else if (model != null && missing is (MissingPolicy.Mean or MissingPolicy.Median))
        {
            string m = missing.ToString().ToLowerInvariant();
            throw new CliException($"--missing {m}: the model was trained without missing-value fill values; use --missing drop, or retrain with --missing {m}", ExitCodes.Usage);
        }
        Dataset data = DatasetLoader.Load(s.File, options);
        Dataset train = data, test = null;
        if (s.Split != null)
        {
            try
            {
                // A file: split path is relative to the current folder, like every other path on the command line.
                (train, test) = Splits.Apply(data, s.Split, null, options);
            }
            catch (ArgumentException e)
            {
                throw new CliException("--split: " + e.Message, ExitCodes.Usage); // the spec itself is wrong: a command-line error
            }
        }
        else if (requireTest) throw new CliException("this command needs test rows: give --split SPEC or --benchmark ID", ExitCodes.Usage);

        if (options.Fill == null && missing is (MissingPolicy.Mean or MissingPolicy.Median))
        {
            // Fitted on the training side only, then applied to both sides alike.
            Fill = MissingValues.Fit(train, missing);
            Fill.Apply(train);
            if (test != null) Fill.Apply(test);
        }
        PrintNotices(data);
        return (train, test);
    }

    /// <summary>What the model trained on, for the model file's "data" record.</summary>
    public DataProvenance Provenance(ParseResult parsed, Dataset train)
    {
        string benchmark = parsed.GetValue(Benchmark);
        if (benchmark != null) return new DataProvenance { Benchmark = benchmark, Label = train.LabelColumn };
        return DataProvenance.OfFile(parsed.GetValue(File), parsed.GetValue(Split), train.LabelColumn);
    }

    /// <summary>The files the rows will be read from (data file, a file: split's test file), for the output check.</summary>
    public IEnumerable<(string What, string Path)> InputFiles(ParseResult parsed, Network model = null)
    {
        Source s = Choose(parsed, model);
        if (s.Benchmark != null)
        {
            string datasets = parsed.GetValue(Datasets);
            if (!Splits.BenchmarkIds.Contains(s.Benchmark)) yield break;
            string file = Path.Combine(datasets, Splits.BenchmarkFile(s.Benchmark));
            yield return ("--benchmark " + s.Benchmark, file);
            string spec = Splits.BenchmarkDefinition(s.Benchmark).Spec;
            if (spec.StartsWith("file:", StringComparison.Ordinal))
                yield return ("--benchmark " + s.Benchmark, Path.Combine(Path.GetDirectoryName(file) ?? "", spec[5..]));
            yield break;
        }
        if (s.File != null) yield return ("data", s.File);
        if (s.Split != null && s.Split.StartsWith("file:", StringComparison.Ordinal) && s.Split.Length > 5)
            yield return ("--split", s.Split[5..]);
    }

    /// <summary>Where the rows come from once the model's record fills what the command line leaves out.</summary>
    private sealed record Source(string File, string Benchmark, string Split, string Label, DataProvenance Recorded);

    private Source Choose(ParseResult parsed, Network model)
    {
        string benchmark = parsed.GetValue(Benchmark);
        string file = parsed.GetValue(File);
        string split = parsed.GetValue(Split), label = parsed.GetValue(Label);
        if (benchmark != null)
        {
            if (file != null) throw new CliException("give either a data file or --benchmark, not both", ExitCodes.Usage);
            return new Source(null, benchmark, null, null, null);
        }
        DataProvenance d = model?.Data;
        if (d == null) return new Source(file, null, split, label, null);
        if (file == null && d.Benchmark != null) return new Source(null, d.Benchmark, null, null, null);
        file ??= d.Path;
        // The recorded split and label belong to the recorded file: another file needs its own.
        bool same = file != null && d.Path != null && PathIdentity.Same(file, d.Path);
        return same ? new Source(file, null, split ?? d.Split, label ?? d.Label, d) : new Source(file, null, split, label, null);
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

    /// <summary>What the loader decided on its own, once per load, as "note:" lines.</summary>
    public static void PrintNotices(Dataset data)
    {
        foreach (string notice in data.Notices) Cli.Out.MarkupLine("[yellow]note:[/] " + Spectre.Console.Markup.Escape(notice));
    }

    public static string[] List(string value) =>
        value == null ? null : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
