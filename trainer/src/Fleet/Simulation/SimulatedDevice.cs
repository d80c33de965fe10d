using System.Buffers;
using System.Reflection;
using System.Threading.Channels;
using EdgeNet.Link;
using EdgeNet.Trainer.Device;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeNet.Trainer.Fleet.Simulation;

/// <summary>Faults a simulated device's network adds to what the broker delivers (probabilities per message).</summary>
public sealed record NetworkFaults(double Duplicate = 0, double Delay = 0, double Corrupt = 0, int MaxDelayMs = 300);

/// <summary>
/// One simulated board: the nanoFramework-compiled firmware core (Firmware, UpdateService, ModelStore,
/// MessageQueue) on CoreCLR with in-memory flash, and the board layer's MQTT transport written here with
/// MQTTnet instead of M2Mqtt: its own connection (persistent session, QoS 1), the device's command and
/// group topics in, reply and retained status out. Flash survives <see cref="Reboot"/>; RAM does not.
/// </summary>
public sealed class SimulatedDevice : IAsyncDisposable
{
    /// <summary>Message slots of the device's receive queue (each one frame): the bounded footprint of docs/fleet.md.</summary>
    public const int QueueSlots = 4;

    private readonly DeviceAssembly _device;
    private readonly MqttSettings _broker;
    private readonly string _configText;
    private readonly byte[] _builtin;
    private readonly NetworkFaults _faults;
    private readonly Random _random;
    private readonly object _storage;
    private readonly Channel<MqttApplicationMessage> _outgoing = Channel.CreateUnbounded<MqttApplicationMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<(long At, byte[] Message)> _delayed = [];
    private readonly object _lock = new();
    private IMqttClient _client;
    private Task _sender;
    private dynamic _fw;
    private dynamic _queue;
    private Action _poll;
    private Func<byte[], int, int, bool> _offer;
    private readonly SimClock _clock = new();
    private long _bootAt;

    public SimulatedDevice(DeviceAssembly device, string name, string group, string configText, byte[] builtinModel, MqttSettings broker, NetworkFaults faults = null, int seed = 0)
    {
        _device = device;
        Name = name;
        Group = group;
        _configText = configText;
        _builtin = builtinModel;
        _broker = broker;
        _faults = faults ?? new NetworkFaults();
        _random = new Random(seed);
        _storage = Activator.CreateInstance(device.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Store.MemoryStorage", true));
        Serial = new SimSerial();
        Boot();
    }

    public string Name { get; }
    public string Group { get; }
    public SimSerial Serial { get; private set; }

    /// <summary>Messages and payload bytes this device published and received (faults included).</summary>
    public long Sent, SentBytes, Received, ReceivedBytes;

    public bool Connected => _client?.IsConnected == true;

    /// <summary>The running model's name and CRC-32 as the firmware holds them (the "real state").</summary>
    public (string Model, uint Crc) Running
    {
        get { lock (_lock) return ((string)_fw.Store.Active?.Name, (uint)_fw.Store.ActiveCrc); }
    }

    public dynamic Firmware => _fw;

    /// <summary>Power-on: board.cfg from flash when a push stored one (else the built-in text), then the model store's boot.</summary>
    private void Boot()
    {
        Assembly core = _device.Load("EdgeNet.Firmware.Core");
        Type startup = core.GetType("EdgeNet.Firmware.Startup", true);
        object[] read = [_storage, "board.cfg", "board.cfg", null];
        string text = (string)core.GetType("EdgeNet.Firmware.Config.ConfigFile", true).GetMethod("Read").Invoke(null, read) ?? _configText;
        object[] args = [text, "board.cfg", null, null];
        object config = startup.GetMethod("Checked").Invoke(null, args);
        if (config == null)
        {
            args = [_configText, "built-in board.cfg", null, null];
            config = startup.GetMethod("Checked").Invoke(null, args) ?? throw new InvalidOperationException((string)args[2]);
        }
        Type fwType = core.GetType("EdgeNet.Firmware.Firmware", true);
        dynamic fw = Activator.CreateInstance(fwType, config,
            _storage,
            DeviceInterface.Implement(_device, "EdgeNet.Firmware.Hal.ISerialPort", Serial),
            DeviceInterface.Implement(_device, "EdgeNet.Firmware.Hal.ISensors", new WaveSensors(Name.GetHashCode())),
            DeviceInterface.Implement(_device, "EdgeNet.Firmware.Hal.IClock", _clock),
            DeviceInterface.Implement(_device, "EdgeNet.Firmware.Hal.ILed", new SimLed()),
            DeviceInterface.Implement(_device, "EdgeNet.Firmware.Hal.IMemory", new SimMemory(180_000)),
            _builtin);
        dynamic queue = Activator.CreateInstance(core.GetType("EdgeNet.Firmware.Fleet.MessageQueue", true), QueueSlots, LinkProtocol.MaxFrame);
        fw.Boot();
        fw.Updates.Messages = (dynamic)DeviceInterface.Implement(_device, "EdgeNet.Firmware.Hal.IMessageTransport", new Transport(this));
        fw.Updates.StatusIntervalMs = 2000;
        lock (_lock)
        {
            _fw = fw;
            _queue = queue;
            _poll = (Action)Delegate.CreateDelegate(typeof(Action), (object)fw, fwType.GetMethod("Poll"));
            _offer = (Func<byte[], int, int, bool>)Delegate.CreateDelegate(typeof(Func<byte[], int, int, bool>), (object)queue, ((object)queue).GetType().GetMethod("Offer"));
            _delayed.Clear();
            _bootAt = _clock.Milliseconds();
        }
    }

    /// <summary>A reset: RAM (transfer state, receive queue, counters) is lost, flash stays; the firmware boots again.</summary>
    public void Reboot() => Boot();

    /// <summary>One pass of the board's main loop: releases delayed messages that are due, then Firmware.Poll.</summary>
    public void Poll()
    {
        lock (_lock)
        {
            long now = _clock.Milliseconds();
            for (int i = _delayed.Count - 1; i >= 0; i--)
            {
                if (_delayed[i].At > now) continue;
                _offer(_delayed[i].Message, 0, _delayed[i].Message.Length);
                _delayed.RemoveAt(i);
            }
            _poll();
        }
    }

    public async Task ConnectAsync(string password, CancellationToken cancel = default)
    {
        _client?.Dispose();
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage(e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        var settings = _broker with { User = Name, Password = password };
        MqttClientConnectResult r = await client.ConnectAsync(settings.Options(Name, persistentSession: true), cancel);
        if (r.ResultCode != MqttClientConnectResultCode.Success) throw new InvalidOperationException($"{Name}: broker refused: {r.ResultCode}");
        if (!r.IsSessionPresent)
        {
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(FleetTopics.Command(Name)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .WithTopicFilter(f => f.WithTopic(FleetTopics.GroupCommand(Group)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build(), cancel);
        }
        _client = client;
        _sender ??= Task.Run(SendLoop);
        // After (re)connecting the board publishes its status again (the broker may have lost the retained copy).
        lock (_lock) _fw.Updates.PublishStatus(_clock.Milliseconds());
    }

    public async Task DisconnectAsync()
    {
        IMqttClient c = _client;
        if (c == null) return;
        try { await c.DisconnectAsync(); }
        catch (Exception) { /* already down */ }
    }

    private void OnMessage(byte[] payload)
    {
        Interlocked.Increment(ref Received);
        Interlocked.Add(ref ReceivedBytes, payload.Length);
        lock (_lock)
        {
            double roll = _random.NextDouble();
            if (roll < _faults.Corrupt && payload.Length > 0)
            {
                payload = (byte[])payload.Clone();
                payload[_random.Next(payload.Length)] ^= (byte)(1 << _random.Next(8));
                CorruptedMessages++;
            }
            if (_random.NextDouble() < _faults.Delay)
            {
                _delayed.Add((_clock.Milliseconds() + _random.Next(1, _faults.MaxDelayMs), payload));
                DelayedMessages++;
                return;
            }
            _offer(payload, 0, payload.Length);
            if (_random.NextDouble() < _faults.Duplicate)
            {
                _offer(payload, 0, payload.Length);
                DuplicatedMessages++;
            }
        }
    }

    /// <summary>Faults injected into what this device received.</summary>
    public int CorruptedMessages, DelayedMessages, DuplicatedMessages;

    private async Task SendLoop()
    {
        await foreach (MqttApplicationMessage m in _outgoing.Reader.ReadAllAsync())
        {
            // While disconnected the board keeps only the newest status and drops replies (the host resends).
            for (int attempt = 0; attempt < 50; attempt++)
            {
                IMqttClient c = _client;
                if (c != null && c.IsConnected)
                {
                    try
                    {
                        await c.PublishAsync(m);
                        Interlocked.Increment(ref Sent);
                        Interlocked.Add(ref SentBytes, m.Payload.Length);
                        break;
                    }
                    catch (Exception) { /* the connection dropped meanwhile */ }
                }
                if (!m.Retain) break;
                await Task.Delay(100);
            }
        }
    }

    private void Enqueue(string topic, byte[] buffer, int offset, int count, bool retain)
    {
        _outgoing.Writer.TryWrite(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(buffer.AsSpan(offset, count).ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build());
    }

    /// <summary>The board layer's IMessageTransport: the firmware core's MessageQueue in, MQTT publishes out.</summary>
    private sealed class Transport(SimulatedDevice d)
    {
        public int Receive(byte[] buffer, int offset, int count) => (int)d._queue.Take(buffer, offset, count);
        public void Send(byte[] buffer, int offset, int count) => d.Enqueue(FleetTopics.Reply(d.Name), buffer, offset, count, false);
        public void PublishStatus(byte[] buffer, int offset, int count) => d.Enqueue(FleetTopics.Status(d.Name), buffer, offset, count, true);
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        await DisconnectAsync();
        _client?.Dispose();
    }
}
