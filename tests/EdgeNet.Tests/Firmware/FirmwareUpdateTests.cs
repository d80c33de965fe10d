using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// Model updates into the nanoFramework-compiled firmware core over an in-memory serial cable, with the
/// trainer's deploy code on the other end: success, wire faults, every refusal, cut connection and power
/// loss at every flash write. The old model must keep running and no corrupt model may become active.
/// </summary>
public class FirmwareUpdateTests
{
    private static void AssertStillA(UpdateBench bench)
    {
        Assert.Equal(TestModels.NameA, bench.Device.ModelName);
        Assert.Equal(TestModels.A, bench.Storage.File("model.enet"));
        Assert.Null(bench.Storage.File("model.new"));
    }

    [Fact]
    public void Deploy_activates_the_new_model_and_it_survives_a_reboot()
    {
        FaultStorage after;
        using (var bench = new UpdateBench())
        {
            int lastProgress = 0;
            var result = ModelDeployer.Deploy(bench.Host, TestModels.B, "b.enet", 256, (sent, total) => lastProgress = sent);
            Assert.Contains($"model {TestModels.NameA} from flash", result.DeviceStatus);
            Assert.StartsWith("model model-b active", result.Done);
            Assert.Equal(TestModels.B.Length, lastProgress);
            Assert.Equal((TestModels.B.Length + 255) / 256, result.Chunks);
            Assert.Equal(TestModels.B, bench.Storage.File("model.enet"));
            Assert.Equal(["model.enet"], bench.Storage.Names());
            after = bench.Storage.Reboot();
        }
        using var rebooted = new UpdateBench(storage: after, start: false);
        Assert.Equal("model-b", rebooted.Device.ModelName);
        Assert.Equal("flash", rebooted.Device.Source);
    }

    [Fact]
    public void Dropped_and_flipped_bytes_are_resent_and_the_model_arrives_intact()
    {
        using var bench = new UpdateBench();
        bench.Cable.Faults.DropAt.UnionWith([40, 700]);
        bench.Cable.Faults.FlipAt.UnionWith([300, 1000, 1001]);
        var result = ModelDeployer.Deploy(bench.Host, TestModels.B, "b.enet", 128);
        Assert.Equal(2, bench.Cable.Faults.Dropped);
        Assert.Equal(3, bench.Cable.Faults.Flipped);
        Assert.True(result.Resent >= 3, $"only {result.Resent} frames were resent");
        Assert.True((int)bench.Device.Firmware.Updates.BadFrames >= 2);
        Assert.Equal("model-b", bench.Device.ModelName);
        Assert.Equal(TestModels.B, bench.Storage.File("model.enet"));
    }

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        // case, expected reason code, expected words of the message, expected words of the device's E line
        { "format version 4", "format-version", "model format version 4 is not supported (this firmware reads versions 1 to 3)", "still active" },
        { "protocol version 9", "protocol-version", "protocol version 9 is not supported", "still active" },
        { "too large", "too-large", "this device accepts at most", "still active" },
        { "wrong CRC", "model-crc", "announced 0x0000007B", "still active" },
        { "truncated", "truncated", "received", "still active" },
        { "invalid model", "invalid-model", "1 unexpected bytes after the last layer", "still active" },
        { "does not fit", "does-not-fit", "bytes of RAM", "still active" },
        { "unbound input", "unbound-input", "model input 'renamed' (index 0) has no sensor", "still active" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refused_update_names_the_reason_and_keeps_the_old_model(string scenario, string code, string message, string line)
    {
        byte[] model = TestModels.B;
        BeginOverride? begin = null;
        string extra = "";
        switch (scenario)
        {
            case "format version 4": begin = new(FormatVersion: 4); break;
            case "protocol version 9": begin = new(Protocol: 9); break;
            case "too large":
                Assert.True(TestModels.B.Length > TestModels.A.Length + 2);
                int limit = (TestModels.A.Length + TestModels.B.Length) / 2;
                extra = $"max_model_bytes {limit}\n";
                message = $"model is {TestModels.B.Length} bytes, this device accepts at most {limit}";
                break;
            case "wrong CRC": begin = new(Crc: 123); break;
            case "truncated": begin = new(Length: model.Length + 10); break;
            case "invalid model":
                model = TestModels.WithTrailingByte(model);
                begin = new();
                break;
            case "does not fit":
                Model a = TestModels.ModelA, b = ModelReader.Read(model, model.Length, int.MaxValue, out _)!;
                int ramA = a.ParameterBytes + a.ArenaBytes, ramB = b.ParameterBytes + b.ArenaBytes;
                Assert.True(ramB > ramA + 2);
                extra = $"max_ram_bytes {(ramA + ramB) / 2}\n";
                break;
            case "unbound input":
                Model renamed = ModelReader.Read(model, model.Length, int.MaxValue, out _)!;
                renamed.FeatureNames = (string[])renamed.FeatureNames.Clone();
                renamed.FeatureNames[0] = "renamed";
                model = ModelWriter.Write(renamed);
                break;
        }
        using var bench = new UpdateBench(TestModels.Config(20, extra));
        if (scenario == "invalid model") Assert.Null(ModelReader.Read(model, model.Length, int.MaxValue, out _));
        var e = Assert.Throws<DeviceLinkException>(() => ModelDeployer.Deploy(bench.Host, model, "new.enet", 256, null, begin));
        Assert.Contains(code + ": ", e.Message);
        Assert.Contains(message, e.Message);
        string reported = bench.WaitForLine("update failed: " + code);
        Assert.Contains($"model {TestModels.NameA} " + line, reported);
        AssertStillA(bench);
    }

    [Fact]
    public void A_cut_connection_times_out_on_the_device_and_the_old_model_keeps_running()
    {
        using var bench = new UpdateBench(TestModels.Config(20, "update_timeout_ms 1000\n"));
        bench.HostPort.CutAfter = 600;
        Assert.Throws<IOException>(() => ModelDeployer.Deploy(bench.Host, TestModels.B, "b.enet", 128));
        string line = bench.WaitForLine("update failed: timeout");
        Assert.Contains("no data for 1000 ms after", line);
        Assert.Contains($"model {TestModels.NameA} still active", line);
        AssertStillA(bench);
        // Still classifying with the old model afterwards.
        bench.Lines.Clear();
        bench.WaitForLine("C\t");
    }

    [Fact]
    public void A_host_that_resumes_after_the_device_gave_up_is_told_at_once()
    {
        using var bench = new UpdateBench(TestModels.Config(20, "update_timeout_ms 600\n"));
        var begin = new byte[Link.LinkProtocol.BeginBytes];
        begin[0] = Link.LinkProtocol.Version;
        Link.FrameEncoder.PutU16(begin, 1, ModelFormat.Version);
        Link.FrameEncoder.PutU32(begin, 3, (uint)TestModels.B.Length);
        Link.FrameEncoder.PutU16(begin, 11, 128);
        bench.Host.Request(Link.LinkProtocol.Begin, 0, begin, begin.Length, r => r.Type == Link.LinkProtocol.Ack, "Begin");
        Assert.Contains("no data for 600 ms after 0 of", bench.WaitForLine("update failed: timeout"));
        int resentBefore = bench.Host.Resent;
        var e = Assert.Throws<DeviceLinkException>(() =>
            bench.Host.Request(Link.LinkProtocol.Chunk, 1, TestModels.B, 128, r => r.Type == Link.LinkProtocol.Ack, "chunk 1"));
        Assert.Equal("chunk 1: the device abandoned the update (no-transfer: no update in progress (send Begin first)); see its E line for why", e.Message);
        Assert.Equal(resentBefore, bench.Host.Resent);
        AssertStillA(bench);
    }

    [Fact]
    public void Power_loss_at_any_flash_write_leaves_the_old_or_the_new_model_never_a_corrupt_one()
    {
        int sawOld = 0, sawNew = 0;
        for (int k = 0; ; k++)
        {
            var storage = UpdateBench.WithActive(TestModels.A);
            storage.OpsBeforeReset = k;
            bool completed;
            using (var bench = new UpdateBench(storage: storage))
            {
                try
                {
                    ModelDeployer.Deploy(bench.Host, TestModels.B, "b.enet", 256);
                    completed = true;
                }
                catch (DeviceLinkException e)
                {
                    Assert.Contains("storage: ", e.Message);
                    Assert.Contains("power lost", e.Message);
                    completed = false;
                }
            }
            using var rebooted = new UpdateBench(storage: storage.Reboot(), start: false);
            string? active = rebooted.Device.ModelName;
            byte[]? file = rebooted.Storage.File("model.enet");
            Assert.True(active == TestModels.NameA || active == "model-b", $"reset at write {k}: model {active}");
            Assert.Equal(active == "model-b" ? TestModels.B : TestModels.A, file);
            Assert.Equal("flash", rebooted.Device.Source);
            Assert.Equal(["model.enet"], rebooted.Storage.Names());
            if (!completed) Assert.Equal(TestModels.NameA, active); // not acknowledged: the old model
            if (active == "model-b") sawNew++; else sawOld++;
            if (!storage.PoweredOff) break;
            Assert.True(k < 100, "the update never finished");
        }
        Assert.True(sawOld >= 5, $"{sawOld} resets kept the old model");
        Assert.True(sawNew >= 1, $"{sawNew} resets ended with the new model");
    }

    [Fact]
    public void Boot_refuses_a_corrupt_model_file_and_falls_back_with_the_reason()
    {
        var storage = new FaultStorage();
        byte[] bad = (byte[])TestModels.A.Clone();
        bad[100] ^= 0x10;
        storage.Put("model.enet", bad);
        using var bench = new UpdateBench(storage: storage, builtin: TestModels.B, start: false);
        Assert.Equal("model-b", bench.Device.ModelName);
        Assert.Equal("built-in", bench.Device.Source);
        Assert.Contains("model.enet: byte 12: CRC-32 mismatch", bench.Device.BootReport);
        Assert.Contains("CRC-32 mismatch", bench.WaitForLine("E\t"));
    }

    [Fact]
    public void Boot_completes_a_swap_cut_by_a_reset_with_the_previous_model()
    {
        var storage = new FaultStorage();
        storage.Put("model.old", TestModels.A); // active was moved aside, the new one not yet renamed
        storage.Put("model.new", TestModels.B);
        using var bench = new UpdateBench(storage: storage, start: false);
        Assert.Equal(TestModels.NameA, bench.Device.ModelName);
        Assert.Equal(["model.enet"], storage.Names());
        Assert.Equal(TestModels.A, storage.File("model.enet"));
    }
}
