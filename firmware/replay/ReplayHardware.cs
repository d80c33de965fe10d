using System;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Firmware.Replay
{
    /// <summary>Serial output to the console: classification lines as the bare label, others behind "# ".</summary>
    internal sealed class ConsolePort : ISerialPort
    {
        private readonly char[] _line = new char[600];
        private int _length;

        public int Read(byte[] buffer, int offset, int count)
        {
            return 0;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            for (int i = offset; i < offset + count; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    Flush();
                    continue;
                }
                if (_length < _line.Length) _line[_length++] = (char)buffer[i];
            }
        }

        private void Flush()
        {
            // A classification line is "C <tab> time <tab> label <tab> score".
            if (_length > 2 && _line[0] == 'C' && _line[1] == '\t')
            {
                int start = 2;
                while (start < _length && _line[start] != '\t') start++;
                start++;
                int end = start;
                while (end < _length && _line[end] != '\t') end++;
                Console.WriteLine(new string(_line, start, end - start));
            }
            else
            {
                Console.WriteLine("# " + new string(_line, 0, _length));
            }
            _length = 0;
        }
    }

    /// <summary>Sensor s reads column s of the current row.</summary>
    internal sealed class RowSensors : ISensors
    {
        private readonly int[] _readings;
        private readonly int _columns;

        public RowSensors(int[] readings, int columns)
        {
            _readings = readings;
            _columns = columns;
        }

        public int Row;

        public bool Read(int sensor, out int value)
        {
            value = _readings[Row * _columns + sensor];
            return true;
        }
    }

    /// <summary>Time set by the replay loop.</summary>
    internal sealed class StepClock : IClock
    {
        public long Now;

        public long Milliseconds()
        {
            return Now;
        }
    }

    internal sealed class NoLed : ILed
    {
        public void Set(bool on)
        {
        }
    }
}
