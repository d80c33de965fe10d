using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeNet.Benchmarks;

/// <summary>Writes one benchmark's results as benchmarks/results/NAME.md and NAME.json, with machine and date.</summary>
public static class Results
{
    public static string Folder => Path.Combine(DeviceAssemblies.RepoRoot, "benchmarks", "results");

    public static JsonObject Machine()
    {
        string cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        return new JsonObject
        {
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss") + " UTC",
            ["cpu"] = cpu,
            ["cores"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["commit"] = GitCommit(),
            ["load_average"] = LoadAverage(),
        };
    }

    public static string MachineLine(JsonObject m) =>
        $"Machine: {m["cpu"]}, {m["cores"]} cores, {m["os"]}, {m["runtime"]}; load average at start {m["load_average"]} " +
        $"(the machine is shared, figures are noisy). Date: {m["date_utc"]}. Commit: {m["commit"]}.";

    public static void Write(string name, string markdown, JsonObject json)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, name + ".md"), markdown);
        File.WriteAllText(Path.Combine(Folder, name + ".json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"wrote benchmarks/results/{name}.md and {name}.json");
    }

    public static JsonObject Read(string name)
    {
        string path = Path.Combine(Folder, name + ".json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : null;
    }

    /// <summary>A Markdown table from a header and rows.</summary>
    public static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", header)).Append(" |\n");
        sb.Append('|').Append(string.Concat(header.Select(_ => "---|"))).Append('\n');
        foreach (var r in rows) sb.Append("| ").Append(string.Join(" | ", r)).Append(" |\n");
        return sb.ToString();
    }

    private static string GitCommit()
    {
        try
        {
            var p = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                WorkingDirectory = DeviceAssemblies.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            string s = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? s : "unknown";
        }
        catch (Exception) { return "unknown"; }
    }

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }
}
