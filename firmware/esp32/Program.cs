using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using EdgeNet.Firmware;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Replay;
using Store = EdgeNet.Firmware.Store;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// Entry point on the ESP32: reads the board configuration (I:\board.cfg if present, else the one
    /// compiled in), sets up pins, serial port, flash, sensors and LED, boots the firmware core and runs its
    /// main loop. All behaviour lives in the firmware core (firmware/core), which CI tests.
    /// </summary>
    public static class Program
    {
        private const string ConfigPath = FlashStorage.Root + "board.cfg";

        public static void Main()
        {
            // A `config push` cut by a reset between its renames leaves board.old only: put it back first.
            Store.ConfigStore.Recover(new FlashStorage());
            string source;
            string text = ReadConfigText(out source);
            string error;
            BoardConfig config = BoardConfig.Parse(text, source, out error);
            if (config == null)
            {
                // A broken file on flash must not brick the board: report and use the compiled-in one.
                Debug.WriteLine("EdgeNet: " + error + "; using the built-in board configuration");
                config = BoardConfig.Parse(DefaultBoard.Text, "built-in board.cfg", out error);
            }

            PinSetup.Apply(config);
            Esp32Serial serial = new Esp32Serial(config.SerialPort == null ? "COM2" : config.SerialPort, config.SerialBaud);
            StatusLed led = new StatusLed(config.LedPin);
            Esp32Sensors sensors = new Esp32Sensors(config, ReplayData.Model);
            Firmware.Firmware firmware = new Firmware.Firmware(config, new FlashStorage(), serial, sensors, new Esp32Clock(), led, new Esp32Memory(), ReplayData.Model);
            firmware.Boot();
            Debug.WriteLine("EdgeNet: running " + (firmware.Model == null ? "no model" : firmware.Model.Name) + " from " + firmware.Store.Source);

            while (true)
            {
                firmware.Poll();
                // Yield to the UART and file system threads; the pipeline keeps its own sample schedule.
                Thread.Sleep(1);
            }
        }

        private static string ReadConfigText(out string source)
        {
            source = "built-in board.cfg";
            try
            {
                if (File.Exists(ConfigPath))
                {
                    using (FileStream f = new FileStream(ConfigPath, FileMode.Open, FileAccess.Read))
                    {
                        byte[] bytes = new byte[(int)f.Length];
                        int n = f.Read(bytes, 0, bytes.Length);
                        char[] chars = new char[n];
                        for (int i = 0; i < n; i++) chars[i] = (char)bytes[i];
                        source = ConfigPath;
                        return new string(chars);
                    }
                }
            }
            catch (Exception e)
            {
                Debug.WriteLine("EdgeNet: cannot read " + ConfigPath + ": " + e.Message);
            }
            return DefaultBoard.Text;
        }
    }
}
