using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>The firmware running in a thread, wired to the host's DeviceLink by an in-memory cable.</summary>
public sealed class UpdateBench : IDisposable
{
    public readonly MemoryCable Cable = new();
    public readonly MemoryCable.HostPort HostPort;
    public readonly FaultStorage Storage;
    public readonly RowSensors Sensors = new(TestModels.Rows, TestModels.Features);
    public readonly DeviceRunner Device;
    public readonly DeviceLink Host;
    public readonly List<string> Lines = new();

    public readonly FakeMemory Memory = new();

    public UpdateBench(string? config = null, FaultStorage? storage = null, byte[]? builtin = null, bool start = true)
    {
        Storage = storage ?? WithActive(TestModels.A);
        Device = new DeviceRunner(config ?? TestModels.Config(rateHz: 20), Storage, Cable.Device, Sensors, new WallClock(), new TestLed(), builtin, Memory).Boot();
        if (start) Device.Start();
        HostPort = Cable.Host;
        Host = new DeviceLink(HostPort) { TimeoutMs = 600, Retries = 8, OnLine = l => Lines.Add(l) };
    }

    public static FaultStorage WithActive(byte[] model)
    {
        var s = new FaultStorage();
        s.Put("model.enet", model);
        return s;
    }

    /// <summary>Reads device lines until one contains text; fails after timeoutMs.</summary>
    public string WaitForLine(string text, int timeoutMs = 15000)
    {
        string? hit = Lines.FirstOrDefault(l => l.Contains(text));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (hit == null && clock.ElapsedMilliseconds < timeoutMs)
        {
            string? line = Host.NextLine(200);
            if (line != null && line.Contains(text)) hit = line;
        }
        return hit ?? throw new Xunit.Sdk.XunitException($"no device line containing '{text}' within {timeoutMs} ms; lines: {string.Join(" | ", Lines.TakeLast(8))}");
    }

    public void Dispose() => Device.Dispose();
}
