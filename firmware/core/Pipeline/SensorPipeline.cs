using EdgeNet.Engine;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Firmware.Pipeline
{
    /// <summary>
    /// Samples the sensors at the configured rate and, in classify mode, turns each set of readings into a
    /// classification: readings in the model's raw units, pushed into the input window (normalized and
    /// quantized by the shared InputQuantizer), inference, one report line and the LED. In raw mode it
    /// streams the readings instead (for recording training data). Everything a sample needs is allocated
    /// in <see cref="Bind"/>, so <see cref="Tick"/> allocates nothing.
    /// </summary>
    public sealed class SensorPipeline
    {
        private static readonly long[] Pow10 =
        {
            1L, 10L, 100L, 1000L, 10000L, 100000L, 1000000L, 10000000L, 100000000L, 1000000000L,
            10000000000L, 100000000000L, 1000000000000L, 10000000000000L, 100000000000000L,
            1000000000000000L, 10000000000000000L, 100000000000000000L, 1000000000000000000L,
        };

        private readonly BoardConfig _config;
        private readonly ISensors _sensors;
        private readonly TextOut _out;
        private readonly ILed _led;
        private readonly int[] _values;
        private readonly bool[] _ok;

        private InferenceEngine _engine;
        private int[] _map;
        private int[] _shift;
        private int[] _raw;
        private int[] _scoreMilli;
        private int _ledClass = -1;
        private bool _ledOn;
        private int _filled;
        private long _due;
        private bool _started;
        private int _mode;
        private bool _haveReading;

        public SensorPipeline(BoardConfig config, ISensors sensors, TextOut output, ILed led)
        {
            _config = config;
            _sensors = sensors;
            _out = output;
            _led = led;
            _values = new int[config.Sensors.Length];
            _ok = new bool[config.Sensors.Length];
        }

        public InferenceEngine Engine { get { return _engine; } }

        public int Classifications;
        public int FailedSamples;

        /// <summary>Samples in which a failed reading was replaced by the model's missing-value fill.</summary>
        public int FilledSamples;

        /// <summary>Classify (LinkProtocol.ModeClassify) or stream raw readings (LinkProtocol.ModeRaw).</summary>
        public int Mode
        {
            get { return _mode; }
            set
            {
                _mode = value;
                if (_engine != null) _engine.Reset();
                _filled = 0;
            }
        }

        /// <summary>
        /// Prepares for a model: which sensor feeds each input, the power of ten between sensor and model
        /// units, the score of every int8 output value, the LED class. False with a reason when the board
        /// configuration cannot feed the model (then nothing changes).
        /// </summary>
        public bool Bind(Model model, out string error)
        {
            int[] map = _config.Bind(model, out error);
            if (map == null) return false;
            int n = model.FeatureCount;
            int[] shift = new int[n];
            for (int f = 0; f < n; f++) shift[f] = model.Input.RawExponent[f] - _config.Sensors[map[f]].Exponent;

            // Score of each possible output value q: 1000 x scale x (q - zero point), computed once here so
            // reporting stays integer-only.
            var last = model.OutputLayer;
            int[] scores = new int[256];
            for (int q = -128; q < 128; q++)
            {
                float s = last.OutputScale * (q - last.OutputZeroPoint) * 1000f;
                scores[q + 128] = s >= 2e9f ? 2000000000 : s <= -2e9f ? -2000000000 : (int)(s + (s >= 0 ? 0.5f : -0.5f));
            }
            int ledClass = -1;
            for (int c = 0; c < model.ClassCount; c++)
            {
                if (model.ClassLabels[c] == _config.LedLabel) ledClass = c;
            }

            _engine = new InferenceEngine(model);
            _map = map;
            _shift = shift;
            _raw = new int[n];
            _scoreMilli = scores;
            _ledClass = ledClass;
            _filled = 0;
            _haveReading = false;
            return true;
        }

        /// <summary>
        /// Copies the model-unit readings of the last sample that reached the network into dest (one per
        /// model input); false when none did yet. For `edgenet dump` on live readings.
        /// </summary>
        public bool LastReading(int[] dest)
        {
            if (_engine == null || !_haveReading || dest.Length != _raw.Length) return false;
            System.Array.Copy(_raw, dest, _raw.Length);
            return true;
        }

        /// <summary>Starts a new input window (after something else ran the engine, e.g. a dump).</summary>
        public void Restart()
        {
            if (_engine != null) _engine.Reset();
            _filled = 0;
        }

        /// <summary>Takes a sample when one is due.</summary>
        public void Tick(long now)
        {
            if (!_started)
            {
                _started = true;
                _due = now;
            }
            if (now < _due) return;
            long period = _config.PeriodMs;
            _due += period;
            // Fell behind by more than a period (a long update step): skip the missed samples.
            if (_due <= now) _due = now + period;
            Sample(now);
        }

        /// <summary>Reads every sensor once and acts on the readings (called by Tick; public for replay).</summary>
        public void Sample(long now)
        {
            int sensors = _values.Length;
            int failed = -1;
            for (int s = 0; s < sensors; s++)
            {
                int v;
                _ok[s] = _sensors.Read(s, out v);
                _values[s] = v;
            }
            if (_mode == Link.LinkProtocol.ModeRaw)
            {
                _out.Begin('R', now);
                for (int s = 0; s < sensors; s++)
                {
                    _out.Tab();
                    if (_ok[s]) _out.Real(_values[s], _config.Sensors[s].Exponent);
                    else _out.Str("NaN");
                }
                _out.End();
                return;
            }
            if (_engine == null) return;
            int n = _map.Length;
            int[] fill = _engine.Model.Input.FillRaw;
            int filled = -1;
            for (int f = 0; f < n; f++)
            {
                int s = _map[f];
                if (!_ok[s])
                {
                    // A model trained with --missing mean|median carries the training rows' fill: it stands
                    // in for the failed reading, as it did for a missing cell in training and in simulate.
                    if (fill != null) { _raw[f] = fill[f]; filled = s; continue; }
                    failed = s;
                    break;
                }
                _raw[f] = Rescale(_values[s], _shift[f]);
            }
            if (filled >= 0)
            {
                FilledSamples++;
                _out.Begin('E', now).Tab().Str("sensor ").Str(_config.Sensors[filled].Name).Str(" read failed; the model's fill value stands in").End();
            }
            if (failed >= 0)
            {
                // A failed reading never reaches the network; the window restarts so it never mixes
                // readings from before and after the gap.
                FailedSamples++;
                _engine.Reset();
                _filled = 0;
                _out.Begin('E', now).Tab().Str("sensor ").Str(_config.Sensors[failed].Name).Str(" read failed; no classification").End();
                return;
            }
            _engine.PushReading(_raw);
            _haveReading = true;
            if (_filled < _engine.Model.WindowLength) _filled++;
            if (_filled < _engine.Model.WindowLength) return;
            int cls = _engine.Invoke();
            Classifications++;
            _out.Begin('C', now).Tab().Str(_engine.Model.ClassLabels[cls]).Tab().Fixed(_scoreMilli[_engine.PredictedScore() + 128], 3).End();
            bool on = _ledClass >= 0 ? cls == _ledClass : !_ledOn;
            if (on != _ledOn || _ledClass < 0)
            {
                _ledOn = on;
                _led.Set(on);
            }
        }

        /// <summary>v x 10^shift, rounded half away from zero and saturated to int32.</summary>
        public static int Rescale(int v, int shift)
        {
            if (shift == 0 || v == 0) return v;
            if (shift > 0)
            {
                if (shift > 9) return v > 0 ? int.MaxValue : int.MinValue;
                long r = v * Pow10[shift];
                return r > int.MaxValue ? int.MaxValue : r < int.MinValue ? int.MinValue : (int)r;
            }
            if (shift < -18) return 0;
            long p = Pow10[-shift];
            long lv = v;
            long q = lv / p;
            long rem = lv - q * p;
            if (rem < 0) rem = -rem;
            if (2 * rem >= p) q += lv < 0 ? -1 : 1;
            return (int)q;
        }
    }
}
