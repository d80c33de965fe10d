using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Trainer.Fleet.Simulation;

/// <summary>
/// Many <see cref="SimulatedDevice"/>s against one broker, polled by a few threads as each board's main
/// loop would be, with the faults `bench fleet` injects (random disconnects and reboots on top of the
/// per-message faults). Used by the fleet tests (10-20 devices) and the bench (200+).
/// </summary>
public sealed class SimulatedFleet : IAsyncDisposable
{
    private readonly MosquittoBroker _broker;
    private readonly List<Thread> _pollers = [];
    private volatile bool _stop;

    public List<SimulatedDevice> Devices { get; } = [];

    /// <summary>Faults done by <see cref="Disturb"/>.</summary>
    public int Disconnects, Reboots;

    public SimulatedFleet(DeviceAssembly device, MosquittoBroker broker, IEnumerable<(string Device, string Group, string Config, byte[] Builtin)> devices, NetworkFaults faults = null, int seed = 1)
    {
        _broker = broker;
        int i = 0;
        foreach (var (name, group, config, builtin) in devices)
            Devices.Add(new SimulatedDevice(device, name, group, config, builtin, broker.Devices, faults, seed * 1000 + i++));
    }

    public async Task ConnectAllAsync()
    {
        // A few at a time: 200 TLS handshakes at once would time out on a loaded 2-core machine.
        foreach (SimulatedDevice[] batch in Devices.Chunk(16))
            await Task.WhenAll(batch.Select(d => d.ConnectAsync(_broker.DevicePassword(d.Name))));
    }

    /// <summary>Starts the main loops: threads each polling their share of the devices, then sleeping 2 ms.</summary>
    public void Start(int threads = 2)
    {
        for (int t = 0; t < threads; t++)
        {
            int share = t;
            var thread = new Thread(() =>
            {
                while (!_stop)
                {
                    for (int i = share; i < Devices.Count; i += threads) Devices[i].Poll();
                    Thread.Sleep(2);
                }
            }) { IsBackground = true, Name = "fleet poller " + t };
            thread.Start();
            _pollers.Add(thread);
        }
        // Devices that lost their connection (a broker restart, an injected drop) reconnect, as the board layer does.
        var keeper = new Thread(() =>
        {
            while (!_stop)
            {
                foreach (SimulatedDevice d in Devices)
                {
                    if (_stop) break;
                    if (!d.Connected)
                    {
                        try { d.ConnectAsync(_broker.DevicePassword(d.Name)).Wait(5000); }
                        catch (Exception) { /* broker still down: next round */ }
                    }
                }
                Thread.Sleep(200);
            }
        }) { IsBackground = true, Name = "fleet reconnect" };
        keeper.Start();
        _pollers.Add(keeper);
    }

    /// <summary>One random fault: a device drops its connection (reconnects by itself), or reboots.</summary>
    public void Disturb(Random random, double rebootShare = 0.5)
    {
        SimulatedDevice d = Devices[random.Next(Devices.Count)];
        if (random.NextDouble() < rebootShare)
        {
            // A reset drops the connection too; the board reconnects after booting.
            d.DisconnectAsync().Wait(2000);
            d.Reboot();
            Interlocked.Increment(ref Reboots);
        }
        else
        {
            d.DisconnectAsync().Wait(2000);
            Interlocked.Increment(ref Disconnects);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop = true;
        foreach (Thread t in _pollers) t.Join(5000);
        foreach (SimulatedDevice d in Devices) await d.DisposeAsync();
    }

    /// <summary>A small model for three sensors (temp, light, hum) with two classes; seeds give different models.</summary>
    public static byte[] Model(int seed, string name, string[] features = null)
    {
        features ??= ["temp", "light", "hum"];
        Model m = RandomModels.Dense(new Random(seed), features.Length, [8, 2]);
        m.Name = name;
        m.FeatureNames = features;
        m.ClassLabels = ["calm", "busy"];
        for (int f = 0; f < features.Length; f++) m.Input.RawExponent[f] = 0;
        return ModelWriter.Write(m);
    }

    /// <summary>board.cfg of a simulated device: its sensors, fleet name and group, and the fleet key.</summary>
    public static string Config(string device, string group, byte[] fleetKey, string[] sensors = null)
    {
        sensors ??= ["temp", "light", "hum"];
        var s = new System.Text.StringBuilder("rate_hz 20\nserial COM2 115200\npin COM2_RX 32\npin COM2_TX 33\n");
        for (int i = 0; i < sensors.Length; i++) s.Append($"sensor {sensors[i]} replay column={i} exp=0\n");
        s.Append($"fleet device={device} group={group}");
        if (fleetKey != null) s.Append(" key=").Append(Convert.ToHexStringLower(fleetKey));
        return s.Append('\n').ToString();
    }
}
