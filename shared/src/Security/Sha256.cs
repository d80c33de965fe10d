namespace EdgeNet.Security
{
    /// <summary>
    /// SHA-256 (FIPS 180-4, section 6.2) for the device: streaming (Start, Update, Finish), uint arithmetic
    /// only, every buffer allocated by the constructor, so hashing a model chunk by chunk allocates nothing.
    /// </summary>
    public sealed class Sha256
    {
        public const int HashBytes = 32;
        public const int BlockBytes = 64;

        private static readonly uint[] K =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        private readonly uint[] _h = new uint[8];
        private readonly uint[] _w = new uint[64];
        private readonly byte[] _block = new byte[BlockBytes];
        private int _fill;       // bytes waiting in _block
        private uint _bitsLow;   // message length in bits, as two words (no 64-bit overflow questions)
        private uint _bitsHigh;

        public Sha256()
        {
            Start();
        }

        /// <summary>Starts a new message (the initial hash value H(0)).</summary>
        public void Start()
        {
            _h[0] = 0x6a09e667; _h[1] = 0xbb67ae85; _h[2] = 0x3c6ef372; _h[3] = 0xa54ff53a;
            _h[4] = 0x510e527f; _h[5] = 0x9b05688c; _h[6] = 0x1f83d9ab; _h[7] = 0x5be0cd19;
            _fill = 0;
            _bitsLow = 0;
            _bitsHigh = 0;
        }

        public void Update(byte[] data, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _block[_fill++] = data[offset + i];
                if (_fill == BlockBytes)
                {
                    Compress(_block, 0);
                    _fill = 0;
                }
            }
            // count * 8 as a 64-bit number added to (high, low), in uint words.
            uint add = (uint)count << 3;
            uint before = _bitsLow;
            _bitsLow += add;
            if (_bitsLow < before) _bitsHigh++;
            _bitsHigh += (uint)count >> 29;
        }

        /// <summary>One byte (for length fields and domain prefixes).</summary>
        public void Update(byte b)
        {
            _block[_fill++] = b;
            if (_fill == BlockBytes)
            {
                Compress(_block, 0);
                _fill = 0;
            }
            uint before = _bitsLow;
            _bitsLow += 8;
            if (_bitsLow < before) _bitsHigh++;
        }

        /// <summary>Pads the message (section 5.1.1) and writes the 32-byte digest at output[offset].</summary>
        public void Finish(byte[] output, int offset)
        {
            uint low = _bitsLow, high = _bitsHigh;
            _block[_fill++] = 0x80;
            if (_fill > BlockBytes - 8)
            {
                while (_fill < BlockBytes) _block[_fill++] = 0;
                Compress(_block, 0);
                _fill = 0;
            }
            while (_fill < BlockBytes - 8) _block[_fill++] = 0;
            PutBigEndian(_block, 56, high);
            PutBigEndian(_block, 60, low);
            Compress(_block, 0);
            _fill = 0;
            for (int i = 0; i < 8; i++) PutBigEndian(output, offset + 4 * i, _h[i]);
        }

        private void Compress(byte[] block, int at)
        {
            uint[] w = _w;
            for (int t = 0; t < 16; t++)
            {
                int p = at + 4 * t;
                w[t] = (uint)block[p] << 24 | (uint)block[p + 1] << 16 | (uint)block[p + 2] << 8 | block[p + 3];
            }
            for (int t = 16; t < 64; t++)
            {
                uint x = w[t - 15], y = w[t - 2];
                uint s0 = Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
                uint s1 = Rotr(y, 17) ^ Rotr(y, 19) ^ (y >> 10);
                w[t] = unchecked(s1 + w[t - 7] + s0 + w[t - 16]);
            }
            uint a = _h[0], b = _h[1], c = _h[2], d = _h[3], e = _h[4], f = _h[5], g = _h[6], h = _h[7];
            for (int t = 0; t < 64; t++)
            {
                uint sum1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
                uint ch = (e & f) ^ (~e & g);
                uint t1 = unchecked(h + sum1 + ch + K[t] + w[t]);
                uint sum0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
                uint maj = (a & b) ^ (a & c) ^ (b & c);
                uint t2 = unchecked(sum0 + maj);
                h = g; g = f; f = e;
                e = unchecked(d + t1);
                d = c; c = b; b = a;
                a = unchecked(t1 + t2);
            }
            _h[0] = unchecked(_h[0] + a); _h[1] = unchecked(_h[1] + b); _h[2] = unchecked(_h[2] + c); _h[3] = unchecked(_h[3] + d);
            _h[4] = unchecked(_h[4] + e); _h[5] = unchecked(_h[5] + f); _h[6] = unchecked(_h[6] + g); _h[7] = unchecked(_h[7] + h);
        }

        private static uint Rotr(uint x, int n)
        {
            return x >> n | x << (32 - n);
        }

        private static void PutBigEndian(byte[] b, int at, uint v)
        {
            b[at] = (byte)(v >> 24);
            b[at + 1] = (byte)(v >> 16);
            b[at + 2] = (byte)(v >> 8);
            b[at + 3] = (byte)v;
        }
    }
}
