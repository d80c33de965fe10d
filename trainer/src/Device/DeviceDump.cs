using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Link;

namespace EdgeNet.Trainer.Device;

/// <summary>Where the device's integers first differ from the host's for one row (or null fields when identical).</summary>
public sealed record DumpComparison(int Row, int Readings, int Compared, string Tensor, int Index, int Device, int Host)
{
    public bool Identical => Tensor == null;
}

/// <summary>
/// `edgenet dump`: the device runs its current model on given readings (the Dump frame) and returns the
/// int8 input tensor and every layer's output; the host runs the same model file, pulled from the device,
/// through DeviceProbe.Trace (what `simulate --dump` prints) on the same readings and compares every integer.
/// </summary>
public static class DeviceDump
{
    /// <summary>Readings one Dump frame can carry for a model with this many inputs.</summary>
    public static int MaxReadings(int features) => (LinkProtocol.MaxPayload - 4) / (4 * features);

    /// <summary>The device's input tensor and layer outputs after it ran readings [0, count) from a fresh start.</summary>
    public static sbyte[] Run(DeviceLink link, Model m, int[] raw, int count, CancellationToken cancel = default)
    {
        int features = m.FeatureCount;
        if (count < 1 || count > MaxReadings(features)) throw new ArgumentOutOfRangeException(nameof(count), $"a dump carries 1..{MaxReadings(features)} readings of {features} inputs");
        var request = new byte[4 + 4 * features * count];
        FrameEncoder.PutU16(request, 2, count);
        for (int i = 0; i < features * count; i++) FrameEncoder.PutU32(request, 4 + 4 * i, (uint)raw[i]);
        var trace = new List<sbyte>();
        int total = -1, expected = m.InputLength + m.Layers.Sum(l => l.OutputLength);
        for (int part = 0; total < 0 || trace.Count < total; part++)
        {
            FrameEncoder.PutU16(request, 0, part);
            int offset = part * LinkProtocol.DataChunk;
            int seq = link.NextSeq();
            DeviceReply r = link.Request(LinkProtocol.Dump, seq, request, request.Length,
                x => x.Type == LinkProtocol.Data && x.Seq == seq && x.Payload.Length >= LinkProtocol.DataHeaderBytes && (int)FrameEncoder.GetU32(x.Payload, 8) == offset && (int)FrameEncoder.GetU32(x.Payload, 0) == expected,
                $"dump part {part}", cancel: cancel);
            total = (int)FrameEncoder.GetU32(r.Payload, 0);
            int n = r.Payload.Length - LinkProtocol.DataHeaderBytes;
            if (n <= 0 && trace.Count < total) throw new DeviceLinkException($"the device sent no dump bytes at {offset} of {total}");
            for (int i = 0; i < n && trace.Count < total; i++) trace.Add((sbyte)r.Payload[LinkProtocol.DataHeaderBytes + i]);
        }
        return trace.ToArray();
    }

    /// <summary>The model-unit reading the device last fed its model (live dump).</summary>
    public static int[] LiveReading(DeviceLink link, Model m)
    {
        var request = new byte[4];
        int seq = link.NextSeq();
        DeviceReply r = link.Request(LinkProtocol.Dump, seq, request, request.Length, x => x.Type == LinkProtocol.Data && x.Seq == seq, "the live reading");
        int features = m.FeatureCount;
        if (r.Payload.Length != LinkProtocol.DataHeaderBytes + 4 * features) throw new DeviceLinkException($"the device's live reading has {r.Payload.Length - LinkProtocol.DataHeaderBytes} bytes, expected {4 * features}");
        var raw = new int[features];
        for (int i = 0; i < features; i++) raw[i] = (int)FrameEncoder.GetU32(r.Payload, LinkProtocol.DataHeaderBytes + 4 * i);
        return raw;
    }

    /// <summary>
    /// Compares the device with the host for row `row` of a stream of readings: a model without state
    /// needs only the last WindowLength readings (they fill its window); a model with recurrent state gets
    /// every reading from the start of the stream. Null when the stream is too long for one Dump frame.
    /// </summary>
    public static DumpComparison Compare(DeviceLink link, byte[] file, Model m, int[] raw, int row, CancellationToken cancel = default)
    {
        int features = m.FeatureCount;
        bool stateful = m.Layers.Any(l => l.StateBytes > 0);
        int first = stateful ? 0 : Math.Max(0, row - m.WindowLength + 1);
        int count = row - first + 1;
        if (count > MaxReadings(features)) return null;
        int[] sent = raw.AsSpan(first * features, count * features).ToArray();
        sbyte[] device = Run(link, m, sent, count, cancel);
        sbyte[] hostAll = DeviceProbe.Trace(file, sent, count) ?? throw new DeviceLinkException("the host's build of the kernels rejects the device's model");
        int per = hostAll.Length / count;
        sbyte[] host = hostAll.AsSpan((count - 1) * per, per).ToArray();
        if (device.Length != host.Length) return new DumpComparison(row, count, 0, $"trace length (device {device.Length}, host {host.Length} integers)", 0, device.Length, host.Length);
        int at = 0;
        for (int t = -1; t < m.Layers.Length; t++)
        {
            int length = t < 0 ? m.InputLength : m.Layers[t].OutputLength;
            for (int i = 0; i < length; i++)
            {
                if (device[at + i] != host[at + i]) return new DumpComparison(row, count, at + i + 1, TensorName(m, t), i, device[at + i], host[at + i]);
            }
            at += length;
        }
        return new DumpComparison(row, count, at, null, -1, 0, 0);
    }

    /// <summary>"input" or "layer i (kind in->out activation)", as `simulate --dump` labels them.</summary>
    public static string TensorName(Model m, int layer)
    {
        if (layer < 0) return "input";
        var l = m.Layers[layer];
        return $"layer {layer} ({l.Kind.ToString().ToLowerInvariant()} {l.InputLength}->{l.OutputLength} {l.Activation.ToString().ToLowerInvariant()})";
    }
}
