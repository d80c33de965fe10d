namespace EdgeNet.Format
{
    /// <summary>Little-endian writer into a growing byte array (model export; not used while inferring).</summary>
    public sealed class ByteWriter
    {
        private byte[] _data = new byte[256];
        private int _length;

        public int Length { get { return _length; } }

        private void Ensure(int extra)
        {
            if (_length + extra <= _data.Length) return;
            int size = _data.Length * 2;
            while (size < _length + extra) size *= 2;
            byte[] bigger = new byte[size];
            System.Array.Copy(_data, bigger, _length);
            _data = bigger;
        }

        public void U8(int v) { Ensure(1); _data[_length++] = (byte)v; }
        public void I8(int v) { U8(v & 0xFF); }
        public void I16(int v) { U16(v & 0xFFFF); }
        public void U16(int v) { Ensure(2); _data[_length++] = (byte)v; _data[_length++] = (byte)(v >> 8); }

        public void I32(int v)
        {
            Ensure(4);
            _data[_length++] = (byte)v;
            _data[_length++] = (byte)(v >> 8);
            _data[_length++] = (byte)(v >> 16);
            _data[_length++] = (byte)(v >> 24);
        }

        public void U32(uint v) { I32((int)v); }

        public void F32(float v)
        {
            byte[] b = System.BitConverter.GetBytes(v);
            Ensure(4);
            for (int i = 0; i < 4; i++) _data[_length++] = b[i];
        }

        /// <summary>u8 length + printable ASCII; the writer's callers check the text first.</summary>
        public void Ascii(string s)
        {
            U8(s.Length);
            Ensure(s.Length);
            for (int i = 0; i < s.Length; i++) _data[_length++] = (byte)s[i];
        }

        public void Int8Array(sbyte[] a) { Ensure(a.Length); for (int i = 0; i < a.Length; i++) _data[_length++] = (byte)a[i]; }
        public void Int16Array(short[] a) { for (int i = 0; i < a.Length; i++) I16(a[i]); }
        public void UInt8Array(byte[] a) { Ensure(a.Length); System.Array.Copy(a, 0, _data, _length, a.Length); _length += a.Length; }
        public void Int32Array(int[] a) { for (int i = 0; i < a.Length; i++) I32(a[i]); }

        /// <summary>Overwrites 4 bytes at position (length and CRC fields, filled in last).</summary>
        public void PatchU32(int position, uint v)
        {
            _data[position] = (byte)v;
            _data[position + 1] = (byte)(v >> 8);
            _data[position + 2] = (byte)(v >> 16);
            _data[position + 3] = (byte)(v >> 24);
        }

        public byte[] Buffer { get { return _data; } }

        public byte[] ToArray()
        {
            byte[] a = new byte[_length];
            System.Array.Copy(_data, a, _length);
            return a;
        }
    }
}
