using System;
using System.Diagnostics;
using System.Threading;
using EdgeNet.Firmware;
using EdgeNet.Firmware.Replay;
using Store = EdgeNet.Firmware.Store;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// Entry point on the ESP32: the firmware core's Startup reads I:\board.cfg (else the configuration
    /// compiled in), checks it against the chip's pins and opens the hardware, falling back to the built-in
    /// configuration on any problem; then boot and the main loop. All behaviour lives in the firmware core
    /// (firmware/core), which CI tests.
    /// </summary>
    public static class Program
    {
        private static byte[] ReadFile(FlashStorage storage, string name)
        {
            int n = storage.Length(name);
            if (n <= 0) return null;
            byte[] b = new byte[n];
            return storage.Read(name, b, 0, n) == n ? b : null;
        }

        public static void Main()
        {
            // A `config push` cut by a reset between its renames leaves board.old only: put it back first.
            Store.ConfigStore.Recover(new FlashStorage());
#if EDGENET_NATIVE
            // The C kernels, int8 and 16x8, when the image has the EdgeNet.Native interop module (docs/native.md): probed
            // once here; if the module does not answer (or answers another API version) Install returns false and every
            // engine runs the managed kernels.
            EdgeNet.Engine.KernelSelection.Install(new EdgeNet.Native.NativeBackend());
#endif
            Firmware.Firmware firmware;
            try
            {
                // ReplayData.Model() builds the built-in model's bytes (the fallback model) from the program
                // image; the demo rows are only built by the "replay" sensor kind.
                firmware = Startup.Start(new Esp32Board(), new FlashStorage(), new Esp32Clock(), new Esp32Memory(), FlashStorage.Root + Firmware.Config.ConfigFile.Name, DefaultBoard.Text, ReplayData.Model());
            }
            catch (Exception e)
            {
                // Only the built-in configuration failing gets here: a fault of this app, not of the board.
                Debug.WriteLine("EdgeNet: the built-in board configuration cannot be set up: " + e.Message);
                Thread.Sleep(Timeout.Infinite);
                return;
            }
            firmware.Boot();
            Debug.WriteLine("EdgeNet: running " + (firmware.Model == null ? "no model" : firmware.Model.Name) + " from " + firmware.Store.Source);

            // The fleet link when board.cfg has an mqtt line (docs/fleet.md): the same update service over MQTT.
            // The broker's CA certificate is I:\ca.pem (PEM), copied with the board.cfg that names the broker.
            Esp32Mqtt mqtt = firmware.Config.MqttBroker == null ? null : new Esp32Mqtt(firmware.Config, firmware.Config.MqttTls ? ReadFile(new FlashStorage(), "ca.pem") : null);
            Esp32Clock clock = new Esp32Clock();
            long nextConnect = 0;
            while (true)
            {
                if (mqtt != null && !mqtt.Connected && clock.Milliseconds() >= nextConnect)
                {
                    // Connecting blocks (Wi-Fi, TLS handshake); a few seconds apart so sampling goes on in between.
                    if (mqtt.Connect())
                    {
                        firmware.Updates.Messages = mqtt;
                        firmware.Updates.PublishStatus(clock.Milliseconds());
                    }
                    nextConnect = clock.Milliseconds() + 5000;
                }
                // Poll never throws: a failing step is counted and reported on the link.
                firmware.Poll();
                // Yield to the UART and file system threads; the pipeline keeps its own sample schedule.
                Thread.Sleep(1);
            }
        }
    }
}
