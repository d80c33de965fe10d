using EdgeNet.Trainer;
using EdgeNet.Trainer.Commands;
using Spectre.Console;

namespace EdgeNet.Tests.Cli;

/// <summary>Runs an edgenet command line in-process with captured output, as a user would type it.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        int code = EdgeNet.Trainer.Commands.Cli.Run(Program.CreateRoot(), args, console, error);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>A fresh temporary folder for one test's files.</summary>
    public static string TempFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "edgenet-cli-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Three well separated classes of 4 features (150 rows, interleaved so that every row range holds
    /// every class): a network that learns anything at all classifies them almost perfectly.
    /// </summary>
    public static string WriteBlobs(string folder, int rows = 150, int seed = 5)
    {
        var rng = new Random(seed);
        var lines = new List<string> { "a,b,c,d,kind" };
        string[] names = ["alpha", "beta", "gamma"];
        for (int i = 0; i < rows; i++)
        {
            int k = i % 3;
            double[] centre = k switch { 0 => [0, 0, 5, 1], 1 => [4, 1, 0, 3], _ => [0, 5, 2, -2] };
            var cells = centre.Select(c => (c + rng.NextDouble() - 0.5).ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
            lines.Add(string.Join(",", cells) + "," + names[k]);
        }
        string path = Path.Combine(folder, "blobs.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The bundled demo data of the repository.</summary>
    public static string SatelliteCsv => Path.Combine(DeviceBuild.RepoRoot, "data", "satellite", "satellite.csv");

    /// <summary>The datasets folder beside the repository (../shared/datasets).</summary>
    public static string SharedDatasets => Path.GetFullPath(Path.Combine(DeviceBuild.RepoRoot, "..", "shared", "datasets"));

    public static void AssertCleanError(Result r, int expectedCode, params string[] mentions)
    {
        Assert.Equal(expectedCode, r.ExitCode);
        Assert.StartsWith("error: ", r.Error);
        Assert.DoesNotContain("   at ", r.Error); // no stack trace
        foreach (string m in mentions) Assert.Contains(m, r.Error);
    }
}
