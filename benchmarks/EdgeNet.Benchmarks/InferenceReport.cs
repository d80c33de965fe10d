using System.Diagnostics;
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
        foreach (var (name, typed) in Cases(bench))
        {
            for (int i = 0; i < 100; i++) Invoke(typed);
            // N calls and 2N calls: the difference is what N calls allocate, without the fixed cost of measuring.
            long once = Allocated(typed, CheckCalls), twice = Allocated(typed, 2 * CheckCalls);
            result[name] = (double)(twice - once) / CheckCalls;
        }
        return result;
    }

    /// <summary>Every parameterless benchmark method as a typed delegate: the value-type results are not boxed, so counts and times are the method's own.</summary>
    private static IEnumerable<(string Name, Delegate Typed)> Cases(InferenceBenchmarks bench)
    {
        foreach (var m in typeof(InferenceBenchmarks).GetMethods().Where(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Length > 0 && m.GetParameters().Length == 0))
        {
            yield return (m.Name, m.ReturnType == typeof(int) ? m.CreateDelegate(typeof(Func<int>), bench)
                : m.ReturnType == typeof(short) ? m.CreateDelegate(typeof(Func<short>), bench) : m.CreateDelegate(typeof(Func<sbyte>), bench));
        }
    }

    /// <summary>
    /// Paired repeats per ratio (at least <see cref="PairedRatio.MinimumRepeats"/>); within a repeat each side's time is the
    /// fastest of <see cref="PairedBursts"/> bursts of about <see cref="PairedBurstMilliseconds"/> ms, the two sides' bursts
    /// interleaved: on a machine shared by many processes a burst is only ever slowed (preempted), never sped up, so the
    /// fastest burst is the figure least disturbed.
    /// </summary>
    public const int PairedRepeats = 15, PairedBursts = 7;
    public const double PairedBurstMilliseconds = 1;

    /// <summary>
    /// The ratios of the table from paired repeats (Paired.cs), the project's rule for a speed ratio on a shared
    /// machine: per case, plain loop time / kernel time, and for a 16-bit twin, its time / its int8 twin's time.
    /// BenchmarkDotNet measures one case after another, minutes apart under a changing load; a pair here runs both
    /// sides back to back (order alternating), so a change of load hits both.
    /// </summary>
    public static Dictionary<string, (PairedRatio ToPlain, PairedRatio ToInt8)> PairedRatios()
    {
        var bench = new InferenceBenchmarks();
        bench.Setup();
        var calls = Cases(bench).ToDictionary(c => c.Name, c => Caller(c.Typed));
        // Every side fully JIT-optimized before any pair: calls, then a pause for the background tier-1 compiles, then calls again.
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var (name, call) in calls)
            {
                int macs = (int)InferenceBenchmarks.Macs[name];
                Time(call, 2000);
                Time(() => bench.PlainLoop(macs), 2000);
                Time(() => bench.PlainLoop16(macs), 2000);
                if (InferenceBenchmarks.Is16x16(name)) Time(() => bench.PlainLoop16x16(macs), 2000);
            }
            if (pass == 0) Thread.Sleep(1000);
        }
        var result = new Dictionary<string, (PairedRatio, PairedRatio)>();
        foreach (var (name, call) in calls)
        {
            string twin = InferenceBenchmarks.Int8Twin(name);
            int macs = (int)InferenceBenchmarks.Macs[name];
            Action plain = twin == null ? () => bench.PlainLoop(macs)
                : InferenceBenchmarks.Is16x16(name) ? () => bench.PlainLoop16x16(macs) : () => bench.PlainLoop16(macs);
            result[name] = (Pair(plain, call), twin == null ? null : Pair(call, calls[twin]));
        }
        return result;
    }

    private static Action Caller(Delegate d) => d switch
    {
        Func<int> fi => () => fi(),
        Func<short> fs => () => fs(),
        _ => () => ((Func<sbyte>)d)(),
    };

    // a's time / b's time per repeat; both run the same number of calls per burst, sized so a burst of a takes PairedBurstMilliseconds.
    private static PairedRatio Pair(Action a, Action b)
    {
        Time(a, 1000);
        Time(b, 1000);
        int n = 1;
        while (n < 1 << 24 && Fastest(a, n, 3) * n < PairedBurstMilliseconds * 1e6) n *= 2;
        var ta = new List<double>();
        var tb = new List<double>();
        for (int r = 0; r < PairedRepeats; r++)
        {
            double fa = double.MaxValue, fb = double.MaxValue;
            for (int k = 0; k < PairedBursts; k++)
            {
                // The order alternates from burst to burst and from repeat to repeat.
                bool aFirst = (r + k) % 2 == 0;
                if (aFirst) fa = Math.Min(fa, Time(a, n));
                fb = Math.Min(fb, Time(b, n));
                if (!aFirst) fa = Math.Min(fa, Time(a, n));
            }
            ta.Add(fa);
            tb.Add(fb);
        }
        return PairedRatio.Of(ta, tb);
    }

    private static double Fastest(Action a, int n, int bursts)
    {
        double best = double.MaxValue;
        for (int k = 0; k < bursts; k++) best = Math.Min(best, Time(a, n));
        return best;
    }

    // Nanoseconds per call over n calls.
    private static double Time(Action a, int n)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++) a();
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
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
        var paired = PairedRatios();
        // The plain loops (int8 x int8, int16 x int8, int16 x int16), once per operation count.
        var plainNs = new Dictionary<(string, long), double>();
        var measured = new Dictionary<string, BenchmarkReport>();
        foreach (BenchmarkReport r in summary.Reports)
        {
            string name = r.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (r.ResultStatistics == null) throw new InvalidOperationException("benchmark " + name + " produced no result");
            if (name == nameof(InferenceBenchmarks.PlainLoop) || name == nameof(InferenceBenchmarks.PlainLoop16) || name == nameof(InferenceBenchmarks.PlainLoop16x16))
                plainNs[(name, Convert.ToInt64(r.BenchmarkCase.Parameters["macs"], CultureInfo.InvariantCulture))] = r.ResultStatistics.Median;
            else measured[name] = r;
        }
        var narrowRows = new List<string[]>();
        var wideRows = new List<string[]>();
        var weightRows = new List<string[]>();
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
            bool weights16 = InferenceBenchmarks.Is16x16(name);
            string loop = twin == null ? nameof(InferenceBenchmarks.PlainLoop)
                : weights16 ? nameof(InferenceBenchmarks.PlainLoop16x16) : nameof(InferenceBenchmarks.PlainLoop16);
            double plain = plainNs[(loop, macs)];
            // > 1: the kernel (with requantization, clamps, state) does its MACs faster than the bare loop does.
            PairedRatio ratio = paired[name].ToPlain;
            var c = new JsonObject
            {
                ["name"] = name, ["precision"] = twin == null ? "int8" : weights16 ? "16x16" : "16-bit", ["macs"] = macs,
                ["ns_median"] = Math.Round(ns, 2), ["ns_mean"] = Math.Round(stats.Mean, 2),
                ["ns_stddev"] = Math.Round(stats.StandardDeviation, 2),
                ["ns_ci_low"] = Math.Round(ci.Lower, 2), ["ns_ci_high"] = Math.Round(ci.Upper, 2), ["ns_ci_level"] = "99.9 % (BenchmarkDotNet, of the mean)",
                ["macs_per_second"] = Math.Round(macPerSecond), ["plain_loop"] = twin == null ? "int8 x int8" : weights16 ? "int16 x int16, int64 sum" : "int16 x int8",
                ["plain_loop_ns_median"] = Math.Round(plain, 2),
                ["ratio_to_plain_loop"] = Math.Round(ratio.Median, 3), ["ratio_to_plain_loop_ci95_low"] = Math.Round(ratio.Low, 3),
                ["ratio_to_plain_loop_ci95_high"] = Math.Round(ratio.High, 3), ["ratio_to_plain_loop_paired"] = ratio.ToJson(),
                ["ratio_of_bdn_medians"] = Math.Round(plain / ns, 3), ["allocated_bytes_per_op"] = allocated,
                ["allocated_bytes_per_op_exact"] = exact[name],
            };
            string[] common = [name, macs.ToString(CultureInfo.InvariantCulture), F(ns, "0.0"), $"[{F(ci.Lower, "0.0")}, {F(ci.Upper, "0.0")}]",
                F(macPerSecond / 1e6, "0"), F(plain, "0.0"), ratio.Text];
            string[] alloc = [allocated.ToString(CultureInfo.InvariantCulture), F(exact[name], "0.###")];
            if (twin == null)
            {
                narrowRows.Add([.. common, .. alloc]);
            }
            else
            {
                var t = measured[twin].ResultStatistics;
                // The 16-bit cost: the twin's time over the int8 case's, paired.
                PairedRatio cost = paired[name].ToInt8;
                c["int8_twin"] = twin;
                c["int8_twin_ns_median"] = Math.Round(t.Median, 2);
                c["time_vs_int8"] = Math.Round(cost.Median, 3);
                c["time_vs_int8_low"] = Math.Round(cost.Low, 3);
                c["time_vs_int8_high"] = Math.Round(cost.High, 3);
                c["time_vs_int8_paired"] = cost.ToJson();
                c["time_vs_int8_of_bdn_medians"] = Math.Round(ns / t.Median, 3);
                (weights16 ? weightRows : wideRows).Add([.. common, twin, F(t.Median, "0.0"), cost.Text, .. alloc]);
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
                 "Times are BenchmarkDotNet medians with its 99.9 % confidence interval of the mean. " +
                 "ratio = plain-loop time / kernel time (above 1: the kernel is faster than the bare loop), from paired repeats run after " +
                 $"BenchmarkDotNet in the same process: {PairedRepeats} repeats, each side's time in a repeat the fastest of {PairedBursts} bursts of about {PairedBurstMilliseconds:0} ms, " +
                 "the two sides' bursts interleaved (order alternating; a preempted burst is only ever slower), " +
                 "median with its 95 % bootstrap interval (benchmarks/EdgeNet.Benchmarks/Paired.cs), because BenchmarkDotNet measures the cases " +
                 "one after another while the shared machine's load changes (the JSON keeps the ratio of the BenchmarkDotNet medians too). " +
                 "Target: 0 bytes allocated per inference. BenchmarkDotNet's figure can show 1 B from runtime noise (tiered JIT, " +
                 "timers) on a loaded machine, so the last column counts exactly: GC.GetAllocatedBytesForCurrentThread around " +
                 $"{2 * CheckCalls} and around {CheckCalls} calls of each benchmark method after warm-up, the difference divided by {CheckCalls}; " +
                 "the run fails (exit 1) when any case's exact count is not 0.\n\n" +
                 "## int8 kernels\n\n" +
                 Results.Table(["benchmark", "MACs", "ns/op (median)", "99.9 % CI ns", "MMAC/s", "plain loop ns", "ratio to plain loop [95 % CI]", "allocated B/op (BDN)", "allocated B/op (exact check)"], narrowRows) +
                 "\n## 16-bit (16x8) kernels\n\n" +
                 "Each case is its int8 twin's layer (same shape, weights and requantization) with 16-bit input and output tensors " +
                 "(zero point 0, int16 clamp), run through Layer.InvokeWide as the engine runs a 16x8 layer; the demo model with both " +
                 "layers 16-bit runs through InferenceEngine (int16 input quantization). The *_16bit dense and conv1d cases sum in int32 " +
                 "(their proven bound fits, checked at setup); *_16bitInt64Sum is the same layer with one bias raised until the bound " +
                 "exceeds int32, so Prepare picks the int64-sum kernel (InvokeLong); recurrent 16x8 kernels always sum in int64. " +
                 "Plain loop = `acc += a[i] * b[i]` with a an int16 array and b an int8 array, int32 sum, same count; " +
                 "time vs int8 = 16-bit time / int8 twin time (above 1: 16 bits cost that factor), paired as the ratio to the plain loop, " +
                 "median [95 % bootstrap interval].\n\n" +
                 Results.Table(["benchmark", "MACs", "ns/op (median)", "99.9 % CI ns", "MMAC/s", "plain 16x8 loop ns", "ratio to plain 16x8 loop [95 % CI]",
                     "int8 twin", "int8 ns", "time vs int8 [95 % CI]", "allocated B/op (BDN)", "allocated B/op (exact check)"], wideRows) +
                 "\n## 16-bit weights (16x16) kernel\n\n" +
                 "Each *_16x16 case is the 16-bit twin above with int16 weights: each int8 weight and bias times 256 and the shift 8 larger " +
                 "(the same real values), so Prepare picks the 16x16 kernel (FullyConnected16x16Optimized, always an int64 sum); " +
                 "DemoInference_16x16 runs both demo layers on it through InferenceEngine. " +
                 "Plain loop = `acc += a[i] * b[i]` over two int16 arrays with an int64 sum, same count; " +
                 "time vs int8 = 16x16 time / int8 twin time, paired as above.\n\n" +
                 Results.Table(["benchmark", "MACs", "ns/op (median)", "99.9 % CI ns", "MMAC/s", "plain 16x16 loop ns", "ratio to plain 16x16 loop [95 % CI]",
                     "int8 twin", "int8 ns", "time vs int8 [95 % CI]", "allocated B/op (BDN)", "allocated B/op (exact check)"], weightRows);
        Results.Write("inference", md, new JsonObject { ["machine"] = machine, ["tool"] = "BenchmarkDotNet 0.15.8", ["cases"] = cases });
        if (allocating.Count == 0) return 0;
        Console.Error.WriteLine("inference: allocates per call (target 0 B): " + string.Join(", ", allocating));
        return 1;
    }
}
