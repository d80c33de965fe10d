using System.Collections.Concurrent;
using System.Buffers;
using EdgeNet.Trainer.Device;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeNet.Trainer.Fleet;

/// <summary>
/// The operator's one connection to the broker: collects every device's retained status and routes each
/// device's reply frames to a <see cref="MqttDeviceLink"/>, through which the serial protocol's host end
/// (<see cref="DeviceLink"/>, <see cref="ModelDeployer"/>) runs unchanged, one frame per message.
/// </summary>
public sealed class FleetHost : IDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, DeviceStatus> _status = new();
    private readonly ConcurrentDictionary<string, MqttDeviceLink> _links = new();

    /// <summary>Messages and payload bytes this connection published and received.</summary>
    public long Sent, SentBytes, Received, ReceivedBytes;

    /// <summary>Called with every status message as it arrives (--watch, the rollout's health check).</summary>
    public event Action<DeviceStatus> StatusChanged;

    private readonly MqttSettings _settings;
    private readonly string _clientId;
    private volatile bool _disposed;

    /// <summary>Times the connection was lost and made again (a broker restart).</summary>
    public int Reconnects;

    private FleetHost(IMqttClient client, MqttSettings settings, string clientId)
    {
        _client = client;
        _settings = settings;
        _clientId = clientId;
    }

    public static async Task<FleetHost> ConnectAsync(MqttSettings settings, string clientId, CancellationToken cancel = default)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        var host = new FleetHost(client, settings, clientId);
        client.ApplicationMessageReceivedAsync += e =>
        {
            host.OnMessage(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        MqttClientConnectResult r;
        try { r = await client.ConnectAsync(settings.Options(clientId, persistentSession: false), cancel); }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or TimeoutException)
        {
            client.Dispose();
            throw new DeviceLinkException($"cannot connect to the MQTT broker {settings.Host}:{settings.Port}: {e.Message}");
        }
        if (r.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new DeviceLinkException($"the MQTT broker {settings.Host}:{settings.Port} refused the connection: {r.ResultCode}");
        }
        await host.SubscribeAsync(cancel);
        client.DisconnectedAsync += async _ =>
        {
            // The broker went away (restart, network): reconnect and subscribe again; requests in flight time
            // out and are resent by DeviceLink meanwhile.
            while (!host._disposed)
            {
                await Task.Delay(250);
                try
                {
                    if (host._disposed) return;
                    var again = await client.ConnectAsync(host._settings.Options(host._clientId, persistentSession: false));
                    if (again.ResultCode != MqttClientConnectResultCode.Success) continue;
                    await host.SubscribeAsync(CancellationToken.None);
                    Interlocked.Increment(ref host.Reconnects);
                    return;
                }
                catch (Exception) { /* still down */ }
            }
        };
        return host;
    }

    private async Task SubscribeAsync(CancellationToken cancel)
    {
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(FleetTopics.AllStatus).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .WithTopicFilter(f => f.WithTopic(FleetTopics.AllReplies).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        await _client.SubscribeAsync(subscribe, cancel);
    }

    private void OnMessage(MqttApplicationMessage m)
    {
        byte[] payload = m.Payload.ToArray();
        Interlocked.Increment(ref Received);
        Interlocked.Add(ref ReceivedBytes, payload.Length);
        string device = FleetTopics.DeviceOf(m.Topic);
        if (device == null) return;
        if (m.Topic == FleetTopics.Status(device))
        {
            DeviceStatus s = DeviceStatus.Parse(payload);
            if (s == null || s.Device != device) return; // a device may only speak for itself (the ACL enforces it too)
            _status[device] = s;
            StatusChanged?.Invoke(s);
        }
        else if (m.Topic == FleetTopics.Reply(device)) Link(device).Deliver(payload);
    }

    /// <summary>The latest status of every device heard from, by name.</summary>
    public IReadOnlyDictionary<string, DeviceStatus> Statuses => _status;

    /// <summary>Waits until no new device has appeared for quietMs (retained statuses arrive right after subscribing).</summary>
    public async Task SettleAsync(int quietMs = 500, int maxMs = 10000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int count = -1;
        while (clock.ElapsedMilliseconds < maxMs)
        {
            await Task.Delay(quietMs);
            if (_status.Count == count) return;
            count = _status.Count;
        }
    }

    /// <summary>The byte link to one device (its command and reply topics).</summary>
    public MqttDeviceLink Link(string device) => _links.GetOrAdd(device, d => new MqttDeviceLink(this, d));

    /// <summary>Publishes a message at QoS 1 (retained when asked); waits for the broker's acknowledgement.</summary>
    public void Publish(string topic, byte[] payload, int offset, int count, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.AsMemory(offset, count).ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        try { _client.PublishAsync(message).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            throw new DeviceLinkException($"publishing to {topic} failed: {e.Message}");
        }
        Interlocked.Increment(ref Sent);
        Interlocked.Add(ref SentBytes, count);
    }

    public void Dispose()
    {
        _disposed = true;
        try { _client.DisconnectAsync().Wait(2000); }
        catch (Exception) { /* already gone */ }
        _client.Dispose();
    }
}

/// <summary>
/// One device seen as a byte pipe: Write publishes one frame as one message on the device's command topic;
/// Read returns the bytes of its reply messages in arrival order. Replies are bounded like the serial link's.
/// </summary>
public sealed class MqttDeviceLink : IByteLink
{
    private const int MaxQueuedMessages = 256;
    private readonly FleetHost _host;
    private readonly BlockingCollection<byte[]> _replies = new(MaxQueuedMessages);
    private byte[] _current = [];
    private int _at;

    internal MqttDeviceLink(FleetHost host, string device)
    {
        _host = host;
        Device = device;
    }

    public string Device { get; }

    internal void Deliver(byte[] payload)
    {
        if (!_replies.TryAdd(payload)) { _replies.TryTake(out _); _replies.TryAdd(payload); }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_at == _current.Length)
        {
            if (!_replies.TryTake(out byte[] next, timeoutMs)) return 0;
            _current = next;
            _at = 0;
        }
        int n = Math.Min(count, _current.Length - _at);
        Array.Copy(_current, _at, buffer, offset, n);
        _at += n;
        return n;
    }

    public void Write(byte[] buffer, int offset, int count) => _host.Publish(FleetTopics.Command(Device), buffer, offset, count);

    /// <summary>Drops replies nobody waited for (before a new conversation with the device).</summary>
    public void Clear()
    {
        while (_replies.TryTake(out _)) { }
        _current = [];
        _at = 0;
    }

    public void Dispose() { }
}
