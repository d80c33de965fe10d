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
    public const int CheckCalls = 10_000;

    /// <summary>Bytes allocated per call of each benchmark method, counted over CheckCalls calls after warm-up.</summary>
    public static Dictionary<string, double> ExactAllocations()
    {
        var bench = new InferenceBenchmarks();
        bench.Setup();
        var result = new Dictionary<string, double>();
        foreach (var m in typeof(InferenceBenchmarks).GetMethods().Where(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Length > 0 && m.GetParameters().Length == 0))
        {
            // Typed delegates: the value-type results are not boxed, so the count is the method's own.
            Delegate typed = m.ReturnType == typeof(int) ? m.CreateDelegate(typeof(Func<int>), bench) : m.CreateDelegate(typeof(Func<sbyte>), bench);
            for (int i = 0; i < 100; i++) Invoke(typed);
            // N calls and 2N calls: the difference is what N calls allocate, without the fixed cost of measuring.
            long once = Allocated(typed, CheckCalls), twice = Allocated(typed, 2 * CheckCalls);
            result[m.Name] = (double)(twice - once) / CheckCalls;
        }
        return result;
    }

    private static long Allocated(Delegate typed, int calls)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) Invoke(typed);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void Invoke(Delegate d)
    {
        if (d is Func<int> fi) fi();
        else ((Func<sbyte>)d)();
    }

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

        var exact = ExactAllocations();
        var rows = new List<string[]>();
        var cases = new JsonArray();
        // The plain int8 loop, once per operation count.
        var plainNs = new Dictionary<long, double>();
        foreach (BenchmarkReport r in summary.Reports)
        {
            if (r.BenchmarkCase.Descriptor.WorkloadMethod.Name != nameof(InferenceBenchmarks.PlainLoop)) continue;
            if (r.ResultStatistics == null) throw new InvalidOperationException("the plain loop produced no result");
            plainNs[Convert.ToInt64(r.BenchmarkCase.Parameters["macs"], CultureInfo.InvariantCulture)] = r.ResultStatistics.Median;
        }
        foreach (BenchmarkReport r in summary.Reports)
        {
            string name = r.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (name == nameof(InferenceBenchmarks.PlainLoop)) continue;
            if (r.ResultStatistics == null) throw new InvalidOperationException("benchmark " + name + " produced no result");
            double ns = r.ResultStatistics.Median;
            long macs = InferenceBenchmarks.Macs[name];
            long allocated = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? -1;
            double macPerSecond = macs / (ns * 1e-9);
            double plain = plainNs[macs];
            // > 1: the kernel (with requantization, clamps, state) does its MACs faster than the bare loop does.
            double ratio = plain / ns;
            rows.Add([name, macs.ToString(CultureInfo.InvariantCulture), ns.ToString("0.0", CultureInfo.InvariantCulture),
                r.ResultStatistics.StandardDeviation.ToString("0.0", CultureInfo.InvariantCulture),
                (macPerSecond / 1e6).ToString("0", CultureInfo.InvariantCulture), plain.ToString("0.0", CultureInfo.InvariantCulture),
                ratio.ToString("0.00", CultureInfo.InvariantCulture), allocated.ToString(CultureInfo.InvariantCulture),
                exact[name].ToString("0.###", CultureInfo.InvariantCulture)]);
            cases.Add(new JsonObject
            {
                ["name"] = name, ["macs"] = macs, ["ns_median"] = Math.Round(ns, 2), ["ns_mean"] = Math.Round(r.ResultStatistics.Mean, 2),
                ["ns_stddev"] = Math.Round(r.ResultStatistics.StandardDeviation, 2),
                ["macs_per_second"] = Math.Round(macPerSecond), ["plain_loop_ns_median"] = Math.Round(plain, 2),
                ["ratio_to_plain_loop"] = Math.Round(ratio, 3), ["allocated_bytes_per_op"] = allocated,
                ["allocated_bytes_per_op_exact"] = exact[name],
            });
        }
        Results.Finish(machine);
        var md = "# Inference on CoreCLR (BenchmarkDotNet)\n\n" + Results.MachineLine(machine) + "\n\n" +
                 "Command: `bash benchmarks/run.sh inference`. BenchmarkDotNet 0.15.8, in-process toolchain, 1 launch, " +
                 "3 warm-up and 8 measured iterations (kept short: 2 shared cores), MemoryDiagnoser. " +
                 "DemoInference = quantize one raw reading + 36-32-6 network + argmax through InferenceEngine; DenseNxN = one " +
                 "DenseLayer (optimized kernel + ReLU clamp); Dense256x256Reference = the reference kernel on the same layer; " +
                 "Conv1D64x8K5F16 = Conv1DLayer over 64 steps x 8 channels, 16 filters of 5 steps, padding 2; " +
                 "Recurrent*128To32 = RecurrentLayer (direct, lateral, complete feedback) on a 16 x 8 window into 32 units, one step; " +
                 "RecurrentIndirect128To32To8 = IndirectRecurrentLayer (16 x 8 window into 32 hidden units, 8 outputs fed back); " +
                 "MaxPool64x16P2 / AvgPool64x16P2 = pooling of 2 steps, stride 2, over 64 steps x 16 channels (\"MACs\" = input elements read). " +
                 "Plain loop = `acc += a[i] * b[i]` over two int8 arrays for the same count (benchmarks/device/PlainDot's loop); " +
                 "ratio = plain-loop time / kernel time (above 1: the kernel is faster than the bare loop). Times are BenchmarkDotNet medians. " +
                 "Target: 0 bytes allocated per inference. BenchmarkDotNet's figure can show 1 B from runtime noise (tiered JIT, " +
                 "timers) on a loaded machine, so the last column counts exactly: GC.GetAllocatedBytesForCurrentThread around " +
                 $"{2 * CheckCalls} and around {CheckCalls} calls of each benchmark method after warm-up, the difference divided by {CheckCalls}.\n\n" +
                 Results.Table(["benchmark", "MACs", "ns/op (median)", "stddev ns", "MMAC/s", "plain loop ns", "ratio to plain loop", "allocated B/op (BDN)", "allocated B/op (exact check)"], rows);
        Results.Write("inference", md, new JsonObject { ["machine"] = machine, ["tool"] = "BenchmarkDotNet 0.15.8", ["cases"] = cases });
    }
}
