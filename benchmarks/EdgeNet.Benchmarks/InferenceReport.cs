using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EdgeNet.Benchmarks;

/// <summary>Runs <see cref="InferenceBenchmarks"/> (short: the machine has 2 shared cores) and writes results/inference.*.</summary>
public static class InferenceReport
{
    public static void Run()
    {
        var machine = Results.Machine();
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8)
                .WithToolchain(InProcessEmitToolchain.Instance).WithId("short"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "edgenet-bdn"));
        Summary summary = BenchmarkRunner.Run<InferenceBenchmarks>(config);
        // Setup ran in this process (in-process toolchain), so the MAC table is filled.
        if (InferenceBenchmarks.Macs.Count == 0) new InferenceBenchmarks().Setup();

        var rows = new List<string[]>();
        var cases = new JsonArray();
        foreach (BenchmarkReport r in summary.Reports)
        {
            string name = r.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (r.ResultStatistics == null) throw new InvalidOperationException("benchmark " + name + " produced no result");
            double ns = r.ResultStatistics.Mean;
            long macs = InferenceBenchmarks.Macs[name];
            long allocated = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? -1;
            double macPerSecond = macs / (ns * 1e-9);
            rows.Add([name, macs.ToString(), ns.ToString("0.0", CultureInfo.InvariantCulture),
                (r.ResultStatistics.StandardDeviation).ToString("0.0", CultureInfo.InvariantCulture),
                (macPerSecond / 1e6).ToString("0", CultureInfo.InvariantCulture), allocated.ToString()]);
            cases.Add(new JsonObject
            {
                ["name"] = name, ["macs"] = macs, ["ns_mean"] = Math.Round(ns, 2),
                ["ns_stddev"] = Math.Round(r.ResultStatistics.StandardDeviation, 2),
                ["macs_per_second"] = Math.Round(macPerSecond), ["allocated_bytes_per_op"] = allocated,
            });
        }
        var md = "# Inference on CoreCLR (BenchmarkDotNet)\n\n" + Results.MachineLine(machine) + "\n\n" +
                 "Command: `bash benchmarks/run.sh inference`. BenchmarkDotNet 0.15.8, in-process toolchain, 1 launch, " +
                 "3 warm-up and 8 measured iterations (kept short: 2 shared cores), MemoryDiagnoser. " +
                 "DemoInference = quantize one raw reading + 36-32-6 network + argmax through InferenceEngine; DenseNxN = one " +
                 "DenseLayer (optimized kernel + ReLU clamp); Dense256x256Reference = the reference kernel on the same layer. " +
                 "Target: 0 bytes allocated per inference.\n\n" +
                 Results.Table(["benchmark", "MACs", "ns/op (mean)", "stddev ns", "MMAC/s", "allocated B/op"], rows);
        Results.Write("inference", md, new JsonObject { ["machine"] = machine, ["tool"] = "BenchmarkDotNet 0.15.8", ["cases"] = cases });
    }
}
