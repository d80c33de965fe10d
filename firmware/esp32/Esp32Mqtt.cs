using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Fleet;
using EdgeNet.Firmware.Hal;
using EdgeNet.Link;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using nanoFramework.Networking;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// The fleet link (docs/fleet.md) on the ESP32: Wi-Fi from board.cfg's wifi line, then nanoFramework.M2Mqtt
    /// to the mqtt line's broker, as the fleet line's device. Each received message (one frame) goes into the
    /// firmware core's bounded <see cref="MessageQueue"/> on M2Mqtt's thread; the main loop's Poll takes it.
    /// Replies and the retained status are published at QoS 1. Written to the documented M2Mqtt 5.0.1 API
    /// (IMqttClient: Connect, Subscribe, Publish, MqttMsgPublishReceived, ConnectionClosed); not compiled or
    /// run here (see README.md).
    /// </summary>
    public sealed class Esp32Mqtt : IMessageTransport
    {
        /// <summary>Frames waiting for the main loop: four, each of the largest frame (about 4 KB in all).</summary>
        private readonly MessageQueue _queue = new MessageQueue(4, LinkProtocol.MaxFrame);
        private readonly BoardConfig _config;
        private readonly X509Certificate _ca;
        private MqttClient _client;
        private string _commandTopic, _groupTopic, _replyTopic, _statusTopic;

        /// <param name="caPem">The CA certificate (PEM) that signed the broker's certificate, or null without TLS.</param>
        public Esp32Mqtt(BoardConfig config, byte[] caPem)
        {
            _config = config;
            _ca = caPem == null ? null : new X509Certificate(caPem);
            _commandTopic = "edgenet/dev/" + config.DeviceId + "/cmd";
            _replyTopic = "edgenet/dev/" + config.DeviceId + "/reply";
            _statusTopic = "edgenet/dev/" + config.DeviceId + "/status";
            _groupTopic = config.Group == null ? null : "edgenet/group/" + config.Group + "/cmd";
        }

        public bool Connected { get { return _client != null && _client.IsConnected; } }

        /// <summary>Joins Wi-Fi (once) and connects to the broker; false when either is not reachable now (the main loop tries again later).</summary>
        public bool Connect()
        {
            if (_config.MqttBroker == null || _config.DeviceId == null) return false;
            if (_config.WifiSsid != null && !NetworkReady)
            {
                // TLS needs the date for certificate validity: requiresDateTime waits for SNTP.
                CancellationTokenSource wifi = new CancellationTokenSource(30000);
                NetworkReady = WifiNetworkHelper.ConnectDhcp(_config.WifiSsid, _config.WifiPassword, requiresDateTime: _config.MqttTls, token: wifi.Token);
                if (!NetworkReady) return false;
            }
            try
            {
                MqttClient client = new MqttClient(_config.MqttBroker, _config.MqttPort, _config.MqttTls, _ca, null, _config.MqttTls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                client.MqttMsgPublishReceived += OnMessage;
                // A persistent session (cleanSession false): QoS 1 frames sent while the board was away are
                // delivered when it is back, so a rollout resumes.
                MqttReasonCode code = client.Connect(_config.DeviceId, _config.MqttUser, _config.MqttPassword, false, MqttQoSLevel.AtMostOnce, false, null, null, false, 60);
                if (code != MqttReasonCode.Success)
                {
                    client.Disconnect();
                    return false;
                }
                string[] topics = _groupTopic == null ? new string[] { _commandTopic } : new string[] { _commandTopic, _groupTopic };
                MqttQoSLevel[] qos = _groupTopic == null ? new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce } : new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce, MqttQoSLevel.AtLeastOnce };
                client.Subscribe(topics, qos);
                _client = client;
                return true;
            }
            catch (Exception)
            {
                // Broker down or unreachable: the main loop calls Connect again after a pause.
                return false;
            }
        }

        public bool NetworkReady;

        private void OnMessage(object sender, MqttMsgPublishEventArgs e)
        {
            if (e.Message == null) return;
            // Full queue: dropped and counted; the host's stop-and-wait resends the frame.
            _queue.Offer(e.Message, 0, e.Message.Length);
        }

        public int Receive(byte[] buffer, int offset, int count)
        {
            int n = _queue.Take(buffer, offset, count);
            return n < 0 ? 0 : n;
        }

        public void Send(byte[] buffer, int offset, int count)
        {
            Publish(_replyTopic, buffer, offset, count, false);
        }

        public void PublishStatus(byte[] buffer, int offset, int count)
        {
            Publish(_statusTopic, buffer, offset, count, true);
        }

        private void Publish(string topic, byte[] buffer, int offset, int count, bool retain)
        {
            MqttClient c = _client;
            if (c == null || !c.IsConnected) return; // the host resends; the status goes out again after reconnecting
            byte[] message = new byte[count];
            Array.Copy(buffer, offset, message, 0, count);
            try { c.Publish(topic, message, null, null, MqttQoSLevel.AtLeastOnce, retain); }
            catch (Exception) { /* connection dropped meanwhile */ }
        }
    }
}
