using EdgeNet.Firmware.Config;

namespace EdgeNet.Firmware.Hal
{
    /// <summary>
    /// The board's hardware as a board configuration sets it up: pin functions, the host's UART, the
    /// sensors and the LED. <see cref="Startup"/> opens it with the configuration from flash and, when that
    /// throws, closes it and opens it again with the built-in configuration.
    /// </summary>
    public interface IBoard
    {
        /// <summary>Sets up pins, serial port, sensors and LED; throws when the hardware refuses any of it.</summary>
        void Open(BoardConfig config);

        /// <summary>Releases whatever a failed Open set up (ports closed, channels and pins freed).</summary>
        void Close();

        ISerialPort Serial { get; }
        ISensors Sensors { get; }
        ILed Led { get; }
    }
}
