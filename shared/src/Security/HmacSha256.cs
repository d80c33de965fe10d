namespace EdgeNet.Security
{
    /// <summary>
    /// HMAC-SHA-256 (RFC 2104 with FIPS 180-4 SHA-256; test vectors RFC 4231). The key pads are computed once
    /// by the constructor; Start, Update and Finish then allocate nothing. A key longer than a block is
    /// hashed first, as RFC 2104 says.
    /// </summary>
    public sealed class HmacSha256
    {
        public const int TagBytes = Sha256.HashBytes;

        private readonly Sha256 _inner = new Sha256();
        private readonly Sha256 _outer = new Sha256();
        private readonly byte[] _innerPad = new byte[Sha256.BlockBytes];
        private readonly byte[] _outerPad = new byte[Sha256.BlockBytes];
        private readonly byte[] _innerHash = new byte[Sha256.HashBytes];

        public HmacSha256(byte[] key)
        {
            byte[] k = new byte[Sha256.BlockBytes];
            if (key.Length > Sha256.BlockBytes)
            {
                _inner.Update(key, 0, key.Length);
                _inner.Finish(k, 0);
            }
            else
            {
                for (int i = 0; i < key.Length; i++) k[i] = key[i];
            }
            for (int i = 0; i < Sha256.BlockBytes; i++)
            {
                _innerPad[i] = (byte)(k[i] ^ 0x36);
                _outerPad[i] = (byte)(k[i] ^ 0x5c);
                k[i] = 0;
            }
            Start();
        }

        /// <summary>Starts a new message under the same key.</summary>
        public void Start()
        {
            _inner.Start();
            _inner.Update(_innerPad, 0, _innerPad.Length);
        }

        public void Update(byte[] data, int offset, int count)
        {
            _inner.Update(data, offset, count);
        }

        public void Update(byte b)
        {
            _inner.Update(b);
        }

        /// <summary>Writes the 32-byte tag at output[offset]; Start begins the next message.</summary>
        public void Finish(byte[] output, int offset)
        {
            _inner.Finish(_innerHash, 0);
            _outer.Start();
            _outer.Update(_outerPad, 0, _outerPad.Length);
            _outer.Update(_innerHash, 0, _innerHash.Length);
            _outer.Finish(output, offset);
        }

        /// <summary>True when a[ao..ao+n) equals b[bo..bo+n), in time that does not depend on where they differ.</summary>
        public static bool Equal(byte[] a, int ao, byte[] b, int bo, int n)
        {
            int diff = 0;
            for (int i = 0; i < n; i++) diff |= a[ao + i] ^ b[bo + i];
            return diff == 0;
        }
    }
}
