using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace EdgeNet.Benchmarks;

/// <summary>
/// Runs the device benchmark app (benchmarks/device, the nanoFramework build) on CoreCLR and counts the IL
/// instructions per MAC of its kernels; writes results/device.md and device.json.
/// </summary>
public static class DeviceReport
{
    /// <summary>Parses the app's "key=value key=value" lines (the first line is the banner).</summary>
    public static List<Dictionary<string, string>> Parse(string report) =>
        report.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("case="))
            .Select(l => l.Split(' ').Select(f => f.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]))
            .ToList();

    public static string RunDeviceApp(int macBudget)
    {
        Type t = DeviceAssemblies.Load("EdgeNet.Bench.Device").GetType("EdgeNet.Bench.Device.DeviceBenchmark", throwOnError: true)!;
        MethodInfo run = t.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!;
        return (string)run.Invoke(null, [macBudget])!;
    }

    public static void Run(int macBudget)
    {
        var machine = Results.Machine();
        string raw = RunDeviceApp(macBudget);
        Console.Write(raw);
        var cases = Parse(raw);

        string shared = DeviceAssemblies.PathOf("EdgeNet.Shared");
        string app = DeviceAssemblies.PathOf("EdgeNet.Bench.Device");
        var il = new[]
        {
            ("ceiling (plain int8 dot loop)", IlCount.Analyze(app, "EdgeNet.Bench.Device.PlainDot", "Run")),
            // The reference kernels are not in the device library: the app compiles them (shared/desktop/Kernels).
            ("FullyConnected.Reference", IlCount.Analyze(app, "EdgeNet.Kernels.FullyConnected", "Reference")),
            ("FullyConnectedOptimized.Invoke", IlCount.Analyze(shared, "EdgeNet.Kernels.FullyConnectedOptimized", "Invoke")),
            ("Conv1DReference.Invoke", IlCount.Analyze(app, "EdgeNet.Kernels.Conv1DReference", "Invoke")),
            ("Conv1DOptimized.Invoke", IlCount.Analyze(shared, "EdgeNet.Kernels.Conv1DOptimized", "Invoke")),
            ("recurrent reference, input part (RecurrentInput.Accumulator)", IlCount.Analyze(app, "EdgeNet.Kernels.RecurrentInput", "Accumulator")),
            ("recurrent reference, feedback part (RecurrentComplete.Reference)", IlCount.Analyze(app, "EdgeNet.Kernels.RecurrentComplete", "Reference")),
            ("RecurrentOptimized.Dot (input and feedback parts of every feedback kind)", IlCount.Analyze(shared, "EdgeNet.Kernels.RecurrentOptimized", "Dot")),
        };
        double ceilingIl = il[0].Item2.Main.PerMac;

        var md = new System.Text.StringBuilder();
        md.Append("# Inference as the device runs it\n\n");
        Results.Finish(machine);
        md.Append(Results.MachineLine(machine)).Append("\n\n");
        md.Append("Command: `bash benchmarks/run.sh device` (part of `bash benchmarks/run.sh`). The device benchmark app ")
          .Append("(benchmarks/device, compiled against the nanoFramework mscorlib) runs here on CoreCLR, loaded from artifacts/nf. ")
          .Append("On a nanoFramework board, deploy the same app and read its console output: same lines, same fields.\n\n");
        md.Append("## IL instructions per multiply-accumulate (nanoFramework build; a diagnostic, not a speed claim)\n\n");
        md.Append("Counted in the innermost loop of each method in artifacts/nf (instructions in the loop / `mul` instructions in it). ")
          .Append("The count ratio below is a static diagnostic only: on the interpreter's POSIX build (nf-interpreter a3e8139, measured outside this repo, benchmarks/results/interpreter.json) the optimized kernel ran at 0.95-1.16x the plain loop's MAC/s and the reference kernel at 0.69-0.82x, not at the count ratios. No ESP32 timing exists yet.\n\n");
        md.Append(Results.Table(
            ["method", "IL bytes", "innermost loop: instructions / MACs", "IL per MAC", "IL count ratio to the plain loop (diagnostic)"],
            il.Select(x => new[]
            {
                x.Item1, x.Item2.BodyBytes.ToString(), $"{x.Item2.Main.Instructions} / {x.Item2.Main.Multiplies}",
                x.Item2.Main.PerMac.ToString("0.00", CultureInfo.InvariantCulture),
                (ceilingIl / x.Item2.Main.PerMac).ToString("0.00", CultureInfo.InvariantCulture),
            })));
        md.Append("\n## Measured on this runtime (CoreCLR JIT, not the interpreter)\n\n");
        md.Append("ratio = kernel MAC/s over the plain dot loop's MAC/s on the same number of MACs, in the same run. ")
          .Append("On CoreCLR the JIT removes most of the per-instruction cost, so these ratios say little about the interpreter; ")
          .Append("they keep the app working and show the kernels' per-row overhead.\n\n");
        md.Append(Results.Table(["case", "shape (units x inputs)", "MACs", "reps", "MAC/s", "ratio"],
            cases.Where(c => c["case"] != "model.demo").Select(c => new[]
            {
                c["case"], c["shape"], c["macs"], c["reps"], Mega(c["macs_per_s"]), c["ratio"],
            })));
        var demo = cases.Single(c => c["case"] == "model.demo");
        md.Append($"\nDemo model {demo["shape"]} through InferenceEngine (quantize a reading, both layers, argmax): " +
                  $"{demo["us_per_inference"]} µs per inference, {Mega(demo["macs_per_s"])} MAC/s, arena {demo["arena_bytes"]} bytes.\n");
        md.Append("\nRaw output of the app:\n\n```\n").Append(raw).Append("```\n");

        var json = new JsonObject
        {
            ["machine"] = machine,
            ["mac_budget"] = macBudget,
            ["runtime_measured"] = "CoreCLR (device app loaded from artifacts/nf)",
            ["il_per_mac"] = new JsonObject(il.Select(x => KeyValuePair.Create(x.Item1, (JsonNode)new JsonObject
            {
                ["il_bytes"] = x.Item2.BodyBytes,
                ["loop_instructions"] = x.Item2.Main.Instructions,
                ["loop_macs"] = x.Item2.Main.Multiplies,
                ["il_per_mac"] = Math.Round(x.Item2.Main.PerMac, 3),
                ["estimated_interpreter_ratio"] = Math.Round(ceilingIl / x.Item2.Main.PerMac, 3),
            }))),
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)new JsonObject(c.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode)JsonValue.Create(kv.Value))))).ToArray()),
        };
        Results.Write("device", md.ToString(), json);
    }

    public static string Mega(string perSecond) =>
        (long.Parse(perSecond, CultureInfo.InvariantCulture) / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " M";
}
