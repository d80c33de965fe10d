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
            Delegate typed = m.ReturnType == typeof(int) ? m.CreateDelegate(typeof(Func<int>), bench)
                : m.ReturnType == typeof(short) ? m.CreateDelegate(typeof(Func<short>), bench) : m.CreateDelegate(typeof(Func<sbyte>), bench);
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
        else if (d is Func<short> fs) fs();
        else ((Func<sbyte>)d)();
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Runs the benchmarks and writes the results; returns 1 when any case allocates (the 0 B target is checked here, not only shown).</summary>
    public static int Run()
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
        // The plain loops (int8 x int8, int16 x int8), once per operation count.
        var plainNs = new Dictionary<(string, long), double>();
        var measured = new Dictionary<string, BenchmarkReport>();
        foreach (BenchmarkReport r in summary.Reports)
        {
            string name = r.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (r.ResultStatistics == null) throw new InvalidOperationException("benchmark " + name + " produced no result");
            if (name == nameof(InferenceBenchmarks.PlainLoop) || name == nameof(InferenceBenchmarks.PlainLoop16))
                plainNs[(name, Convert.ToInt64(r.BenchmarkCase.Parameters["macs"], CultureInfo.InvariantCulture))] = r.ResultStatistics.Median;
            else measured[name] = r;
        }
        var narrowRows = new List<string[]>();
        var wideRows = new List<string[]>();
        var cases = new JsonArray();
        var allocating = new List<string>();
        foreach (var (name, r) in measured)
        {
            var stats = r.ResultStatistics;
            double ns = stats.Median;
            var ci = stats.ConfidenceInterval;
            long macs = InferenceBenchmarks.Macs[name];
            long allocated = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? -1;
            if (exact[name] != 0) allocating.Add(name);
            double macPerSecond = macs / (ns * 1e-9);
            string twin = InferenceBenchmarks.Int8Twin(name);
            string loop = twin == null ? nameof(InferenceBenchmarks.PlainLoop) : nameof(InferenceBenchmarks.PlainLoop16);
            double plain = plainNs[(loop, macs)];
            // > 1: the kernel (with requantization, clamps, state) does its MACs faster than the bare loop does.
            double ratio = plain / ns;
            var c = new JsonObject
            {
                ["name"] = name, ["precision"] = twin == null ? "int8" : "16-bit", ["macs"] = macs,
                ["ns_median"] = Math.Round(ns, 2), ["ns_mean"] = Math.Round(stats.Mean, 2),
                ["ns_stddev"] = Math.Round(stats.StandardDeviation, 2),
                ["ns_ci_low"] = Math.Round(ci.Lower, 2), ["ns_ci_high"] = Math.Round(ci.Upper, 2), ["ns_ci_level"] = "99.9 % (BenchmarkDotNet, of the mean)",
                ["macs_per_second"] = Math.Round(macPerSecond), ["plain_loop"] = twin == null ? "int8 x int8" : "int16 x int8",
                ["plain_loop_ns_median"] = Math.Round(plain, 2),
                ["ratio_to_plain_loop"] = Math.Round(ratio, 3), ["allocated_bytes_per_op"] = allocated,
                ["allocated_bytes_per_op_exact"] = exact[name],
            };
            string[] common = [name, macs.ToString(CultureInfo.InvariantCulture), F(ns, "0.0"), $"[{F(ci.Lower, "0.0")}, {F(ci.Upper, "0.0")}]",
                F(macPerSecond / 1e6, "0"), F(plain, "0.0"), F(ratio, "0.00")];
            string[] alloc = [allocated.ToString(CultureInfo.InvariantCulture), F(exact[name], "0.###")];
            if (twin == null)
            {
                narrowRows.Add([.. common, .. alloc]);
            }
            else
            {
                var t = measured[twin].ResultStatistics;
                // The 16-bit cost: time of the 16-bit twin over the int8 case's (medians); the range pairs the two
                // BenchmarkDotNet intervals' ends (lowest over highest, highest over lowest).
                double cost = ns / t.Median, costLow = ci.Lower / t.ConfidenceInterval.Upper, costHigh = ci.Upper / t.ConfidenceInterval.Lower;
                c["int8_twin"] = twin;
                c["int8_twin_ns_median"] = Math.Round(t.Median, 2);
                c["time_vs_int8"] = Math.Round(cost, 3);
                c["time_vs_int8_low"] = Math.Round(costLow, 3);
                c["time_vs_int8_high"] = Math.Round(costHigh, 3);
                wideRows.Add([.. common, twin, F(t.Median, "0.0"), $"{F(cost, "0.00")} [{F(costLow, "0.00")}, {F(costHigh, "0.00")}]", .. alloc]);
            }
            cases.Add(c);
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
                 "MaxPool64x16P2 / AvgPool64x16P2 = pooling of 2 steps, stride 2, over the convolution's output, 64 steps x 16 channels (\"MACs\" = input elements read). " +
                 "Plain loop = `acc += a[i] * b[i]` over two int8 arrays for the same count (benchmarks/device/PlainDot's loop); " +
                 "ratio = plain-loop time / kernel time (above 1: the kernel is faster than the bare loop). Times are BenchmarkDotNet medians; " +
                 "the interval is BenchmarkDotNet's 99.9 % confidence interval of the mean. " +
                 "Target: 0 bytes allocated per inference. BenchmarkDotNet's figure can show 1 B from runtime noise (tiered JIT, " +
                 "timers) on a loaded machine, so the last column counts exactly: GC.GetAllocatedBytesForCurrentThread around " +
                 $"{2 * CheckCalls} and around {CheckCalls} calls of each benchmark method after warm-up, the difference divided by {CheckCalls}; " +
                 "the run fails (exit 1) when any case's exact count is not 0.\n\n" +
                 "## int8 kernels\n\n" +
                 Results.Table(["benchmark", "MACs", "ns/op (median)", "99.9 % CI ns", "MMAC/s", "plain loop ns", "ratio to plain loop", "allocated B/op (BDN)", "allocated B/op (exact check)"], narrowRows) +
                 "\n## 16-bit (16x8) kernels\n\n" +
                 "Each case is its int8 twin's layer (same shape, weights and requantization) with 16-bit input and output tensors " +
                 "(zero point 0, int16 clamp), run through Layer.InvokeWide as the engine runs a 16x8 layer; the demo model with both " +
                 "layers 16-bit runs through InferenceEngine (int16 input quantization). The *_16bit dense and conv1d cases sum in int32 " +
                 "(their proven bound fits, checked at setup); *_16bitInt64Sum is the same layer with one bias raised until the bound " +
                 "exceeds int32, so Prepare picks the int64-sum kernel (InvokeLong); recurrent 16x8 kernels always sum in int64. " +
                 "Plain loop = `acc += a[i] * b[i]` with a an int16 array and b an int8 array, int32 sum, same count; " +
                 "time vs int8 = 16-bit median / int8 twin median (above 1: 16 bits cost that factor), in brackets the ratio of the two " +
                 "BenchmarkDotNet intervals' opposite ends.\n\n" +
                 Results.Table(["benchmark", "MACs", "ns/op (median)", "99.9 % CI ns", "MMAC/s", "plain 16x8 loop ns", "ratio to plain 16x8 loop",
                     "int8 twin", "int8 ns", "time vs int8", "allocated B/op (BDN)", "allocated B/op (exact check)"], wideRows);
        Results.Write("inference", md, new JsonObject { ["machine"] = machine, ["tool"] = "BenchmarkDotNet 0.15.8", ["cases"] = cases });
        if (allocating.Count == 0) return 0;
        Console.Error.WriteLine("inference: allocates per call (target 0 B): " + string.Join(", ", allocating));
        return 1;
    }
}
