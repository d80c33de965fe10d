using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Link;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// Sessions on the device (issue #14 item 4: windows and recurrent state reset on boot and on command): the
/// nanoFramework-compiled firmware, stepped by hand, with a model over a window of readings.
/// </summary>
public class SessionTests
{
    private const int Window = 4;

    /// <summary>Model A's inputs and classes over a window of 4 readings (random dense layers).</summary>
    private static readonly Lazy<byte[]> Windowed = new(() =>
    {
        Model a = TestModels.ModelA;
        Model random = RandomModels.Dense(new Random(11), a.FeatureCount, [16, a.ClassCount], Window);
        return ModelWriter.Write(new Model { Name = "model-w", ClassLabels = a.ClassLabels, FeatureNames = a.FeatureNames, WindowLength = Window, Input = a.Input, Layers = random.Layers });
    });

    /// <summary>A booted device on rows starting at firstRow, 10 Hz, and its host end.</summary>
    private static (DeviceRunner Device, DeviceLink Host, ManualClock Clock) Boot(int firstRow)
    {
        var clock = new ManualClock();
        var cable = new MemoryCable();
        int[] rows = TestModels.Rows.Skip(firstRow * TestModels.Features).ToArray();
        var device = new DeviceRunner(TestModels.Config(rateHz: 10), UpdateBench.WithActive(Windowed.Value), cable.Device, new RowSensors(rows, TestModels.Features), clock, new TestLed(), null).Boot();
        return (device, new DeviceLink(cable.Host), clock);
    }

    /// <summary>Samples readings (one each 100 ms) and returns the lines the device wrote.</summary>
    private static List<string> Run(DeviceRunner device, DeviceLink host, ManualClock clock, int samples)
    {
        for (int s = 0; s < samples; s++)
        {
            device.Poll();
            clock.Now += 100;
        }
        var lines = new List<string>();
        for (string? l; (l = host.NextLine(20)) != null;) lines.Add(l);
        return lines;
    }

    /// <summary>Class and score of each classification line (not its time).</summary>
    private static List<string> Classes(List<string> lines) =>
        lines.Where(l => l.StartsWith("C\t")).Select(l => string.Join('\t', l.Split('\t').Skip(2))).ToList();

    [Fact]
    public void NewSession_clears_the_window_so_the_device_classifies_as_if_it_had_just_booted()
    {
        // At boot: the first classification comes after a full window.
        var fresh = Boot(firstRow: 10);
        using var freshDevice = fresh.Device;
        List<string> expected = Classes(Run(fresh.Device, fresh.Host, fresh.Clock, 8));
        Assert.Equal(8 - (Window - 1), expected.Count);

        // Ten readings of another recording, then a new session: the next 8 readings (rows 10..17) give
        // what the freshly booted device gave, and nothing from the readings before the join.
        var d = Boot(firstRow: 0);
        using var device = d.Device;
        Assert.Equal(10 - (Window - 1), Classes(Run(d.Device, d.Host, d.Clock, 10)).Count);
        d.Host.Send(LinkProtocol.NewSession, 7, [], 0, 0);
        d.Device.Poll();
        DeviceReply? ack = d.Host.NextReply(200);
        Assert.NotNull(ack);
        Assert.Equal((LinkProtocol.Ack, 7), (ack!.Type, ack.Seq));
        List<string> after = Run(d.Device, d.Host, d.Clock, 8);
        Assert.Contains(after, l => l.EndsWith("\tnew session: input window and recurrent state cleared"));
        Assert.Equal(expected, Classes(after));

        // Without the command the window runs across the join: a class at every reading.
        var joined = Boot(firstRow: 0);
        using var joinedDevice = joined.Device;
        Assert.Equal(18 - (Window - 1), Classes(Run(joined.Device, joined.Host, joined.Clock, 18)).Count);
    }

    [Fact]
    public void The_host_starts_a_new_session_with_one_request()
    {
        using var bench = new UpdateBench(storage: UpdateBench.WithActive(Windowed.Value));
        ModelDeployer.NewSession(bench.Host);
        Assert.True(SpinWait.SpinUntil(() => bench.Lines.Any(l => l.Contains("new session: input window and recurrent state cleared")), 5000));
    }
}
