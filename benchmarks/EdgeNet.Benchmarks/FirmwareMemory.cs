using System.Reflection;
using EdgeNet.Engine;
using EdgeNet.Format;

namespace EdgeNet.Benchmarks;

/// <summary>
/// Managed memory the firmware core (artifacts/nf/EdgeNet.Firmware.Core, the device IL) holds once it has
/// booted with the demo model built in: heap growth while Copies booted firmwares are kept alive, divided by
/// Copies, on CoreCLR. The hardware behind its interfaces is inert (no serial input, sensors read 0).
/// </summary>
public static class FirmwareMemory
{
    private const int Copies = 20;

    public static (long Allocated, long Retained, int DesignBufferBytes) Measure(Model demo)
    {
        byte[] file = ModelWriter.Write(demo);
        Assembly core = DeviceAssemblies.Load("EdgeNet.Firmware.Core");
        Type configType = core.GetType("EdgeNet.Firmware.Config.BoardConfig", true)!;
        string text = "rate_hz 100\n";
        for (int f = 0; f < demo.FeatureCount; f++) text += $"sensor s{f} replay exp={demo.Input.RawExponent[f]}\n";
        object[] args = [text, "board.cfg", null];
        object config = configType.GetMethod("Parse")!.Invoke(null, args) ?? throw new InvalidOperationException((string)args[2]);
        Type fwType = core.GetType("EdgeNet.Firmware.Firmware", true)!;
        Type storageType = core.GetType("EdgeNet.Firmware.Store.MemoryStorage", true)!;
        object serial = Inert.Create(core, "EdgeNet.Firmware.Hal.ISerialPort");
        object sensors = Inert.Create(core, "EdgeNet.Firmware.Hal.ISensors");
        object clock = Inert.Create(core, "EdgeNet.Firmware.Hal.IClock");
        object led = Inert.Create(core, "EdgeNet.Firmware.Hal.ILed");
        MethodInfo boot = fwType.GetMethod("Boot")!;

        object Build(object storage) => Activator.CreateInstance(fwType, config, storage, serial, sensors, clock, led, file)!;

        // Warm up (JIT, type loading), and check that the model really loaded.
        object warm = Build(Activator.CreateInstance(storageType)!);
        boot.Invoke(warm, null);
        if (fwType.GetProperty("Model")!.GetValue(warm) == null) throw new InvalidOperationException("the firmware did not load the demo model");

        var storages = new object[Copies];
        for (int i = 0; i < Copies; i++) storages[i] = Activator.CreateInstance(storageType)!;
        var keep = new object[Copies];
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long allocated0 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Copies; i++)
        {
            keep[i] = Build(storages[i]);
            boot.Invoke(keep[i], null);
        }
        long allocated = (GC.GetAllocatedBytesForCurrentThread() - allocated0) / Copies;
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(keep);
        int design = (int)fwType.GetMethod("CoreBufferBytes")!.Invoke(null, [demo.FeatureCount, demo.FeatureCount])!;
        return (allocated, (after - before) / Copies, design);
    }

    /// <summary>Hardware that does nothing: every call returns the default of its return type.</summary>
    public class Inert : DispatchProxy
    {
        public static object Create(Assembly core, string interfaceName) =>
            Create(core.GetType(interfaceName, throwOnError: true)!, typeof(Inert));

        protected override object Invoke(MethodInfo method, object[] args) =>
            method.ReturnType.IsValueType && method.ReturnType != typeof(void) ? Activator.CreateInstance(method.ReturnType) : null;
    }
}
