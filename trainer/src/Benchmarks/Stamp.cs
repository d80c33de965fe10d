using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>
/// The stamp every benchmark results file carries (JSON object "machine", one Markdown line): commit (with
/// "+local changes" when tracked files other than the results and the generated docs differ from it), date,
/// CPU model, cores, clock and one core's FMA peak, OS, .NET runtime and SDK, build and JIT settings, and the
/// load average (before, and after when <see cref="Finish"/> was called).
/// </summary>
public static class Stamp
{
    public static JsonObject Machine(string repoRoot)
    {
        string cpu = CpuInfo("model name") ?? "unknown";
        double mhz = double.TryParse(CpuInfo("cpu MHz"), NumberStyles.Float, CultureInfo.InvariantCulture, out double m) ? m : 0;
        string[] flags = (CpuInfo("flags") ?? "").Split(' ');
        bool avx512 = flags.Contains("avx512f"), fma = flags.Contains("fma");
        // One core's single-precision peak: two FMA pipes x (8 lanes AVX2, 16 AVX-512) x 2 flops x clock.
        int flopsPerCycle = fma ? (avx512 ? 64 : 32) : 8;
        return new JsonObject
        {
            ["commit"] = GitCommit(repoRoot),
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC",
            ["cpu"] = cpu,
            ["cores"] = Environment.ProcessorCount,
            ["cpu_mhz"] = Math.Round(mhz),
            ["vector_isa"] = avx512 ? "AVX-512 + FMA" : fma ? "AVX2 + FMA" : "SSE",
            ["fma_peak_gflops_one_core"] = Math.Round(flopsPerCycle * mhz / 1000, 1),
            ["fma_peak_basis"] = $"{flopsPerCycle} single-precision flops per cycle (2 FMA pipes x {flopsPerCycle / 4} lanes x 2) x {mhz:0} MHz from /proc/cpuinfo",
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["dotnet_sdk"] = Run(repoRoot, "dotnet", "--version") ?? "unknown",
            ["build"] = $"dotnet -c Release (Optimize{(IsOptimized() ? "" : " OFF: Debug build")}); {JitSettings()}",
            ["load_average_before"] = LoadAverage(),
        };
    }

    /// <summary>Adds the load average at the end of the measurement.</summary>
    public static void Finish(JsonObject machine) => machine["load_average_after"] = LoadAverage();

    /// <summary>The stamp as one Markdown line.</summary>
    public static string Line(JsonObject m) =>
        $"Commit {m["commit"]}, {m["date_utc"]}. Machine: {m["cpu"]}, {m["cores"]} cores at {m["cpu_mhz"]} MHz ({m["vector_isa"]}), {m["os"]}; " +
        $"{m["runtime"]} (SDK {m["dotnet_sdk"]}); build: {m["build"]}" + (m["fann"] is null ? "" : $"; FANN: {m["fann"]}") + ". " +
        $"Load average (1, 5, 15 min) before {m["load_average_before"]}" + (m["load_average_after"] is null ? "" : $", after {m["load_average_after"]}") +
        " (the machine is shared: absolute times are noisy).";

    public static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    /// <summary>The repository root: the nearest folder upwards from <paramref name="start"/> holding EdgeNet.sln.</summary>
    public static string FindRepoRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "EdgeNet.sln"))) return d.FullName;
        return null;
    }

    private static bool IsOptimized()
    {
        var attribute = typeof(Stamp).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().FirstOrDefault();
        return attribute == null || !attribute.IsJITOptimizerDisabled;
    }

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

    private static string GitCommit(string repoRoot)
    {
        string commit = Run(repoRoot, "git", "rev-parse --short HEAD");
        if (commit == null) return "unknown";
        string changed = Run(repoRoot, "git", "status --porcelain --untracked-files=no -- . :!benchmarks/results :!README.md :!docs");
        return string.IsNullOrEmpty(changed) ? commit : commit + " +local changes";
    }

    private static string Run(string folder, string file, string arguments)
    {
        try
        {
            var p = Process.Start(new ProcessStartInfo(file, arguments)
            {
                WorkingDirectory = folder ?? Environment.CurrentDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            string s = p.StandardOutput.ReadToEnd().Trim();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? s : null;
        }
        catch (Exception) { return null; }
    }
}
