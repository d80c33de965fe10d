using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeNet.Trainer.Benchmarks;

namespace EdgeNet.Benchmarks;

/// <summary>Writes one benchmark's results as benchmarks/results/NAME.md and NAME.json, with machine and date.</summary>
public static class Results
{
    public static string Folder => Path.Combine(DeviceAssemblies.RepoRoot, "benchmarks", "results");

    /// <summary>The stamp (<see cref="Stamp.Machine"/>) plus the FANN library and driver flags.</summary>
    public static JsonObject Machine()
    {
        JsonObject m = Stamp.Machine(DeviceAssemblies.RepoRoot);
        m["fann"] = FannInfo();
        return m;
    }

    public static void Finish(JsonObject machine) => Stamp.Finish(machine);

    public static string MachineLine(JsonObject m) => Stamp.Line(m) + " Ratios are paired within the run.";

    public static string LoadNow() => Stamp.LoadAverage();

    private static string FannInfo()
    {
        string info = Path.Combine(DeviceAssemblies.RepoRoot, "artifacts", "bench", "fann_bench.info");
        if (!File.Exists(info)) return "driver not built";
        var kv = File.ReadAllLines(info).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return $"Debian's {kv.GetValueOrDefault("libfann", "libfann")} (as packaged), driver gcc {kv.GetValueOrDefault("gcc", "?")} {kv.GetValueOrDefault("flags", "?")}";
    }

    public static void Write(string name, string markdown, JsonObject json)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, name + ".md"), markdown);
        File.WriteAllText(Path.Combine(Folder, name + ".json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"wrote benchmarks/results/{name}.md and {name}.json");
    }

    /// <summary>
    /// Puts the stamp (<see cref="Machine"/>, finished) under the first heading of a Markdown report written by a
    /// tool that does not stamp its output (the fault-injection test, the fuzz command), replacing an earlier stamp.
    /// </summary>
    public static void StampMarkdown(string path)
    {
        JsonObject m = Machine();
        m.Remove("fann");
        Finish(m);
        string line = "Stamp: " + Stamp.Line(m);
        var lines = File.ReadAllLines(path).Where(l => !l.StartsWith("Stamp: ", StringComparison.Ordinal) && !l.StartsWith("**Older run**", StringComparison.Ordinal)).ToList();
        int heading = lines.FindIndex(l => l.StartsWith("# ", StringComparison.Ordinal));
        lines.InsertRange(heading + 1, ["", line]);
        string temp = path + ".tmp";
        File.WriteAllText(temp, string.Join("\n", lines) + "\n");
        File.Move(temp, path, overwrite: true);
        Console.WriteLine($"stamped {path}");
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
}
