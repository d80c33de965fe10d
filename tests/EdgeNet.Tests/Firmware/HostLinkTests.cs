using EdgeNet.Link;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>The host end (DeviceLink, ModelDeployer) against the nanoFramework-compiled firmware over an in-memory cable.</summary>
public class HostLinkTests
{
    /// <summary>2,048 bytes of line noise, one in 16 a frame start byte (a noisy line's worst case for the decoder).</summary>
    public static byte[] Noise(int seed, int length = 2048)
    {
        var rng = new Random(seed);
        var b = new byte[length];
        rng.NextBytes(b);
        for (int i = 0; i < b.Length; i++) if (rng.Next(16) == 0) b[i] = LinkProtocol.Start;
        return b;
    }

    [Fact]
    public void A_2_KB_noise_burst_during_a_deploy_does_not_exhaust_the_retries()
    {
        using var bench = new UpdateBench();
        bool injected = false;
        var result = ModelDeployer.Deploy(bench.Host, TestModels.B, "b.enet", 256, (sent, _) =>
        {
            if (injected || sent < 512) return;
            injected = true;
            byte[] noise = Noise(7);
            bench.Cable.ToDevice.Write(noise, 0, noise.Length);
        });
        Assert.True(injected);
        Assert.StartsWith("model model-b active", result.Done);
        Assert.True(bench.Host.StaleNaks > 8, $"{bench.Host.StaleNaks} Naks of noise frames were told apart");
        Assert.Equal(TestModels.B, bench.Storage.File("model.enet"));
    }

    [Fact]
    public void Cancelling_a_deploy_sends_Abort_and_the_device_drops_the_partial_file_at_once()
    {
        using var bench = new UpdateBench();
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => ModelDeployer.Deploy(bench.Host, TestModels.B, "b.enet", 256, (sent, _) => { if (sent >= 512) cancel.Cancel(); }, cancel: cancel.Token));
        Assert.Contains($"update aborted by the host; model {TestModels.NameA} still active", bench.WaitForLine("update aborted by the host"));
        Assert.Null(bench.Storage.File("model.new"));
        Assert.Equal(TestModels.NameA, bench.Device.ModelName);
    }

    private sealed class Flood(byte[] data) : IByteLink
    {
        private int _at;
        public bool Done => _at == data.Length;
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = Math.Min(count, data.Length - _at);
            Array.Copy(data, _at, buffer, offset, n);
            _at += n;
            return n;
        }
        public void Write(byte[] buffer, int offset, int count) { }
        public void Dispose() { }
    }

    [Fact]
    public void Host_line_buffers_are_bounded()
    {
        // 1 MB without a newline, then more lines than the queue keeps, nobody reading.
        var bytes = new List<byte>(Enumerable.Repeat((byte)'x', 1 << 20)) { (byte)'\n' };
        for (int i = 0; i < DeviceLink.MaxQueuedLines + 500; i++) bytes.AddRange(System.Text.Encoding.ASCII.GetBytes($"C\t{i}\tx\t1\n"));
        var flood = new Flood(bytes.ToArray());
        long t = 0;
        // Time passes only once every byte was read: the wait for a frame pumps the whole flood.
        var link = new DeviceLink(flood) { Clock = () => flood.Done ? t += 100 : t };
        Assert.Null(link.NextReply(300));
        Assert.Equal(1, link.TruncatedLines);
        Assert.Equal(501, link.DroppedLines);
        string first = link.NextLine(10)!;
        Assert.Equal("C\t500\tx\t1", first); // the oldest lines (and the long one) were dropped
    }
}
