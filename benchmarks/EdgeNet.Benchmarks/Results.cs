using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeNet.Benchmarks;

/// <summary>Writes one benchmark's results as benchmarks/results/NAME.md and NAME.json, with machine and date.</summary>
public static class Results
{
    public static string Folder => Path.Combine(DeviceAssemblies.RepoRoot, "benchmarks", "results");

    /// <summary>
    /// The stamp every results file carries: commit (with "+local changes" when tracked files other than the
    /// results and docs differ from it), date, machine (CPU model, cores, clock, one core's FMA peak), OS, .NET
    /// runtime and SDK, build flags, the FANN library and driver flags, and the load average at the start
    /// (<see cref="Finish"/> adds the load average at the end).
    /// </summary>
    public static JsonObject Machine()
    {
        string cpu = CpuInfo("model name") ?? "unknown";
        double mhz = double.TryParse(CpuInfo("cpu MHz"), NumberStyles.Float, CultureInfo.InvariantCulture, out double m) ? m : 0;
        string flags = CpuInfo("flags") ?? "";
        bool avx512 = flags.Split(' ').Contains("avx512f"), fma = flags.Split(' ').Contains("fma");
        // One core's single-precision peak: two FMA pipes x (8 lanes AVX2, 16 AVX-512) x 2 flops x clock.
        int flopsPerCycle = fma ? (avx512 ? 64 : 32) : 8;
        return new JsonObject
        {
            ["commit"] = GitCommit(),
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
            ["cpu"] = cpu,
            ["cores"] = Environment.ProcessorCount,
            ["cpu_mhz"] = Math.Round(mhz),
            ["vector_isa"] = avx512 ? "AVX-512 + FMA" : fma ? "AVX2 + FMA" : "SSE",
            ["fma_peak_gflops_one_core"] = Math.Round(flopsPerCycle * mhz / 1000, 1),
            ["fma_peak_basis"] = $"{flopsPerCycle} single-precision flops per cycle (2 FMA pipes x {flopsPerCycle / 4} lanes x 2) x {mhz:0} MHz from /proc/cpuinfo",
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["dotnet_sdk"] = Run("dotnet", "--version") ?? "unknown",
            ["build"] = "dotnet build -c Release (Optimize); " + JitSettings(),
            ["fann"] = FannInfo(),
            ["load_average_before"] = LoadAverage(),
        };
    }

    /// <summary>Adds the load average at the end of the measurement.</summary>
    public static void Finish(JsonObject machine) => machine["load_average_after"] = LoadAverage();

    public static string MachineLine(JsonObject m) =>
        $"Commit {m["commit"]}, {m["date_utc"]}. Machine: {m["cpu"]}, {m["cores"]} cores at {m["cpu_mhz"]} MHz ({m["vector_isa"]}), {m["os"]}; " +
        $"{m["runtime"]} (SDK {m["dotnet_sdk"]}); build: {m["build"]}; FANN: {m["fann"]}. " +
        $"Load average (1, 5, 15 min) before {m["load_average_before"]}" + (m["load_average_after"] is null ? "" : $", after {m["load_average_after"]}") +
        " (the machine is shared: absolute times are noisy, ratios are paired within the run).";

    private static string CpuInfo(string key)
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException) { return null; }
    }

    private static string JitSettings()
    {
        string tiered = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation");
        string pgo = Environment.GetEnvironmentVariable("DOTNET_TieredPGO");
        return $"TieredCompilation {(tiered == "0" ? "off" : "on")}, TieredPGO {(pgo == "0" ? "off" : "on")}";
    }

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
        string commit = Run("git", "rev-parse --short HEAD");
        if (commit == null) return "unknown";
        // Local changes to anything but the results and the generated docs mean the code measured is not the commit.
        string changed = Run("git", "status --porcelain --untracked-files=no -- . :!benchmarks/results :!README.md :!docs");
        return string.IsNullOrEmpty(changed) ? commit : commit + " +local changes";
    }

    private static string Run(string file, string arguments)
    {
        try
        {
            var p = Process.Start(new ProcessStartInfo(file, arguments)
            {
                WorkingDirectory = DeviceAssemblies.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            string s = p.StandardOutput.ReadToEnd().Trim();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? s : null;
        }
        catch (Exception) { return null; }
    }

    public static string LoadNow() => LoadAverage();

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }
}
