using System;
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
    /// sample when one is due. Nothing here blocks or knows the board, and no exception escapes Poll: one
    /// failing step is counted and reported, and the next pass runs as usual.
    /// </summary>
    public sealed class Firmware
    {
        private readonly IClock _clock;
        private readonly ILed _led;
        private long _lastErrorReport;

        /// <summary>Faults in the main loop are reported at most once per this many milliseconds (all are counted).</summary>
        public const int ErrorReportIntervalMs = 1000;

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
            Updates.Memory = memory;
        }

        public BoardConfig Config;
        public TextOut Output;
        public ModelStore Store;
        public ConfigStore Configs;
        public SensorPipeline Pipeline;
        public UpdateService Updates;

        public Model Model { get { return Store.Active; } }

        /// <summary>Why the board runs the built-in configuration (empty when it runs its own); reported at boot.</summary>
        public string SetupReport = "";

        /// <summary>Caveats of the configured GPIOs on some modules (empty when none); reported at boot.</summary>
        public string SetupNotes = "";

        /// <summary>Exceptions Poll caught since boot.</summary>
        public int Errors;

        /// <summary>
        /// Receive buffer the UART driver needs (set before the port opens): the ESP32 driver drops bytes when
        /// it is full, so it holds two whole frames, and never less than 2,048 bytes.
        /// </summary>
        public static int UartReadBufferBytes
        {
            get
            {
                int frames = 2 * Link.LinkProtocol.MaxFrame;
                return frames > 2048 ? frames : 2048;
            }
        }

        /// <summary>
        /// Loads the model (flash, else backup, else built-in) and reports what was loaded. A model on flash
        /// that this board's sensors cannot feed (the configuration changed since) stays on flash, and the
        /// built-in model runs instead.
        /// </summary>
        public void Boot()
        {
            long now = _clock.Milliseconds();
            if (SetupReport.Length > 0) Output.Line('E', now, SetupReport);
            if (SetupNotes.Length > 0) Output.Line('I', now, "note: " + SetupNotes);
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
                string problem = "model " + m.Name + " from " + Store.Source + " cannot run on this board: " + error;
                Model builtin = Store.Source == "built-in" ? null : Store.ReadBuiltin(out error);
                string builtinError = null;
                if (builtin != null && !Pipeline.Bind(builtin, out builtinError)) builtin = null;
                if (builtin == null)
                {
                    Output.Line('E', now, problem + (builtinError != null ? "; the built-in model cannot either: " + builtinError : "") + "; waiting for a model over serial");
                    _led.Set(false);
                    return;
                }
                Output.Line('E', now, problem + "; running the built-in model " + builtin.Name + " (the file stays on flash)");
                Store.Active = builtin;
                Store.Source = "built-in";
                m = builtin;
            }
            Output.Line('I', now, "model " + m.Name + " from " + Store.Source + ": " + m.FeatureCount.ToString() + " inputs x window " + m.WindowLength.ToString() + ", " + m.ClassCount.ToString() + " classes, RAM " + (m.ParameterBytes + m.ArenaBytes).ToString() + " bytes; sampling at " + Config.RateHz.ToString() + " Hz");
        }

        /// <summary>One pass of the main loop; never throws.</summary>
        public void Poll()
        {
            long now = 0;
            try
            {
                now = _clock.Milliseconds();
                Updates.Poll(now);
            }
            catch (Exception e) { Fault(now, "update service", e); }
            try
            {
                // The old model keeps classifying while a new one arrives; report lines and protocol frames
                // share the UART (the host tells them apart by the frame start byte).
                Pipeline.Tick(now);
            }
            catch (Exception e)
            {
                // A sample cut short may have pushed part of a reading: start the window afresh.
                Pipeline.Restart();
                Fault(now, "sensor pipeline", e);
            }
        }

        private void Fault(long now, string where, Exception e)
        {
            Errors++;
            if (Errors > 1 && now - _lastErrorReport < ErrorReportIntervalMs) return;
            _lastErrorReport = now;
            try
            {
                string what = e.Message == null || e.Message.Length == 0 ? e.GetType().FullName : e.Message;
                Output.Line('E', now, where + " failed (" + Errors.ToString() + (Errors == 1 ? " error" : " errors") + " since boot): " + what);
            }
            catch (Exception) { } // the UART itself failed: counted, nothing else to do
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
