namespace EdgeNet.Tests.Fleet;

/// <summary>The fleet, wifi and mqtt lines of board.cfg, parsed by the nanoFramework-compiled firmware core; the bounded message queue.</summary>
public class FleetConfigTests
{
    private static dynamic? Parse(string text, out string? error)
    {
        Type t = DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Config.BoardConfig", true)!;
        object?[] args = [text, "board.cfg", null];
        object? c = t.GetMethod("Parse")!.Invoke(null, args);
        error = (string?)args[2];
        return c;
    }

    private const string Key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    [Fact]
    public void Network_lines_are_parsed()
    {
        dynamic c = Parse($"rate_hz 10\nwifi ssid=plant-4 password=s3cret\nmqtt broker=mqtt.example.org port=8883 user=dev-7 password=pw tls=on\nfleet device=dev-7 group=north key={Key}\n", out string? error)!;
        Assert.Null(error);
        Assert.Equal("plant-4", (string)c.WifiSsid);
        Assert.Equal("s3cret", (string)c.WifiPassword);
        Assert.Equal("mqtt.example.org", (string)c.MqttBroker);
        Assert.Equal(8883, (int)c.MqttPort);
        Assert.Equal("dev-7", (string)c.MqttUser);
        Assert.Equal("pw", (string)c.MqttPassword);
        Assert.True((bool)c.MqttTls);
        Assert.Equal("dev-7", (string)c.DeviceId);
        Assert.Equal("north", (string)c.Group);
        Assert.Equal(Convert.FromHexString(Key), (byte[])c.FleetKey);
    }

    [Fact]
    public void Without_network_lines_nothing_is_set()
    {
        dynamic c = Parse("rate_hz 10\n", out _)!;
        Assert.Null((object?)c.MqttBroker);
        Assert.Null((object?)c.FleetKey);
        Assert.Equal(1883, (int)c.MqttPort);
    }

    [Theory]
    [InlineData("mqtt port=1883\n", "board.cfg line 1, column 1: an mqtt line needs broker=<host>")]
    [InlineData("mqtt broker=h port=0\n", "board.cfg line 1, column 15: MQTT port '0' is not a number in 1..65535")]
    [InlineData("mqtt broker=h tls=maybe\n", "board.cfg line 1, column 15: tls 'maybe' is not on or off")]
    [InlineData("mqtt broker=h qos=2\n", "board.cfg line 1, column 15: unknown key 'qos' for mqtt (expected broker, port, user, password, tls)")]
    [InlineData("wifi password=x\n", "board.cfg line 1, column 1: a wifi line needs ssid=<network>")]
    [InlineData("fleet device=a/b\n", "board.cfg line 1, column 7: device name 'a/b' may use letters, digits, '-' and '_' only (1..64)")]
    [InlineData("fleet group=a+b\n", "board.cfg line 1, column 7: group name 'a+b' may use letters, digits, '-' and '_' only (1..64)")]
    public void Bad_network_lines_name_line_and_column(string text, string expected)
    {
        Assert.Null(Parse(text, out string? error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("fleet key=0011\n")]                       // too short
    [InlineData("fleet key=zz112233445566778899aabbccddeeff\n")] // not hex
    [InlineData("fleet key 00112233445566778899aabbccddeeff\n")] // no '='
    public void A_bad_key_is_refused_without_showing_it(string text)
    {
        Assert.Null(Parse(text, out string? error));
        Assert.NotNull(error);
        string value = text.Split(['=', ' '])[^1].Trim();
        Assert.DoesNotContain(value, error);
    }

    [Fact]
    public void The_message_queue_keeps_at_most_its_slots_and_counts_what_it_dropped()
    {
        dynamic q = Activator.CreateInstance(DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Fleet.MessageQueue", true)!, 2, 8)!;
        Assert.True((bool)q.Offer(new byte[] { 1, 2 }, 0, 2));
        Assert.True((bool)q.Offer(new byte[] { 3 }, 0, 1));
        Assert.False((bool)q.Offer(new byte[] { 4 }, 0, 1));              // full
        Assert.False((bool)q.Offer(new byte[9], 0, 9));                   // longer than a slot
        var buffer = new byte[8];
        Assert.Equal(2, (int)q.Take(buffer, 0, 8));
        Assert.Equal(new byte[] { 1, 2 }, buffer[..2]);
        Assert.True((bool)q.Offer(new byte[] { 5, 6, 7 }, 0, 3));        // a slot is free again
        Assert.Equal(1, (int)q.Take(buffer, 0, 8));
        Assert.Equal(3, buffer[0]);
        Assert.Equal(-1, (int)q.Take(buffer, 0, 2));                      // does not fit the caller's buffer: dropped
        Assert.Equal(0, (int)q.Take(buffer, 0, 8));
        Assert.Equal(3, (int)q.Dropped);
    }
}
