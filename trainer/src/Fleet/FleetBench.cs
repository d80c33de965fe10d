using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeNet.Format;
using EdgeNet.Link;
using EdgeNet.Trainer.Benchmarks;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Fleet.Simulation;

namespace EdgeNet.Trainer.Fleet;

/// <summary>What `bench fleet` runs: device count, groups, faults.</summary>
public sealed record FleetBenchOptions(int Devices = 200, int Groups = 4, double Duplicate = 0.02, double Delay = 0.02, double Corrupt = 0.01,
    int DisturbEveryMs = 400, bool RestartBroker = true, int PollThreads = 2, int Seed = 16);

/// <summary>
/// The fleet scale and fault run (docs/fleet.md, "bench fleet"): one mosquitto (TLS, passwords, ACL), N
/// simulated devices (the nanoFramework-compiled firmware core on CoreCLR, one MQTT connection each) in
/// groups, the last group with boards whose sensors the new model cannot bind. Every group gets a staged
/// rollout of a signed model while the broker restarts once, devices drop their connection or reboot at
/// random, and their network duplicates, delays and corrupts messages; an intruder with the operator's
/// broker account but no fleet key tries unsigned and wrongly signed models. Then every device's real state
/// is compared with what the host believes.
/// </summary>
public static class FleetBench
{
    public static JsonObject Run(DeviceAssembly device, FleetBenchOptions o, Action<string> log)
    {
        byte[] key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        string[] odd = ["pressure", "wind", "rain"];
        byte[] a = SimulatedFleet.Model(1, "model-a"), aOdd = SimulatedFleet.Model(1, "model-a", odd), b = SimulatedFleet.Model(2, "model-b"), evil = SimulatedFleet.Model(3, "model-evil");
        uint crcA = Crc(a), crcAOdd = Crc(aOdd), crcB = Crc(b), crcEvil = Crc(evil);
        var devices = Enumerable.Range(0, o.Devices).Select(i => (Device: $"d{i:0000}", Group: $"g{i % o.Groups + 1}")).ToList();
        string oddGroup = $"g{o.Groups}";
        var machine = Stamp.Machine(Stamp.FindRepoRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory());
        using var broker = new MosquittoBroker(devices);
        var faults = new NetworkFaults(o.Duplicate, o.Delay, o.Corrupt);
        var fleet = new SimulatedFleet(device, broker, devices.Select(d => (d.Device, d.Group,
            SimulatedFleet.Config(d.Device, d.Group, key, d.Group == oddGroup ? odd : null), d.Group == oddGroup ? aOdd : a)), faults, o.Seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        fleet.ConnectAllAsync().GetAwaiter().GetResult();
        log($"{o.Devices} devices connected in {clock.Elapsed.TotalSeconds:0.0} s");
        fleet.Start(o.PollThreads);
        using FleetHost host = FleetHost.ConnectAsync(broker.Operator, "bench-operator").GetAwaiter().GetResult();
        while (host.Statuses.Count < o.Devices && clock.Elapsed.TotalSeconds < 120) Thread.Sleep(200);
        log($"{host.Statuses.Count} statuses received");

        // Faults while the rollouts run.
        using var stop = new CancellationTokenSource();
        var random = new Random(o.Seed);
        int brokerRestarts = 0;
        var disturber = new Thread(() =>
        {
            var start = System.Diagnostics.Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                stop.Token.WaitHandle.WaitOne(o.DisturbEveryMs);
                if (stop.IsCancellationRequested) break;
                if (o.RestartBroker && brokerRestarts == 0 && start.Elapsed.TotalSeconds > 8)
                {
                    log("fault: broker restart");
                    broker.Restart();
                    brokerRestarts++;
                    continue;
                }
                try { fleet.Disturb(random); }
                catch (Exception) { /* a device mid-reconnect */ }
            }
        }) { IsBackground = true };

        long sentBefore = host.Sent, bytesBefore = host.SentBytes, receivedBefore = host.Received, receivedBytesBefore = host.ReceivedBytes;
        long devSentBefore = fleet.Devices.Sum(d => d.Sent), devBytesBefore = fleet.Devices.Sum(d => d.SentBytes + d.ReceivedBytes), devRecvBefore = fleet.Devices.Sum(d => d.Received);
        var rolloutClock = System.Diagnostics.Stopwatch.StartNew();
        disturber.Start();
        var results = new List<(string Group, RolloutResult Result, int Retried)>();
        for (int g = 1; g <= o.Groups; g++)
        {
            var rollout = new Rollout(host, key, line => log("  " + line));
            RolloutResult r = rollout.Run(b, "model-b.enet", new RolloutOptions($"g{g}", 0.05, TimeSpan.FromSeconds(45), 1, Parallel: 16, TimeoutMs: 4000, Retries: 12, DeployAttempts: 4));
            results.Add(($"g{g}", r, rollout.Retried));
            log($"g{g}: {(r.Halted ? "halted (" + r.Reason + ")" : "done")}, {r.Updated} updated, {r.Failed} failed, {r.Elapsed.TotalSeconds:0.0} s");
        }
        double rolloutSeconds = rolloutClock.Elapsed.TotalSeconds;

        // The intruder: the operator's broker account, no fleet key.
        int intruderAttempts = 0;
        foreach (SimulatedDevice d in fleet.Devices.Take(10))
        {
            var link = new DeviceLink(host.Link(d.Name)) { TimeoutMs = 3000, Retries = 6 };
            foreach (byte[] k in new[] { null, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) })
            {
                intruderAttempts++;
                try { ModelDeployer.Deploy(link, evil, "evil.enet", fleetKey: k); }
                catch (DeviceLinkException) { }
            }
        }
        stop.Cancel();
        disturber.Join();

        // Quiet: every device reconnected and republished its status (interval 2 s), then compare.
        Thread.Sleep(6000);
        var unconnected = fleet.Devices.Where(d => !d.Connected).Select(d => d.Name).ToArray();
        Thread.Sleep(3000);
        int noModel = 0, corrupt = 0, unsigned = 0, mismatch = 0, runningB = 0, expectedB = 0;
        var mismatches = new List<string>();
        foreach (SimulatedDevice d in fleet.Devices)
        {
            var (model, crc) = d.Running;
            if (model == null) noModel++;
            if (crc != crcA && crc != crcAOdd && crc != crcB && crc != crcEvil) corrupt++;
            if (crc == crcEvil) unsigned++;
            if (crc == crcB) runningB++;
            if (d.Group != oddGroup) expectedB++;
            DeviceStatus s = host.Statuses.GetValueOrDefault(d.Name);
            if (s == null || s.Crc != crc || s.Model != model) { mismatch++; mismatches.Add($"{d.Name}: real {model} {crc:X8}, reported {s?.Model} {s?.Crc:X8}"); }
        }
        foreach (string m in mismatches.Take(5)) log("mismatch: " + m);
        long devMessages = fleet.Devices.Sum(d => d.Sent + d.Received) - devSentBefore - devRecvBefore;
        long devBytes = fleet.Devices.Sum(d => d.SentBytes + d.ReceivedBytes) - devBytesBefore;
        Stamp.Finish(machine);
        var json = new JsonObject
        {
            ["machine"] = machine,
            ["devices"] = o.Devices,
            ["groups"] = o.Groups,
            ["odd_group"] = oddGroup,
            ["model_bytes"] = b.Length,
            ["faults"] = new JsonObject
            {
                ["broker_restarts"] = brokerRestarts,
                ["disconnects"] = fleet.Disconnects,
                ["reboots"] = fleet.Reboots,
                ["duplicated_messages"] = fleet.Devices.Sum(d => d.DuplicatedMessages),
                ["delayed_messages"] = fleet.Devices.Sum(d => d.DelayedMessages),
                ["corrupted_messages"] = fleet.Devices.Sum(d => d.CorruptedMessages),
                ["intruder_attempts"] = intruderAttempts,
                ["host_reconnects"] = host.Reconnects,
            },
            ["rollouts"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["group"] = r.Group,
                ["halted"] = r.Result.Halted,
                ["reason"] = r.Result.Reason,
                ["devices"] = r.Result.Devices.Count,
                ["canaries"] = r.Result.Devices.Count(d => d.Canary),
                ["updated"] = r.Result.Updated,
                ["failed"] = r.Result.Failed,
                ["rolled_back"] = r.Result.Devices.Count(d => d.RolledBack),
                ["deploys_retried"] = r.Retried,
                ["seconds"] = Math.Round(r.Result.Elapsed.TotalSeconds, 1),
            }).ToArray()),
            ["devices_running_new_model"] = runningB,
            ["devices_expected_on_new_model"] = expectedB,
            ["rollout_wall_seconds"] = Math.Round(rolloutSeconds, 1),
            ["messages_per_device"] = Math.Round((double)devMessages / o.Devices, 1),
            ["bytes_per_device"] = Math.Round((double)devBytes / o.Devices),
            ["operator_messages"] = host.Sent - sentBefore + host.Received - receivedBefore,
            ["operator_bytes"] = host.SentBytes - bytesBefore + host.ReceivedBytes - receivedBytesBefore,
            ["without_working_model"] = noModel,
            ["corrupt"] = corrupt,
            ["unsigned_accepted"] = unsigned,
            ["state_mismatches"] = mismatch,
            ["unconnected_at_check"] = unconnected.Length,
        };
        fleet.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return json;
    }

    /// <summary>The rollout and outcome tables (results file and docs/fleet.md's generated block).</summary>
    public static string Table(JsonObject r)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine("| group | devices | canaries | result | updated | failed | rolled back | deploys retried | seconds |");
        s.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (JsonNode g in r["rollouts"]!.AsArray())
            s.AppendLine($"| {g!["group"]} | {g["devices"]} | {g["canaries"]} | {((bool)g["halted"]! ? "halted: " + g["reason"] : "done")} | {g["updated"]} | {g["failed"]} | {g["rolled_back"]} | {g["deploys_retried"]} | {((double)g["seconds"]!).ToString("0.0", inv)} |");
        s.AppendLine();
        s.AppendLine("| measure | value |").AppendLine("|---|---:|");
        s.AppendLine($"| simulated devices, groups | {r["devices"]}, {r["groups"]} ({r["odd_group"]} cannot bind the new model) |");
        s.AppendLine($"| devices updated to the new model | {r["devices_running_new_model"]} of {r["devices_expected_on_new_model"]} that can run it |");
        s.AppendLine($"| rollout wall time (all groups) | {((double)r["rollout_wall_seconds"]!).ToString("0.0", inv)} s |");
        s.AppendLine($"| MQTT messages per device (sent + received) | {((double)r["messages_per_device"]!).ToString("0.0", inv)} |");
        s.AppendLine($"| MQTT payload bytes per device | {r["bytes_per_device"]} |");
        var f = r["faults"]!.AsObject();
        s.AppendLine($"| faults: broker restarts, disconnects, reboots | {f["broker_restarts"]}, {f["disconnects"]}, {f["reboots"]} |");
        s.AppendLine($"| faults: duplicated, delayed, corrupted messages | {f["duplicated_messages"]}, {f["delayed_messages"]}, {f["corrupted_messages"]} |");
        s.AppendLine($"| unsigned or wrongly signed deploys tried | {f["intruder_attempts"]} |");
        s.AppendLine($"| devices without a working model | {r["without_working_model"]} |");
        s.AppendLine($"| devices running a corrupt model | {r["corrupt"]} |");
        s.AppendLine($"| unsigned or wrongly signed models accepted | {r["unsigned_accepted"]} |");
        s.AppendLine($"| devices whose reported state differs from their real state | {r["state_mismatches"]} |");
        s.AppendLine($"| devices not connected at the check | {r["unconnected_at_check"]} |");
        return s.ToString();
    }

    private static uint Crc(byte[] f) => Crc32.Compute(f, 0, f.Length);

    public static string Markdown(JsonObject r)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine("# Fleet scale and fault run (`edgenet bench fleet`)").AppendLine();
        s.AppendLine(Stamp.Line(r["machine"]!.AsObject())).AppendLine();
        s.AppendLine($"{r["devices"]} simulated devices (the nanoFramework-compiled firmware core on CoreCLR, one MQTT connection each, TLS, " +
            $"password and ACL) against one local mosquitto; {r["groups"]} groups, group {r["odd_group"]} has boards whose sensors the new model " +
            $"cannot bind. Model {r["model_bytes"]} bytes, signed with HMAC-SHA-256. Where: CoreCLR on this machine, not on an ESP32.").AppendLine();
        var f = r["faults"]!.AsObject();
        s.AppendLine($"Faults injected: {f["broker_restarts"]} broker restart, {f["disconnects"]} device disconnects, {f["reboots"]} reboots, " +
            $"{f["duplicated_messages"]} duplicated, {f["delayed_messages"]} delayed and {f["corrupted_messages"]} corrupted messages, " +
            $"{f["intruder_attempts"]} unsigned or wrongly signed deploys; the host reconnected {f["host_reconnects"]} times.").AppendLine();
        s.Append(Table(r));
        return s.ToString();
    }
}
