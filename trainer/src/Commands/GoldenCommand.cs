using System.CommandLine;
using EdgeNet.Golden;
using EdgeNet.Trainer.Output;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// `edgenet golden`: writes the golden vectors (shared/desktop/Golden) as nanoFramework-compatible C#
/// source to tests/GoldenVectors/GoldenVectors.g.cs, or with --check only says whether that file is current.
/// </summary>
public static class GoldenCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out", "-o") { Description = "File to write (default: " + GoldenSource.RelativePath + " in the repository)" };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 3 when the file differs from what the generator writes" };
        var command = new Command("golden", "Write the golden vectors (kernels, models with their integer traces, rejected files) as C# for NFUnitTest and the xunit suite") { output, check };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(output)?.FullName ?? DefaultPath();
            using var outputs = new OutputSet();
            if (!parse.GetValue(check))
            {
                outputs.Add("--out", path);
                outputs.Check();
            }
            // Model vectors expect what the independent evaluator of the documented rule computes (tests/Reference).
            var cases = GoldenCatalog.All(EdgeNet.Reference.IntegerReference.Instance);
            string source = GoldenSource.Write(cases);
            if (parse.GetValue(check))
            {
                string current = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : null;
                if (current == source)
                {
                    Cli.Out.WriteLine($"{path} is up to date ({cases.Count} vectors)");
                    return ExitCodes.Ok;
                }
                Cli.Error.WriteLine($"error: {path} is {(current == null ? "missing" : "stale")}; run 'edgenet golden' and review the diff");
                return ExitCodes.CheckFailed;
            }
            outputs.Write(path, source);
            outputs.Commit();
            Cli.Out.WriteLine($"wrote {path}: {cases.Count} vectors, {source.Length / 1024} KiB");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The generated file in the repository that holds the working directory.</summary>
    private static string DefaultPath()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeNet.sln"))) return Path.Combine(dir.FullName, GoldenSource.RelativePath);
        }
        throw new CliException("not inside the EdgeNet repository (no EdgeNet.sln above " + Environment.CurrentDirectory + "); give --out", ExitCodes.Usage);
    }
}
