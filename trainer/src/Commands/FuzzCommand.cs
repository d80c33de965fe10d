using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using EdgeNet.Fuzzing;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Output;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// `edgenet fuzz --cases 1000000 --seed S`: mutated model files through the net10 and the
/// nanoFramework-compiled reader and engine; exits 3 (check failed) when any case crashed, hung, made the builds
/// disagree, read past the end or was rejected without a specific reason.
/// </summary>
public static class FuzzCommand
{
    public static Command Create()
    {
        var cases = new Option<long>("--cases") { Description = "How many mutated models to try", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the run (every case is reproducible from it)", DefaultValueFactory = _ => 1 };
        var budget = new Option<int>("--budget-ms") { Description = "Time budget of one case; slower counts as a hang", DefaultValueFactory = _ => 2000 };
        var oneCase = new Option<long?>("--case") { Description = "Run only this case number and print what it did (to reproduce a failure)" };
        var save = new Option<FileInfo>("--save") { Description = "With --case: write the mutated model file here" };
        var version = new Option<int>("--format-version") { Description = "Format version of the seed models (1 reproduces the cases of runs before format v2)", DefaultValueFactory = _ => EdgeNet.Format.ModelFormat.VersionWithoutWideWeights };
        var report = new Option<FileInfo>("--report") { Description = "Write the figures as Markdown (e.g. benchmarks/results/fuzz.md)" };
        var command = new Command("fuzz", "Feed mutated .enet files to the reader and engine of the net10 and nanoFramework builds")
        {
            cases, seed, budget, oneCase, save, report, version,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(cases) < 1) throw new CliException("--cases must be at least 1", ExitCodes.Usage);
            if (parse.GetValue(budget) < 1) throw new CliException("--budget-ms must be at least 1", ExitCodes.Usage);
            int formatVersion = parse.GetValue(version);
            // The seed models have int8 weights, so v3 (int16 dense weights only) is not a version they can be written in.
            if (formatVersion < EdgeNet.Format.ModelFormat.OldestVersion || formatVersion > EdgeNet.Format.ModelFormat.VersionWithoutWideWeights)
                throw new CliException($"--format-version must be {EdgeNet.Format.ModelFormat.OldestVersion} to {EdgeNet.Format.ModelFormat.VersionWithoutWideWeights}", ExitCodes.Usage);
            long? single = parse.GetValue(oneCase);
            FileInfo savePath = parse.GetValue(save), reportPath = parse.GetValue(report);
            if (savePath != null && single == null) throw new CliException("--save needs --case N (it writes that case's model file)", ExitCodes.Usage);
            using var outputs = new OutputSet();
            outputs.Add("--save", savePath?.FullName);
            outputs.Add("--report", single == null ? reportPath?.FullName : null);
            outputs.Check();
            ReaderUnderTest device;
            try
            {
                device = ReaderUnderTest.FromAssembly("nanoFramework", DeviceAssembly.Default.Load("EdgeNet.Probe"));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                throw new CliException(e.Message);
            }
            var options = new FuzzOptions
            {
                Cases = parse.GetValue(cases),
                Seed = parse.GetValue(seed),
                CaseBudget = TimeSpan.FromMilliseconds(parse.GetValue(budget)),
                FormatVersion = formatVersion,
                Progress = r => Cli.Error.WriteLine(r.Summary()),
            };
            var fuzzer = new ModelFuzzer(ReaderUnderTest.Desktop, device, options);
            if (single is long index) return RunOne(fuzzer, index, device, savePath, outputs);

            Cli.Out.WriteLine($"fuzzing {options.Cases:N0} cases, seed {options.Seed}, net10 and nanoFramework builds");
            FuzzReport result = fuzzer.Run();
            Cli.Out.WriteLine(result.Summary());
            foreach (string e in result.Examples) Cli.Out.WriteLine("  " + e);
            if (reportPath != null)
            {
                string commandLine = $"edgenet fuzz --cases {options.Cases} --seed {options.Seed}";
                string machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
                outputs.Write(reportPath.FullName, result.ToMarkdown(commandLine, machine));
                outputs.Commit();
                Cli.Out.WriteLine("wrote " + reportPath.FullName);
            }
            return result.TotalFailures == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static int RunOne(ModelFuzzer fuzzer, long index, ReaderUnderTest device, FileInfo save, OutputSet outputs)
    {
        byte[] file = fuzzer.CaseFile(index, out int kind, out int arena, out _);
        Cli.Out.WriteLine($"case {index}: {ModelMutator.Kinds[kind]}, {file.Length} bytes, arena budget {(arena == int.MaxValue ? "none" : arena.ToString(CultureInfo.InvariantCulture))}");
        Cli.Out.WriteLine("  net10:         " + Verdict(ReaderUnderTest.Desktop, file, arena));
        Cli.Out.WriteLine("  nanoFramework: " + Verdict(device, file, arena));
        var report = new FuzzReport();
        fuzzer.RunCase(index, report);
        foreach (string e in report.Examples) Cli.Out.WriteLine("  " + e);
        if (save != null)
        {
            outputs.Write(save.FullName, file);
            outputs.Commit();
            Cli.Out.WriteLine("wrote " + save.FullName);
        }
        return report.TotalFailures == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static string Verdict(ReaderUnderTest reader, byte[] file, int arena)
    {
        try { return reader.Check(file, arena) ?? "accepted"; }
        catch (Exception e) { return "threw " + e.GetType().Name + ": " + e.Message; }
    }
}
