namespace EdgeNet.Firmware.Hal
{
    /// <summary>
    /// A message link to the host (MQTT on the ESP32, docs/fleet.md): each message carries exactly one
    /// frame of the serial protocol, so the update service runs the same frames and logic over it as over
    /// the UART. Implementations keep received messages in a bounded queue (see Fleet.MessageQueue).
    /// </summary>
    public interface IMessageTransport
    {
        /// <summary>Copies the next received message into buffer; its length, or 0 at once when none waits.</summary>
        int Receive(byte[] buffer, int offset, int count);

        /// <summary>Sends one frame as one message to the host (the device's reply topic).</summary>
        void Send(byte[] buffer, int offset, int count);

        /// <summary>Publishes the device's status (UTF-8 JSON) as the retained message of its status topic.</summary>
        void PublishStatus(byte[] buffer, int offset, int count);
    }
}
