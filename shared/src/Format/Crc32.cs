namespace EdgeNet.Format
{
    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip and PNG use it.</summary>
    public static class Crc32
    {
        private static uint[] _table;

        private static uint[] Table
        {
            get
            {
                if (_table == null)
                {
                    uint[] t = new uint[256];
                    for (uint n = 0; n < 256; n++)
                    {
                        uint c = n;
                        for (int k = 0; k < 8; k++)
                        {
                            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                        }
                        t[n] = c;
                    }
                    _table = t;
                }
                return _table;
            }
        }

        /// <summary>CRC of data[offset, offset + length).</summary>
        public static uint Compute(byte[] data, int offset, int length)
        {
            return Finish(Update(Start, data, offset, length));
        }

        /// <summary>Initial running value for <see cref="Update"/>; finish with <see cref="Finish"/>.</summary>
        public const uint Start = 0xFFFFFFFFu;

        /// <summary>Feeds bytes into a running CRC, for data that arrives in chunks.</summary>
        public static uint Update(uint running, byte[] data, int offset, int length)
        {
            uint[] t = Table;
            uint c = running;
            for (int i = offset, end = offset + length; i < end; i++)
            {
                c = t[(c ^ data[i]) & 0xFF] ^ (c >> 8);
            }
            return c;
        }

        public static uint Finish(uint running)
        {
            return running ^ 0xFFFFFFFFu;
        }
    }
}
