using EdgeNet.Format;

namespace EdgeNet.Link
{
    /// <summary>
    /// Writes one frame: start byte, type, sequence number (u16 LE), payload length (u16 LE), payload,
    /// CRC-32 (LE) of everything after the start byte. Allocation-free: the caller owns the buffer.
    /// </summary>
    public static class FrameEncoder
    {
        /// <summary>Encodes into dest[0..); returns the frame length, or -1 when the payload is too long.</summary>
        public static int Encode(int type, int seq, byte[] payload, int offset, int length, byte[] dest)
        {
            if (length < 0 || length > LinkProtocol.MaxPayload || dest.Length < LinkProtocol.HeaderBytes + length + LinkProtocol.CrcBytes) return -1;
            dest[0] = LinkProtocol.Start;
            dest[1] = (byte)type;
            dest[2] = (byte)seq;
            dest[3] = (byte)(seq >> 8);
            dest[4] = (byte)length;
            dest[5] = (byte)(length >> 8);
            if (length > 0) System.Array.Copy(payload, offset, dest, LinkProtocol.HeaderBytes, length);
            int end = LinkProtocol.HeaderBytes + length;
            uint crc = Crc32.Compute(dest, 1, end - 1);
            PutU32(dest, end, crc);
            return end + LinkProtocol.CrcBytes;
        }

        public static void PutU16(byte[] b, int at, int v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
        }

        public static void PutU32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }

        public static int GetU16(byte[] b, int at)
        {
            return b[at] | (b[at + 1] << 8);
        }

        public static uint GetU32(byte[] b, int at)
        {
            return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) | ((uint)b[at + 3] << 24);
        }

        /// <summary>Copies ASCII text (other characters become '?') into b[at..); returns bytes written.</summary>
        public static int PutAscii(byte[] b, int at, string text)
        {
            int n = 0;
            for (int i = 0; i < text.Length && at + n < b.Length; i++, n++)
            {
                char c = text[i];
                b[at + n] = c >= ' ' && c < (char)127 ? (byte)c : (byte)'?';
            }
            return n;
        }

        /// <summary>ASCII bytes b[at..at+count) as a string (for messages, not for the inference path).</summary>
        public static string GetAscii(byte[] b, int at, int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++) chars[i] = (char)b[at + i];
            return new string(chars);
        }
    }
}
