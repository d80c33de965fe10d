using System;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// The ESP32's hardware for a board configuration that BoardCheck accepted: pin functions first (a UART
    /// or I2C bus takes its pins when it opens), then the host's UART, the sensors and the LED. Close undoes
    /// a half-done Open so that Startup can retry with the built-in configuration.
    /// </summary>
    public sealed class Esp32Board : IBoard
    {
        private Esp32Serial _serial;
        private Esp32Sensors _sensors;
        private StatusLed _led;

        public ISerialPort Serial { get { return _serial; } }
        public ISensors Sensors { get { return _sensors; } }
        public ILed Led { get { return _led; } }

        public void Open(BoardConfig config)
        {
            PinSetup.Apply(config);
            _serial = new Esp32Serial(config.SerialPort == null ? BoardCheck.DefaultSerialPort : config.SerialPort, config.SerialBaud);
            _sensors = new Esp32Sensors(config);
            _led = new StatusLed(config.LedPin);
        }

        public void Close()
        {
            if (_serial != null) Quietly(_serial);
            if (_sensors != null) Quietly(_sensors);
            if (_led != null) Quietly(_led);
            _serial = null;
            _sensors = null;
            _led = null;
        }

        private static void Quietly(IDisposable d)
        {
            try { d.Dispose(); }
            catch (Exception) { }
        }
    }
}
