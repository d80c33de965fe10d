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
/// Sends a .enet model to a running device (docs/serial-protocol.md): checks the file locally, Ping,
/// Begin (length, format version, CRC-32), numbered chunks each acknowledged, Commit. The device keeps its
/// old model unless the whole sequence succeeds.
/// </summary>
public static class ModelDeployer
{
    /// <summary>How long the device may take to verify and activate a model after Commit.</summary>
    public const int CommitTimeoutMs = 10000;

    /// <param name="progress">Called with (bytes sent and acknowledged, total bytes).</param>
    public static DeployResult Deploy(DeviceLink link, byte[] model, string fileName, int chunkSize = LinkProtocol.DefaultChunk, Action<int, int> progress = null, BeginOverride begin = null)
    {
        if (chunkSize < 1 || chunkSize > LinkProtocol.MaxPayload) throw new ArgumentOutOfRangeException(nameof(chunkSize), $"chunk size must be 1..{LinkProtocol.MaxPayload}");
        // Refuse a bad file before touching the device, with the reader's reason.
        if (begin == null && ModelReader.Read(model, model.Length, int.MaxValue, out string error) == null) throw new DeviceLinkException($"{fileName}: {error}");
        int chunks = (model.Length + chunkSize - 1) / chunkSize;
        if (chunks + 1 > ushort.MaxValue) throw new DeviceLinkException($"{fileName}: {model.Length} bytes need more than {ushort.MaxValue - 1} chunks; use a larger chunk size");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int resentBefore = link.Resent;

        string status = link.Request(LinkProtocol.Ping, 0, null, 0, r => r.Type == LinkProtocol.Status, "ping").Message;

        var header = new byte[LinkProtocol.BeginBytes];
        header[0] = (byte)(begin?.Protocol ?? LinkProtocol.Version);
        // The file's own format version (v1 and v2 files both deploy; the device refuses one it cannot read).
        FrameEncoder.PutU16(header, 1, begin?.FormatVersion ?? (model.Length >= ModelFormat.HeaderBytes ? model[ModelFormat.OffsetVersion] | model[ModelFormat.OffsetVersion + 1] << 8 : ModelFormat.Version));
        FrameEncoder.PutU32(header, 3, (uint)(begin?.Length ?? model.Length));
        FrameEncoder.PutU32(header, 7, begin?.Crc ?? Crc32.Compute(model, 0, model.Length));
        FrameEncoder.PutU16(header, 11, chunkSize);
        link.Request(LinkProtocol.Begin, 0, header, header.Length, IsAck(0), "the update (Begin)");

        var buffer = new byte[chunkSize];
        try
        {
            for (int c = 0; c < chunks; c++)
            {
                int offset = c * chunkSize, length = Math.Min(chunkSize, model.Length - offset);
                Array.Copy(model, offset, buffer, 0, length);
                int seq = c + 1;
                link.Request(LinkProtocol.Chunk, seq, buffer, length, IsAck(seq), $"chunk {seq} of {chunks} (bytes {offset}..{offset + length - 1})");
                progress?.Invoke(offset + length, model.Length);
            }
        }
        catch (DeviceLinkException)
        {
            TryAbort(link);
            throw;
        }
        string done = link.Request(LinkProtocol.Commit, chunks + 1, null, 0, r => r.Type == LinkProtocol.Done, "the model (Commit)", CommitTimeoutMs).Message;
        return new DeployResult(status, done, chunks, link.Resent - resentBefore, clock.Elapsed);
    }

    /// <summary>Asks the device for its status line (firmware, protocol, active model).</summary>
    public static string Ping(DeviceLink link) => link.Request(LinkProtocol.Ping, 0, null, 0, r => r.Type == LinkProtocol.Status, "ping").Message;

    /// <summary>Switches the device between classifying and streaming raw readings.</summary>
    public static void SetMode(DeviceLink link, int mode) =>
        link.Request(LinkProtocol.Mode, 1, [(byte)mode], 1, IsAck(1), mode == LinkProtocol.ModeRaw ? "raw mode" : "classify mode");

    private static Func<DeviceReply, bool> IsAck(int seq) => r => r.Type == LinkProtocol.Ack && r.Seq == seq;

    private static void TryAbort(DeviceLink link)
    {
        try { link.Send(LinkProtocol.Abort, 0, null, 0, 0); }
        catch (Exception) { /* the connection may be gone; the device times the transfer out itself */ }
    }
}
