using EdgeNet.Engine;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Hal;
using EdgeNet.Firmware.Pipeline;
using EdgeNet.Firmware.Store;
using EdgeNet.Firmware.Update;

namespace EdgeNet.Firmware
{
    /// <summary>
    /// The whole firmware behind its hardware interfaces: boot loads the model, then the board's main loop
    /// calls <see cref="Poll"/> as often as it can; each call serves the serial protocol and takes a sensor
    /// sample when one is due. Nothing here blocks or knows the board.
    /// </summary>
    public sealed class Firmware
    {
        private readonly IClock _clock;
        private readonly ILed _led;

        public Firmware(BoardConfig config, IStorage storage, ISerialPort serial, ISensors sensors, IClock clock, ILed led, byte[] builtinModel)
        {
            Config = config;
            _clock = clock;
            _led = led;
            Output = new TextOut(serial);
            Store = new ModelStore(storage, builtinModel, config.MaxModelBytes, config.MaxRamBytes);
            Pipeline = new SensorPipeline(config, sensors, Output, led);
            Updates = new UpdateService(serial, Store, Pipeline, config, Output);
        }

        public BoardConfig Config;
        public TextOut Output;
        public ModelStore Store;
        public SensorPipeline Pipeline;
        public UpdateService Updates;

        public Model Model { get { return Store.Active; } }

        /// <summary>Loads the model (flash, else backup, else built-in) and reports what was loaded.</summary>
        public void Boot()
        {
            long now = _clock.Milliseconds();
            Store.Boot();
            if (Store.BootReport.Length > 0) Output.Line('E', now, Store.BootReport);
            Model m = Store.Active;
            if (m == null)
            {
                Output.Line('E', now, "no usable model; waiting for one over serial");
                _led.Set(false);
                return;
            }
            string error;
            if (!Pipeline.Bind(m, out error))
            {
                Output.Line('E', now, "model " + m.Name + " cannot run on this board: " + error);
                return;
            }
            Output.Line('I', now, "model " + m.Name + " from " + Store.Source + ": " + m.FeatureCount.ToString() + " inputs x window " + m.WindowLength.ToString() + ", " + m.ClassCount.ToString() + " classes, RAM " + (m.ParameterBytes + m.ArenaBytes).ToString() + " bytes; sampling at " + Config.RateHz.ToString() + " Hz");
        }

        /// <summary>One pass of the main loop.</summary>
        public void Poll()
        {
            long now = _clock.Milliseconds();
            Updates.Poll(now);
            // The old model keeps classifying while a new one arrives; report lines and protocol frames
            // share the UART (the host tells them apart by the frame start byte).
            Pipeline.Tick(now);
        }

        /// <summary>RAM the firmware core allocates for itself, beside the model (buffers of this design).</summary>
        public static int CoreBufferBytes(int sensors, int features)
        {
            // TextOut line + digits, serial receive buffer, frame decoder buffer, reply frame, reply payload,
            // sensor values (int) + ok flags, raw readings and shift per feature (int), score table (256 ints).
            return TextOut.Capacity + 20 + 256 + Link.LinkProtocol.MaxFrame * 2 + Link.LinkProtocol.MaxPayload
                + sensors * 5 + features * 8 + 256 * 4;
        }
    }
}
