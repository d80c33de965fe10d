using System.Text.Json.Nodes;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Benchmarks;

/// <summary>
/// Model size and memory: .enet file bytes against raw parameter bytes, arena bytes, and the managed memory
/// a loaded model and its engine hold. Writes results/memory.*.
/// </summary>
public static class MemoryReport
{
    /// <summary>Fixed bytes of the format outside parameters and names: header 16, class count 1, feature count 2,
    /// window 2, input scale 4 and zero point 1, layer count 1.</summary>
    public sealed record Size(string Name, int Layers, int FileBytes, int ParameterBytes, int NameBytes, int ArenaBytes, int Macs)
    {
        public int Overhead => FileBytes - ParameterBytes - NameBytes;
        public int Allowed => 64 + 4 * Layers;
    }

    public static Size Measure(string name, Model m)
    {
        byte[] file = ModelWriter.Write(m);
        // Names and labels are metadata: each is stored as a 1-byte length and its characters.
        int names = 1 + m.Name.Length + m.ClassLabels.Sum(s => 1 + s.Length) + m.FeatureNames.Sum(s => 1 + s.Length);
        return new Size(name, m.Layers.Length, file.Length, m.ParameterBytes, names, m.ArenaBytes, m.MacCount);
    }

    /// <summary>
    /// Bytes allocated while reading the file and creating the engine, and bytes still held afterwards
    /// (the heap growth of keeping Copies loaded models alive, divided by Copies: one alone is below the
    /// GC's accounting granularity).
    /// </summary>
    public static (long Allocated, long Retained) ManagedMemory(byte[] file)
    {
        const int Copies = 50;
        // Warm the code paths first so JIT and type loading are not counted.
        new InferenceEngine(ModelReader.Read(file, file.Length, int.MaxValue, out _));
        var keep = new InferenceEngine[Copies];
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long allocated0 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Copies; i++)
        {
            Model m = ModelReader.Read(file, file.Length, int.MaxValue, out string error);
            if (m == null) throw new InvalidOperationException(error);
            keep[i] = new InferenceEngine(m);
        }
        long allocated = (GC.GetAllocatedBytesForCurrentThread() - allocated0) / Copies;
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(keep);
        return (allocated, (after - before) / Copies);
    }

    public static void Run()
    {
        var machine = Results.Machine();
        var shapes = new (string Name, int Features, int[] Units)[]
        {
            ("demo 36-32-6 (satellite)", 36, [32, 6]),
            ("room occupancy 16-16-4", 16, [16, 4]),
            ("36-64-32-6", 36, [64, 32, 6]),
            ("36-32-32-32-6 (4 layers)", 36, [32, 32, 32, 6]),
            ("36-32x4-6 (5 layers)", 36, [32, 32, 32, 32, 6]),
            ("256-256-256-10", 256, [256, 256, 10]),
        };
        var rows = new List<string[]>();
        var json = new JsonArray();
        foreach (var (name, features, units) in shapes)
        {
            Model m = RandomModels.Dense(new Random(features * 1000 + units.Length), features, units);
            Size s = Measure(name, m);
            var (allocated, retained) = ManagedMemory(ModelWriter.Write(m));
            bool met = s.Overhead <= s.Allowed;
            rows.Add([name, s.Layers.ToString(), s.FileBytes.ToString(), s.ParameterBytes.ToString(), s.NameBytes.ToString(),
                $"{s.Overhead} (allowed {s.Allowed}) {(met ? "met" : "MISSED")}", s.ArenaBytes.ToString(), allocated.ToString(), retained.ToString()]);
            json.Add(new JsonObject
            {
                ["model"] = name, ["layers"] = s.Layers, ["file_bytes"] = s.FileBytes, ["parameter_bytes"] = s.ParameterBytes,
                ["name_bytes"] = s.NameBytes, ["overhead_bytes"] = s.Overhead, ["allowed_overhead_bytes"] = s.Allowed,
                ["overhead_target_met"] = met, ["arena_bytes"] = s.ArenaBytes, ["macs"] = s.Macs,
                ["coreclr_bytes_allocated_by_load"] = allocated, ["coreclr_bytes_retained_after_load"] = retained,
            });
        }
        // The firmware core with the demo model built in, booted.
        var (fwAllocated, fwRetained, fwDesign) = FirmwareMemory.Measure(InferenceBenchmarks.DemoModel());
        var demoSize = Measure("demo", InferenceBenchmarks.DemoModel());
        string fwLine = $"Firmware core (artifacts/nf/EdgeNet.Firmware.Core, booted with the demo 36-32-6 model built in, inert hardware): " +
            $"{fwRetained} bytes of managed memory held on CoreCLR ({fwAllocated} allocated during construction and boot); " +
            $"the model's parameters are {demoSize.ParameterBytes} bytes and its arena {demoSize.ArenaBytes} bytes of that; " +
            $"Firmware.CoreBufferBytes (the firmware's own buffers by design) = {fwDesign} bytes.";
        Results.Finish(machine);
        string md = "# Model size and memory\n\n" + Results.MachineLine(machine) + "\n\n" +
            "Command: `bash benchmarks/run.sh memory`. Random weights, the real .enet writer and reader.\n\n" +
            "How it is counted: parameter bytes = `Model.ParameterBytes` (input normalization 10 bytes per feature: offset, " +
            "multiplier, shift, raw exponent; per dense layer int8 weights, int32 bias, int32 multiplier and 1-byte shift per " +
            "neuron, 256-byte table for sigmoid/tanh/step layers). Name bytes = model name, class labels and feature names " +
            "(metadata: 1 length byte + characters each). Overhead = file - parameters - names: the 16-byte header, counts and " +
            "input scale/zero point (11 bytes), and per layer kind, units, activation, requantization zero point, clamp, output " +
            "scale and zero point (12 bytes). Target: overhead <= 64 + 4 x layers. Arena = the int8 buffers the engine allocates " +
            "(input + every layer's output + state). Managed memory is measured on CoreCLR around `ModelReader.Read` + " +
            "`new InferenceEngine` (allocated: GC.GetAllocatedBytesForCurrentThread; retained: growth of GC.GetTotalMemory(true) while " +
            "50 loaded engines are kept alive, divided by 50). CoreCLR object headers (16-24 bytes per array) differ from nanoFramework's, " +
            "so the device figure differs by a few hundred bytes.\n\n" +
            Results.Table(["model", "layers", "file bytes", "parameter bytes", "name bytes", "format overhead", "arena bytes",
                "allocated by load (CoreCLR)", "retained (CoreCLR)"], rows) + "\n" + fwLine + "\n";
        Results.Write("memory", md, new JsonObject
        {
            ["machine"] = machine, ["models"] = json,
            ["firmware"] = new JsonObject
            {
                ["figure"] = "firmware core booted with the demo model: managed memory held (CoreCLR)",
                ["value"] = $"{fwRetained} B held ({fwAllocated} B allocated by construction + boot; design buffers {fwDesign} B)",
                ["retained_bytes"] = fwRetained, ["allocated_bytes"] = fwAllocated, ["design_buffer_bytes"] = fwDesign,
            },
        });
    }
}
