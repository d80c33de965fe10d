using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Fleet;
using EdgeNet.Firmware.Hal;
using EdgeNet.Firmware.Pipeline;
using EdgeNet.Firmware.Store;
using EdgeNet.Link;
using EdgeNet.Security;

namespace EdgeNet.Firmware.Update
{
    /// <summary>
    /// The device end of the serial protocol (docs/serial-protocol.md): decodes frames from the host,
    /// feeds a model or board-configuration transfer into its store chunk by chunk (stop-and-wait,
    /// idempotent on retries), answers Ack/Nak/Done/Error, serves reads of the running files and layer
    /// dumps, and switches the pipeline to a new model only after the store verified and activated it.
    /// Every failure is also written as an "E" line naming the model that keeps running.
    /// The frames arrive over the UART and, when the board has one, over a message transport (MQTT, one
    /// frame per message, docs/fleet.md): one transfer state and one set of checks for both. With a fleet
    /// key in board.cfg, a Commit must carry the file's HMAC-SHA-256 signature on either transport.
    /// </summary>
    public sealed class UpdateService
    {
        private readonly ISerialPort _port;
        private readonly ModelStore _store;
        private readonly ConfigStore _configs;
        private readonly SensorPipeline _pipeline;
        private readonly BoardConfig _config;
        private readonly TextOut _out;
        private readonly FrameDecoder _decoder = new FrameDecoder();
        // Allocated when a message transport is attached, and for a board with a fleet key: a serial-only
        // board without a key keeps the RAM budget of Firmware.CoreBufferBytes.
        private FrameDecoder _messageDecoder;
        private byte[] _message;
        private IMessageTransport _messages;
        private readonly FileSignature _signature;
        private readonly byte[] _tag;

        // Where the frame being handled came from: replies go back the same way.
        private bool _replyByMessage;
        private long _lastStatusMs;
        private bool _statusDue = true;
        private readonly byte[] _rx = new byte[256];
        private readonly byte[] _tx = new byte[LinkProtocol.MaxFrame];
        private readonly byte[] _payload = new byte[LinkProtocol.MaxPayload];

        private long _lastByteMs;
        private long _lastTransferMs;
        private int _target = -1;     // LinkProtocol.TargetModel or TargetConfig while a transfer runs
        private int _chunkSize;
        private int _nextChunk;

        // The answer to the last Commit, kept apart from every other reply so that a repeated Commit (its
        // answer was lost) gets that answer again, whatever was sent in between.
        private bool _commitAnswered;
        private uint _commitCrc;
        private int _commitCode;
        private string _commitMessage;

        public UpdateService(ISerialPort port, ModelStore store, SensorPipeline pipeline, BoardConfig config, TextOut output)
            : this(port, store, null, pipeline, config, output)
        {
        }

        public UpdateService(ISerialPort port, ModelStore store, ConfigStore configs, SensorPipeline pipeline, BoardConfig config, TextOut output)
        {
            _port = port;
            _store = store;
            _configs = configs;
            _pipeline = pipeline;
            _config = config;
            _out = output;
            if (config.FleetKey != null)
            {
                _signature = new FileSignature(config.FleetKey);
                _tag = new byte[FileSignature.TagBytes];
            }
        }

        /// <summary>The board's message link to the fleet (null: serial only). Set by the board layer before the first Poll.</summary>
        public IMessageTransport Messages
        {
            get { return _messages; }
            set
            {
                _messages = value;
                if (value != null && _message == null)
                {
                    _message = new byte[LinkProtocol.MaxFrame];
                    _messageDecoder = new FrameDecoder();
                }
            }
        }

        /// <summary>RAM the message transport adds to <see cref="Firmware.CoreBufferBytes"/> (message buffer and its frame decoder), beside the board layer's queue.</summary>
        public const int MessageBufferBytes = 2 * LinkProtocol.MaxFrame;

        /// <summary>Free-heap report for the status message (null: reported as -1).</summary>
        public IMemory Memory;

        /// <summary>The retained status is republished at least this often (and after every update and every Ping over the transport).</summary>
        public int StatusIntervalMs = 30000;

        /// <summary>Messages taken from the transport per Poll at most, so sampling keeps its pace.</summary>
        public const int MessagesPerPoll = 8;

        /// <summary>Last update failure, "code: reason" (empty when none since boot); the status message reports it.</summary>
        public string LastError = "";

        /// <summary>Firmware release reported in the status message.</summary>
        public const string FirmwareVersion = "1.1.0";

        /// <summary>Updates completed, updates refused or abandoned, frames that failed their CRC.</summary>
        public int Updates, Failures, BadFrames;

        private bool InTransfer
        {
            get { return _target == LinkProtocol.TargetModel ? _store.Transfer.Active : _target == LinkProtocol.TargetConfig && _configs.Transfer.Active; }
        }

        /// <summary>Reads what the port has and handles every complete frame; never blocks.</summary>
        public void Poll(long now)
        {
            int n = _port.Read(_rx, 0, _rx.Length);
            // Drop a partial frame only when the line has been silent, not when this loop was slow to come
            // back: bytes already waiting are part of the frame.
            if (n == 0 && _decoder.InFrame && now - _lastByteMs > LinkProtocol.FrameIdleMs) _decoder.Reset();
            // Only a valid frame of the transfer keeps an update alive (see Handle): noise on a line whose
            // host is gone must not hold the temporary file open forever.
            if (n > 0) _lastByteMs = now;
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
            _replyByMessage = false;
            if (Messages != null) PollMessages(now);
            if (InTransfer && now - _lastTransferMs > _config.UpdateTimeoutMs)
            {
                Fail(now, LinkError.Timeout, "no data for " + _config.UpdateTimeoutMs.ToString() + " ms after " + Received().ToString() + " of " + Expected().ToString() + " bytes (connection lost?)", false, 0);
            }
        }

        // Each message is one whole frame: the decoder starts afresh for it, and a message that does not
        // end in a complete valid frame is Nak'ed (the host resends it).
        private void PollMessages(long now)
        {
            for (int m = 0; m < MessagesPerPoll; m++)
            {
                int n = Messages.Receive(_message, 0, _message.Length);
                if (n == 0) break;
                _replyByMessage = true;
                _messageDecoder.Reset();
                int r = FrameDecoder.Text;
                for (int i = 0; i < n && r != FrameDecoder.FrameReady && r != FrameDecoder.BadFrame; i++) r = _messageDecoder.Push(_message[i]);
                if (r == FrameDecoder.FrameReady) Handle(now, _messageDecoder);
                else
                {
                    BadFrames++;
                    Reply(LinkProtocol.Nak, _messageDecoder.Seq, LinkError.BadFrame, r == FrameDecoder.BadFrame ? _messageDecoder.Problem : "message is not one whole frame");
                }
            }
            _replyByMessage = false;
            if (_statusDue || now - _lastStatusMs >= StatusIntervalMs) PublishStatus(now);
        }

        /// <summary>Publishes the retained status message now (the board layer calls this after it reconnects).</summary>
        public void PublishStatus(long now)
        {
            if (Messages == null) return;
            _statusDue = false;
            _lastStatusMs = now;
            string json = FleetStatus.Json(this, _store, _pipeline, _config, Memory, now);
            byte[] bytes = FleetStatus.Utf8(json);
            Messages.PublishStatus(bytes, 0, bytes.Length);
        }

        private void Handle(long now)
        {
            Handle(now, _decoder);
        }

        private void Handle(long now, FrameDecoder decoder)
        {
            byte[] f = decoder.Buffer;
            int type = decoder.Type;
            int seq = decoder.Seq;
            int length = decoder.PayloadLength;
            int at = LinkProtocol.HeaderBytes;
            switch (type)
            {
                case LinkProtocol.Ping:
                    SendText(LinkProtocol.Status, seq, Status());
                    if (_replyByMessage) _statusDue = true;
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
                    Chunk(now, f, at, seq, length);
                    break;

                case LinkProtocol.Commit:
                    Commit(now, f, at, seq, length);
                    break;

                case LinkProtocol.Abort:
                    if (InTransfer) _out.Line('I', now, "update aborted by the host; model " + ModelName() + " still active");
                    AbortTransfer();
                    Reply(LinkProtocol.Ack, seq, 0, null);
                    break;

                case LinkProtocol.Read:
                    Read(f, at, seq, length);
                    break;

                case LinkProtocol.NewSession:
                    // The host's recordings are separate streams: windows and recurrent state must not run
                    // across the join (the trainer's --session-column). Boot starts in the same state.
                    _pipeline.Restart();
                    _out.Line('I', now, "new session: input window and recurrent state cleared");
                    Reply(LinkProtocol.Ack, seq, 0, null);
                    break;

                case LinkProtocol.Dump:
                    Dump(f, at, seq, length);
                    break;

                default:
                    Reply(LinkProtocol.Nak, seq, LinkError.BadRequest, "unknown frame type 0x" + type.ToString("X2"));
                    break;
            }
        }

        private void Begin(long now, byte[] f, int at, int seq, int length)
        {
            if (length != LinkProtocol.BeginBytes && length != LinkProtocol.BeginTargetBytes) { Fail(now, LinkError.BadRequest, "Begin payload is " + length.ToString() + " bytes, expected " + LinkProtocol.BeginBytes.ToString() + " or " + LinkProtocol.BeginTargetBytes.ToString(), true, seq); return; }
            int protocol = f[at];
            int format = FrameEncoder.GetU16(f, at + 1);
            int total = (int)FrameEncoder.GetU32(f, at + 3);
            uint crc = FrameEncoder.GetU32(f, at + 7);
            int chunk = FrameEncoder.GetU16(f, at + 11);
            int target = length == LinkProtocol.BeginTargetBytes ? f[at + 13] : LinkProtocol.TargetModel;
            if (target == LinkProtocol.TargetConfig && _configs == null) { Fail(now, LinkError.BadRequest, "this board keeps no configuration file", true, seq); return; }
            if (target != LinkProtocol.TargetModel && target != LinkProtocol.TargetConfig) { Fail(now, LinkError.BadRequest, "Begin target " + target.ToString() + " is not 0 (model) or 1 (board configuration)", true, seq); return; }
            if (protocol != LinkProtocol.Version) { Fail(now, LinkError.ProtocolVersion, "protocol version " + protocol.ToString() + " is not supported (this device speaks " + LinkProtocol.Version.ToString() + ")", true, seq); return; }
            if (target == LinkProtocol.TargetModel && (format < ModelFormat.OldestVersion || format > ModelFormat.Version)) { Fail(now, LinkError.FormatVersion, "model format version " + format.ToString() + " is not supported (this firmware reads versions " + ModelFormat.OldestVersion.ToString() + " to " + ModelFormat.Version.ToString() + ")", true, seq); return; }
            if (chunk < 1 || chunk > LinkProtocol.MaxPayload) { Fail(now, LinkError.BadRequest, "chunk size " + chunk.ToString() + " outside 1.." + LinkProtocol.MaxPayload.ToString(), true, seq); return; }
            if (total < 0) total = int.MaxValue;
            if (InTransfer && _target == target && Expected() == total && ExpectedCrc() == crc && _chunkSize == chunk)
            {
                // The same Begin again (our Ack was lost, the line duplicated or delayed it, or the host
                // restarted): never restart a transfer for it. The Ack says which chunk comes next, so a
                // restarted host can resume.
                _lastTransferMs = now;
                AckNext(seq);
                return;
            }
            string message;
            int code;
            AbortTransfer();
            _target = target;
            code = target == LinkProtocol.TargetModel ? _store.Begin(total, crc, out message) : _configs.Begin(total, crc, out message);
            if (code != 0) { Fail(now, code, message, true, seq); return; }
            _chunkSize = chunk;
            _nextChunk = 1;
            if (_signature != null) _signature.Start(target, total);
            _lastTransferMs = now;
            _out.Line('I', now, (target == LinkProtocol.TargetModel ? "receiving a model of " : "receiving a board configuration of ") + total.ToString() + " bytes");
            AckNext(seq);
        }

        private void Chunk(long now, byte[] f, int at, int seq, int length)
        {
            if (!InTransfer) { Reply(LinkProtocol.Nak, seq, LinkError.NoTransfer, "no update in progress (send Begin first)"); return; }
            _lastTransferMs = now;
            // Already written (our Ack was lost, or a delayed copy): acknowledge, write nothing.
            if (seq >= 1 && seq < _nextChunk) { Reply(LinkProtocol.Ack, seq, 0, null); return; }
            if (seq != _nextChunk) { Reply(LinkProtocol.Nak, seq, LinkError.OutOfOrder, "expected chunk " + _nextChunk.ToString() + ", got " + seq.ToString()); return; }
            if (length > _chunkSize) { Fail(now, LinkError.BadRequest, "chunk " + seq.ToString() + " is " + length.ToString() + " bytes, Begin announced " + _chunkSize.ToString() + "-byte chunks", true, seq); return; }
            string message;
            int code = _target == LinkProtocol.TargetModel ? _store.Write(f, at, length, out message) : _configs.Write(f, at, length, out message);
            if (code != 0) { Fail(now, code, message, true, seq); return; }
            if (_signature != null) _signature.Update(f, at, length);
            _nextChunk++;
            Reply(LinkProtocol.Ack, seq, 0, null);
        }

        private void Commit(long now, byte[] f, int at, int seq, int length)
        {
            if (length != 0 && length != LinkProtocol.CommitBytes && length != LinkProtocol.CommitSignedBytes) { Reply(LinkProtocol.Error, seq, LinkError.BadRequest, "Commit payload is " + length.ToString() + " bytes, expected 0, " + LinkProtocol.CommitBytes.ToString() + " or " + LinkProtocol.CommitSignedBytes.ToString()); return; }
            bool named = length >= LinkProtocol.CommitBytes;
            uint crc = named ? FrameEncoder.GetU32(f, at) : 0;
            if (!InTransfer)
            {
                // The host repeats Commit when our answer was lost: the same answer again. After a reset
                // the answer is gone, but a Commit naming the running model's CRC did succeed.
                if (_commitAnswered && (!named || crc == _commitCrc)) { Reply(_commitCode == 0 ? LinkProtocol.Done : LinkProtocol.Error, seq, _commitCode, _commitMessage); return; }
                if (named && _store.Active != null && crc == _store.ActiveCrc) { SendText(LinkProtocol.Done, seq, ModelDone(_store.Active, _store.ActiveLength)); return; }
                Reply(LinkProtocol.Error, seq, LinkError.NoTransfer, "no update in progress");
                return;
            }
            if (named && crc != ExpectedCrc())
            {
                // A stale Commit of an earlier transfer: it must not end this one.
                Reply(LinkProtocol.Nak, seq, LinkError.OutOfOrder, "Commit names CRC-32 0x" + crc.ToString("X8") + ", the transfer in progress has 0x" + ExpectedCrc().ToString("X8"));
                return;
            }
            if (seq != _nextChunk) { Reply(LinkProtocol.Nak, seq, LinkError.OutOfOrder, "expected chunk " + _nextChunk.ToString() + ", got Commit " + seq.ToString()); return; }
            _lastTransferMs = now;
            uint transferCrc = ExpectedCrc();
            if (_signature != null)
            {
                // Checked before anything is parsed or renamed: an unsigned or wrongly signed file never
                // reaches the reader, and the running file stays.
                if (length != LinkProtocol.CommitSignedBytes) { Fail(now, LinkError.Unsigned, "this board has a fleet key: the file must be signed (Commit with its HMAC-SHA-256)", true, seq); return; }
                _signature.Finish(_tag, 0);
                if (!HmacSha256.Equal(_tag, 0, f, at + LinkProtocol.CommitBytes, FileSignature.TagBytes)) { Fail(now, LinkError.BadSignature, "the signature does not match the file and this board's fleet key", true, seq); return; }
            }
            int code;
            string message;
            if (_target == LinkProtocol.TargetConfig) code = CommitConfig(now, out message);
            else code = CommitModel(now, out message);
            _commitAnswered = true;
            _commitCrc = transferCrc;
            _commitCode = code;
            _commitMessage = message;
            _statusDue = true;
            if (code == 0) SendText(LinkProtocol.Done, seq, message);
            else Fail(now, code, message, true, seq);
        }

        private int CommitModel(long now, out string message)
        {
            _dumpEngine = null; // frees the last dump's buffers before the new model is read into RAM
            int code;
            Model m = _store.Verify(out code, out message);
            if (m == null) return code;
            string bindError;
            if (_config.Bind(m, out bindError) == null)
            {
                _store.Abort();
                message = bindError;
                return LinkError.Unbound;
            }
            int length = _store.Transfer.Expected;
            if (!_store.Activate(m, out message)) return LinkError.Storage;
            _pipeline.Bind(m, out message);
            Updates++;
            message = ModelDone(m, length);
            _out.Line('I', now, message);
            return 0;
        }

        private int CommitConfig(long now, out string message)
        {
            int code;
            int length = _configs.Transfer.Expected;
            string notes;
            BoardConfig parsed = _configs.Commit(out code, out message, out notes);
            if (parsed == null) return code;
            Updates++;
            message = "board configuration stored in " + ConfigStore.ActiveFile + " (" + length.ToString() + " bytes, " + parsed.Sensors.Length.ToString() + " sensors); it takes effect at the next boot";
            if (notes.Length > 0) message += "; note: " + notes;
            string bindError;
            if (_store.Active != null && parsed.Bind(_store.Active, out bindError) == null) message += "; note: model " + _store.Active.Name + " does not bind to it: " + bindError;
            _out.Line('I', now, message);
            return 0;
        }

        private static string ModelDone(Model m, int length)
        {
            return "model " + m.Name + " active (" + length.ToString() + " bytes, " + m.ClassCount.ToString() + " classes, RAM " + (m.ParameterBytes + m.ArenaBytes).ToString() + " bytes)";
        }

        /// <summary>Read: target (u8) and offset (u32); answers Data with up to DataChunk bytes of the running model or board.cfg.</summary>
        private void Read(byte[] f, int at, int seq, int length)
        {
            if (length != 5) { Reply(LinkProtocol.Error, seq, LinkError.BadRequest, "Read payload is " + length.ToString() + " bytes, expected 5"); return; }
            int target = f[at];
            int offset = (int)FrameEncoder.GetU32(f, at + 1);
            int h = LinkProtocol.DataHeaderBytes;
            int total, n;
            uint crc;
            try
            {
                if (target == LinkProtocol.TargetModel)
                {
                    if (_store.Active == null) { Reply(LinkProtocol.Error, seq, LinkError.NoModel, "no model is running"); return; }
                    total = _store.ActiveLength;
                    crc = _store.ActiveCrc;
                    n = offset < 0 || offset >= total ? 0 : _store.ReadActive(offset, _payload, h, Min(LinkProtocol.DataChunk, total - offset));
                }
                else if (target == LinkProtocol.TargetConfig && _configs != null && _config.FleetKey != null)
                {
                    Reply(LinkProtocol.Error, seq, LinkError.BadRequest, ConfigStore.ActiveFile + " holds this board's fleet key and is not read back");
                    return;
                }
                else if (target == LinkProtocol.TargetConfig && _configs != null)
                {
                    total = _configs.Length();
                    if (total < 0) { Reply(LinkProtocol.Error, seq, LinkError.NoFile, "no " + ConfigStore.ActiveFile + " on flash: the board runs its built-in configuration"); return; }
                    // CRC of the whole file, read in pieces through the payload buffer (no allocation).
                    uint c = Crc32.Start;
                    for (int p = 0; p < total; )
                    {
                        int got = _configs.ReadAt(p, _payload, 0, Min(_payload.Length, total - p));
                        if (got <= 0) break;
                        c = Crc32.Update(c, _payload, 0, got);
                        p += got;
                    }
                    crc = Crc32.Finish(c);
                    n = offset < 0 || offset >= total ? 0 : _configs.ReadAt(offset, _payload, h, Min(LinkProtocol.DataChunk, total - offset));
                }
                else { Reply(LinkProtocol.Error, seq, LinkError.BadRequest, "Read target " + target.ToString() + " is not 0 (model) or 1 (board configuration)"); return; }
            }
            catch (System.Exception e)
            {
                Reply(LinkProtocol.Error, seq, LinkError.Storage, "reading failed: " + e.Message);
                return;
            }
            FrameEncoder.PutU32(_payload, 0, (uint)total);
            FrameEncoder.PutU32(_payload, 4, crc);
            FrameEncoder.PutU32(_payload, 8, (uint)offset);
            Send(LinkProtocol.Data, seq, h + (n < 0 ? 0 : n));
        }

        /// <summary>The engine `edgenet dump` runs, in dump mode (every layer's output kept); null until the first dump.</summary>
        private InferenceEngine _dumpEngine;

        /// <summary>
        /// Dump: part (u16), reading count R (u16), R readings of int32 per model input (model units). R = 0
        /// answers Data with the last live reading; else the engine restarts, takes the R readings with an
        /// inference after each, and Data carries part P (DataChunk bytes each) of the input tensor followed
        /// by every layer's output after the last one. The classification window restarts afterwards.
        /// </summary>
        private void Dump(byte[] f, int at, int seq, int length)
        {
            InferenceEngine live = _pipeline.Engine;
            if (live == null || _store.Active == null || live.Model != _store.Active) { Reply(LinkProtocol.Error, seq, LinkError.NoModel, "no model runs on this board's sensors"); return; }
            Model m = live.Model;
            // The classifying engine shares buffers between hidden layers; a dump keeps every layer's output, so
            // it runs an engine of its own in dump mode, made at the first dump of this model (never on the
            // inference path).
            if (_dumpEngine == null || _dumpEngine.Model != m) _dumpEngine = new InferenceEngine(m, true);
            InferenceEngine engine = _dumpEngine;
            int features = m.FeatureCount;
            if (length < 4) { Reply(LinkProtocol.Error, seq, LinkError.BadRequest, "Dump payload is " + length.ToString() + " bytes, expected at least 4"); return; }
            int part = FrameEncoder.GetU16(f, at);
            int count = FrameEncoder.GetU16(f, at + 2);
            if (length != 4 + count * features * 4) { Reply(LinkProtocol.Error, seq, LinkError.BadRequest, "Dump of " + count.ToString() + " readings of " + features.ToString() + " inputs needs " + (4 + count * features * 4).ToString() + " payload bytes, got " + length.ToString()); return; }
            int h = LinkProtocol.DataHeaderBytes;
            int[] reading = new int[features];
            if (count == 0)
            {
                if (!_pipeline.LastReading(reading)) { Reply(LinkProtocol.Error, seq, LinkError.NoModel, "no reading has reached the model yet"); return; }
                for (int i = 0; i < features; i++) FrameEncoder.PutU32(_payload, h + 4 * i, (uint)reading[i]);
                FrameEncoder.PutU32(_payload, 0, (uint)(4 * features));
                FrameEncoder.PutU32(_payload, 4, 0);
                FrameEncoder.PutU32(_payload, 8, 0);
                Send(LinkProtocol.Data, seq, h + 4 * features);
                return;
            }
            engine.Reset();
            for (int r = 0; r < count; r++)
            {
                for (int i = 0; i < features; i++) reading[i] = (int)FrameEncoder.GetU32(f, at + 4 + 4 * (r * features + i));
                engine.PushReading(reading);
                engine.Invoke();
            }
            int total = m.InputLength;
            for (int l = 0; l < m.Layers.Length; l++) total += m.Layers[l].OutputLength;
            int offset = part * LinkProtocol.DataChunk;
            int n = 0;
            int tensorStart = 0;
            for (int t = -1; t < m.Layers.Length && offset + n < total && n < LinkProtocol.DataChunk; t++)
            {
                sbyte[] y = t < 0 ? engine.Input : engine.LayerOutput(t);
                int tensorEnd = tensorStart + y.Length;
                for (int k = offset + n; k < tensorEnd && n < LinkProtocol.DataChunk; k++) _payload[h + n++] = (byte)y[k - tensorStart];
                tensorStart = tensorEnd;
            }
            _pipeline.Restart();
            FrameEncoder.PutU32(_payload, 0, (uint)total);
            FrameEncoder.PutU32(_payload, 4, 0);
            FrameEncoder.PutU32(_payload, 8, (uint)offset);
            Send(LinkProtocol.Data, seq, h + n);
        }

        private static int Min(int a, int b)
        {
            return a < b ? a : b;
        }

        /// <summary>Abandons the update, reports why (Error frame when replying, and an E line), keeps the old model.</summary>
        private void Fail(long now, int code, string message, bool reply, int seq)
        {
            AbortTransfer();
            Failures++;
            LastError = LinkError.Name(code) + ": " + message;
            _out.Line('E', now, "update failed: " + LinkError.Name(code) + ": " + message + "; model " + ModelName() + " still active");
            if (reply) Reply(LinkProtocol.Error, seq, code, message);
        }

        private void AbortTransfer()
        {
            _store.Abort();
            if (_configs != null) _configs.Abort();
            _target = -1;
        }

        /// <summary>The transfer of the current target (the model's when none runs).</summary>
        private FileTransfer Transfer()
        {
            return _target == LinkProtocol.TargetConfig ? _configs.Transfer : _store.Transfer;
        }

        private int Received()
        {
            return Transfer().Received;
        }

        private int Expected()
        {
            return Transfer().Expected;
        }

        private uint ExpectedCrc()
        {
            return Transfer().ExpectedCrc;
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
            return s + "; model " + m.Name + " from " + _store.Source + ", " + m.FeatureCount.ToString() + " inputs x window " + m.WindowLength.ToString() + ", " + m.ClassCount.ToString() + " classes; rate " + _config.RateHz.ToString() + " Hz; kernels " + KernelSelection.Describe(m) + "; model crc 0x" + _store.ActiveCrc.ToString("X8");
        }

        private void RawHeader(long now)
        {
            _out.Begin('H', now);
            for (int s = 0; s < _config.Sensors.Length; s++) _out.Tab().Str(_config.Sensors[s].Name);
            _out.End();
        }

        /// <summary>Ack of a Begin: the number of the chunk expected next (u16), so a restarted host can resume.</summary>
        private void AckNext(int seq)
        {
            FrameEncoder.PutU16(_payload, 0, _nextChunk);
            Send(LinkProtocol.Ack, seq, 2);
        }

        private void SendText(int type, int seq, string text)
        {
            int n = FrameEncoder.PutAscii(_payload, 0, text);
            Send(type, seq, n);
        }

        private void Reply(int type, int seq, int code, string message)
        {
            if (type == LinkProtocol.Done) { SendText(type, seq, message); return; }
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
            if (_replyByMessage) Messages.Send(_tx, 0, n);
            else _port.Write(_tx, 0, n);
        }
    }
}
