using System.Text;
using EdgeNet.Link;

namespace EdgeNet.Trainer.Device;

/// <summary>A frame the device sent: Ack, Nak, Done, Error or Status.</summary>
public sealed record DeviceReply(int Type, int Seq, int Code, string Message)
{
    /// <summary>The frame's payload bytes (Data frames, the next-chunk number of a Begin's Ack).</summary>
    public byte[] Payload { get; init; } = [];

    public override string ToString() => Type switch
    {
        LinkProtocol.Ack => $"Ack {Seq}",
        LinkProtocol.Nak => $"Nak {Seq} ({LinkError.Name(Code)}: {Message})",
        LinkProtocol.Error => $"Error {LinkError.Name(Code)}: {Message}",
        _ => $"0x{Type:X2} {Seq}: {Message}",
    };
}

/// <summary>
/// The host end of the serial protocol: sends frames (the shared FrameEncoder), splits what the device
/// sends into frames (the shared FrameDecoder) and text lines, and does stop-and-wait requests with
/// timeout and retry. A Nak counts only when it carries the sequence number of the frame in flight (line
/// noise makes the device Nak frames the host never sent); after one the host waits a growing pause,
/// taking any late answer, before it resends. Queues and the line being assembled are bounded.
/// </summary>
public sealed class DeviceLink(IByteLink link)
{
    /// <summary>Longest text line kept; the rest of a longer line is dropped (noise without a newline).</summary>
    public const int MaxLineChars = 4096;

    /// <summary>Unread text lines kept; older ones are dropped first.</summary>
    public const int MaxQueuedLines = 10000;

    /// <summary>Unread device frames kept; older ones are dropped first.</summary>
    public const int MaxQueuedReplies = 256;

    private readonly FrameDecoder _decoder = new();
    private readonly byte[] _tx = new byte[LinkProtocol.MaxFrame];
    private readonly byte[] _rx = new byte[512];
    private int _rxCount, _rxAt;
    private readonly StringBuilder _line = new();
    private bool _lineTooLong;
    private readonly Queue<string> _lines = new();
    private readonly Queue<DeviceReply> _replies = new();
    private long _lastByte;

    public int TimeoutMs { get; set; } = 1000;

    /// <summary>
    /// A partial frame from the device is dropped after this long without a byte. Longer than the device's
    /// own limit: the device writes a frame in one go, so a gap means a busy host or USB stack far more often
    /// than a lost byte, and dropping too early would turn the rest of the frame into a garbled text line.
    /// </summary>
    public int FrameIdleMs { get; set; } = 2000;
    public int Retries { get; set; } = 8;

    /// <summary>Pause after the first Nak before resending; doubles with each Nak of the same frame up to <see cref="MaxBackoffMs"/>.</summary>
    public int BackoffMs { get; set; } = 20;
    public int MaxBackoffMs { get; set; } = 640;

    /// <summary>Milliseconds on a monotonic clock (a test runs the link in virtual time).</summary>
    public Func<long> Clock { get; set; } = () => Environment.TickCount64;

    /// <summary>Retransmissions so far (timeouts and Naks).</summary>
    public int Resent { get; private set; }

    /// <summary>Frames from the device that failed their CRC.</summary>
    public int BadFrames { get; private set; }

    /// <summary>Naks whose sequence number was not that of the frame in flight (answers to noise or to older frames).</summary>
    public int StaleNaks { get; private set; }

    /// <summary>Text lines and frames dropped because nobody read them (queues full) or a line was too long.</summary>
    public int DroppedLines { get; private set; }
    public int DroppedReplies { get; private set; }
    public int TruncatedLines { get; private set; }

    /// <summary>Called for every text line the device sends while a request waits (logs, classifications).</summary>
    public Action<string> OnLine { get; set; }

    private int _requestSeq;

    /// <summary>
    /// A sequence number no recent request used (1..65535, in turn), for Read and Dump requests: a delayed
    /// copy of an earlier answer then never passes for the answer to this one.
    /// </summary>
    public int NextSeq()
    {
        _requestSeq = _requestSeq % ushort.MaxValue + 1;
        return _requestSeq;
    }

    public void Send(int type, int seq, byte[] payload, int offset, int length)
    {
        int n = FrameEncoder.Encode(type, seq, payload ?? [], offset, length, _tx);
        if (n < 0) throw new ArgumentException($"payload of {length} bytes is above {LinkProtocol.MaxPayload}");
        link.Write(_tx, 0, n);
    }

    /// <summary>
    /// Sends a frame and waits for the reply accept() takes; resends on timeout or on a Nak of this frame up
    /// to Retries times. An Error frame ends the request with a DeviceLinkException naming the device's reason.
    /// </summary>
    public DeviceReply Request(int type, int seq, byte[] payload, int length, Func<DeviceReply, bool> accept, string what, int timeoutMs = 0, CancellationToken cancel = default)
    {
        int timeout = timeoutMs > 0 ? timeoutMs : TimeoutMs;
        string last = "no answer";
        int naks = 0;
        for (int attempt = 0; attempt <= Retries; attempt++)
        {
            cancel.ThrowIfCancellationRequested();
            if (attempt > 0) Resent++;
            Send(type, seq, payload, 0, length);
            long deadline = Clock() + timeout;
            long resendAt = long.MaxValue;
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                long now = Clock();
                long until = Math.Min(deadline, resendAt);
                if (now >= until)
                {
                    if (resendAt == long.MaxValue) last = $"no answer within {timeout} ms";
                    break;
                }
                DeviceReply r = NextReply((int)Math.Min(until - now, int.MaxValue));
                if (r == null) continue;
                if (r.Type == LinkProtocol.Error) throw new DeviceLinkException($"device refused {what}: {LinkError.Name(r.Code)}: {r.Message}");
                if (accept(r)) return r;
                if (r.Type != LinkProtocol.Nak) continue; // a stale answer to an earlier try: keep waiting
                if (r.Seq != seq) { StaleNaks++; continue; }
                // The device has no transfer open (it timed out or restarted): resending cannot help.
                if (r.Code == LinkError.NoTransfer) throw new DeviceLinkException($"{what}: the device abandoned the update ({LinkError.Name(r.Code)}: {r.Message}); see its E line for why");
                last = r.ToString();
                if (resendAt == long.MaxValue)
                {
                    // Let a burst of noise pass, taking a late answer meanwhile, then resend.
                    resendAt = now + Math.Min(MaxBackoffMs, BackoffMs << Math.Min(naks, 16));
                    naks++;
                }
            }
        }
        throw new DeviceLinkException($"{what}: gave up after {Retries + 1} tries (last: {last})");
    }

    /// <summary>The next frame from the device, or null when none arrived within timeoutMs.</summary>
    public DeviceReply NextReply(int timeoutMs)
    {
        long end = Clock() + timeoutMs;
        while (_replies.Count == 0)
        {
            long left = end - Clock();
            if (left <= 0) return null;
            Pump((int)Math.Min(left, int.MaxValue));
        }
        return _replies.Dequeue();
    }

    /// <summary>The next text line from the device, or null when none arrived within timeoutMs.</summary>
    public string NextLine(int timeoutMs)
    {
        long end = Clock() + timeoutMs;
        while (_lines.Count == 0)
        {
            long left = end - Clock();
            if (left <= 0) return null;
            Pump((int)Math.Min(left, int.MaxValue));
        }
        return _lines.Dequeue();
    }

    // Reads once (up to 50 ms at a time) and sorts the bytes into frames and lines.
    private void Pump(int timeoutMs)
    {
        if (_rxAt == _rxCount)
        {
            _rxAt = 0;
            _rxCount = link.Read(_rx, 0, _rx.Length, Math.Min(timeoutMs, 50));
            long now = Clock();
            if (_rxCount == 0)
            {
                if (_decoder.InFrame && now - _lastByte > FrameIdleMs) _decoder.Reset();
                return;
            }
            _lastByte = now;
        }
        while (_rxAt < _rxCount)
        {
            byte b = _rx[_rxAt++];
            int r = _decoder.Push(b);
            if (r == FrameDecoder.Text)
            {
                if (b == (byte)'\n')
                {
                    string line = _line.ToString();
                    _line.Clear();
                    _lineTooLong = false;
                    if (_lines.Count >= MaxQueuedLines) { _lines.Dequeue(); DroppedLines++; }
                    _lines.Enqueue(line);
                    OnLine?.Invoke(line);
                }
                else if (b != (byte)'\r')
                {
                    if (_line.Length < MaxLineChars) _line.Append((char)b);
                    else if (!_lineTooLong) { _lineTooLong = true; TruncatedLines++; }
                }
            }
            else if (r == FrameDecoder.BadFrame) BadFrames++;
            else if (r == FrameDecoder.FrameReady)
            {
                if (_replies.Count >= MaxQueuedReplies) { _replies.Dequeue(); DroppedReplies++; }
                _replies.Enqueue(Decode());
                return;
            }
        }
    }

    private DeviceReply Decode()
    {
        byte[] f = _decoder.Buffer;
        int type = _decoder.Type, length = _decoder.PayloadLength, at = LinkProtocol.HeaderBytes;
        bool coded = type == LinkProtocol.Nak || type == LinkProtocol.Error;
        int code = coded && length > 0 ? f[at] : 0;
        byte[] payload = f.AsSpan(at, length).ToArray();
        string message = type == LinkProtocol.Data || type == LinkProtocol.Ack ? ""
            : coded ? (length > 1 ? FrameEncoder.GetAscii(f, at + 1, length - 1) : "")
            : FrameEncoder.GetAscii(f, at, length);
        return new DeviceReply(type, _decoder.Seq, code, message) { Payload = payload };
    }

    /// <summary>Drops text lines received so far (monitor starts fresh).</summary>
    public void ClearLines() => _lines.Clear();
}
