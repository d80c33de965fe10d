// Nullable annotations off in this file: its records carry "no value yet" as null throughout (the fault run fills them step by step).
#nullable disable
using System.Text;
using EdgeNet.Link;
using EdgeNet.Tests.Firmware;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Reliability;

/// <summary>
/// What goes wrong during one model update: wire faults in both directions, a stall, a cut, a reset, lost
/// replies, stale Naks the device never sent, a noise burst, copies of host frames delivered seconds late,
/// and a board whose heap cannot hold the new model.
/// </summary>
public sealed record FaultSchedule(
    int Seed, double Drop, double Flip, double Duplicate, double Reorder,
    long StallAtMs, int StallMs, long CutAtByte, int ResetAtWrite,
    double ReplyLoss = 0, double StaleNak = 0, long NoiseAtMs = -1, int NoiseBytes = 0, double LateDuplicate = 0, bool LowMemory = false)
{
    /// <summary>One to four kinds of fault, each with random strength and timing.</summary>
    public static FaultSchedule Random(int seed)
    {
        var rng = new Random(seed);
        double drop = 0, flip = 0, dup = 0, reorder = 0, replyLoss = 0, staleNak = 0, late = 0;
        long stallAt = -1, cut = -1, noiseAt = -1;
        int stall = 0, reset = -1, noise = 0;
        bool lowMemory = false;
        int kinds = rng.Next(1, 5);
        for (int k = 0; k < kinds; k++)
        {
            switch (rng.Next(12))
            {
                case 0: drop = rng.NextDouble() * 0.25; break;
                case 1: flip = rng.NextDouble() * 0.25; break;
                case 2: dup = rng.NextDouble() * 0.3; break;
                case 3: reorder = rng.NextDouble() * 0.3; break;
                case 4: stallAt = rng.Next(0, 400); stall = rng.Next(2) == 0 ? rng.Next(100, 3000) : rng.Next(9000, 16000); break;
                case 5: cut = rng.Next(0, 1700); break; // the update is about 1,500 bytes on the wire
                case 6: reset = rng.Next(0, 12); break; // an update makes about 10 flash writes
                case 7: replyLoss = rng.NextDouble() * 0.4; break;
                case 8: staleNak = rng.NextDouble() * 0.5; break;
                case 9: noiseAt = rng.Next(0, 600); noise = rng.Next(512, 4096); break;
                case 10: late = rng.NextDouble() * 0.4; break;
                default: lowMemory = true; break;
            }
        }
        return new FaultSchedule(seed, drop, flip, dup, reorder, stallAt, stall, cut, reset, replyLoss, staleNak, noiseAt, noise, late, lowMemory);
    }

    public override string ToString()
    {
        var s = new List<string>();
        if (Drop > 0) s.Add($"drop {Drop:P0} of frames");
        if (Flip > 0) s.Add($"flip a bit in {Flip:P0}");
        if (Duplicate > 0) s.Add($"duplicate {Duplicate:P0}");
        if (Reorder > 0) s.Add($"delay/reorder {Reorder:P0}");
        if (StallAtMs >= 0) s.Add($"stall {StallMs} ms at {StallAtMs} ms");
        if (CutAtByte >= 0) s.Add($"cut after {CutAtByte} bytes");
        if (ResetAtWrite >= 0) s.Add($"reset at flash write {ResetAtWrite}");
        if (ReplyLoss > 0) s.Add($"lose {ReplyLoss:P0} of replies");
        if (StaleNak > 0) s.Add($"stale Nak after {StaleNak:P0} of replies");
        if (NoiseAtMs >= 0) s.Add($"{NoiseBytes} bytes of noise at {NoiseAtMs} ms");
        if (LateDuplicate > 0) s.Add($"late duplicate of {LateDuplicate:P0} of host frames");
        if (LowMemory) s.Add("heap too small for the new model");
        return $"schedule {Seed}: " + string.Join(", ", s);
    }
}

/// <summary>How one schedule ended, and whether the device kept its promises.</summary>
public sealed record FaultOutcome(FaultSchedule Schedule, bool HostSucceeded, string HostMessage, string ActiveModel,
    bool Resets, bool TransferStarted, bool AbortReported, bool HostOnlyReport, string Violation, string DeviceLog, long VirtualMs,
    int Dropped, int Flipped, int Duplicated, int Reordered, bool Stalled, bool Cut,
    bool HostUnknown = false, int LostReplies = 0, int StaleNaks = 0, int NoiseBytes = 0, int LateDuplicates = 0, bool MemoryRefused = false,
    string DumpResult = null);

/// <summary>
/// Model updates through the serial protocol under fault schedules, in virtual time and one thread: the
/// nanoFramework-compiled firmware core (through DeviceRunner) polls a simulated UART; a host drives the
/// protocol as `edgenet deploy` does (Ping, Begin, numbered chunks with Ack/Nak and retries, Commit,
/// Abort on giving up); the wire drops, flips, duplicates, delays, stalls and cuts frames; the flash loses
/// power at a chosen write (the device then reboots from what the flash holds). After the update and a
/// quiet period the device is checked: it runs the old or the new model, byte for byte as sent; a reboot
/// gives the same model; an update the host saw succeed is active; an update that did not complete was
/// reported by the device (an E line, an abort line, or the boot report after a reset).
/// </summary>
public sealed class UpdateFaultInjection
{
    private const int StepMs = 5;
    private const int HostTimeoutMs = 600;
    private const int CommitTimeoutMs = 10000;
    private const int Retries = 8;
    private const int Chunk = 256;

    private readonly FaultSchedule _s;
    private readonly Random _rng;
    private readonly byte[] _old = TestModels.A, _new = TestModels.B;
    private readonly string _oldName, _newName;
    private readonly ManualClock _clock = new();
    private readonly VirtualUart _uart;
    private FaultStorage _storage;
    private DeviceRunner _device;
    private bool _reset, _traceLostInReset;
    private int _dropped, _flipped, _duplicated, _reordered;
    private bool _stalled, _cut;
    private int _lostReplies, _staleNaks, _noiseSent, _lateDuplicates;
    private readonly FakeMemory _memory = new();

    public UpdateFaultInjection(FaultSchedule schedule)
    {
        _s = schedule;
        _rng = new Random(schedule.Seed ^ 0x5EED);
        _oldName = TestModels.ModelA.Name;
        _newName = "model-b";
        _uart = new VirtualUart(this);
        _storage = UpdateBench.WithActive(_old);
        _storage.OpsBeforeReset = schedule.ResetAtWrite;
        // Too small for the new model's file and parameters beside the old model, big enough to run.
        if (schedule.LowMemory) _memory.Free = TestModels.B.Length;
        _device = NewDevice(_storage);
    }

    private DeviceRunner NewDevice(FaultStorage storage) =>
        new DeviceRunner(TestModels.Config(rateHz: 20), storage, _uart, new RowSensors(TestModels.Rows, TestModels.Features), _clock, new TestLed(), null, _memory).Boot();

    public static FaultOutcome Run(FaultSchedule schedule) => new UpdateFaultInjection(schedule).Run();

    /// <summary>The abort was reported by the host only (a reset left the device no trace of it).</summary>
    public bool HostOnlyReport { get; private set; }

    public FaultOutcome Run()
    {
        (Verdict verdict, string message) = Deploy();
        bool ok = verdict == Verdict.Done;
        // Quiet period: the device's own transfer timeout must fire if the host vanished mid-update, also
        // for stale frames that arrive only when a stall ends (counted from the stall's end).
        long stallEnd = _s.StallAtMs >= 0 ? _s.StallAtMs + _s.StallMs : 0;
        Advance((int)Math.Max(12_000, stallEnd + 12_000 - _clock.Now));
        string violation = Check(verdict, out string active, out bool started, out bool reported);
        string dump = null;
        if (violation == null && !_cut && _s.StallAtMs < 0)
        {
            dump = DumpCheck();
            if (dump.StartsWith("differs", StringComparison.Ordinal)) violation = "dump " + dump;
        }
        return new FaultOutcome(_s, ok, message, active, _reset, started, reported, HostOnlyReport, violation, _uart.Log, _clock.Now,
            _dropped, _flipped, _duplicated, _reordered, _stalled, _cut,
            verdict == Verdict.Unknown, _lostReplies, _staleNaks, _noiseSent, _lateDuplicates, _uart.Log.Contains("update failed: no-memory"), dump);
    }

    // ---- the host: the trainer's own ModelDeployer and DeviceLink, in virtual time --------------

    private readonly Queue<byte> _hostIn = new();
    private readonly List<byte[]> _toDeviceNoise = new();
    private DeviceLink _link;

    /// <summary>The host's serial port: reads step the simulation until bytes arrive or the timeout passes.</summary>
    private sealed class SimLink(UpdateFaultInjection sim) : EdgeNet.Trainer.Device.IByteLink
    {
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            long end = sim._clock.Now + Math.Max(timeoutMs, 1);
            while (sim._hostIn.Count == 0 && sim._clock.Now < end) sim.Step();
            int n = 0;
            while (n < count && sim._hostIn.Count > 0) buffer[offset + n++] = sim._hostIn.Dequeue();
            return n;
        }

        public void Write(byte[] buffer, int offset, int count) => sim._uart.FromHost(buffer.AsSpan(offset, count).ToArray());

        public void Dispose() { }
    }

    private enum Verdict { Done, Failed, Unknown }

    private (Verdict, string) Deploy()
    {
        _link = new DeviceLink(new SimLink(this)) { TimeoutMs = HostTimeoutMs, Retries = Retries, Clock = () => _clock.Now };
        try
        {
            var r = ModelDeployer.Deploy(_link, _new, "b.enet", Chunk);
            return (Verdict.Done, r.Done);
        }
        catch (DeployOutcomeUnknownException e) { return (Verdict.Unknown, e.Message); }
        catch (DeviceLinkException e) { return (Verdict.Failed, e.Message); }
    }

    private void HostReceive(byte[] bytes)
    {
        foreach (byte b in bytes) _hostIn.Enqueue(b);
    }

    /// <summary>After the update: the device's layers on three rows through the same faulty line, compared with the host's.</summary>
    private string DumpCheck()
    {
        try
        {
            byte[] file = ModelDeployer.Pull(_link, LinkProtocol.TargetModel);
            var m = EdgeNet.Format.ModelReader.Read(file, file.Length, int.MaxValue, out _)!;
            for (int row = 0; row < 3; row++)
            {
                var c = DeviceDump.Compare(_link, file, m, TestModels.Rows, row);
                if (c == null || !c.Identical) return $"differs: {c}";
            }
            return "identical";
        }
        catch (DeviceLinkException e) { return "link failed: " + e.Message; }
    }

    // ---- virtual time and the device -------------------------------------------------------------

    private void Advance(int ms)
    {
        long end = _clock.Now + ms;
        while (_clock.Now < end) Step();
    }

    private void Step()
    {
        _clock.Now += StepMs;
        if (_s.NoiseAtMs >= 0 && _noiseSent == 0 && _clock.Now >= _s.NoiseAtMs)
        {
            // A burst of line noise into the device's receiver (and a little back to the host).
            byte[] noise = EdgeNet.Tests.Firmware.HostLinkTests.Noise(_s.Seed, _s.NoiseBytes);
            _noiseSent = noise.Length;
            _uart.Noise(noise);
        }
        _uart.Deliver(_clock.Now);
        _device.Poll();
        if (_storage.PoweredOff)
        {
            // Power lost during a flash write: what the device "sent" after that never left it; it boots
            // again from whatever the flash holds.
            _uart.DropDeviceOutputOfThisStep();
            _uart.ClearReceiveBuffer(); // a reset empties the UART's FIFO
            _reset = true;
            _traceLostInReset |= !_storage.Names().Contains("model.new");
            _device.Dispose();
            _storage = _storage.Reboot();
            _device = NewDevice(_storage);
        }
        _uart.EndStep();
        byte[] toHost = _uart.TakeForHost(_clock.Now);
        if (toHost.Length > 0) HostReceive(toHost);
    }

    // ---- the wire ----------------------------------------------------------------------------------

    /// <summary>The device's UART: host frames arrive with the schedule's faults; device output goes back the same way.</summary>
    public sealed class VirtualUart(UpdateFaultInjection sim)
    {
        private readonly List<(long At, long Order, byte[] Bytes)> _toDevice = new(), _toHost = new();
        private readonly Queue<byte> _rx = new();
        private readonly List<byte> _stepOutput = new();
        private readonly StringBuilder _log = new();
        private long _order, _hostBytes;

        /// <summary>Every text line the device wrote (its report), whatever the wire did to it.</summary>
        public string Log => _log.ToString();

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = 0;
            while (n < count && _rx.Count > 0) buffer[offset + n++] = _rx.Dequeue();
            return n;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++) _stepOutput.Add(buffer[offset + i]);
        }

        public void Noise(byte[] bytes)
        {
            sim._toDeviceNoise.Add(bytes);
            _toHost.Add((sim._clock.Now + 1, _order++, bytes.Take(bytes.Length / 8).ToArray()));
        }

        public void FromHost(byte[] frame)
        {
            FaultSchedule s = sim._s;
            if (s.CutAtByte >= 0 && _hostBytes + frame.Length > s.CutAtByte)
            {
                int keep = (int)Math.Max(0, s.CutAtByte - _hostBytes);
                sim._cut = true;
                frame = frame.AsSpan(0, keep).ToArray();
            }
            _hostBytes += frame.Length;
            Send(_toDevice, frame);
            if (frame.Length > 0 && sim._rng.NextDouble() < s.LateDuplicate)
            {
                // A copy that arrives long after (a buffering adapter, a retry of the OS driver).
                sim._lateDuplicates++;
                _toDevice.Add((sim._clock.Now + sim._rng.Next(500, 5000), _order++, frame));
            }
        }

        public void DropDeviceOutputOfThisStep() => _stepOutput.Clear();

        public void ClearReceiveBuffer() => _rx.Clear();

        public void EndStep()
        {
            if (_stepOutput.Count == 0) return;
            byte[] bytes = _stepOutput.ToArray();
            _stepOutput.Clear();
            foreach (byte b in bytes) if (b != LinkProtocol.Start) _log.Append((char)b);
            // Text lines and frames alike travel the faulty wire (a cut line carries nothing back).
            if (sim._cut) return;
            FaultSchedule s = sim._s;
            if (s.ReplyLoss > 0 && bytes.Contains(LinkProtocol.Start) && sim._rng.NextDouble() < s.ReplyLoss)
            {
                sim._lostReplies++;
                return;
            }
            Send(_toHost, bytes);
            if (s.StaleNak > 0 && sim._rng.NextDouble() < s.StaleNak)
            {
                // A Nak the host must not take for the answer to its frame: another sequence number.
                sim._staleNaks++;
                var nak = new byte[LinkProtocol.MaxFrame];
                byte[] payload = [(byte)(sim._rng.Next(2) == 0 ? LinkError.BadFrame : LinkError.OutOfOrder), (byte)'x'];
                int n = FrameEncoder.Encode(LinkProtocol.Nak, 100 + sim._rng.Next(1000), payload, 0, payload.Length, nak);
                _toHost.Add((sim._clock.Now + 1 + sim._rng.Next(0, 30), _order++, nak.AsSpan(0, n).ToArray()));
            }
        }

        private void Send(List<(long, long, byte[])> queue, byte[] bytes)
        {
            FaultSchedule s = sim._s;
            Random rng = sim._rng;
            if (bytes.Length == 0) return;
            long at = sim._clock.Now + 1;
            if (rng.NextDouble() < s.Drop)
            {
                sim._dropped++;
                if (rng.Next(2) == 0) return; // the whole frame
                bytes = bytes.Where((_, i) => i != rng.Next(bytes.Length)).ToArray(); // or one byte of it
            }
            if (rng.NextDouble() < s.Flip)
            {
                sim._flipped++;
                bytes = (byte[])bytes.Clone();
                bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            }
            if (rng.NextDouble() < s.Reorder)
            {
                sim._reordered++;
                at += rng.Next(20, 400); // later frames overtake this one
            }
            queue.Add((at, _order++, bytes));
            if (rng.NextDouble() < s.Duplicate)
            {
                sim._duplicated++;
                queue.Add((at + rng.Next(0, 50), _order++, bytes));
            }
        }

        private bool Stalled(long now)
        {
            FaultSchedule s = sim._s;
            bool stalled = s.StallAtMs >= 0 && now >= s.StallAtMs && now < s.StallAtMs + s.StallMs;
            if (stalled) sim._stalled = true;
            return stalled;
        }

        public void Deliver(long now)
        {
            foreach (byte[] n in sim._toDeviceNoise) foreach (byte b in n) _rx.Enqueue(b);
            sim._toDeviceNoise.Clear();
            if (Stalled(now)) return;
            foreach (var item in Due(_toDevice, now)) foreach (byte b in item) _rx.Enqueue(b);
        }

        public byte[] TakeForHost(long now) => Stalled(now) ? [] : Due(_toHost, now).SelectMany(b => b).ToArray();

        private static List<byte[]> Due(List<(long At, long Order, byte[] Bytes)> queue, long now)
        {
            var due = queue.Where(q => q.At <= now).OrderBy(q => q.At).ThenBy(q => q.Order).ToList();
            queue.RemoveAll(q => q.At <= now);
            return due.Select(q => q.Bytes).ToList();
        }
    }

    // ---- the promises --------------------------------------------------------------------------------

    private string Check(Verdict verdict, out string active, out bool started, out bool reported)
    {
        bool hostOk = verdict == Verdict.Done;
        string log = _uart.Log;
        started = log.Contains("receiving a model");
        reported = log.Contains("update failed: ") || log.Contains("update aborted by the host") || log.Contains("update was interrupted");
        active = (string)_device.ModelName;
        // Completed: the device said so, or a reset cut its "active" line after the swap was done.
        bool completed = log.Contains("model " + _newName + " active") || active == _newName;

        if (active == null) return "no working model";
        byte[] file = _storage.File("model.enet");
        if (active != _oldName && active != _newName) return $"unexpected active model {active}";
        byte[] expected = active == _newName ? _new : _old;
        if (file == null || !file.AsSpan().SequenceEqual(expected)) return $"active model {active} but model.enet differs from it";
        if (hostOk && active != _newName) return "host was told Done but the old model is active";
        if (verdict == Verdict.Failed && active == _newName) return "host reported a failure but the new model is active";

        // A reboot must give the same model from flash.
        using (var rebooted = NewDevice(_storage.Reboot()))
        {
            if ((string)rebooted.ModelName != active) return $"after a reboot the model is {rebooted.ModelName}, was {active}";
            if (rebooted.Source != "flash") return $"after a reboot the model comes from {rebooted.Source}";
        }
        // The device still classifies with it.
        int before = _device.Firmware.Pipeline.Classifications;
        Advance(200);
        if (_device.Firmware.Pipeline.Classifications <= before) return "the device stopped classifying";

        // Every update that did not complete is reported by the device (unless it never began there).
        if (started && !completed && !reported)
        {
            // A reset that struck while no partial file existed (between deleting one and creating the
            // next) leaves the device nothing to find at boot: only the host can report that abort.
            if (_reset && _traceLostInReset && !hostOk) { HostOnlyReport = true; return null; }
            return "an aborted update was not reported by the device";
        }
        return null;
    }
}
