using EdgeNet.Firmware.Hal;

namespace EdgeNet.Firmware.Pipeline
{
    /// <summary>
    /// Builds one text line in a fixed buffer and writes it to the serial port: fields separated by tabs,
    /// ended by '\n', ASCII only (never the frame start byte). Appending allocates nothing, so reporting a
    /// classification does not either.
    /// </summary>
    public sealed class TextOut
    {
        public const int Capacity = 512;

        private readonly ISerialPort _port;
        private readonly byte[] _line = new byte[Capacity];
        private readonly byte[] _digits = new byte[20];
        private int _length;

        public TextOut(ISerialPort port)
        {
            _port = port;
        }

        /// <summary>Starts a line with its kind letter and the timestamp in milliseconds.</summary>
        public TextOut Begin(char kind, long ms)
        {
            _length = 0;
            Char(kind);
            Tab();
            Int(ms);
            return this;
        }

        public TextOut Tab()
        {
            return Char('\t');
        }

        public TextOut Char(char c)
        {
            // Keep the line printable: control characters (the frame start byte among them) become '?'.
            if (_length < Capacity - 1) _line[_length++] = c == '\t' || (c >= ' ' && c < (char)127) ? (byte)c : (byte)'?';
            return this;
        }

        public TextOut Str(string s)
        {
            if (s == null) return this;
            for (int i = 0; i < s.Length; i++) Char(s[i]);
            return this;
        }

        public TextOut Int(long v)
        {
            return Fixed(v, 0);
        }

        /// <summary>v / 10^decimals in plain decimal notation ("-0.125"), exact, without floating point.</summary>
        public TextOut Fixed(long v, int decimals)
        {
            bool negative = v < 0;
            ulong u = negative ? (ulong)(-(v + 1)) + 1 : (ulong)v;
            int n = 0;
            do
            {
                _digits[n++] = (byte)('0' + (int)(u % 10));
                u /= 10;
            } while (u != 0 || n <= decimals);
            if (negative) Char('-');
            for (int i = n - 1; i >= 0; i--)
            {
                if (i == decimals - 1) Char('.');
                Char((char)_digits[i]);
            }
            return this;
        }

        /// <summary>A raw reading (real x 10^exponent) as the real value in decimal.</summary>
        public TextOut Real(int raw, int exponent)
        {
            if (exponent > 0)
            {
                // Plain and short: "92", not "92.000000".
                Fixed(raw, exponent);
                while (_line[_length - 1] == (byte)'0') _length--;
                if (_line[_length - 1] == (byte)'.') _length--;
                return this;
            }
            if (exponent == 0) return Fixed(raw, 0);
            Fixed(raw, 0);
            if (raw != 0)
            {
                for (int i = 0; i < -exponent; i++) Char('0');
            }
            return this;
        }

        /// <summary>Ends the line and sends it.</summary>
        public void End()
        {
            _line[_length++] = (byte)'\n';
            _port.Write(_line, 0, _length);
            _length = 0;
        }

        /// <summary>One complete line: kind, time, message.</summary>
        public void Line(char kind, long ms, string message)
        {
            Begin(kind, ms).Tab().Str(message).End();
        }
    }
}
