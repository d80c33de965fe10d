using System.Reflection;
using EdgeNet.Format;
using EdgeNet.Quantization;
using Xunit.Abstractions;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// The RAM the device needs for a model, measured on the booted nanoFramework-compiled firmware core by
/// walking its object graph: the model's arrays must add up to Model.ParameterBytes, the engine's to
/// Model.ArenaBytes, and everything else the core holds to Firmware.CoreBufferBytes, the figures the README
/// states.
/// </summary>
public class MemoryTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models => new() { "demo MLP 36-32-6", "replay model (trained satellite MLP)" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Parameters_arena_and_core_buffers_are_what_the_budget_formulas_say(string which)
    {
        byte[] model = which.StartsWith("demo") ? DemoMlp() : TestModels.A;
        var m = ModelReader.Read(model, model.Length, int.MaxValue, out _)!;
        var cable = new MemoryCable();
        // No input lines: the sensors carry the model's feature names and bind by name.
        string config = "rate_hz 10\n" + string.Concat(Enumerable.Range(0, 36).Select(i => $"sensor {m.FeatureNames[i]} test exp={m.Input.RawExponent[i]}\n"));
        using var device = new DeviceRunner(config, new FaultStorage(), cable.Device, new RowSensors(TestModels.Rows, 36), new ManualClock(), new TestLed(), model).Boot();
        device.Poll(); // one sample: every buffer of the pipeline in use

        dynamic fw = device.Firmware;
        object active = fw.Store.Active;
        object engine = fw.Pipeline.Engine;
        object boardConfig = fw.Config;
        var modelBytes = Walk(active, new HashSet<object>(ReferenceEqualityComparer.Instance));
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance) { active };
        var arenaBytes = Walk(engine, seen);
        seen.Add(engine);
        seen.Add(boardConfig);
        // The built-in model file: on the device a static array, also in RAM; reported on its own.
        object builtin = GetField((object)fw.Store, "_builtin");
        seen.Add(builtin);
        long coreBytes = Walk(device.Firmware, seen);
        var crcTable = (Array)DeviceBuild.Load("EdgeNet.Shared").GetType("EdgeNet.Format.Crc32", true)!
            .GetField("_table", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        coreBytes += Buffer.ByteLength(crcTable);

        int core = DeviceBuild.Method<Func<int, int, int>>("EdgeNet.Firmware.Core", "EdgeNet.Firmware.Firmware", "CoreBufferBytes")(36, 36);
        Assert.Equal(m.ParameterBytes, modelBytes);
        Assert.Equal(m.ArenaBytes, arenaBytes);
        Assert.Equal(core, coreBytes);
        Assert.Equal(model.Length, ((byte[])builtin).Length);
        output.WriteLine($"{which}: file {model.Length} B (also in RAM as the built-in model), parameters {m.ParameterBytes} B, arena {m.ArenaBytes} B, firmware core buffers {core} B (36 sensors), total {m.ParameterBytes + m.ArenaBytes + core} B");
    }

    /// <summary>The trainer's default network for the satellite demo: 36 inputs, 32 ReLU units, 6 identity outputs.</summary>
    private static byte[] DemoMlp()
    {
        var m = RandomModels.Dense(new Random(36), 36, [32, 6]);
        QuantizationRule.SetOutputStage(m.Layers[0], Layers.Activation.Relu, -4, 4);
        QuantizationRule.SetOutputStage(m.Layers[1], Layers.Activation.Identity, -8, 8);
        return ModelWriter.Write(m);
    }

    private static object GetField(object o, string name) =>
        o.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(o)!;

    // Bytes of the primitive arrays reachable from o through EdgeNet objects (strings and foreign objects such
    // as the test hardware proxies are not counted).
    private static long Walk(object? o, HashSet<object> seen)
    {
        if (o == null || o is string || !seen.Add(o)) return 0;
        Type t = o.GetType();
        if (o is Array a)
        {
            Type e = t.GetElementType()!;
            if (e.IsPrimitive) return Buffer.ByteLength(a);
            long sum = 0;
            foreach (object? item in a) sum += Walk(item, seen);
            return sum;
        }
        if (t.Namespace == null || !t.Namespace.StartsWith("EdgeNet")) return 0;
        long total = 0;
        for (Type? c = t; c != null && c != typeof(object); c = c.BaseType)
        {
            foreach (FieldInfo f in c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!f.FieldType.IsValueType) total += Walk(f.GetValue(o), seen);
            }
        }
        return total;
    }
}

/// <summary>The built-in demo data stays out of RAM unless the "replay" sensor kind asks for it.</summary>
public class ReplayDataResidencyTests
{
    [Fact]
    public void ReplayData_has_no_static_state_so_nanoFramework_allocates_nothing_for_it_at_boot()
    {
        // nanoFramework runs every type's static constructor at boot (nf-interpreter, Execution.cpp:
        // SpawnStaticConstructor before the first thread runs), so static arrays would be resident on every board.
        Type data = DeviceBuild.Load("EdgeNet.Firmware.Replay").GetType("EdgeNet.Firmware.Replay.ReplayData", true)!;
        Assert.Null(data.TypeInitializer);
        Assert.DoesNotContain(data.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic), f => !f.IsLiteral);
        // Each call builds the arrays anew (the caller keeps them): 100 rows x 36 readings.
        var readings = (int[])data.GetMethod("Readings")!.Invoke(null, null)!;
        Assert.Equal(3600, readings.Length);
        Assert.NotSame(readings, data.GetMethod("Readings")!.Invoke(null, null));
    }

    [Fact]
    public void Only_the_replay_sensor_kind_of_the_ESP32_layer_touches_the_demo_rows()
    {
        // The ESP32 layer cannot be compiled here: check its source.
        string dir = Path.Combine(DeviceBuild.RepoRoot, "firmware", "esp32");
        var uses = Directory.GetFiles(dir, "*.cs").SelectMany(f => File.ReadAllLines(f).Select(l => (File: Path.GetFileName(f), Line: l)))
            .Where(x => x.Line.Contains("ReplayData.Readings")).ToList();
        var use = Assert.Single(uses);
        Assert.Equal("Esp32Sensors.cs", use.File);
        string sensors = File.ReadAllText(Path.Combine(dir, "Esp32Sensors.cs"));
        Assert.Matches(@"else if \(spec\.Kind == ""replay""\)\s*\{[^}]*LoadReplay\(\)", sensors);
    }
}
