using EdgeNet.Format;
using EdgeNet.Link;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Trainer.Fleet;

/// <summary>How a staged rollout runs (`edgenet fleet deploy`).</summary>
public sealed record RolloutOptions(
    string Group,
    double CanaryFraction = 0.05,
    TimeSpan? Health = null,
    int MaxFailures = 1,
    int Parallel = 16,
    int ChunkSize = LinkProtocol.DefaultChunk,
    int TimeoutMs = 3000,
    int Retries = 10,
    int DeployAttempts = 3);

/// <summary>One device's part in a rollout.</summary>
public sealed record DeviceOutcome(string Device, bool Canary, uint? PreviousCrc, bool Updated, bool Healthy, bool RolledBack, string Error);

/// <summary>What a rollout did.</summary>
public sealed record RolloutResult(bool Halted, string Reason, IReadOnlyList<DeviceOutcome> Devices, TimeSpan Elapsed)
{
    public int Updated => Devices.Count(d => d.Updated && d.Healthy && !d.RolledBack);
    public int Failed => Devices.Count(d => d.Error != null);
}

/// <summary>
/// A staged rollout of one signed model to a group over MQTT: canaries first (a fraction of the group,
/// at least one), each deployed with the serial protocol's host end over its MQTT link; then the health
/// check (within the health window every canary reports the new CRC in its status and classifies after
/// the update); on more than MaxFailures failures the rollout halts and every device it changed gets its
/// previous model back (the host read it from the device before the update). Otherwise the rest of the
/// group follows, in parallel, under the same failure rule.
/// </summary>
public sealed class Rollout(FleetHost host, byte[] fleetKey, Action<string> log = null)
{
    /// <summary>Called with (devices done, devices in the stage, stage name) as the rollout goes.</summary>
    public Action<int, int, string> Progress { get; set; }

    private int _retried;

    /// <summary>Deploys that were tried again after a transient failure (lost connection, reboot).</summary>
    public int Retried => _retried;

    /// <summary>Previous models by CRC-32, read from the devices before they were updated.</summary>
    public Dictionary<uint, byte[]> Previous { get; } = [];

    public RolloutResult Run(byte[] model, string fileName, RolloutOptions o, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (ModelReader.Read(model, model.Length, int.MaxValue, out string error) == null) throw new DeviceLinkException($"{fileName}: {error}");
        uint crc = Crc32.Compute(model, 0, model.Length);
        string[] members = host.Statuses.Values.Where(s => s.Group == o.Group).Select(s => s.Device).Order(StringComparer.Ordinal).ToArray();
        if (members.Length == 0) throw new DeviceLinkException($"no device of group '{o.Group}' has published a status on the broker");
        int canaries = Math.Clamp((int)Math.Ceiling(members.Length * o.CanaryFraction), 1, members.Length);
        var outcomes = new Dictionary<string, DeviceOutcome>();

        log?.Invoke($"group {o.Group}: {members.Length} devices, {canaries} canaries, model {fileName} crc 0x{crc:X8}");
        if (!Stage(members[..canaries], true, model, fileName, crc, o, outcomes, "canaries", cancel))
            return Halt(outcomes, o, fileName, "canaries failed", clock);
        if (!Stage(members[canaries..], false, model, fileName, crc, o, outcomes, "rest of the group", cancel))
            return Halt(outcomes, o, fileName, "the rest of the group failed", clock);
        return new RolloutResult(false, null, outcomes.Values.OrderBy(d => d.Device, StringComparer.Ordinal).ToList(), clock.Elapsed);
    }

    // Deploys to the devices (o.Parallel at a time), then checks their health; false when failures exceed the limit.
    private bool Stage(string[] devices, bool canary, byte[] model, string fileName, uint crc, RolloutOptions o, Dictionary<string, DeviceOutcome> outcomes, string stage, CancellationToken cancel)
    {
        if (devices.Length == 0) return true;
        int done = 0;
        Parallelize(devices, o.Parallel, device =>
        {
            DeviceStatus before = host.Statuses.GetValueOrDefault(device);
            uint? previous = before?.Crc;
            string failure = null;
            bool updated = false;
            try
            {
                if (previous == crc) updated = true; // already runs it (a repeated rollout)
                else
                {
                    // A lost connection or a reboot mid-transfer is retried (the device resumes or starts
                    // afresh); a refusal (the device checked the file and said no) is final.
                    for (int attempt = 1; ; attempt++)
                    {
                        try
                        {
                            if (previous is uint p) Remember(device, p, o);
                            ModelDeployer.Deploy(NewLink(device, o), model, fileName, o.ChunkSize, cancel: cancel, fleetKey: fleetKey);
                            break;
                        }
                        catch (DeviceLinkException e) when (attempt < o.DeployAttempts && !e.Message.StartsWith("device refused", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref _retried);
                            Thread.Sleep(500 * attempt);
                        }
                    }
                    updated = true;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = e.Message;
            }
            lock (outcomes)
            {
                outcomes[device] = new DeviceOutcome(device, canary, previous, updated, false, false, failure);
                Progress?.Invoke(++done, devices.Length, stage + " (deploy)");
            }
        });
        // Health: the device's own status says it runs the new CRC and it classified after the update.
        TimeSpan window = o.Health ?? TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + window;
        var pending = devices.Where(d => outcomes[d].Updated).ToHashSet();
        var updateTime = DateTime.UtcNow;
        var baseline = new Dictionary<string, DeviceStatus>();
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (string d in pending.ToArray())
            {
                DeviceStatus s = host.Statuses.GetValueOrDefault(d);
                if (s == null || s.Crc != crc || s.ReceivedUtc < updateTime) continue;
                // The first status with the new CRC is the baseline; a later one with more classifications shows it classifies.
                // A reboot since (uptime went down) restarts the count: that status is the new baseline.
                if (!baseline.TryGetValue(d, out DeviceStatus first) || s.UptimeMs < first.UptimeMs) { baseline[d] = s; continue; }
                if (s.Classifications > first.Classifications)
                {
                    pending.Remove(d);
                    lock (outcomes) outcomes[d] = outcomes[d] with { Healthy = true };
                }
            }
            if (pending.Count > 0) Thread.Sleep(200);
        }
        foreach (string d in pending) lock (outcomes) outcomes[d] = outcomes[d] with { Error = $"not healthy within {window.TotalSeconds:0.#} s (its status does not show crc 0x{crc:X8} classifying)" };
        int failures = devices.Count(d => outcomes[d].Error != null);
        foreach (string d in devices.Where(d => outcomes[d].Error != null)) log?.Invoke($"  {d}: {outcomes[d].Error}");
        log?.Invoke($"{stage}: {devices.Length - failures} of {devices.Length} updated and healthy, {failures} failed");
        return failures <= o.MaxFailures;
    }

    private void Remember(string device, uint previousCrc, RolloutOptions o)
    {
        lock (Previous) if (Previous.ContainsKey(previousCrc)) return;
        byte[] bytes = ModelDeployer.Pull(NewLink(device, o), LinkProtocol.TargetModel);
        lock (Previous) Previous[previousCrc] = bytes;
    }

    private RolloutResult Halt(Dictionary<string, DeviceOutcome> outcomes, RolloutOptions o, string fileName, string reason, System.Diagnostics.Stopwatch clock)
    {
        log?.Invoke($"halted: {reason}; rolling back the devices this rollout changed");
        var changed = outcomes.Values.Where(d => d.Updated && d.PreviousCrc is uint p && Previous.ContainsKey(p)).ToArray();
        int done = 0;
        Parallelize(changed.Select(d => d.Device).ToArray(), o.Parallel, device =>
        {
            DeviceOutcome d;
            lock (outcomes) d = outcomes[device];
            string error = d.Error;
            bool rolledBack = false;
            try
            {
                ModelDeployer.Deploy(NewLink(device, o), Previous[d.PreviousCrc.Value], $"previous model 0x{d.PreviousCrc:X8}", o.ChunkSize, fleetKey: fleetKey);
                rolledBack = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = (error == null ? "" : error + "; ") + "rollback failed: " + e.Message;
            }
            lock (outcomes)
            {
                outcomes[device] = d with { RolledBack = rolledBack, Error = error };
                Progress?.Invoke(++done, changed.Length, "rollback");
            }
        });
        return new RolloutResult(true, reason, outcomes.Values.OrderBy(d => d.Device, StringComparer.Ordinal).ToList(), clock.Elapsed);
    }

    private DeviceLink NewLink(string device, RolloutOptions o)
    {
        MqttDeviceLink l = host.Link(device);
        l.Clear();
        return new DeviceLink(l) { TimeoutMs = o.TimeoutMs, Retries = o.Retries };
    }

    /// <summary>Runs work for each item on its own threads (the protocol's host end blocks while it waits for answers).</summary>
    public static void Parallelize(string[] items, int parallel, Action<string> work)
    {
        int next = -1;
        var threads = Enumerable.Range(0, Math.Min(Math.Max(1, parallel), Math.Max(1, items.Length))).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Length) work(items[i]);
        })).ToArray();
        foreach (Thread t in threads) t.Start();
        foreach (Thread t in threads) t.Join();
    }
}
