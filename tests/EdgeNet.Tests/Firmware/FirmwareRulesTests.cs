using System.Reflection.Emit;
using System.Reflection.PortableExecutable;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// "No allocation per inference" for the whole firmware sample path, checked on the device IL of
/// EdgeNet.Firmware.Core: everything SensorPipeline.Tick can reach (reading sensors, rescaling, reporting the
/// line, the LED) has no newarr/newobj/box and no float; its calls leave the assembly only for the inference
/// engine (whose path NanoFrameworkRulesTests checks the same way), the hardware interfaces, and string
/// character access.
/// </summary>
public class FirmwareRulesTests
{
    /// <summary>Divisions on the sample path, each with the reason it cannot fault.</summary>
    private static readonly Dictionary<string, string> AllowedDivisions = new()
    {
        ["EdgeNet.Firmware.Pipeline.SensorPipeline.Rescale"] = "long division by a power of ten from a table (10..10^18)",
        ["EdgeNet.Firmware.Pipeline.TextOut.Fixed"] = "ulong division and remainder by the constant 10",
        ["EdgeNet.Firmware.Config.BoardConfig.get_PeriodMs"] = "1000 / RateHz, which the parser keeps in 1..1000",
    };

    private static readonly HashSet<string> AllowedExternalCalls = new()
    {
        "System.Array.Copy",
        "System.String.get_Length",
        "System.String.get_Chars",
    };

    [Fact]
    public void The_sample_path_neither_allocates_nor_uses_float()
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(DeviceBuild.Folder, "EdgeNet.Firmware.Core.dll")));
        var il = new NanoFrameworkRulesTests.IlScanner(pe);
        var reached = il.Reachable("EdgeNet.Firmware.Pipeline.SensorPipeline.Tick");
        Assert.Contains("EdgeNet.Firmware.Pipeline.SensorPipeline.Sample", reached);
        Assert.Contains("EdgeNet.Firmware.Pipeline.SensorPipeline.Rescale", reached);
        Assert.Contains("EdgeNet.Firmware.Pipeline.TextOut.Fixed", reached);
        Assert.Contains("EdgeNet.Firmware.Pipeline.TextOut.End", reached);

        var calledOut = new SortedSet<string>();
        var problems = new List<string>();
        // The scanner follows a virtual call to every method of the same name, so the hardware interface
        // calls (ISerialPort.Write, ISensors.Read) also pull in unrelated ones (ModelStore.Write,
        // MemoryStorage.Read); hardware is the board's. What runs per sample is the pipeline's own code.
        var samplePath = reached.Where(m => m.StartsWith("EdgeNet.Firmware.Pipeline.", StringComparison.Ordinal)
                                             || m == "EdgeNet.Firmware.Config.BoardConfig.get_PeriodMs").ToList();
        Assert.True(samplePath.Count >= 10, string.Join(", ", samplePath));
        foreach (string method in samplePath.Order())
        {
            foreach (var (op, operand) in il.Instructions(method))
            {
                if (NanoFrameworkRulesTests.IlScanner.HotPathProblem(method, op, AllowedDivisions) is string problem)
                    problems.Add(problem);
                else if ((op == OpCodes.Ldfld || op == OpCodes.Ldsfld) && il.FieldIsFloat(operand))
                    problems.Add($"{method}: reads a float field");
                else if ((op == OpCodes.Call || op == OpCodes.Callvirt) && il.External(operand) is string external)
                {
                    calledOut.Add(external);
                    if (!external.StartsWith("EdgeNet.Engine.", StringComparison.Ordinal) && !AllowedExternalCalls.Contains(external))
                        problems.Add($"{method}: calls {external}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The engine calls it makes are the allocation-free inference path and plain getters.
        Assert.Subset(new SortedSet<string>
        {
            "EdgeNet.Engine.InferenceEngine.PushReading", "EdgeNet.Engine.InferenceEngine.Invoke", "EdgeNet.Engine.InferenceEngine.Reset",
            "EdgeNet.Engine.InferenceEngine.PredictedScore", "EdgeNet.Engine.InferenceEngine.get_Model",
            "EdgeNet.Engine.Model.get_WindowLength", "System.Array.Copy", "System.String.get_Length", "System.String.get_Chars",
        }, calledOut);
        Assert.Contains("EdgeNet.Engine.InferenceEngine.Invoke", calledOut);
    }
}
