using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Golden;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>
/// Pinned integers for each new layer type (models in shared/desktop/NetworkTypeGoldens.cs). A trace holds,
/// per reading, the int8 input window then the layer's output. The arithmetic is worked out beside each.
/// Both builds (desktop and nanoFramework-compiled) must produce exactly these values.
/// </summary>
public class NetworkTypeGoldenTests
{
    private static readonly Func<byte[], int[], int, sbyte[]> DeviceTrace =
        DeviceBuild.Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");

    public static readonly Dictionary<string, sbyte[]> Expected = new()
    {
        // x = q - 3, padded with real 0 on both ends; f0 = (1, 2, 1), f1 = (-1, 0, 1) + 4; x0.5 rounds halves up.
        // Reading 4: x = (1, 2, 3, 4): f0 sums 4, 8, 12, 11 -> 2, 4, 6, 6; f1 sums 6, 6, 6, 1 -> 3, 3, 3, 1.
        ["conv1d"] =
        [
            3, 3, 3, 4, /**/ 0, 2, 0, 2, 1, 3, 1, 2,
            3, 3, 4, 5, /**/ 0, 2, 1, 3, 2, 3, 3, 2,
            3, 4, 5, 6, /**/ 1, 3, 2, 3, 4, 3, 4, 1,
            4, 5, 6, 7, /**/ 2, 3, 4, 3, 6, 3, 6, 1,
        ],
        // Max over 2 steps per channel, then the ReLU clamp at the zero point -1 (-2, -3 -> -1).
        ["maxpool1d"] =
        [
            -1, -1, -1, -1, 0, -2, /**/ -1, -1, 0, -1,
            -1, -1, 0, -2, 1, -3, /**/ 0, -1, 1, -1,
            0, -2, 1, -3, -5, 4, /**/ 1, -1, 1, 4,
        ],
        // zp + round((x_a + x_b) / 2) with x = q + 1, halves away from zero: 0.5 -> 1, -0.5 -> -1, -1.5 -> -2.
        ["avgpool1d"] =
        [
            -1, -1, -1, -1, 0, -2, /**/ -1, -1, 0, -2,
            -1, -1, 0, -2, 1, -3, /**/ 0, -2, 1, -3,
            0, -2, 1, -3, -5, 4, /**/ 1, -3, -2, 1,
        ],
        // h = 0.5 * (w x) + 0.5 * (u * h_prev), w = (1, 2), u = (2, -1): (2, 4) -> (2 + 2, 4 - 2) -> (2 + 4, 4 - 1).
        ["recurrent-direct"] = [4, 2, 4, /**/ 4, 4, 2, /**/ 4, 6, 3],
        // h_o = x + sum over the other neurons: (1, 1, 1) -> (2 + 2, 2 - 1, 2 + 2) -> (0 + 1 + 4, -4, 2 * 1).
        ["recurrent-lateral"] = [1, 1, 1, 1, /**/ 2, 4, 1, 4, /**/ 0, 5, -4, 2],
        // h = x + U h_prev, U = ((1, 1), (1, -1)); 300 and 227 saturate to 127 and stay saturated state.
        ["recurrent-complete"] = [100, 100, 100, /**/ 100, 127, 100, /**/ 0, 127, 27],
        // h = x + v * y_prev, v = (1, -1), y = h0 + h1: y = 6, then h = (7, -5) -> 2, then h = (2, -2) -> 0.
        ["recurrent-indirect"] = [3, 6, /**/ 1, 2, /**/ 0, 0],
    };

    public static TheoryData<string> Names => new(NetworkTypeGoldens.All().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Both_builds_reproduce_the_pinned_integers(string name)
    {
        GoldenStream c = NetworkTypeGoldens.All().Single(g => g.Name == name);
        byte[] file = ModelWriter.Write(c.Model);
        Assert.Null(DeviceProbe.Check(file, int.MaxValue));
        Assert.Equal(Expected[name], DeviceProbe.Trace(file, c.Raw, c.Readings));
        Assert.Equal(Expected[name], DeviceTrace(file, c.Raw, c.Readings));
    }

    [Fact]
    public void Every_golden_case_has_pinned_values()
    {
        Assert.Equal(Expected.Keys.Order(), NetworkTypeGoldens.All().Select(c => c.Name).Order());
    }
}
