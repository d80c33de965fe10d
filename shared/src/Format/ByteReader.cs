namespace EdgeNet.Format
{
    /// <summary>
    /// Little-endian reader over a byte array that never reads out of bounds and never throws:
    /// the first problem is kept in <see cref="Error"/> (with its byte offset) and later reads return 0.
    /// </summary>
    public sealed partial class ByteReader
    {
        private readonly byte[] _data;
        private readonly int _end;
        private int _pos;
        private string _error;

        public ByteReader(byte[] data, int offset, int length)
        {
            _data = data;
            _pos = offset;
            _end = offset + length;
        }

        public int Position { get { return _pos; } }
        public int Remaining { get { return _end - _pos; } }
        public string Error { get { return _error; } }
        public bool Failed { get { return _error != null; } }

        /// <summary>
        /// Called for every field read successfully (position, bytes, name). Implemented only in the desktop
        /// build (shared/desktop/Format/ByteReaderFields.cs, for the fuzzer's field map); in the device build
        /// the compiler removes the calls, so they cost nothing there.
        /// </summary>
        partial void OnField(int position, int width, string what);

        /// <summary>Records a problem at the current offset (the first one wins); returns false.</summary>
        public bool Fail(string reason)
        {
            return FailAt(_pos, reason);
        }

        public bool FailAt(int position, string reason)
        {
            if (_error == null) _error = "byte " + position.ToString() + ": " + (Context == null ? "" : Context) + reason;
            return false;
        }

        /// <summary>Format version of the file being read (set by the model reader from the header; 0 before).</summary>
        public int Version;

        /// <summary>
        /// Position of the units word of the dense record being read when its bit 15 (int16 weights, v3) is set,
        /// else -1: set by the record header, taken by DenseLayer.ReadBody (so no layer holds it after loading).
        /// </summary>
        public int WideWeightsAt = -1;

        /// <summary>Put before every reason recorded while set (the model reader names the layer it is in).</summary>
        public string Context;

        /// <summary>True when count more bytes exist; otherwise records a truncation error.</summary>
        public bool Need(int count, string what)
        {
            if (_error != null) return false;
            if (count < 0 || count > _end - _pos) return Fail("file ends inside " + what + " (needs " + count.ToString() + " bytes, " + (_end - _pos).ToString() + " left)");
            return true;
        }

        public int U8(string what)
        {
            if (!Need(1, what)) return 0;
            OnField(_pos, 1, what);
            return _data[_pos++];
        }

        public int I8(string what)
        {
            if (!Need(1, what)) return 0;
            OnField(_pos, 1, what);
            return (sbyte)_data[_pos++];
        }

        public int U16(string what)
        {
            if (!Need(2, what)) return 0;
            OnField(_pos, 2, what);
            int v = _data[_pos] | (_data[_pos + 1] << 8);
            _pos += 2;
            return v;
        }

        public int I16(string what)
        {
            int v = U16(what);
            return v >= 32768 ? v - 65536 : v;
        }

        public int I32(string what)
        {
            if (!Need(4, what)) return 0;
            OnField(_pos, 4, what);
            int v = _data[_pos] | (_data[_pos + 1] << 8) | (_data[_pos + 2] << 16) | (_data[_pos + 3] << 24);
            _pos += 4;
            return v;
        }

        public uint U32(string what)
        {
            return (uint)I32(what);
        }

        /// <summary>
        /// An IEEE-754 single (metadata only: no inference step uses float) and its bit pattern. Check the bits
        /// with <see cref="FloatBits"/> before comparing the value: on the interpreter a NaN compares as greater.
        /// </summary>
        public float F32(string what, out int bits)
        {
            bits = 0;
            if (!Need(4, what)) return 0f;
            OnField(_pos, 4, what);
            bits = _data[_pos] | (_data[_pos + 1] << 8) | (_data[_pos + 2] << 16) | (_data[_pos + 3] << 24);
            float v = System.BitConverter.ToSingle(_data, _pos);
            _pos += 4;
            return v;
        }

        /// <summary>A string: u8 length, then that many printable ASCII bytes (0x20..0x7E).</summary>
        public string Ascii(string what)
        {
            int start = _pos;
            int n = U8(what + " length");
            if (!Need(n, what)) return null;
            OnField(_pos, n, what);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                byte b = _data[_pos + i];
                if (b < 0x20 || b > 0x7E)
                {
                    FailAt(_pos + i, what + " has a byte 0x" + b.ToString("X2") + " that is not printable ASCII");
                    return null;
                }
                chars[i] = (char)b;
            }
            _pos += n;
            return new string(chars);
        }

        public sbyte[] Int8Array(int count, string what)
        {
            if (!Need(count, what)) return null;
            OnField(_pos, count, what);
            sbyte[] a = new sbyte[count];
            for (int i = 0; i < count; i++) a[i] = (sbyte)_data[_pos + i];
            _pos += count;
            return a;
        }

        /// <summary>count little-endian int16 values (2 * count bytes).</summary>
        public short[] Int16Array(int count, string what)
        {
            if (count < 0 || count > 0x3FFFFFFF || !Need(count * 2, what)) return null;
            OnField(_pos, count * 2, what);
            short[] a = new short[count];
            for (int i = 0; i < count; i++) a[i] = (short)(_data[_pos + 2 * i] | (_data[_pos + 2 * i + 1] << 8));
            _pos += count * 2;
            return a;
        }

        public byte[] UInt8Array(int count, string what)
        {
            if (!Need(count, what)) return null;
            OnField(_pos, count, what);
            byte[] a = new byte[count];
            System.Array.Copy(_data, _pos, a, 0, count);
            _pos += count;
            return a;
        }

        public int[] Int32Array(int count, string what)
        {
            if (count < 0 || count > 0x1FFFFFFF || !Need(count * 4, what)) return null;
            int[] a = new int[count];
            for (int i = 0; i < count; i++) a[i] = I32(what);
            return a;
        }
    }
}
