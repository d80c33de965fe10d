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
    /// <summary>Fixed bytes of format v2 outside parameters and names: header 16, class count 1, feature count 2,
    /// window 2, input scale 4, zero point 1 and flags 1, layer count 1, the last layer's output scale 4; then 4 per layer.</summary>
    public sealed record Size(string Name, int Layers, int FileBytes, int ParameterBytes, int NameBytes, int ArenaBytes, int Macs,
        int V1FileBytes = 0, int DumpArenaBytes = 0)
    {
        public int Overhead => FileBytes - ParameterBytes - NameBytes;
        public int V1Overhead => V1FileBytes - ParameterBytes - NameBytes;
        public int Allowed => 64 + 4 * Layers;
    }

    public static Size Measure(string name, Model m)
    {
        byte[] file = ModelWriter.Write(m);
        // Names and labels are metadata: each is stored as a 1-byte length and its characters.
        int names = 1 + m.Name.Length + m.ClassLabels.Sum(s => 1 + s.Length) + m.FeatureNames.Sum(s => 1 + s.Length);
        return new Size(name, m.Layers.Length, file.Length, m.ParameterBytes, names, m.ArenaBytes, m.MacCount,
            ModelWriter.Write(m, 1).Length, m.DumpArenaBytes);
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

    /// <summary>The bench timeseries CNN: window 8 x 16 features, conv1d 8 filters k3 s1 p1 relu, max pool 2, dense 4.</summary>
    public static Model Cnn()
    {
        var rng = new Random(816);
        var conv = new Conv1DLayer
        {
            InputSteps = 8, InputChannels = 16, OutputSteps = 8, OutputChannels = 8, KernelSize = 3, Stride = 1, Padding = 1,
            Weights = new sbyte[8 * 3 * 16], Bias = new int[8], Multiplier = new int[8], Shift = new byte[8],
        };
        for (int i = 0; i < conv.Weights.Length; i++) conv.Weights[i] = (sbyte)rng.Next(-128, 128);
        for (int f = 0; f < 8; f++) { conv.Multiplier[f] = rng.Next(1 << 30, int.MaxValue); conv.Shift[f] = 40; }
        conv.Activation = Activation.Relu;
        conv.RequantZeroPoint = conv.OutputZeroPoint = conv.ClampMin = -128;
        conv.OutputScale = 0.05f;
        var pool = new MaxPool1DLayer
        {
            PoolSize = 2, Stride = 2, InputSteps = 8, InputChannels = 8, InputZeroPoint = -128, OutputSteps = 4, OutputChannels = 8,
            RequantZeroPoint = -128, OutputZeroPoint = -128, OutputScale = 0.05f,
        };
        Model dense = RandomModels.Dense(rng, 32, [4]);
        var d = (DenseLayer)dense.Layers[0];
        d.InputSteps = 4; d.InputChannels = 8;
        Model m = RandomModels.Wrap(rng, 16, 8, [conv, pool, d]);
        m.Name = "cnn-maxpool";
        return m;
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
        var models = shapes.Select(x => (x.Name, RandomModels.Dense(new Random(x.Features * 1000 + x.Units.Length), x.Features, x.Units))).ToList();
        models.Add(("cnn-maxpool 8x16 (bench timeseries)", Cnn()));
        foreach (var (name, m) in models)
        {
            Size s = Measure(name, m);
            var (allocated, retained) = ManagedMemory(ModelWriter.Write(m));
            bool met = s.Overhead <= s.Allowed;
            rows.Add([name, s.Layers.ToString(), s.FileBytes.ToString(), s.ParameterBytes.ToString(), s.NameBytes.ToString(),
                $"{s.Overhead} (allowed {s.Allowed}) {(met ? "met" : "MISSED")}", s.V1Overhead.ToString(), s.ArenaBytes.ToString(), s.DumpArenaBytes.ToString(),
                allocated.ToString(), retained.ToString()]);
            json.Add(new JsonObject
            {
                ["model"] = name, ["layers"] = s.Layers, ["file_bytes"] = s.FileBytes, ["parameter_bytes"] = s.ParameterBytes,
                ["name_bytes"] = s.NameBytes, ["overhead_bytes"] = s.Overhead, ["allowed_overhead_bytes"] = s.Allowed,
                ["overhead_target_met"] = met, ["arena_bytes"] = s.ArenaBytes, ["macs"] = s.Macs,
                ["format_version"] = ModelWriter.VersionFor(m), ["v1_file_bytes"] = s.V1FileBytes, ["v1_overhead_bytes"] = s.V1Overhead,
                ["dump_mode_arena_bytes"] = s.DumpArenaBytes,
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
            "(metadata: 1 length byte + characters each). Overhead = file - parameters - names, in format v2 (docs/model-format.md): " +
            "the 16-byte header, counts, input scale/zero point/flags (12 bytes), the last layer's output scale (4 bytes), and per " +
            "layer a 4-byte packed record header (kind and precision, units and activation, requantization zero point; 2 more " +
            "bytes for a clamp other than the activation's, 1 for a table's output zero point). The v1 column is the same model " +
            "written as format v1 (12 bytes per layer). Target: overhead <= 64 + 4 x layers. Arena = the int8 buffers the engine " +
            "allocates (`ArenaPlan`: input window + two ping-pong buffers for the hidden layers + the last layer's output + state); " +
            "the dump-mode arena keeps every layer's output (simulate --dump, the device dump), which is what every engine " +
            "allocated before the planner. Managed memory is measured on CoreCLR around `ModelReader.Read` + " +
            "`new InferenceEngine` (allocated: GC.GetAllocatedBytesForCurrentThread; retained: growth of GC.GetTotalMemory(true) while " +
            "50 loaded engines are kept alive, divided by 50). CoreCLR object headers (16-24 bytes per array) differ from nanoFramework's, " +
            "so the device figure differs by a few hundred bytes.\n\n" +
            Results.Table(["model", "layers", "file bytes", "parameter bytes", "name bytes", "format overhead (v2)", "overhead in v1",
                "arena bytes (planned)", "arena bytes (dump mode)", "allocated by load (CoreCLR)", "retained (CoreCLR)"], rows) + "\n" + fwLine + "\n";
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
