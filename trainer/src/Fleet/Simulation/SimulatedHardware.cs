using EdgeNet.Trainer.Device;

namespace EdgeNet.Trainer.Fleet.Simulation;

/// <summary>Sensors that always read: a slow deterministic wave per channel, so the model classifies at the board's rate.</summary>
public sealed class WaveSensors(int seed)
{
    private int _n;
    public bool Read(int sensor, out int value)
    {
        _n++;
        value = (int)(1000 * Math.Sin((_n + seed * 17 + sensor * 31) * 0.01));
        return true;
    }
}

public sealed class SimClock
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    public long Milliseconds() => _clock.ElapsedMilliseconds;
}

public sealed class SimLed
{
    public void Set(bool on) { }
}

public sealed class SimMemory(int free)
{
    public int FreeBytes() => free;
}

/// <summary>
/// The device's UART as two in-memory byte queues: the firmware reads and writes its end, the host talks
/// to <see cref="Host"/> (an IByteLink), as over a serial cable.
/// </summary>
public sealed class SimSerial
{
    private readonly Queue<byte> _toDevice = new();
    private readonly Queue<byte> _toHost = new();
    private readonly object _lock = new();

    public int Read(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            int n = 0;
            while (n < count && _toDevice.Count > 0) buffer[offset + n++] = _toDevice.Dequeue();
            return n;
        }
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            for (int i = 0; i < count; i++) _toHost.Enqueue(buffer[offset + i]);
            Monitor.PulseAll(_lock);
        }
    }

    public IByteLink Host => new HostEnd(this);

    private sealed class HostEnd(SimSerial s) : IByteLink
    {
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            long end = Environment.TickCount64 + timeoutMs;
            lock (s._lock)
            {
                while (s._toHost.Count == 0)
                {
                    long left = end - Environment.TickCount64;
                    if (left <= 0) return 0;
                    Monitor.Wait(s._lock, (int)left);
                }
                int n = 0;
                while (n < count && s._toHost.Count > 0) buffer[offset + n++] = s._toHost.Dequeue();
                return n;
            }
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            lock (s._lock) for (int i = 0; i < count; i++) s._toDevice.Enqueue(buffer[offset + i]);
        }

        public void Dispose() { }
    }
}
