using System.Globalization;
using EdgeNet.Format;
using EdgeNet.Link;

namespace EdgeNet.Trainer.Device;

/// <summary>
/// Replaces fields of the Begin frame and skips the local model check: for testing how the device
/// handles a wrong announcement or a bad file.
/// </summary>
public sealed record BeginOverride(int? Protocol = null, int? FormatVersion = null, int? Length = null, uint? Crc = null);

/// <summary>What a successful deployment reported.</summary>
public sealed record DeployResult(string DeviceStatus, string Done, int Chunks, int Resent, TimeSpan Elapsed);

/// <summary>
/// The Commit went out but no answer came back and the device could not be asked afterwards: it runs
/// either the old or the new model, and the host cannot tell which.
/// </summary>
public sealed class DeployOutcomeUnknownException(string message) : Exception(message);

/// <summary>
/// Sends a .enet model (or a board configuration) to a running device (docs/serial-protocol.md): checks the
/// file locally, Ping, Begin (length, format version, CRC-32, chunk size, target), numbered chunks each
/// acknowledged, Commit naming the CRC. The device keeps its old file unless the whole sequence succeeds.
/// </summary>
public static class ModelDeployer
{
    /// <summary>How long the device may take to verify and activate a model after Commit.</summary>
    public const int CommitTimeoutMs = 10000;

    /// <param name="progress">Called with (bytes sent and acknowledged, total bytes).</param>
    /// <param name="cancel">Cancelling (Ctrl+C) sends Abort and throws OperationCanceledException; the old model stays.</param>
    /// <param name="fleetKey">The fleet key of a board with one in board.cfg: the Commit then carries the file's signature (docs/fleet.md).</param>
    public static DeployResult Deploy(DeviceLink link, byte[] model, string fileName, int chunkSize = LinkProtocol.DefaultChunk, Action<int, int> progress = null, BeginOverride begin = null, CancellationToken cancel = default, byte[] fleetKey = null)
    {
        // Refuse a bad file before touching the device, with the reader's reason.
        if (begin == null && ModelReader.Read(model, model.Length, int.MaxValue, out string error) == null) throw new DeviceLinkException($"{fileName}: {error}");
        return Send(link, model, fileName, LinkProtocol.TargetModel, chunkSize, progress, begin, cancel, fleetKey);
    }

    /// <summary>Sends a board configuration file; the device parses it completely before it replaces board.cfg.</summary>
    public static DeployResult PushConfig(DeviceLink link, byte[] text, string fileName, int chunkSize = LinkProtocol.DefaultChunk, Action<int, int> progress = null, CancellationToken cancel = default, byte[] fleetKey = null)
    {
        if (text.Length > LinkProtocol.MaxConfigBytes) throw new DeviceLinkException($"{fileName}: {text.Length} bytes; a board configuration may have at most {LinkProtocol.MaxConfigBytes}");
        try { new System.Text.UTF8Encoding(false, true).GetString(text); }
        catch (System.Text.DecoderFallbackException e) { throw new DeviceLinkException($"{fileName}: byte {e.Index}: not valid UTF-8"); }
        return Send(link, text, fileName, LinkProtocol.TargetConfig, chunkSize, progress, null, cancel, fleetKey);
    }

    private static DeployResult Send(DeviceLink link, byte[] file, string fileName, int target, int chunkSize, Action<int, int> progress, BeginOverride begin, CancellationToken cancel, byte[] fleetKey)
    {
        if (chunkSize < 1 || chunkSize > LinkProtocol.MaxPayload) throw new ArgumentOutOfRangeException(nameof(chunkSize), $"chunk size must be 1..{LinkProtocol.MaxPayload}");
        int chunks = (file.Length + chunkSize - 1) / chunkSize;
        if (chunks + 1 > ushort.MaxValue) throw new DeviceLinkException($"{fileName}: {file.Length} bytes need more than {ushort.MaxValue - 1} chunks; use a larger chunk size");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int resentBefore = link.Resent;
        uint crc = begin?.Crc ?? Crc32.Compute(file, 0, file.Length);

        string status = link.Request(LinkProtocol.Ping, 0, null, 0, r => r.Type == LinkProtocol.Status, "ping", cancel: cancel).Message;

        var header = new byte[LinkProtocol.BeginTargetBytes];
        header[0] = (byte)(begin?.Protocol ?? LinkProtocol.Version);
        // A model: the file's own format version (v1 and v2 files both deploy; the device refuses one it cannot
        // read). A configuration: 0.
        int ownVersion = file.Length >= ModelFormat.HeaderBytes ? file[ModelFormat.OffsetVersion] | file[ModelFormat.OffsetVersion + 1] << 8 : ModelFormat.Version;
        FrameEncoder.PutU16(header, 1, begin?.FormatVersion ?? (target == LinkProtocol.TargetModel ? ownVersion : 0));
        FrameEncoder.PutU32(header, 3, (uint)(begin?.Length ?? file.Length));
        FrameEncoder.PutU32(header, 7, crc);
        FrameEncoder.PutU16(header, 11, chunkSize);
        header[13] = (byte)target;
        // A model Begin keeps the original 13-byte form, which every firmware of protocol 1 reads.
        int headerLength = target == LinkProtocol.TargetModel ? LinkProtocol.BeginBytes : LinkProtocol.BeginTargetBytes;
        DeviceReply ack = link.Request(LinkProtocol.Begin, 0, header, headerLength, IsAck(0), target == LinkProtocol.TargetModel ? "the update (Begin)" : "the configuration (Begin)", cancel: cancel);
        // The device already holds the first chunks of this very file (an interrupted deploy of it): resume.
        int first = ack.Payload.Length == 2 ? Math.Clamp(FrameEncoder.GetU16(ack.Payload, 0), 1, chunks + 1) : 1;

        var buffer = new byte[chunkSize];
        try
        {
            for (int c = first - 1; c < chunks; c++)
            {
                int offset = c * chunkSize, length = Math.Min(chunkSize, file.Length - offset);
                Array.Copy(file, offset, buffer, 0, length);
                int seq = c + 1;
                link.Request(LinkProtocol.Chunk, seq, buffer, length, IsAck(seq), $"chunk {seq} of {chunks} (bytes {offset}..{offset + length - 1})", cancel: cancel);
                progress?.Invoke(offset + length, file.Length);
            }
            cancel.ThrowIfCancellationRequested();
        }
        catch (Exception e) when (e is DeviceLinkException or OperationCanceledException)
        {
            TryAbort(link);
            throw;
        }
        // Signed: CRC-32 then the HMAC-SHA-256 of the file under the fleet key (Security.FileSignature).
        var commit = new byte[fleetKey == null ? LinkProtocol.CommitBytes : LinkProtocol.CommitSignedBytes];
        FrameEncoder.PutU32(commit, 0, crc);
        if (fleetKey != null) Security.FileSignature.Sign(fleetKey, target, file, file.Length).CopyTo(commit, LinkProtocol.CommitBytes);
        string done;
        try
        {
            done = link.Request(LinkProtocol.Commit, chunks + 1, commit, commit.Length, r => r.Type == LinkProtocol.Done, target == LinkProtocol.TargetModel ? "the model (Commit)" : "the configuration (Commit)", CommitTimeoutMs).Message;
        }
        catch (DeviceLinkException e) when (!e.Message.StartsWith("device refused", StringComparison.Ordinal))
        {
            // Every answer to Commit was lost: the device may have activated the file. Ask it.
            if (target != LinkProtocol.TargetModel) throw new DeployOutcomeUnknownException($"{e.Message}; the device may or may not have stored the new configuration: check with `edgenet config pull`");
            string after;
            try { after = Ping(link); }
            catch (DeviceLinkException) { throw new DeployOutcomeUnknownException($"{e.Message}; the device did not answer a status request either, so it runs either its old model or the new one: check with `edgenet monitor`"); }
            if (ActiveCrc(after) != crc) throw new DeviceLinkException($"{e.Message}; the device still runs its old model ({after})");
            done = $"new model active (confirmed by the device's status after its answers to Commit were lost: {after})";
        }
        return new DeployResult(status, done, chunks, link.Resent - resentBefore, clock.Elapsed);
    }

    /// <summary>The CRC-32 of the running model's file from a status line ("model crc 0x..."), or null.</summary>
    public static uint? ActiveCrc(string status)
    {
        int at = status.LastIndexOf("model crc 0x", StringComparison.Ordinal);
        if (at < 0) return null;
        string hex = new string(status.Skip(at + 12).TakeWhile(Uri.IsHexDigit).ToArray());
        return uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v) ? v : null;
    }

    /// <summary>Asks the device for its status line (firmware, protocol, active model).</summary>
    public static string Ping(DeviceLink link) => link.Request(LinkProtocol.Ping, 0, null, 0, r => r.Type == LinkProtocol.Status, "ping").Message;

    /// <summary>Switches the device between classifying and streaming raw readings.</summary>
    public static void SetMode(DeviceLink link, int mode) =>
        link.Request(LinkProtocol.Mode, 1, [(byte)mode], 1, IsAck(1), mode == LinkProtocol.ModeRaw ? "raw mode" : "classify mode");

    /// <summary>Starts a new session on the device: its input window and recurrent state are cleared, as at boot.</summary>
    public static void NewSession(DeviceLink link)
    {
        int seq = link.NextSeq();
        link.Request(LinkProtocol.NewSession, seq, null, 0, IsAck(seq), "new session");
    }

    /// <summary>
    /// Reads a file the device runs (its model, or board.cfg) with Read frames, DataChunk bytes at a time,
    /// and checks the whole against the CRC-32 the device announced.
    /// </summary>
    public static byte[] Pull(DeviceLink link, int target, CancellationToken cancel = default)
    {
        string what = target == LinkProtocol.TargetModel ? "the model" : "the board configuration";
        var data = new List<byte>();
        int total = -1;
        uint crc = 0;
        while (total < 0 || data.Count < total)
        {
            int seq = link.NextSeq();
            var request = new byte[5];
            request[0] = (byte)target;
            FrameEncoder.PutU32(request, 1, (uint)data.Count);
            int offset = data.Count;
            DeviceReply r = link.Request(LinkProtocol.Read, seq, request, request.Length,
                x => x.Type == LinkProtocol.Data && x.Seq == seq && x.Payload.Length >= LinkProtocol.DataHeaderBytes && (int)FrameEncoder.GetU32(x.Payload, 8) == offset,
                $"reading {what} at byte {offset}", cancel: cancel);
            int t = (int)FrameEncoder.GetU32(r.Payload, 0);
            if (total >= 0 && (t != total || FrameEncoder.GetU32(r.Payload, 4) != crc)) throw new DeviceLinkException($"{what} changed on the device while it was being read; try again");
            total = t;
            crc = FrameEncoder.GetU32(r.Payload, 4);
            int n = r.Payload.Length - LinkProtocol.DataHeaderBytes;
            if (n <= 0 && data.Count < total) throw new DeviceLinkException($"the device sent no bytes of {what} at byte {offset} of {total}");
            data.AddRange(r.Payload.AsSpan(LinkProtocol.DataHeaderBytes, Math.Min(n, total - data.Count)).ToArray());
        }
        byte[] bytes = data.ToArray();
        uint actual = Crc32.Compute(bytes, 0, bytes.Length);
        if (actual != crc) throw new DeviceLinkException($"{what} read from the device has CRC-32 0x{actual:X8}, the device announced 0x{crc:X8}");
        return bytes;
    }

    private static Func<DeviceReply, bool> IsAck(int seq) => r => r.Type == LinkProtocol.Ack && r.Seq == seq;

    private static void TryAbort(DeviceLink link)
    {
        try { link.Send(LinkProtocol.Abort, 0, null, 0, 0); }
        catch (Exception) { /* the connection may be gone; the device times the transfer out itself */ }
    }
}
