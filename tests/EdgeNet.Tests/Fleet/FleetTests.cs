using System.Security.Cryptography;
using System.Text;
using EdgeNet.Format;
using EdgeNet.Link;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Fleet;
using EdgeNet.Trainer.Fleet.Simulation;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeNet.Tests.Fleet;

/// <summary>
/// The fleet over a real mosquitto on loopback (started here: TLS with certificates made by openssl,
/// password file, ACL), with simulated devices that are the nanoFramework-compiled firmware core on CoreCLR,
/// each with its own MQTT connection.
/// </summary>
[Collection("fleet")]
public class FleetTests
{
    private static readonly byte[] Key = Convert.FromHexString("5c0ffee05c0ffee05c0ffee05c0ffee01122334455667788990011223344556677");
    private static readonly byte[] A = SimulatedFleet.Model(1, "model-a");
    private static readonly byte[] B = SimulatedFleet.Model(2, "model-b");
    private static uint Crc(byte[] f) => Crc32.Compute(f, 0, f.Length);

    private static void NeedMosquitto() =>
        Assert.True(MosquittoBroker.Available(), "mosquitto and mosquitto_passwd are needed (apt-get install mosquitto; .ci/run installs it)");

    private sealed class Rig : IAsyncDisposable
    {
        public MosquittoBroker Broker = null!;
        public SimulatedFleet Fleet = null!;
        public FleetHost Host = null!;

        public static async Task<Rig> Start(IEnumerable<(string Device, string Group, string[]? Sensors)> devices, byte[]? key = null, string? extraUser = null, string? extraPassword = null)
        {
            NeedMosquitto();
            var list = devices.ToList();
            var rig = new Rig { Broker = new MosquittoBroker(list.Select(d => (d.Device, d.Group)), extraUser, extraPassword) };
            rig.Fleet = new SimulatedFleet(DeviceBuild.Assembly, rig.Broker,
                list.Select(d => (d.Device, d.Group, SimulatedFleet.Config(d.Device, d.Group, key ?? Key, d.Sensors), d.Sensors == null ? A : SimulatedFleet.Model(1, "model-a", d.Sensors))));
            await rig.Fleet.ConnectAllAsync();
            rig.Fleet.Start();
            rig.Host = await FleetHost.ConnectAsync(rig.Broker.Operator, "operator-test");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (rig.Host.Statuses.Count < list.Count && clock.ElapsedMilliseconds < 20000) await Task.Delay(100);
            Assert.Equal(list.Count, rig.Host.Statuses.Count);
            return rig;
        }

        public async ValueTask DisposeAsync()
        {
            Host?.Dispose();
            if (Fleet != null) await Fleet.DisposeAsync();
            Broker?.Dispose();
        }
    }

    private static async Task<DeviceStatus> FreshStatus(FleetHost host, string device, Func<DeviceStatus, bool> until, int ms = 15000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < ms)
        {
            if (host.Statuses.TryGetValue(device, out var s) && until(s)) return s;
            await Task.Delay(100);
        }
        return host.Statuses[device];
    }

    [Fact]
    public async Task A_canary_rollout_updates_the_group_and_only_the_group()
    {
        var devices = Enumerable.Range(1, 8).Select(i => ($"north-{i:00}", "north", (string[]?)null))
            .Concat(Enumerable.Range(1, 4).Select(i => ($"south-{i:00}", "south", (string[]?)null))).ToList();
        await using Rig rig = await Rig.Start(devices);
        var log = new List<string>();
        var rollout = new Rollout(rig.Host, Key, log.Add);
        RolloutResult r = rollout.Run(B, "model-b.enet", new RolloutOptions("north", CanaryFraction: 0.25, Health: TimeSpan.FromSeconds(20), MaxFailures: 0));
        Assert.False(r.Halted, string.Join("\n", log));
        Assert.Equal(8, r.Updated);
        Assert.Equal(2, r.Devices.Count(d => d.Canary));
        foreach (SimulatedDevice d in rig.Fleet.Devices)
        {
            uint want = d.Group == "north" ? Crc(B) : Crc(A);
            Assert.Equal(want, d.Running.Crc);
            DeviceStatus s = await FreshStatus(rig.Host, d.Name, x => x.Crc == want);
            Assert.Equal(want, s.Crc);
            Assert.Equal(d.Running.Model, s.Model);
        }
        // The host read model A back from a canary before updating it: that is what a rollback would send.
        Assert.Equal(A, rollout.Previous[Crc(A)]);
    }

    [Fact]
    public async Task A_failing_canary_halts_the_rollout_and_the_other_canary_gets_its_old_model_back()
    {
        // mix-02's board has other sensors: model B (temp, light, hum) cannot bind there and is refused.
        var devices = new List<(string, string, string[]?)>
        {
            ("mix-01", "mix", null), ("mix-02", "mix", ["pressure", "wind", "rain"]), ("mix-03", "mix", null), ("mix-04", "mix", null),
        };
        await using Rig rig = await Rig.Start(devices);
        var log = new List<string>();
        RolloutResult r = new Rollout(rig.Host, Key, log.Add).Run(B, "model-b.enet", new RolloutOptions("mix", CanaryFraction: 0.5, Health: TimeSpan.FromSeconds(20), MaxFailures: 0));
        Assert.True(r.Halted, string.Join("\n", log));
        DeviceOutcome one = r.Devices.Single(d => d.Device == "mix-01"), two = r.Devices.Single(d => d.Device == "mix-02");
        Assert.True(one.Updated && one.RolledBack, one.ToString());
        Assert.Contains("unbound-input", two.Error);
        Assert.DoesNotContain(r.Devices, d => d.Device is "mix-03" or "mix-04");
        // Every device runs the model it ran before (mix-02 its own sensors' model A).
        Assert.Equal(Crc(A), rig.Fleet.Devices[0].Running.Crc);
        Assert.Equal(Crc(SimulatedFleet.Model(1, "model-a", ["pressure", "wind", "rain"])), rig.Fleet.Devices[1].Running.Crc);
        Assert.Equal(Crc(A), rig.Fleet.Devices[2].Running.Crc);
        Assert.Equal(Crc(A), rig.Fleet.Devices[3].Running.Crc);
    }

    [Fact]
    public async Task The_fleet_commands_show_status_roll_out_and_roll_back()
    {
        var devices = Enumerable.Range(1, 6).Select(i => ($"west-{i}", "west", (string[]?)null)).ToList();
        await using Rig rig = await Rig.Start(devices);
        string dir = EdgeNet.Tests.Cli.CliRunner.TempFolder();
        File.WriteAllBytes(Path.Combine(dir, "model-b.enet"), B);
        File.WriteAllText(Path.Combine(dir, "fleet.key"), Convert.ToHexStringLower(Key) + "\n");
        string env = "EDGENET_TEST_MQTT_PW_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(env, rig.Broker.OperatorPassword);
        string[] conn = ["--broker", $"127.0.0.1:{rig.Broker.Port}", "--ca", rig.Broker.CaFile, "--password-env", env];

        var status = EdgeNet.Tests.Cli.CliRunner.Run(["fleet", "status", .. conn]);
        Assert.Equal(0, status.ExitCode);
        foreach (var (d, _, _) in devices) Assert.Contains(d, status.Out);
        Assert.Contains("model-a", status.Out);

        string state = Path.Combine(dir, "state");
        var deploy = EdgeNet.Tests.Cli.CliRunner.Run(["fleet", "deploy", Path.Combine(dir, "model-b.enet"), "--group", "west", "--canary", "34%", "--health", "20s",
            "--max-failures", "0", "--key", Path.Combine(dir, "fleet.key"), "--state", state, .. conn]);
        Assert.True(deploy.ExitCode == 0, deploy.Out + deploy.Error);
        Assert.Contains("done: 6 devices updated", deploy.Out);
        Assert.Contains("3 canaries", deploy.Out);
        Assert.All(rig.Fleet.Devices, d => Assert.Equal(Crc(B), d.Running.Crc));
        Assert.Equal(A, File.ReadAllBytes(Path.Combine(state, "models", $"{Crc(A):X8}.enet")));
        // The key never shows in what the commands print.
        Assert.DoesNotContain(Convert.ToHexStringLower(Key), deploy.Out + deploy.Error + status.Out);

        // Let the statuses show model B before the rollback reads them.
        foreach (SimulatedDevice d in rig.Fleet.Devices) await FreshStatus(rig.Host, d.Name, x => x.Crc == Crc(B));
        var back = EdgeNet.Tests.Cli.CliRunner.Run(["fleet", "rollback", "--key", Path.Combine(dir, "fleet.key"), "--state", state, .. conn]);
        Assert.True(back.ExitCode == 0, back.Out + back.Error);
        Assert.Contains("rolled back 6 of 6 devices, 0 failed", back.Out);
        Assert.All(rig.Fleet.Devices, d => Assert.Equal(Crc(A), d.Running.Crc));

        // Without the key the boards refuse: the rollout halts at the canaries and touches nobody else.
        var unsigned = EdgeNet.Tests.Cli.CliRunner.Run(["fleet", "deploy", Path.Combine(dir, "model-b.enet"), "--group", "west", "--canary", "20%", "--max-failures", "0", "--health", "5s", "--state", state, .. conn]);
        Assert.Equal(3, unsigned.ExitCode);
        Assert.Contains("unsigned", unsigned.Out);
        Assert.Contains("2 canaries", unsigned.Out);
        Assert.Contains("halted: canaries failed", unsigned.Out);
        Assert.All(rig.Fleet.Devices, d => Assert.Equal(Crc(A), d.Running.Crc));
    }

    [Fact]
    public async Task Unauthorised_clients_cannot_get_a_model_accepted()
    {
        var devices = new List<(string, string, string[]?)> { ("dev-a", "g", null), ("dev-b", "g", null) };
        await using Rig rig = await Rig.Start(devices, extraUser: "intruder", extraPassword: "intruder-pw");
        SimulatedDevice b = rig.Fleet.Devices[1];

        // 1. A wrong password is refused by the broker.
        await Assert.ThrowsAsync<DeviceLinkException>(() => FleetHost.ConnectAsync(rig.Broker.Operator with { Password = "wrong" }, "guess"));

        // 2. A device's own account (and any account without the operator's rights) cannot write another
        //    device's command topic: mosquitto drops the publish, dev-b never sees it.
        long before = b.Received;
        foreach (var (user, pass) in new[] { ("dev-a", rig.Broker.DevicePassword("dev-a")), ("intruder", "intruder-pw") })
        {
            using var intruder = await FleetHost.ConnectAsync(rig.Broker.Operator with { User = user, Password = pass }, "x-" + user);
            var link = new DeviceLink(intruder.Link("dev-b")) { TimeoutMs = 300, Retries = 1 };
            Assert.Throws<DeviceLinkException>(() => ModelDeployer.Deploy(link, B, "model-b.enet", fleetKey: Key));
        }
        await Task.Delay(500);
        Assert.Equal(before, b.Received);
        Assert.Equal(Crc(A), b.Running.Crc);

        // 3. With the operator's broker account but without the fleet key: unsigned and wrongly signed models are refused.
        var op = new DeviceLink(rig.Host.Link("dev-b")) { TimeoutMs = 2000 };
        var e1 = Assert.Throws<DeviceLinkException>(() => ModelDeployer.Deploy(op, B, "model-b.enet"));
        Assert.Contains("unsigned", e1.Message);
        var e2 = Assert.Throws<DeviceLinkException>(() => ModelDeployer.Deploy(op, B, "model-b.enet", fleetKey: RandomNumberGenerator.GetBytes(32)));
        Assert.Contains("bad-signature", e2.Message);
        Assert.Equal(Crc(A), b.Running.Crc);

        // The retained status reports the refusal and never the key.
        DeviceStatus s = await FreshStatus(rig.Host, "dev-b", x => x.LastError?.Contains("bad-signature") == true);
        Assert.Contains("bad-signature", s.LastError);
        Assert.True(s.Signed);

        // 4. A device cannot pose as another on the status topic either: dev-a publishing dev-b's status is dropped.
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync((rig.Broker.Devices with { User = "dev-a", Password = rig.Broker.DevicePassword("dev-a") }).Options("dev-a-fake", false));
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(FleetTopics.Status("dev-b")).WithPayload("{\"device\":\"dev-b\",\"crc\":\"00000000\"}")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag().Build());
        await Task.Delay(500);
        Assert.Equal(Crc(A), rig.Host.Statuses["dev-b"].Crc);
        await client.DisconnectAsync();

        // 5. The operator with the key succeeds (the same path the refusals took).
        ModelDeployer.Deploy(op, B, "model-b.enet", fleetKey: Key);
        Assert.Equal(Crc(B), b.Running.Crc);
    }
}

/// <summary>Signed models over the serial link, and what a keyed board never tells (no broker involved).</summary>
public class SignedSerialTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static SimulatedDevice Device(byte[]? key) =>
        new(DeviceBuild.Assembly, "bench-1", "lab", SimulatedFleet.Config("bench-1", "lab", key), SimulatedFleet.Model(1, "model-a"), new MqttSettings("127.0.0.1", 1));

    private static DeviceLink Serial(SimulatedDevice d, CancellationToken stop)
    {
        new Thread(() => { while (!stop.IsCancellationRequested) { d.Poll(); Thread.Sleep(1); } }) { IsBackground = true }.Start();
        return new DeviceLink(d.Serial.Host) { TimeoutMs = 2000 };
    }

    [Fact]
    public void A_board_with_a_fleet_key_refuses_unsigned_and_wrongly_signed_models_over_serial()
    {
        using var stop = new CancellationTokenSource();
        SimulatedDevice d = Device(Key);
        DeviceLink link = Serial(d, stop.Token);
        byte[] b = SimulatedFleet.Model(2, "model-b");
        uint crcA = d.Running.Crc;
        Assert.Contains("unsigned", Assert.Throws<DeviceLinkException>(() => ModelDeployer.Deploy(link, b, "b.enet")).Message);
        Assert.Contains("bad-signature", Assert.Throws<DeviceLinkException>(() => ModelDeployer.Deploy(link, b, "b.enet", fleetKey: RandomNumberGenerator.GetBytes(32))).Message);
        // The right key, but a tag made for a board configuration: refused too (the target is signed).
        Assert.Equal(crcA, d.Running.Crc);
        ModelDeployer.Deploy(link, b, "b.enet", fleetKey: Key);
        Assert.Equal(Crc32.Compute(b, 0, b.Length), d.Running.Crc);
        // An unsigned board configuration is refused as well (it could remove the key).
        Assert.Contains("unsigned", Assert.Throws<DeviceLinkException>(() => ModelDeployer.PushConfig(link, Encoding.UTF8.GetBytes(SimulatedFleet.Config("bench-1", "lab", null)), "board.cfg")).Message);
        // board.cfg holds the key: it is not read back.
        Assert.Contains("not read back", Assert.Throws<DeviceLinkException>(() => ModelDeployer.Pull(link, LinkProtocol.TargetConfig)).Message);
        stop.Cancel();
    }

    [Fact]
    public void Without_a_fleet_key_serial_deploys_stay_as_they_were()
    {
        using var stop = new CancellationTokenSource();
        SimulatedDevice d = Device(null);
        DeviceLink link = Serial(d, stop.Token);
        byte[] b = SimulatedFleet.Model(2, "model-b");
        ModelDeployer.Deploy(link, b, "b.enet");
        Assert.Equal(Crc32.Compute(b, 0, b.Length), d.Running.Crc);
        stop.Cancel();
    }

    [Fact]
    public void The_status_message_and_every_log_line_leave_the_key_out()
    {
        using var stop = new CancellationTokenSource();
        SimulatedDevice d = Device(Key);
        DeviceLink link = Serial(d, stop.Token);
        var lines = new List<string>();
        link.OnLine = lines.Add;
        Assert.Throws<DeviceLinkException>(() => ModelDeployer.Deploy(link, SimulatedFleet.Model(2, "model-b"), "b.enet", fleetKey: RandomNumberGenerator.GetBytes(32)));
        string status = ModelDeployer.Ping(link);
        stop.Cancel();
        string json = (string)d.Firmware.Updates.GetType().Assembly.GetType("EdgeNet.Firmware.Fleet.FleetStatus").GetMethod("Json")
            .Invoke(null, new object?[] { d.Firmware.Updates, d.Firmware.Store, d.Firmware.Pipeline, d.Firmware.Config, null, 5L });
        string hex = Convert.ToHexStringLower(Key);
        foreach (string text in lines.Append(status).Append(json))
        {
            Assert.DoesNotContain(hex, text.ToLowerInvariant());
        }
        Assert.Contains("\"signed\":true", json);
        Assert.Contains("bad-signature", json);
    }
}
