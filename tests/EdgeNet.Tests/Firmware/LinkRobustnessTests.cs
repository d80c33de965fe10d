using EdgeNet.Format;
using EdgeNet.Link;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// The nanoFramework-compiled firmware core driven frame by frame in virtual time (no thread, no wire
/// randomness): the holes of issue 12 items 10 and 12 on the device side, item 13's memory check and item
/// 5's configuration push, each as the exact sequence of frames that used to go wrong.
/// </summary>
public sealed class FrameRig : IDisposable
{
    public readonly ManualClock Clock = new();
    public readonly FaultStorage Storage;
    public readonly FakeMemory Memory = new();
    private readonly Port _port = new();
    private readonly FrameDecoder _decoder = new();
    public DeviceRunner Device;

    public sealed class Port
    {
        public readonly Queue<byte> In = new();
        public readonly List<byte> Out = new();
        public int Read(byte[] buffer, int offset, int count)
        {
            int n = 0;
            while (n < count && In.Count > 0) buffer[offset + n++] = In.Dequeue();
            return n;
        }
        public void Write(byte[] buffer, int offset, int count) => Out.AddRange(buffer.Skip(offset).Take(count));
    }

    public FrameRig(string? config = null, FaultStorage? storage = null)
    {
        Storage = storage ?? UpdateBench.WithActive(TestModels.A);
        Config = config ?? TestModels.Config(rateHz: 5);
        Device = Boot();
    }

    public string Config { get; }

    public DeviceRunner Boot() => new DeviceRunner(Config, Storage, _port, new RowSensors(TestModels.Rows, TestModels.Features), Clock, new TestLed(), null, Memory).Boot();

    /// <summary>Power cycle: the same flash, a new device.</summary>
    public void Reboot()
    {
        Device.Dispose();
        Device = Boot();
    }

    public static byte[] Frame(int type, int seq, byte[] payload)
    {
        var f = new byte[LinkProtocol.MaxFrame];
        int n = FrameEncoder.Encode(type, seq, payload, 0, payload.Length, f);
        return f.AsSpan(0, n).ToArray();
    }

    public void Raw(byte[] bytes)
    {
        foreach (byte b in bytes) _port.In.Enqueue(b);
    }

    /// <summary>Sends one frame, lets the device poll, returns the frames it answered (text lines skipped).</summary>
    public List<DeviceReply> Send(int type, int seq, byte[] payload, int pollMs = 30)
    {
        Raw(Frame(type, seq, payload));
        return Poll(pollMs);
    }

    public List<DeviceReply> Poll(int ms)
    {
        for (int t = 0; t < ms; t += 5)
        {
            Clock.Now += 5;
            Device.Poll();
        }
        var replies = new List<DeviceReply>();
        foreach (byte b in _port.Out)
        {
            if (_decoder.Push(b) != FrameDecoder.FrameReady) continue;
            byte[] f = _decoder.Buffer;
            int type = _decoder.Type, length = _decoder.PayloadLength, at = LinkProtocol.HeaderBytes;
            bool coded = type == LinkProtocol.Nak || type == LinkProtocol.Error;
            replies.Add(new DeviceReply(type, _decoder.Seq, coded && length > 0 ? f[at] : 0,
                coded ? FrameEncoder.GetAscii(f, at + 1, Math.Max(0, length - 1)) : FrameEncoder.GetAscii(f, at, length)) { Payload = f.AsSpan(at, length).ToArray() });
        }
        Log += new string(_port.Out.Where(b => b != LinkProtocol.Start).Select(b => (char)b).ToArray());
        _port.Out.Clear();
        return replies;
    }

    public string Log = "";

    public static byte[] Begin(byte[] file, int chunk, int target = -1)
    {
        var h = new byte[target < 0 ? LinkProtocol.BeginBytes : LinkProtocol.BeginTargetBytes];
        h[0] = LinkProtocol.Version;
        FrameEncoder.PutU16(h, 1, target == LinkProtocol.TargetConfig ? 0 : ModelFormat.Version);
        FrameEncoder.PutU32(h, 3, (uint)file.Length);
        FrameEncoder.PutU32(h, 7, Crc32.Compute(file, 0, file.Length));
        FrameEncoder.PutU16(h, 11, chunk);
        if (target >= 0) h[13] = (byte)target;
        return h;
    }

    public static byte[] CommitCrc(byte[] file)
    {
        var c = new byte[LinkProtocol.CommitBytes];
        FrameEncoder.PutU32(c, 0, Crc32.Compute(file, 0, file.Length));
        return c;
    }

    public static byte[] Piece(byte[] file, int chunk, int index) => file.Skip(index * chunk).Take(chunk).ToArray();

    public static DeviceReply Single(List<DeviceReply> replies, int type)
    {
        Assert.True(replies.Count == 1 && replies[0].Type == type, "expected one 0x" + type.ToString("X2") + ", got: " + string.Join("; ", replies));
        return replies[0];
    }

    public void Dispose() => Device.Dispose();
}

public class LinkRobustnessTests
{
    private const int Chunk = 256;

    private static int SendAllChunks(FrameRig rig, byte[] file, int chunk = Chunk)
    {
        int chunks = (file.Length + chunk - 1) / chunk;
        for (int c = 0; c < chunks; c++) FrameRig.Single(rig.Send(LinkProtocol.Chunk, c + 1, FrameRig.Piece(file, chunk, c)), LinkProtocol.Ack);
        return chunks;
    }

    [Fact]
    public void After_a_lost_Done_and_a_corrupted_Commit_retry_the_next_retry_still_gets_Done()
    {
        using var rig = new FrameRig();
        byte[] b = TestModels.B;
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, Chunk)), LinkProtocol.Ack);
        int chunks = SendAllChunks(rig, b);
        // The Done is lost on the way back (we ignore it).
        FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b)), LinkProtocol.Done);
        Assert.Equal("model-b", rig.Device.ModelName);
        // The retry arrives corrupted: the device Naks a bad frame.
        byte[] bad = FrameRig.Frame(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b));
        bad[^1] ^= 0x40;
        rig.Raw(bad);
        Assert.Equal(LinkError.BadFrame, FrameRig.Single(rig.Poll(10), LinkProtocol.Nak).Code);
        // The next retry must be told Done (it was told the stale Nak again, forever).
        var done = FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b)), LinkProtocol.Done);
        Assert.StartsWith("model model-b active", done.Message);
        // Even after a reset wiped the device's memory of that answer, a Commit naming the running model's CRC is Done.
        rig.Reboot();
        Assert.StartsWith("model model-b active", FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b)), LinkProtocol.Done).Message);
        Assert.Equal(LinkError.NoTransfer, FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(TestModels.A.Concat(new byte[] { 1 }).ToArray())), LinkProtocol.Error).Code);
    }

    [Fact]
    public void A_delayed_duplicate_Begin_after_chunk_2_does_not_restart_the_transfer()
    {
        using var rig = new FrameRig();
        byte[] b = TestModels.B;
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, Chunk)), LinkProtocol.Ack);
        FrameRig.Single(rig.Send(LinkProtocol.Chunk, 1, FrameRig.Piece(b, Chunk, 0)), LinkProtocol.Ack);
        FrameRig.Single(rig.Send(LinkProtocol.Chunk, 2, FrameRig.Piece(b, Chunk, 1)), LinkProtocol.Ack);
        var again = FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, Chunk)), LinkProtocol.Ack);
        Assert.Equal(3, FrameEncoder.GetU16(again.Payload, 0)); // the chunk expected next: a restarted host resumes there
        int chunks = (b.Length + Chunk - 1) / Chunk;
        for (int c = 2; c < chunks; c++) FrameRig.Single(rig.Send(LinkProtocol.Chunk, c + 1, FrameRig.Piece(b, Chunk, c)), LinkProtocol.Ack);
        FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b)), LinkProtocol.Done);
        Assert.Equal(b, rig.Storage.File("model.enet"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(rig.Log, "receiving a model"));
    }

    [Fact]
    public void A_chunk_larger_than_Begin_announced_is_refused()
    {
        using var rig = new FrameRig();
        byte[] b = TestModels.B;
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, 16)), LinkProtocol.Ack);
        var refused = FrameRig.Single(rig.Send(LinkProtocol.Chunk, 1, FrameRig.Piece(b, 1024, 0)), LinkProtocol.Error);
        Assert.Equal(LinkError.BadRequest, refused.Code);
        Assert.Equal("chunk 1 is 1024 bytes, Begin announced 16-byte chunks", refused.Message);
        Assert.Null(rig.Storage.File("model.new"));
        Assert.Equal(TestModels.NameA, rig.Device.ModelName);
    }

    [Fact]
    public void Noise_bytes_do_not_keep_an_abandoned_update_alive()
    {
        using var rig = new FrameRig(TestModels.Config(5, "update_timeout_ms 1000\n"));
        byte[] b = TestModels.B;
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, Chunk)), LinkProtocol.Ack);
        var rng = new Random(3);
        for (int t = 0; t < 3000; t += 50)
        {
            var noise = new byte[8];
            rng.NextBytes(noise);
            for (int i = 0; i < noise.Length; i++) if (noise[i] == LinkProtocol.Start) noise[i] = 0x55;
            rig.Raw(noise);
            rig.Poll(50);
        }
        Assert.Contains("update failed: timeout: no data for 1000 ms", rig.Log);
        Assert.Null(rig.Storage.File("model.new"));
    }

    [Fact]
    public void A_stale_Commit_does_not_abort_the_next_transfer()
    {
        using var rig = new FrameRig();
        byte[] b = TestModels.B;
        int chunks = (b.Length + Chunk - 1) / Chunk;
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, Chunk)), LinkProtocol.Ack);
        SendAllChunks(rig, b);
        FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b)), LinkProtocol.Done);
        // The next update (back to A) begins; then a delayed copy of B's Commit arrives.
        byte[] a = TestModels.A;
        int chunksA = (a.Length + Chunk - 1) / Chunk;
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(a, Chunk)), LinkProtocol.Ack);
        FrameRig.Single(rig.Send(LinkProtocol.Chunk, 1, FrameRig.Piece(a, Chunk, 0)), LinkProtocol.Ack);
        var stale = rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b));
        Assert.DoesNotContain(stale, r => r.Type == LinkProtocol.Error);
        for (int c = 1; c < chunksA; c++) FrameRig.Single(rig.Send(LinkProtocol.Chunk, c + 1, FrameRig.Piece(a, Chunk, c)), LinkProtocol.Ack);
        FrameRig.Single(rig.Send(LinkProtocol.Commit, chunksA + 1, FrameRig.CommitCrc(a)), LinkProtocol.Done);
        Assert.Equal(TestModels.NameA, rig.Device.ModelName);
        Assert.Equal(a, rig.Storage.File("model.enet"));
    }

    [Fact]
    public void An_update_that_does_not_fit_in_free_memory_is_refused_with_a_clear_reason_before_it_is_loaded()
    {
        using var rig = new FrameRig();
        byte[] b = TestModels.B;
        rig.Memory.Free = b.Length; // less than the file plus its parsed parameters
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, Chunk)), LinkProtocol.Ack);
        int chunks = SendAllChunks(rig, b);
        var refused = FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b)), LinkProtocol.Error);
        Assert.Equal(LinkError.NoMemory, refused.Code);
        Assert.Contains($"not enough free memory for reading and parsing the {b.Length}-byte model: needs {2 * b.Length + 4096} bytes, {b.Length} free while model {TestModels.NameA} is loaded", refused.Message);
        Assert.Contains("update failed: no-memory", rig.Log);
        Assert.Equal(TestModels.NameA, rig.Device.ModelName);
        Assert.Null(rig.Storage.File("model.new"));
        Assert.True(rig.Memory.Asked > 0);
        // With the memory there, the same update goes through.
        rig.Memory.Free = 1 << 20;
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, Chunk)), LinkProtocol.Ack);
        SendAllChunks(rig, b);
        FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b)), LinkProtocol.Done);
    }

    [Fact]
    public void A_pushed_board_configuration_is_parsed_before_it_replaces_board_cfg_and_can_be_read_back()
    {
        using var rig = new FrameRig();
        byte[] old = System.Text.Encoding.UTF8.GetBytes(rig.Config);
        rig.Storage.Put("board.cfg", old);
        // A file with an error: refused with the parser's line and column, the old file kept.
        byte[] broken = System.Text.Encoding.UTF8.GetBytes(rig.Config + "rate_hz fast\n");
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(broken, Chunk, LinkProtocol.TargetConfig)), LinkProtocol.Ack);
        int chunks = SendAllChunks(rig, broken);
        var refused = FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(broken)), LinkProtocol.Error);
        Assert.Equal(LinkError.InvalidConfig, refused.Code);
        int line = rig.Config.Count(c => c == '\n') + 1;
        Assert.StartsWith($"board.cfg line {line}, column 9: sample rate 'fast'", refused.Message);
        Assert.Equal(old, rig.Storage.File("board.cfg"));
        Assert.Null(rig.Storage.File("board.new"));
        // Not UTF-8: refused with the byte.
        byte[] latin = System.Text.Encoding.UTF8.GetBytes("rate_hz 5\n# caf").Concat(new byte[] { 0xE9, (byte)'\n' }).ToArray();
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(latin, Chunk, LinkProtocol.TargetConfig)), LinkProtocol.Ack);
        chunks = SendAllChunks(rig, latin);
        Assert.Equal("board.cfg byte 15: the file ends inside a UTF-8 character", FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(latin)), LinkProtocol.Error).Message);
        // A character beyond U+FFFF, which boot's decoder refuses (nanoFramework strings hold 16-bit chars).
        byte[] emoji = System.Text.Encoding.UTF8.GetBytes("# \U0001F600\n" + TestModels.Esp32Config(rateHz: 7));
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(emoji, Chunk, LinkProtocol.TargetConfig)), LinkProtocol.Ack);
        chunks = SendAllChunks(rig, emoji);
        Assert.Equal("board.cfg byte 2: a 4-byte UTF-8 character (beyond U+FFFF) cannot be used in a board configuration", FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(emoji)), LinkProtocol.Error).Message);
        Assert.Equal(old, rig.Storage.File("board.cfg"));
        // A good one replaces it (UTF-8 in a comment is fine) and the running model's binding is checked.
        byte[] good = System.Text.Encoding.UTF8.GetBytes("# Température\n" + TestModels.Esp32Config(rateHz: 7));
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(good, 100, LinkProtocol.TargetConfig)), LinkProtocol.Ack);
        chunks = SendAllChunks(rig, good, 100);
        var done = FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(good)), LinkProtocol.Done);
        Assert.StartsWith($"board configuration stored in board.cfg ({good.Length} bytes, {TestModels.Features} sensors); it takes effect at the next boot", done.Message);
        Assert.Equal(good, rig.Storage.File("board.cfg"));
        Assert.Equal(["board.cfg", "model.enet"], rig.Storage.Names());
        // Read back in Data frames.
        var data = FrameRig.Single(rig.Send(LinkProtocol.Read, 1, [LinkProtocol.TargetConfig, 0, 0, 0, 0]), LinkProtocol.Data);
        Assert.Equal(good.Length, (int)FrameEncoder.GetU32(data.Payload, 0));
        Assert.Equal(Crc32.Compute(good, 0, good.Length), FrameEncoder.GetU32(data.Payload, 4));
        Assert.Equal(good.Take(LinkProtocol.DataChunk), data.Payload.Skip(LinkProtocol.DataHeaderBytes));
        rig.Storage.Put("board.cfg", []);
        Assert.Equal(0, (int)FrameEncoder.GetU32(FrameRig.Single(rig.Send(LinkProtocol.Read, 2, [LinkProtocol.TargetConfig, 0, 0, 0, 0]), LinkProtocol.Data).Payload, 0));
    }

    /// <summary>
    /// Files that parse but would make the board fall back to its built-in configuration at boot: config
    /// push refuses each with boot's own reason (same line, same words), before anything is swapped.
    /// </summary>
    [Theory]
    [InlineData("pin COM2_TX 33\n", "pin COM2_TX 34\n", "line 4: COM2_TX drives its pin but GPIO34 is input-only on ESP32")]
    [InlineData("serial COM2 115200\n", "serial COM1 115200\n", "line 2: COM1 is UART0, which the nanoFramework debugger and deployment use")]
    [InlineData("sensor s0 replay column=0", "sensor s0 adc channel=4", "sensor 's0': ADC1 channel 4, GPIO32 is already COM2_RX (line 3)")]
    [InlineData("sensor s0 replay column=0", "sensor s0 adc channel=8", "sensor 's0': ADC1 channel 8 (inside the chip, no pin) cannot be read as a sensor")]
    [InlineData("pin COM2_RX 32\npin COM2_TX 33\n", "", "line 2: serial COM2 needs both 'pin COM2_RX <gpio>' and 'pin COM2_TX <gpio>' lines")]
    [InlineData("chip ESP32\n", "chip ESP32\npin I2C1_DATA 6\n", "line 2: GPIO6 is wired to the module's SPI flash")]
    public void Config_push_refuses_a_file_that_would_fail_at_boot_with_boot_s_reason_and_keeps_the_old_one(string replace, string with, string reason)
    {
        using var rig = new FrameRig();
        byte[] old = System.Text.Encoding.UTF8.GetBytes(TestModels.Esp32Config(rateHz: 3));
        rig.Storage.Put("board.cfg", old);
        string text = TestModels.Esp32Config(rateHz: 7);
        Assert.Contains(replace, text);
        text = text.Replace(replace, with);
        byte[] bad = System.Text.Encoding.UTF8.GetBytes(text);
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(bad, Chunk, LinkProtocol.TargetConfig)), LinkProtocol.Ack);
        int chunks = SendAllChunks(rig, bad);
        var refused = FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(bad)), LinkProtocol.Error);
        Assert.Equal(LinkError.InvalidConfig, refused.Code);
        Assert.StartsWith("board.cfg line ", refused.Message);
        Assert.Contains(reason, refused.Message);
        Assert.Equal(old, rig.Storage.File("board.cfg"));
        Assert.Equal(["board.cfg", "model.enet"], rig.Storage.Names());
        // What boot says about the same file: the same sentence after the path (Startup.Start on it).
        var storage = new FaultStorage();
        storage.Put("board.cfg", bad);
        dynamic fw = StartupTests.Start(new StartupTests.TestBoard(), storage, new ManualClock());
        string report = (string)fw.SetupReport;
        Assert.Equal("I:\\board.cfg" + refused.Message.Substring("board.cfg".Length) + "; using the built-in board configuration", report);
        // The untouched file boot accepts is stored.
        byte[] good = System.Text.Encoding.UTF8.GetBytes(TestModels.Esp32Config(rateHz: 7));
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(good, Chunk, LinkProtocol.TargetConfig)), LinkProtocol.Ack);
        chunks = SendAllChunks(rig, good);
        FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(good)), LinkProtocol.Done);
        Assert.Equal(good, rig.Storage.File("board.cfg"));
    }

    /// <summary>
    /// The swap both stores share (FileSwap): when the last rename fails, the file moved aside is put back,
    /// the device answers storage, and the old model or board.cfg is what stays (and what the next boot reads).
    /// </summary>
    [Fact]
    public void A_failed_rename_during_the_swap_puts_the_old_model_or_board_cfg_back()
    {
        using var rig = new FrameRig();
        byte[] oldCfg = System.Text.Encoding.UTF8.GetBytes(TestModels.Esp32Config(rateHz: 3));
        rig.Storage.Put("board.cfg", oldCfg);
        byte[] b = TestModels.B;
        rig.Storage.FailRenameFrom = "model.new";
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(b, Chunk)), LinkProtocol.Ack);
        int chunks = SendAllChunks(rig, b);
        var refused = FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(b)), LinkProtocol.Error);
        Assert.Equal(LinkError.Storage, refused.Code);
        Assert.Equal("replacing model.enet failed: flash write error", refused.Message);
        Assert.Equal(TestModels.A, rig.Storage.File("model.enet"));
        Assert.Equal(TestModels.NameA, rig.Device.ModelName);

        byte[] cfg = System.Text.Encoding.UTF8.GetBytes(TestModels.Esp32Config(rateHz: 8));
        rig.Storage.FailRenameFrom = "board.new";
        FrameRig.Single(rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(cfg, Chunk, LinkProtocol.TargetConfig)), LinkProtocol.Ack);
        chunks = SendAllChunks(rig, cfg);
        refused = FrameRig.Single(rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(cfg)), LinkProtocol.Error);
        Assert.Equal(LinkError.Storage, refused.Code);
        Assert.Equal("replacing board.cfg failed: flash write error", refused.Message);
        Assert.Equal(oldCfg, rig.Storage.File("board.cfg"));
        Assert.Equal(["board.cfg", "model.enet"], rig.Storage.Names());
        rig.Reboot();
        Assert.Equal(TestModels.NameA, rig.Device.ModelName);
        Assert.Equal("", rig.Device.BootReport);
    }

    [Fact]
    public void Power_loss_at_any_write_of_a_config_push_leaves_the_old_or_the_new_file()
    {
        byte[] old = System.Text.Encoding.UTF8.GetBytes(TestModels.Esp32Config(rateHz: 5));
        byte[] good = System.Text.Encoding.UTF8.GetBytes(TestModels.Esp32Config(rateHz: 9));
        int sawOld = 0, sawNew = 0;
        for (int k = 0; k < 60; k++)
        {
            var storage = UpdateBench.WithActive(TestModels.A);
            storage.Put("board.cfg", old);
            using var rig = new FrameRig(storage: storage);
            storage.OpsBeforeReset = k;
            try
            {
                rig.Send(LinkProtocol.Begin, 0, FrameRig.Begin(good, 512, LinkProtocol.TargetConfig));
                int chunks = (good.Length + 511) / 512;
                for (int c = 0; c < chunks; c++) rig.Send(LinkProtocol.Chunk, c + 1, FrameRig.Piece(good, 512, c));
                rig.Send(LinkProtocol.Commit, chunks + 1, FrameRig.CommitCrc(good));
            }
            catch (Exception) { /* the device loop died with the power */ }
            var after = storage.Reboot();
            // What the board layer does at boot before it reads board.cfg.
            var fw = DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Store.ConfigStore", true)!;
            fw.GetMethod("Recover")!.Invoke(null, [Forwarder.Create("EdgeNet.Firmware.Hal.IStorage", after)]);
            byte[]? file = after.File("board.cfg");
            Assert.True(file != null && (file.SequenceEqual(old) || file.SequenceEqual(good)), $"reset at write {k}: board.cfg is {(file == null ? "missing" : file.Length + " other bytes")}");
            Assert.Equal(["board.cfg", "model.enet"], after.Names());
            if (file.SequenceEqual(good)) sawNew++; else sawOld++;
            if (!storage.PoweredOff) break;
        }
        Assert.True(sawOld >= 3 && sawNew >= 1, $"old {sawOld}, new {sawNew}");
    }
}
