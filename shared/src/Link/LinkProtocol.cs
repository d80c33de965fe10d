namespace EdgeNet.Link
{
    /// <summary>
    /// Constants of the serial model-update protocol v1 (docs/serial-protocol.md). One definition, compiled
    /// into the device build and the trainer alike.
    /// </summary>
    public static class LinkProtocol
    {
        public const int Version = 1;

        /// <summary>Start of a binary frame. Text lines from the device never contain this byte.</summary>
        public const byte Start = 0x01;

        /// <summary>start, type, seq (u16), payload length (u16).</summary>
        public const int HeaderBytes = 6;
        public const int CrcBytes = 4;
        public const int MaxPayload = 1024;
        public const int MaxFrame = HeaderBytes + MaxPayload + CrcBytes;

        /// <summary>Chunk size the host uses unless told otherwise.</summary>
        public const int DefaultChunk = 256;

        /// <summary>A partial frame is dropped when no byte of it arrived for this long.</summary>
        public const int FrameIdleMs = 250;

        /// <summary>The device abandons an update when no frame of it arrived for this long.</summary>
        public const int TransferIdleMs = 10000;

        /// <summary>Payload bytes of a Begin frame for a model (the original form).</summary>
        public const int BeginBytes = 13;

        /// <summary>Payload bytes of a Begin frame that names its target (a model or the board configuration).</summary>
        public const int BeginTargetBytes = 14;

        /// <summary>Payload bytes of a Commit frame that names the CRC-32 of the file it commits.</summary>
        public const int CommitBytes = 4;

        /// <summary>Payload bytes of a Commit that also carries the file's signature (CRC-32, then 32 bytes of HMAC-SHA-256; docs/fleet.md).</summary>
        public const int CommitSignedBytes = 36;

        /// <summary>Largest board configuration file the device accepts.</summary>
        public const int MaxConfigBytes = 8192;

        /// <summary>File bytes carried by one Data frame (the rest of the payload is its header).</summary>
        public const int DataChunk = 1000;

        /// <summary>Data payload header: total length (u32), CRC-32 of the whole (u32), offset (u32).</summary>
        public const int DataHeaderBytes = 12;

        // What a Begin, Commit or Read is about (the last Begin payload byte; 13-byte Begins mean a model).
        public const int TargetModel = 0;
        public const int TargetConfig = 1;

        // Host to device.
        public const int Ping = 0x10;
        public const int Begin = 0x11;
        public const int Chunk = 0x12;
        public const int Commit = 0x13;
        public const int Abort = 0x14;
        public const int Mode = 0x15;
        public const int Read = 0x16;
        public const int Dump = 0x17;
        /// <summary>A new session starts: the device clears its input window and recurrent state, as at boot.</summary>
        public const int NewSession = 0x18;

        // Device to host.
        public const int Ack = 0x81;
        public const int Nak = 0x82;
        public const int Done = 0x83;
        public const int Error = 0x84;
        public const int Status = 0x85;
        public const int Data = 0x86;

        // Mode frame payload.
        public const int ModeClassify = 0;
        public const int ModeRaw = 1;
    }

    /// <summary>Reason codes carried by Nak and Error frames (first payload byte), then an ASCII message.</summary>
    public static class LinkError
    {
        public const int BadFrame = 1;
        public const int OutOfOrder = 2;
        public const int NoTransfer = 3;
        public const int ProtocolVersion = 4;
        public const int FormatVersion = 5;
        public const int TooLarge = 6;
        public const int Truncated = 7;
        public const int ModelCrc = 8;
        public const int InvalidModel = 9;
        public const int DoesNotFit = 10;
        public const int Storage = 11;
        public const int Timeout = 12;
        public const int BadRequest = 13;
        public const int Unbound = 14;
        public const int NoMemory = 15;
        public const int InvalidConfig = 16;
        public const int NoFile = 17;
        public const int NoModel = 18;
        public const int Unsigned = 19;
        public const int BadSignature = 20;

        public static string Name(int code)
        {
            switch (code)
            {
                case BadFrame: return "bad-frame";
                case OutOfOrder: return "out-of-order";
                case NoTransfer: return "no-transfer";
                case ProtocolVersion: return "protocol-version";
                case FormatVersion: return "format-version";
                case TooLarge: return "too-large";
                case Truncated: return "truncated";
                case ModelCrc: return "model-crc";
                case InvalidModel: return "invalid-model";
                case DoesNotFit: return "does-not-fit";
                case Storage: return "storage";
                case Timeout: return "timeout";
                case BadRequest: return "bad-request";
                case Unbound: return "unbound-input";
                case NoMemory: return "no-memory";
                case InvalidConfig: return "invalid-config";
                case NoFile: return "no-file";
                case NoModel: return "no-model";
                case Unsigned: return "unsigned";
                case BadSignature: return "bad-signature";
                default: return "error-" + code.ToString();
            }
        }
    }
}
