using System.IO.Ports;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// The nanoFramework-compiled firmware (EdgeNet.Firmware.Core from artifacts/nf) running on CoreCLR with
/// test hardware: boots, then polls in its own thread as the board's main loop does.
/// </summary>
public sealed class DeviceRunner : IDisposable
{
    public const string DefaultConfig = "rate_hz 100\n";

    private readonly dynamic _fw;
    private readonly Action _poll;
    private Thread? _thread;
    private volatile bool _stop;
    private Exception? _crash;

    public DeviceRunner(string config, FaultStorage storage, object serial, object sensors, object clock, TestLed led, byte[]? builtin, FakeMemory? memory = null)
    {
        var core = DeviceBuild.Load("EdgeNet.Firmware.Core");
        Type configType = core.GetType("EdgeNet.Firmware.Config.BoardConfig", true)!;
        object?[] args = [config, "board.cfg", null];
        object parsed = configType.GetMethod("Parse")!.Invoke(null, args) ?? throw new InvalidOperationException((string)args[2]!);
        Type fwType = core.GetType("EdgeNet.Firmware.Firmware", true)!;
        _fw = Activator.CreateInstance(fwType, parsed,
            Forwarder.Create("EdgeNet.Firmware.Hal.IStorage", storage),
            Forwarder.Create("EdgeNet.Firmware.Hal.ISerialPort", serial),
            Forwarder.Create("EdgeNet.Firmware.Hal.ISensors", sensors),
            Forwarder.Create("EdgeNet.Firmware.Hal.IClock", clock),
            Forwarder.Create("EdgeNet.Firmware.Hal.ILed", led),
            memory == null ? null : Forwarder.Create("EdgeNet.Firmware.Hal.IMemory", memory),
            builtin)!;
        _poll = (Action)Delegate.CreateDelegate(typeof(Action), (object)_fw, fwType.GetMethod("Poll")!);
        Storage = storage;
    }

    public FaultStorage Storage { get; }
    public dynamic Firmware => _fw;
    public string? ModelName => (string?)_fw.Store.Active?.Name;
    public string Source => (string)_fw.Store.Source;
    public string BootReport => (string)_fw.Store.BootReport;

    public DeviceRunner Boot()
    {
        _fw.Boot();
        return this;
    }

    public void Poll() => _poll();

    /// <summary>Polls in a background thread until disposed (1 ms pause between passes).</summary>
    public DeviceRunner Start()
    {
        _thread = new Thread(() =>
        {
            try
            {
                while (!_stop)
                {
                    _poll();
                    Thread.Sleep(1);
                }
            }
            catch (Exception e) { _crash = e; }
        }) { IsBackground = true, Name = "device" };
        _thread.Start();
        return this;
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(10000);
        if (_crash != null) throw new InvalidOperationException("the firmware loop threw", _crash);
    }
}

/// <summary>A byte queue with blocking reads (one direction of an in-memory serial cable).</summary>
public sealed class ByteQueue
{
    private readonly Queue<byte> _q = new();

    public void Write(byte[] b, int offset, int count)
    {
        lock (_q)
        {
            for (int i = 0; i < count; i++) _q.Enqueue(b[offset + i]);
            Monitor.PulseAll(_q);
        }
    }

    public int Read(byte[] b, int offset, int count, int timeoutMs)
    {
        lock (_q)
        {
            if (_q.Count == 0 && timeoutMs > 0) Monitor.Wait(_q, timeoutMs);
            int n = 0;
            while (n < count && _q.Count > 0) b[offset + n++] = _q.Dequeue();
            return n;
        }
    }
}

/// <summary>An in-memory serial cable: the device's port and the host's link, with faults on the way in.</summary>
public sealed class MemoryCable
{
    public readonly ByteQueue ToDevice = new(), ToHost = new();
    public readonly WireFaults Faults = new();
    public DevicePort Device => new(this);
    public HostPort Host => new(this);

    public sealed class DevicePort(MemoryCable c)
    {
        public int Read(byte[] buffer, int offset, int count)
        {
            int n = c.ToDevice.Read(buffer, offset, count, 0);
            return c.Faults.Apply(buffer, offset, n);
        }

        public void Write(byte[] buffer, int offset, int count) => c.ToHost.Write(buffer, offset, count);
    }

    /// <summary>The host's end; after <see cref="CutAfter"/> bytes the cable is cut (writes vanish).</summary>
    public sealed class HostPort(MemoryCable c) : IByteLink
    {
        public long CutAfter = long.MaxValue;
        private long _sent;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs) => c.ToHost.Read(buffer, offset, count, timeoutMs);

        public void Write(byte[] buffer, int offset, int count)
        {
            int keep = (int)Math.Clamp(CutAfter - _sent, 0, count);
            _sent += count;
            if (keep > 0) c.ToDevice.Write(buffer, offset, keep);
            if (keep < count) throw new IOException("cable cut");
        }

        public void Dispose() { }
    }
}

/// <summary>The device's end of a real serial line (a pseudo-terminal made by socat), non-blocking reads.</summary>
public sealed class PtyDevicePort : IDisposable
{
    private readonly SerialPort _port;
    public readonly WireFaults Faults = new();

    public PtyDevicePort(string path)
    {
        _port = new SerialPort(path, 115200) { Handshake = Handshake.None, WriteTimeout = 5000 };
        _port.Open();
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int available = _port.BytesToRead;
        if (available == 0) return 0;
        int n = _port.Read(buffer, offset, Math.Min(available, count));
        return Faults.Apply(buffer, offset, n);
    }

    public void Write(byte[] buffer, int offset, int count) => _port.Write(buffer, offset, count);

    public void Dispose() => _port.Dispose();
}
