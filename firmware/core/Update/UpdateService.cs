using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Hal;
using EdgeNet.Firmware.Pipeline;
using EdgeNet.Firmware.Store;
using EdgeNet.Link;

namespace EdgeNet.Firmware.Update
{
    /// <summary>
    /// The device end of the serial protocol (docs/serial-protocol.md): decodes frames from the host,
    /// feeds a model update into the store chunk by chunk (stop-and-wait, idempotent on retries), answers
    /// Ack/Nak/Done/Error, and switches the pipeline to the new model only after the store verified and
    /// activated it. Every failure is also written as an "E" line naming the model that keeps running.
    /// </summary>
    public sealed class UpdateService
    {
        private readonly ISerialPort _port;
        private readonly ModelStore _store;
        private readonly SensorPipeline _pipeline;
        private readonly BoardConfig _config;
        private readonly TextOut _out;
        private readonly FrameDecoder _decoder = new FrameDecoder();
        private readonly byte[] _rx = new byte[256];
        private readonly byte[] _tx = new byte[LinkProtocol.MaxFrame];
        private readonly byte[] _payload = new byte[LinkProtocol.MaxPayload];

        private long _lastByteMs;
        private long _lastTransferMs;
        private int _nextChunk;
        private int _lastReplyLength;
        private bool _lastWasCommit;

        public UpdateService(ISerialPort port, ModelStore store, SensorPipeline pipeline, BoardConfig config, TextOut output)
        {
            _port = port;
            _store = store;
            _pipeline = pipeline;
            _config = config;
            _out = output;
        }

        /// <summary>Updates completed, updates refused or abandoned, frames that failed their CRC.</summary>
        public int Updates, Failures, BadFrames;

        /// <summary>Reads what the port has and handles every complete frame; never blocks.</summary>
        public void Poll(long now)
        {
            int n = _port.Read(_rx, 0, _rx.Length);
            // Drop a partial frame only when the line has been silent, not when this loop was slow to come
            // back: bytes already waiting are part of the frame.
            if (n == 0 && _decoder.InFrame && now - _lastByteMs > LinkProtocol.FrameIdleMs) _decoder.Reset();
            if (n > 0)
            {
                // Any byte from the host counts as a live link: an update times out only on a silent line.
                _lastByteMs = now;
                _lastTransferMs = now;
            }
            for (int i = 0; i < n; i++)
            {
                int r = _decoder.Push(_rx[i]);
                if (r == FrameDecoder.FrameReady) Handle(now);
                else if (r == FrameDecoder.BadFrame)
                {
                    BadFrames++;
                    Reply(LinkProtocol.Nak, _decoder.Seq, LinkError.BadFrame, _decoder.Problem);
                }
            }
            if (_store.InTransfer && now - _lastTransferMs > _config.UpdateTimeoutMs)
            {
                Fail(now, LinkError.Timeout, "no data for " + _config.UpdateTimeoutMs.ToString() + " ms after " + _store.Received.ToString() + " of " + _store.Expected.ToString() + " bytes (connection lost?)", false, 0);
            }
        }

        private void Handle(long now)
        {
            byte[] f = _decoder.Buffer;
            int type = _decoder.Type;
            int seq = _decoder.Seq;
            int length = _decoder.PayloadLength;
            int at = LinkProtocol.HeaderBytes;
            if (type != LinkProtocol.Commit) _lastWasCommit = false;
            switch (type)
            {
                case LinkProtocol.Ping:
                    SendText(LinkProtocol.Status, seq, Status());
                    break;

                case LinkProtocol.Mode:
                    if (length != 1 || f[at] > LinkProtocol.ModeRaw) { Reply(LinkProtocol.Nak, seq, LinkError.BadRequest, "mode must be 0 (classify) or 1 (raw)"); break; }
                    _pipeline.Mode = f[at];
                    Reply(LinkProtocol.Ack, seq, 0, null);
                    if (f[at] == LinkProtocol.ModeRaw) RawHeader(now);
                    break;

                case LinkProtocol.Begin:
                    Begin(now, f, at, seq, length);
                    break;

                case LinkProtocol.Chunk:
                    _lastTransferMs = now;
                    if (!_store.InTransfer) { Reply(LinkProtocol.Nak, seq, LinkError.NoTransfer, "no update in progress (send Begin first)"); break; }
                    if (seq == _nextChunk - 1) { Reply(LinkProtocol.Ack, seq, 0, null); break; } // our Ack was lost: the chunk is already written
                    if (seq != _nextChunk) { Reply(LinkProtocol.Nak, seq, LinkError.OutOfOrder, "expected chunk " + _nextChunk.ToString() + ", got " + seq.ToString()); break; }
                    string message;
                    int code = _store.Write(f, at, length, out message);
                    if (code != 0) { Fail(now, code, message, true, seq); break; }
                    _nextChunk++;
                    Reply(LinkProtocol.Ack, seq, 0, null);
                    break;

                case LinkProtocol.Commit:
                    Commit(now, seq);
                    break;

                case LinkProtocol.Abort:
                    if (_store.InTransfer) _out.Line('I', now, "update aborted by the host; model " + ModelName() + " still active");
                    _store.Abort();
                    Reply(LinkProtocol.Ack, seq, 0, null);
                    break;

                default:
                    Reply(LinkProtocol.Nak, seq, LinkError.BadRequest, "unknown frame type 0x" + type.ToString("X2"));
                    break;
            }
        }

        private void Begin(long now, byte[] f, int at, int seq, int length)
        {
            _lastTransferMs = now;
            if (length != LinkProtocol.BeginBytes) { Fail(now, LinkError.BadRequest, "Begin payload is " + length.ToString() + " bytes, expected " + LinkProtocol.BeginBytes.ToString(), true, seq); return; }
            int protocol = f[at];
            int format = FrameEncoder.GetU16(f, at + 1);
            int total = (int)FrameEncoder.GetU32(f, at + 3);
            uint crc = FrameEncoder.GetU32(f, at + 7);
            int chunk = FrameEncoder.GetU16(f, at + 11);
            if (protocol != LinkProtocol.Version) { Fail(now, LinkError.ProtocolVersion, "protocol version " + protocol.ToString() + " is not supported (this device speaks " + LinkProtocol.Version.ToString() + ")", true, seq); return; }
            if (format < ModelFormat.OldestVersion || format > ModelFormat.Version) { Fail(now, LinkError.FormatVersion, "model format version " + format.ToString() + " is not supported (this firmware reads versions " + ModelFormat.OldestVersion.ToString() + " to " + ModelFormat.Version.ToString() + ")", true, seq); return; }
            if (chunk < 1 || chunk > LinkProtocol.MaxPayload) { Fail(now, LinkError.BadRequest, "chunk size " + chunk.ToString() + " outside 1.." + LinkProtocol.MaxPayload.ToString(), true, seq); return; }
            if (total < 0) total = int.MaxValue;
            if (_store.InTransfer && _nextChunk == 1 && _store.Expected == total && _store.ExpectedCrc == crc)
            {
                // The same Begin again before any chunk (our Ack was lost, or the line duplicated it):
                // answer again without recreating the file (no flash write a reset could cut).
                Reply(LinkProtocol.Ack, seq, 0, null);
                return;
            }
            string message;
            int code = _store.Begin(total, crc, out message);
            if (code != 0) { Fail(now, code, message, true, seq); return; }
            _nextChunk = 1;
            _out.Line('I', now, "receiving a model of " + total.ToString() + " bytes");
            Reply(LinkProtocol.Ack, seq, 0, null);
        }

        private void Commit(long now, int seq)
        {
            if (!_store.InTransfer)
            {
                // The host repeats Commit when our answer was lost: answer the same again.
                if (_lastWasCommit && _lastReplyLength > 0) { _port.Write(_tx, 0, _lastReplyLength); return; }
                Reply(LinkProtocol.Error, seq, LinkError.NoTransfer, "no update in progress");
                return;
            }
            int code;
            string message;
            Model m = _store.Verify(out code, out message);
            if (m == null) { Fail(now, code, message, true, seq); _lastWasCommit = true; return; }
            string bindError;
            if (_config.Bind(m, out bindError) == null)
            {
                _store.Abort();
                Fail(now, LinkError.Unbound, bindError, true, seq);
                _lastWasCommit = true;
                return;
            }
            if (!_store.Activate(m, out message)) { Fail(now, LinkError.Storage, message, true, seq); _lastWasCommit = true; return; }
            _pipeline.Bind(m, out message);
            Updates++;
            string done = "model " + m.Name + " active (" + _store.Expected.ToString() + " bytes, " + m.ClassCount.ToString() + " classes, RAM " + (m.ParameterBytes + m.ArenaBytes).ToString() + " bytes)";
            _out.Line('I', now, done);
            SendText(LinkProtocol.Done, seq, done);
            _lastWasCommit = true;
        }

        /// <summary>Abandons the update, reports why (Error frame when replying, and an E line), keeps the old model.</summary>
        private void Fail(long now, int code, string message, bool reply, int seq)
        {
            _store.Abort();
            Failures++;
            _out.Line('E', now, "update failed: " + LinkError.Name(code) + ": " + message + "; model " + ModelName() + " still active");
            if (reply) Reply(LinkProtocol.Error, seq, code, message);
        }

        private string ModelName()
        {
            return _store.Active == null ? "(none)" : _store.Active.Name;
        }

        private string Status()
        {
            Model m = _store.Active;
            string s = "EdgeNet firmware; protocol " + LinkProtocol.Version.ToString() + "; model format " + ModelFormat.Version.ToString() + "; max model " + _config.MaxModelBytes.ToString() + " bytes";
            if (m == null) return s + "; no model";
            return s + "; model " + m.Name + " from " + _store.Source + ", " + m.FeatureCount.ToString() + " inputs x window " + m.WindowLength.ToString() + ", " + m.ClassCount.ToString() + " classes; rate " + _config.RateHz.ToString() + " Hz";
        }

        private void RawHeader(long now)
        {
            _out.Begin('H', now);
            for (int s = 0; s < _config.Sensors.Length; s++) _out.Tab().Str(_config.Sensors[s].Name);
            _out.End();
        }

        private void SendText(int type, int seq, string text)
        {
            int n = FrameEncoder.PutAscii(_payload, 0, text);
            Send(type, seq, n);
        }

        private void Reply(int type, int seq, int code, string message)
        {
            int n = 0;
            if (type != LinkProtocol.Ack)
            {
                _payload[0] = (byte)code;
                n = 1 + (message == null ? 0 : FrameEncoder.PutAscii(_payload, 1, message));
            }
            Send(type, seq, n);
        }

        private void Send(int type, int seq, int length)
        {
            int n = FrameEncoder.Encode(type, seq, _payload, 0, length, _tx);
            _lastReplyLength = n;
            _port.Write(_tx, 0, n);
        }
    }
}
