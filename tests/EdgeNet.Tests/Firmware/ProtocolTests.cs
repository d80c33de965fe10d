using EdgeNet.Link;

namespace EdgeNet.Tests.Firmware;

/// <summary>Frame encoding and decoding (shared/src/Link), the one definition both ends use.</summary>
public class ProtocolTests
{
    private static byte[] Frame(int type, int seq, byte[] payload)
    {
        var buf = new byte[LinkProtocol.MaxFrame];
        int n = FrameEncoder.Encode(type, seq, payload, 0, payload.Length, buf);
        return buf[..n];
    }

    [Fact]
    public void Frames_and_text_lines_share_a_stream()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
        payload[5] = LinkProtocol.Start; // the start byte may appear inside a frame
        byte[] stream = [.. "C\t10\tgrass\t0.5\n"u8, .. Frame(LinkProtocol.Chunk, 513, payload), .. "I\t11\thi\n"u8];
        var d = new FrameDecoder();
        var text = new List<byte>();
        int frames = 0;
        foreach (byte b in stream)
        {
            int r = d.Push(b);
            if (r == FrameDecoder.Text) text.Add(b);
            if (r == FrameDecoder.FrameReady)
            {
                frames++;
                Assert.Equal(LinkProtocol.Chunk, d.Type);
                Assert.Equal(513, d.Seq);
                Assert.Equal(payload, d.Buffer[LinkProtocol.HeaderBytes..(LinkProtocol.HeaderBytes + d.PayloadLength)]);
            }
            Assert.NotEqual(FrameDecoder.BadFrame, r);
        }
        Assert.Equal(1, frames);
        Assert.Equal("C\t10\tgrass\t0.5\nI\t11\thi\n", System.Text.Encoding.ASCII.GetString(text.ToArray()));
    }

    [Fact]
    public void Every_single_bit_flip_is_caught()
    {
        byte[] frame = Frame(LinkProtocol.Chunk, 7, Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());
        for (int bit = 0; bit < frame.Length * 8; bit++)
        {
            byte[] bad = (byte[])frame.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            var d = new FrameDecoder();
            // The flipped frame, then silence (the sender's idle reset), then the intact frame again.
            foreach (byte b in bad) Assert.NotEqual(FrameDecoder.FrameReady, d.Push(b));
            d.Reset();
            int last = 0;
            foreach (byte b in frame) last = d.Push(b);
            Assert.Equal(FrameDecoder.FrameReady, last);
        }
    }

    [Fact]
    public void An_impossible_length_is_rejected_at_once()
    {
        byte[] frame = Frame(LinkProtocol.Chunk, 1, [1, 2, 3]);
        frame[4] = 0xFF;
        frame[5] = 0xFF;
        var d = new FrameDecoder();
        int r = 0;
        for (int i = 0; i < LinkProtocol.HeaderBytes; i++) r = d.Push(frame[i]);
        Assert.Equal(FrameDecoder.BadFrame, r);
        Assert.Contains("frame length 65535 above 1024", d.Problem);
        Assert.False(d.InFrame);
    }

    [Fact]
    public void The_device_build_encodes_the_same_bytes()
    {
        var encode = DeviceBuild.Method<Func<int, int, byte[], int, int, byte[], int>>("EdgeNet.Shared", "EdgeNet.Link.FrameEncoder", "Encode");
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var payload = new byte[rng.Next(0, LinkProtocol.MaxPayload + 1)];
            rng.NextBytes(payload);
            int type = rng.Next(256), seq = rng.Next(65536);
            var device = new byte[LinkProtocol.MaxFrame];
            int n = encode(type, seq, payload, 0, payload.Length, device);
            Assert.Equal(Frame(type, seq, payload), device[..n]);
        }
        Assert.Equal(-1, encode(1, 1, new byte[2000], 0, 2000, new byte[3000]));
    }
}
