namespace EdgeNet.Firmware.Hal
{
    /// <summary>The UART the host talks to.</summary>
    public interface ISerialPort
    {
        /// <summary>Copies up to count received bytes into buffer; returns 0 at once when none are waiting.</summary>
        int Read(byte[] buffer, int offset, int count);

        void Write(byte[] buffer, int offset, int count);
    }
}
