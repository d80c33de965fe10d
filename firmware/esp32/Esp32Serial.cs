using System;
using System.IO.Ports;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Esp32
{
    /// <summary>The host link on a UART (nanoFramework System.IO.Ports), 8N1, no handshake, polled.</summary>
    public sealed class Esp32Serial : ISerialPort, IDisposable
    {
        private readonly SerialPort _port;

        public Esp32Serial(string name, int baud)
        {
            // The constructor registers the port: if anything after it fails, dispose it, or the fallback
            // configuration's "new SerialPort" for the same UART would be refused as a duplicate.
            _port = new SerialPort(name, baud, Parity.None, 8, StopBits.One);
            try
            {
                _port.Handshake = Handshake.None;
                _port.ReadTimeout = 1;
                _port.WriteTimeout = 2000;
                // The driver's default receive buffer is 256 bytes and drops what does not fit; an update frame
                // is up to 1 KB. The size only takes effect when set before Open.
                _port.ReadBufferSize = Firmware.Firmware.UartReadBufferBytes;
                _port.Open();
            }
            catch (Exception)
            {
                _port.Dispose();
                throw;
            }
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int available = _port.BytesToRead;
            if (available <= 0) return 0;
            return _port.Read(buffer, offset, available < count ? available : count);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        public void Dispose()
        {
            if (_port.IsOpen) _port.Close();
            _port.Dispose();
        }
    }
}
