using EdgeNet.Format;

namespace EdgeNet.Link
{
    /// <summary>
    /// Incremental frame parser for a byte stream that mixes binary frames and text lines. Feed it one byte
    /// at a time: outside a frame every byte but the start byte is text; inside, it collects the header,
    /// payload and CRC. A frame whose length is impossible or whose CRC does not match is reported as bad
    /// and the decoder hunts for the next start byte. Buffers are allocated once.
    /// </summary>
    public sealed class FrameDecoder
    {
        /// <summary>What <see cref="Push"/> found.</summary>
        public const int None = 0, FrameReady = 1, BadFrame = 2, Text = 3;

        private readonly byte[] _buffer = new byte[LinkProtocol.MaxFrame];
        private int _count;
        private int _need;

        public int Type { get { return _buffer[1]; } }
        public int Seq { get { return FrameEncoder.GetU16(_buffer, 2); } }
        public int PayloadLength { get { return FrameEncoder.GetU16(_buffer, 4); } }

        /// <summary>The frame bytes; the payload starts at <see cref="LinkProtocol.HeaderBytes"/>.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Why the last frame was bad.</summary>
        public string Problem;

        /// <summary>True while part of a frame has been received.</summary>
        public bool InFrame { get { return _count > 0; } }

        /// <summary>Drops a partial frame (the sender went quiet in the middle of it).</summary>
        public void Reset()
        {
            _count = 0;
        }

        public int Push(byte b)
        {
            if (_count == 0)
            {
                if (b != LinkProtocol.Start) return Text;
                _buffer[0] = b;
                _count = 1;
                _need = LinkProtocol.HeaderBytes;
                return None;
            }
            _buffer[_count++] = b;
            if (_count < _need) return None;
            if (_count == LinkProtocol.HeaderBytes)
            {
                int length = PayloadLength;
                if (length > LinkProtocol.MaxPayload)
                {
                    _count = 0;
                    Problem = "frame length " + length.ToString() + " above " + LinkProtocol.MaxPayload.ToString();
                    return BadFrame;
                }
                _need = LinkProtocol.HeaderBytes + length + LinkProtocol.CrcBytes;
                return None;
            }
            // Whole frame present.
            _count = 0;
            int end = _need - LinkProtocol.CrcBytes;
            uint expected = FrameEncoder.GetU32(_buffer, end);
            uint actual = Crc32.Compute(_buffer, 1, end - 1);
            if (expected != actual)
            {
                Problem = "frame CRC mismatch (type 0x" + Type.ToString("X2") + ", seq " + Seq.ToString() + ")";
                return BadFrame;
            }
            return FrameReady;
        }
    }
}
