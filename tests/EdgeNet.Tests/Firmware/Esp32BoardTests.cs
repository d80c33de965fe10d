using System.Text.RegularExpressions;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// What can be checked here of the ESP32 application (which needs nuget.org-only packages to build): its
/// board configuration parses with the firmware core, feeds the built-in demo model, and the copy compiled
/// into DefaultBoard.cs is the same text.
/// </summary>
public class Esp32BoardTests
{
    private static string Esp32(string file) => Path.Combine(DeviceBuild.RepoRoot, "firmware", "esp32", file);

    [Fact]
    public void The_shipped_board_configuration_parses_and_feeds_the_built_in_model()
    {
        string text = File.ReadAllText(Esp32("board.cfg"));
        Type t = DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Config.BoardConfig", true)!;
        object?[] args = [text, "board.cfg", null];
        dynamic? config = t.GetMethod("Parse")!.Invoke(null, args);
        Assert.True(config != null, (string?)args[2]);
        Assert.Equal("COM2", (string)config!.SerialPort);
        Assert.Equal(new[] { "COM2_RX", "COM2_TX", "I2C1_DATA", "I2C1_CLOCK" }, (string[])config.PinFunction);
        Assert.Equal(36, (int)config.Sensors.Length);

        // Bind it to the built-in model (the replay data's) exactly as the firmware does at boot.
        Type readerType = DeviceBuild.Load("EdgeNet.Shared").GetType("EdgeNet.Format.ModelReader", true)!;
        object?[] read = [TestModels.A, TestModels.A.Length, int.MaxValue, null];
        object model = readerType.GetMethod("Read")!.Invoke(null, read)!;
        object?[] bind = [model, null];
        object? map = ((object)config).GetType().GetMethod("Bind")!.Invoke(config, bind);
        Assert.True(map != null, (string?)bind[1]);
        Assert.Equal(Enumerable.Range(0, 36).ToArray(), (int[])map!);
    }

    [Fact]
    public void DefaultBoard_cs_is_board_cfg()
    {
        string cfg = File.ReadAllText(Esp32("board.cfg")).Replace("\r\n", "\n");
        string cs = File.ReadAllText(Esp32("DefaultBoard.cs"));
        string compiled = string.Concat(Regex.Matches(cs, "^\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.Multiline)
            .Select(m => Regex.Unescape(m.Groups[1].Value)));
        Assert.Equal(cfg, compiled);
    }
}
