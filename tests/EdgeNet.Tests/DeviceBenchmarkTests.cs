using System.Reflection;
using System.Text.RegularExpressions;

namespace EdgeNet.Tests;

/// <summary>
/// Keeps the device benchmark app (benchmarks/device, nanoFramework build) working: runs its entry on CoreCLR
/// with a tiny budget and checks every line it prints. Its figures are for benchmarks/run.sh, not asserted here.
/// </summary>
public class DeviceBenchmarkTests
{
    [Fact]
    public void Device_benchmark_runs_and_prints_every_case_in_its_format()
    {
        Type t = DeviceBuild.Load("EdgeNet.Bench.Device").GetType("EdgeNet.Bench.Device.DeviceBenchmark", throwOnError: true)!;
        string report = (string)t.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [3000])!;
        string[] lines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^edgenet-device-bench 1 mac_budget=3000 ticks_per_second=10000000$", lines[0]);
        var kernel = new Regex(@"^case=(ceiling\.dot|fc\.reference|fc\.optimized) shape=(\d+)x(\d+) macs=(\d+) reps=([1-9]\d*) ticks=([1-9]\d*) macs_per_s=\d+ ratio=\d+\.\d{3}( check=-?\d+)?$");
        var kernels = lines.Skip(1).Take(lines.Length - 2).ToArray();
        Assert.Equal(15, kernels.Length);
        for (int i = 0; i < kernels.Length; i++)
        {
            Match m = kernel.Match(kernels[i]);
            Assert.True(m.Success, "unexpected line: " + kernels[i]);
            Assert.Equal(new[] { "ceiling.dot", "fc.reference", "fc.optimized" }[i % 3], m.Groups[1].Value);
            Assert.Equal(int.Parse(m.Groups[2].Value) * int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value));
        }
        Assert.StartsWith("case=ceiling.dot shape=32x36 ", kernels[0]); // the demo model's hidden layer first
        Assert.Matches(@"^case=model\.demo shape=36-32-6 macs=1344 reps=[1-9]\d* ticks=[1-9]\d* macs_per_s=\d+ us_per_inference=\d+\.\d arena_bytes=74 parameter_bytes=\d+ check=-?\d+$", lines[^1]);
    }
}
