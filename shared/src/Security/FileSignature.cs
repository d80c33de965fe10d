namespace EdgeNet.Security
{
    /// <summary>
    /// The signature of a file sent to a device (a model or a board configuration): HMAC-SHA-256 under the
    /// fleet key over "EdgeNet-sig-v1", the target byte (0 model, 1 board configuration), the file length
    /// (u32, little-endian) and the file bytes. The target and length in the signed text keep a signed
    /// configuration from passing for a model and a signed file from passing when cut short. The tag travels
    /// outside the file (the Commit frame, docs/fleet.md), so model bytes and their format are unchanged.
    /// </summary>
    public sealed class FileSignature
    {
        public const int TagBytes = HmacSha256.TagBytes;

        /// <summary>Shortest and longest fleet key in bytes (board.cfg spells it in hex).</summary>
        public const int MinKeyBytes = 16;
        public const int MaxKeyBytes = 64;

        private static readonly byte[] Domain = { 0x45, 0x64, 0x67, 0x65, 0x4e, 0x65, 0x74, 0x2d, 0x73, 0x69, 0x67, 0x2d, 0x76, 0x31 }; // "EdgeNet-sig-v1"

        private readonly HmacSha256 _mac;

        public FileSignature(byte[] key)
        {
            _mac = new HmacSha256(key);
        }

        /// <summary>Starts the signed text of a file of length bytes for the target.</summary>
        public void Start(int target, int length)
        {
            _mac.Start();
            _mac.Update(Domain, 0, Domain.Length);
            _mac.Update((byte)target);
            _mac.Update((byte)length);
            _mac.Update((byte)(length >> 8));
            _mac.Update((byte)(length >> 16));
            _mac.Update((byte)(length >> 24));
        }

        public void Update(byte[] data, int offset, int count)
        {
            _mac.Update(data, offset, count);
        }

        public void Finish(byte[] tag, int offset)
        {
            _mac.Finish(tag, offset);
        }

        /// <summary>The tag of a whole file (the host signs with this; it allocates the result).</summary>
        public static byte[] Sign(byte[] key, int target, byte[] file, int length)
        {
            FileSignature s = new FileSignature(key);
            s.Start(target, length);
            s.Update(file, 0, length);
            byte[] tag = new byte[TagBytes];
            s.Finish(tag, 0);
            return tag;
        }

        /// <summary>A key written as hex digits (32 to 128 of them, even count); null when it is not one.</summary>
        public static byte[] ParseKey(string hex)
        {
            if (hex == null || hex.Length % 2 != 0 || hex.Length < 2 * MinKeyBytes || hex.Length > 2 * MaxKeyBytes) return null;
            byte[] key = new byte[hex.Length / 2];
            for (int i = 0; i < key.Length; i++)
            {
                int hi = Hex(hex[2 * i]), lo = Hex(hex[2 * i + 1]);
                if (hi < 0 || lo < 0) return null;
                key[i] = (byte)(hi << 4 | lo);
            }
            return key;
        }

        private static int Hex(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
