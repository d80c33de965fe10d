using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// Implements an interface of the nanoFramework-compiled firmware core (loaded from artifacts/nf) with a
/// desktop object that has methods of the same names and parameter types, so CoreCLR test doubles can
/// be plugged into the device IL.
/// </summary>
public class Forwarder : DispatchProxy
{
    private object _target = null!;
    private readonly ConcurrentDictionary<MethodInfo, MethodInfo> _map = new();

    public static object Create(string interfaceName, object target)
    {
        Type iface = DeviceBuild.Load("EdgeNet.Firmware.Core").GetType(interfaceName, throwOnError: true)!;
        var proxy = DispatchProxy.Create(iface, typeof(Forwarder));
        ((Forwarder)proxy)._target = target;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        // Same parameter types, else (for parameters of device types the test cannot name) object ones.
        MethodInfo m = _map.GetOrAdd(method!, im => _target.GetType().GetMethod(im.Name, im.GetParameters().Select(p => p.ParameterType).ToArray())
            ?? _target.GetType().GetMethod(im.Name, im.GetParameters().Select(p => p.ParameterType.IsValueType || p.ParameterType.IsByRef ? p.ParameterType : typeof(object)).ToArray())
            ?? throw new MissingMethodException(_target.GetType().Name, im.Name));
        try { return m.Invoke(_target, args); }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}

/// <summary>
/// Flash for the device under test, with power loss: after <see cref="OpsBeforeReset"/> more writes
/// (create, append, delete, rename) the next one is cut (an append keeps only its first half) and every
/// later call fails, as if the board lost power. <see cref="Reboot"/> gives the flash as it was left.
/// </summary>
public sealed class FaultStorage
{
    private readonly Dictionary<string, List<byte>> _files = new();
    private readonly object _lock = new();

    public int OpsBeforeReset = -1;

    /// <summary>A rename from this file fails once with an I/O error (the board keeps running).</summary>
    public string? FailRenameFrom;
    public bool PoweredOff { get; private set; }
    public int Writes { get; private set; }

    public FaultStorage Reboot()
    {
        lock (_lock)
        {
            var s = new FaultStorage();
            foreach (var (k, v) in _files) s._files[k] = [.. v];
            return s;
        }
    }

    public byte[]? File(string name)
    {
        lock (_lock) return _files.TryGetValue(name, out var f) ? f.ToArray() : null;
    }

    public void Put(string name, byte[] data)
    {
        lock (_lock) _files[name] = [.. data];
    }

    public string[] Names()
    {
        lock (_lock) return _files.Keys.Order().ToArray();
    }

    public int Length(string name)
    {
        lock (_lock)
        {
            Alive();
            return _files.TryGetValue(name, out var f) ? f.Count : -1;
        }
    }

    public int Read(string name, byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            Alive();
            if (!_files.TryGetValue(name, out var f)) throw new IOException($"{name} not found");
            int n = Math.Min(count, f.Count);
            f.CopyTo(0, buffer, offset, n);
            return n;
        }
    }

    public int ReadAt(string name, int position, byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            Alive();
            if (!_files.TryGetValue(name, out var f)) throw new IOException($"{name} not found");
            if (position < 0 || position >= f.Count) return 0;
            int n = Math.Min(count, f.Count - position);
            f.CopyTo(position, buffer, offset, n);
            return n;
        }
    }

    public void Create(string name)
    {
        lock (_lock)
        {
            if (Cut()) throw PowerLost();
            _files[name] = [];
        }
    }

    public void Append(string name, byte[] data, int offset, int count)
    {
        lock (_lock)
        {
            Alive();
            if (!_files.TryGetValue(name, out var f)) throw new IOException($"{name} not found");
            if (Cut())
            {
                f.AddRange(data.Skip(offset).Take(count / 2));
                throw PowerLost();
            }
            f.AddRange(data.Skip(offset).Take(count));
        }
    }

    public void Delete(string name)
    {
        lock (_lock)
        {
            if (!_files.ContainsKey(name)) { Alive(); return; }
            if (Cut()) throw PowerLost();
            _files.Remove(name);
        }
    }

    public void Rename(string from, string to)
    {
        lock (_lock)
        {
            Alive();
            if (!_files.TryGetValue(from, out var f)) throw new IOException($"{from} not found");
            if (_files.ContainsKey(to)) throw new IOException($"{to} exists");
            if (from == FailRenameFrom)
            {
                FailRenameFrom = null;
                throw new IOException("flash write error");
            }
            if (Cut()) throw PowerLost();
            _files.Remove(from);
            _files[to] = f;
        }
    }

    private void Alive()
    {
        if (PoweredOff) throw PowerLost();
    }

    private bool Cut()
    {
        Alive();
        Writes++;
        if (OpsBeforeReset < 0) return false;
        if (OpsBeforeReset-- > 0) return false;
        PoweredOff = true;
        return true;
    }

    private static IOException PowerLost() => new("power lost");
}

/// <summary>Sensors that replay dataset rows, one row per sample (sensor 0 starts a sample).</summary>
public sealed class RowSensors(int[] readings, int features)
{
    private int _sample = -1;
    private readonly int _rows = readings.Length / features;

    /// <summary>Samples whose sensor 'FailSensor' read fails (returns false).</summary>
    public HashSet<int> FailAt { get; } = new();
    public int FailSensor = 0;
    public int Samples => _sample + 1;

    public int RowOf(int sample) => sample % _rows;

    public bool Read(int sensor, out int value)
    {
        if (sensor == 0) Interlocked.Increment(ref _sample);
        value = readings[RowOf(Math.Max(_sample, 0)) * features + sensor];
        return !(sensor == FailSensor && FailAt.Contains(_sample));
    }
}

public sealed class WallClock
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    public long Milliseconds() => _clock.ElapsedMilliseconds;
}

public sealed class ManualClock
{
    public long Now;
    public long Milliseconds() => Now;
}

/// <summary>The board's free heap as the firmware sees it: a settable figure (-1: the board cannot tell).</summary>
public sealed class FakeMemory
{
    public volatile int Free = 1 << 20;
    public int Asked;
    public int FreeBytes() { Asked++; return Free; }
}

public sealed class TestLed
{
    public int Changes;
    public bool On;
    public void Set(bool on) { On = on; Changes++; }
}

/// <summary>
/// Bytes in flight from host to device, with faults: drop or flip a bit of the byte at a given position
/// of the stream (counted from the first byte the host sent).
/// </summary>
public sealed class WireFaults
{
    private long _position;
    public HashSet<long> DropAt { get; } = new();
    public HashSet<long> FlipAt { get; } = new();
    public int Dropped, Flipped;

    /// <summary>Applies the faults to buffer[offset..offset+count) in place; returns the new count.</summary>
    public int Apply(byte[] buffer, int offset, int count)
    {
        int w = offset;
        for (int i = offset; i < offset + count; i++)
        {
            long p = _position++;
            if (DropAt.Contains(p)) { Dropped++; continue; }
            byte b = buffer[i];
            if (FlipAt.Contains(p)) { b ^= (byte)(1 << (int)(p % 8)); Flipped++; }
            buffer[w++] = b;
        }
        return w - offset;
    }
}
