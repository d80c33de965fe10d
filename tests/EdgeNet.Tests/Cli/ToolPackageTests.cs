using System.Diagnostics;

namespace EdgeNet.Tests.Cli;

/// <summary>
/// `edgenet` is a real .NET tool: packed from trainer/, installed from a local folder into a tool path of its
/// own (as `dotnet tool install --global --add-source FOLDER EdgeNet` does), it runs outside the repository with
/// the nanoFramework build beside it.
/// </summary>
public class ToolPackageTests
{
    private static (int Code, string Output) Run(string file, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process p = Process.Start(start)!;
        Task<string> output = p.StandardOutput.ReadToEndAsync(), error = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(8)), $"{file} {arguments} did not finish");
        return (p.ExitCode, output.Result + error.Result);
    }

    [Fact]
    public void The_packed_tool_installs_from_a_folder_and_runs_the_demo_outside_the_repository()
    {
        string root = CliRunner.TempFolder();
        string feed = Path.Combine(root, "feed"), tools = Path.Combine(root, "tools"), work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        string trainer = Path.Combine(DeviceBuild.RepoRoot, "trainer");

        // Debug, the configuration the test run already built: packing rebuilds nothing that other tests load.
        var pack = Run("dotnet", $"pack \"{trainer}\" -c Debug -o \"{feed}\" -p:NuGetAudit=false", DeviceBuild.RepoRoot);
        Assert.True(pack.Code == 0, pack.Output);
        Assert.Single(Directory.GetFiles(feed, "EdgeNet.*.nupkg"));

        var install = Run("dotnet", $"tool install --tool-path \"{tools}\" --add-source \"{feed}\" EdgeNet", work);
        Assert.True(install.Code == 0, install.Output);

        string edgenet = Path.Combine(tools, OperatingSystem.IsWindows() ? "edgenet.exe" : "edgenet");
        var help = Run(edgenet, "--help", work);
        Assert.True(help.Code == 0, help.Output);
        Assert.Contains("train", help.Output);

        // The demo's bit-exact check loads the nanoFramework build packed beside the tool.
        var demo = Run(edgenet, "demo --rows 300 --epochs 3", work);
        Assert.True(demo.Code == 0, demo.Output);
        Assert.Contains("bit-exact", demo.Output);
        Assert.True(File.Exists(Path.Combine(work, "out", "demo", "satellite.enet")), demo.Output);
    }
}
