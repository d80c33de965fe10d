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
            : this(config, storage, serial, sensors, clock, led, null, builtinModel)
        {
        }

        /// <param name="memory">The board's free-heap report (null: the board cannot tell; updates are then not checked against it).</param>
        public Firmware(BoardConfig config, IStorage storage, ISerialPort serial, ISensors sensors, IClock clock, ILed led, IMemory memory, byte[] builtinModel)
        {
            Config = config;
            _clock = clock;
            _led = led;
            Output = new TextOut(serial);
            Store = new ModelStore(storage, builtinModel, config.MaxModelBytes, config.MaxRamBytes);
            Store.Memory = memory;
            Configs = new ConfigStore(storage);
            Pipeline = new SensorPipeline(config, sensors, Output, led);
            Updates = new UpdateService(serial, Store, Configs, Pipeline, config, Output);
        }

        public BoardConfig Config;
        public TextOut Output;
        public ModelStore Store;
        public ConfigStore Configs;
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

        /// <summary>
        /// Bytes of the buffers the firmware core allocates beside the model's parameters and the inference
        /// arena, for a board with the given sensors and a model with the given inputs (a test walks the
        /// object graph to keep this honest). Object headers and strings (names, labels) come on top.
        /// </summary>
        public static int CoreBufferBytes(int sensors, int features)
        {
            return TextOut.Capacity + 20                      // report line and digit scratch
                + 256                                          // serial receive buffer
                + Link.LinkProtocol.MaxFrame * 2               // frame decoder, reply frame
                + Link.LinkProtocol.MaxPayload                 // reply payload
                + sensors * (4 + 1)                            // readings and their ok flags
                + features * (4 + 4 + 4)                       // sensor of each input, power of ten, raw reading
                + 256 * 4                                      // score of every int8 output value
                + 256 * 4;                                     // CRC-32 table (shared, built on first use)
        }
    }
}
