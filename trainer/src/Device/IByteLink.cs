using System.IO.Ports;

namespace EdgeNet.Trainer.Device;

/// <summary>A byte pipe to the device (a serial port, or a test double).</summary>
public interface IByteLink : IDisposable
{
    /// <summary>Reads what arrives within timeoutMs (at least one byte when any arrives); 0 on timeout.</summary>
    int Read(byte[] buffer, int offset, int count, int timeoutMs);

    void Write(byte[] buffer, int offset, int count);
}

/// <summary>A serial port (System.IO.Ports), 8N1, no flow control.</summary>
public sealed class SerialLink : IByteLink
{
    private readonly SerialPort _port;

    public SerialLink(string portName, int baud = 115200)
    {
        _port = new SerialPort(portName, baud, Parity.None, 8, StopBits.One) { Handshake = Handshake.None, WriteTimeout = 5000, ReadTimeout = 5000 };
        try { _port.Open(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DeviceLinkException($"cannot open serial port {portName}: {e.Message}");
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        // Poll BytesToRead and read only what is there: a Read that times out can lose bytes that arrive
        // while it is being cancelled (seen with System.IO.Ports on Linux under load), which here would drop
        // whole classification lines.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            int available = _port.BytesToRead;
            if (available > 0) return _port.Read(buffer, offset, Math.Min(available, count));
            if (clock.ElapsedMilliseconds >= timeoutMs) return 0;
            Thread.Sleep(2);
        }
    }

    public void Write(byte[] buffer, int offset, int count) => _port.Write(buffer, offset, count);

    public void Dispose() => _port.Dispose();
}

/// <summary>The device did not answer as the protocol requires; the message says what and where.</summary>
public sealed class DeviceLinkException(string message) : Exception(message);
