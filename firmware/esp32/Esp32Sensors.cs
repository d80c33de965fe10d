using System;
using System.Device.Adc;
using System.Device.I2c;
using EdgeNet.Engine;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Hal;
using EdgeNet.Firmware.Replay;
using EdgeNet.Format;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// The sensor kinds of the board configuration:
    /// <list type="bullet">
    /// <item>adc channel=N: AdcController.OpenChannel(N).ReadValue(), raw counts (BoardTarget says which GPIO);</item>
    /// <item>i2c [bus=1] address=A register=R [bytes=1|2] [shift=S] [signed=1] [scale=K]: reads R (big-endian),
    /// shifts right by S, sign-extends, multiplies by K;</item>
    /// <item>replay column=C: column C of the compiled-in demo rows (ReplayData), one row per sample, in the
    /// built-in model's own units, so the board classifies without wiring. Only this kind loads the rows
    /// (14,400 bytes for 100 rows of 36 readings): a board with real sensors never allocates them.</item>
    /// </list>
    /// A failed transfer or a read that throws is reported as a failed reading, never as a number.
    /// </summary>
    public sealed class Esp32Sensors : ISensors, IDisposable
    {
        private const int Adc = 1, I2c = 2, Replay = 3;

        private readonly int[] _kind;
        private readonly AdcChannel[] _adc;
        private readonly I2cDevice[] _i2c;
        private readonly byte[][] _register;
        private readonly byte[][] _data;
        private readonly int[] _shift;
        private readonly bool[] _signed;
        private readonly int[] _scale;
        private readonly int[] _column;
        private int _row = -1;
        private int _replayColumns = 1;
        private int _firstReplay = -1;
        private int[] _replayRows;

        public Esp32Sensors(BoardConfig config)
        {
            int n = config.Sensors.Length;
            _kind = new int[n];
            _adc = new AdcChannel[n];
            _i2c = new I2cDevice[n];
            _register = new byte[n][];
            _data = new byte[n][];
            _shift = new int[n];
            _signed = new bool[n];
            _scale = new int[n];
            _column = new int[n];
            try
            {
                Open(config);
            }
            catch (Exception)
            {
                // Free the channels opened so far, so a retry with the built-in configuration can open them.
                Dispose();
                throw;
            }
        }

        private void Open(BoardConfig config)
        {
            int n = config.Sensors.Length;
            AdcController adc = null;
            Model demo = null;

            for (int s = 0; s < n; s++)
            {
                SensorSpec spec = config.Sensors[s];
                if (spec.Kind == "adc")
                {
                    if (adc == null) adc = new AdcController();
                    _kind[s] = Adc;
                    _adc[s] = adc.OpenChannel(spec.Int("channel", 0));
                }
                else if (spec.Kind == "i2c")
                {
                    _kind[s] = I2c;
                    _i2c[s] = I2cDevice.Create(new I2cConnectionSettings(spec.Int("bus", 1), spec.Int("address", 0x48)));
                    _register[s] = new byte[] { (byte)spec.Int("register", 0) };
                    _data[s] = new byte[spec.Int("bytes", 2) == 1 ? 1 : 2];
                    _shift[s] = spec.Int("shift", 0);
                    _signed[s] = spec.Int("signed", 1) != 0;
                    _scale[s] = spec.Int("scale", 1);
                }
                else if (spec.Kind == "replay")
                {
                    _kind[s] = Replay;
                    if (_firstReplay < 0)
                    {
                        _firstReplay = s;
                        demo = LoadReplay();
                    }
                    _column[s] = spec.Int("column", s);
                    // Demo rows are stored in the built-in model's raw units.
                    if (demo != null && _column[s] < demo.FeatureCount) spec.Exponent = demo.Input.RawExponent[_column[s]];
                }
                else
                {
                    throw new ArgumentException("sensor " + spec.Name + " has unknown kind " + spec.Kind);
                }
            }
        }

        // The demo rows and the built-in model they belong to (for its column count and raw units).
        private Model LoadReplay()
        {
            byte[] file = ReplayData.Model();
            string error;
            Model demo = ModelReader.Read(file, file.Length, int.MaxValue, out error);
            if (demo == null) throw new ArgumentException("built-in model: " + error);
            _replayColumns = demo.FeatureCount;
            _replayRows = ReplayData.Readings();
            return demo;
        }

        public bool Read(int sensor, out int value)
        {
            value = 0;
            try
            {
                switch (_kind[sensor])
                {
                    case Adc:
                        value = _adc[sensor].ReadValue();
                        return true;
                    case I2c:
                        return ReadI2c(sensor, out value);
                    case Replay:
                        if (sensor == _firstReplay) _row = (_row + 1) % ReplayData.Rows;
                        if (_column[sensor] >= _replayColumns) return false;
                        value = _replayRows[_row * _replayColumns + _column[sensor]];
                        return true;
                    default:
                        return false;
                }
            }
            catch (Exception)
            {
                return false;
            }
        }

        public void Dispose()
        {
            for (int s = 0; s < _kind.Length; s++)
            {
                if (_adc[s] != null) _adc[s].Dispose();
                if (_i2c[s] != null) _i2c[s].Dispose();
            }
        }

        private bool ReadI2c(int s, out int value)
        {
            value = 0;
            byte[] d = _data[s];
            I2cTransferResult r = _i2c[s].WriteRead(_register[s], d);
            if (r.Status != I2cTransferStatus.FullTransfer) return false;
            int v = d.Length == 1 ? d[0] : (d[0] << 8) | d[1];
            int bits = d.Length * 8;
            if (_signed[s] && (v & (1 << (bits - 1))) != 0) v -= 1 << bits;
            v >>= _shift[s];
            value = v * _scale[s];
            return true;
        }
    }
}
