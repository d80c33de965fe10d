namespace EdgeNet.Tests.Firmware;

/// <summary>The board configuration parser of the device build: settings, and errors naming line and column.</summary>
public class BoardConfigTests
{
    private static (dynamic? Config, string? Error) Parse(string text)
    {
        Type t = DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Config.BoardConfig", true)!;
        object?[] args = [text, "board.cfg", null];
        object? c = t.GetMethod("Parse")!.Invoke(null, args);
        return (c, (string?)args[2]);
    }

    [Fact]
    public void A_full_configuration_is_read()
    {
        var (c, error) = Parse("# greenhouse\r\nrate_hz 25\nsensor light adc channel=6 exp=3\nsensor temp i2c address=0x48 register=0 bytes=2 exp=2   # TMP102\n" +
                               "input lux light\ninput 1 temp\nled 2 too hot\nserial COM2 921600\npin COM2_RX 16\npin I2C1_DATA 21\nmax_model_bytes 32768\nmax_ram_bytes 40000\nupdate_timeout_ms 4000\n");
        Assert.Null(error);
        Assert.Equal(25, (int)c!.RateHz);
        Assert.Equal(40, (int)c.PeriodMs);
        Assert.Equal(2, (int)c.Sensors.Length);
        Assert.Equal("temp", (string)c.Sensors[1].Name);
        Assert.Equal("i2c", (string)c.Sensors[1].Kind);
        Assert.Equal(0x48, (int)c.Sensors[1].Int("address", -1));
        Assert.Equal(2, (int)c.Sensors[1].Exponent);
        Assert.Equal(3, (int)c.Sensors[0].Exponent);
        Assert.Equal(new[] { "lux", "1" }, (string[])c.InputFeature);
        Assert.Equal(new[] { "light", "temp" }, (string[])c.InputSensor);
        Assert.Equal(2, (int)c.LedPin);
        Assert.Equal("too hot", (string)c.LedLabel);
        Assert.Equal("COM2", (string)c.SerialPort);
        Assert.Equal(921600, (int)c.SerialBaud);
        Assert.Equal(32768, (int)c.MaxModelBytes);
        Assert.Equal(40000, (int)c.MaxRamBytes);
        Assert.Equal(4000, (int)c.UpdateTimeoutMs);
        Assert.Equal(new[] { "COM2_RX", "I2C1_DATA" }, (string[])c.PinFunction);
        Assert.Equal(new[] { 16, 21 }, (int[])c.PinNumber);
    }

    [Theory]
    [InlineData("rate_hz 0", "board.cfg line 1, column 9: sample rate '0' is not a whole number in 1..1000")]
    [InlineData("rate_hz 10\n\n  colour red", "board.cfg line 3, column 3: unknown setting 'colour'")]
    [InlineData("sensor a adc channel=1 exp=12", "board.cfg line 1, column 24: exponent '12' is not a whole number in -9..9")]
    [InlineData("sensor a adc channel", "board.cfg line 1, column 14: expected key=value, found 'channel'")]
    [InlineData("sensor a adc\nsensor a adc", "board.cfg line 2, column 8: sensor 'a' is defined twice")]
    [InlineData("led x", "board.cfg line 1, column 5: LED pin 'x' is not a number in 0..255")]
    [InlineData("serial COM1 fast", "board.cfg line 1, column 13: baud rate 'fast'")]
    [InlineData("pin COM2_RX sixteen", "board.cfg line 1, column 13: GPIO 'sixteen' is not a number in 0..255")]
    [InlineData("input 0 nothing", "board.cfg: input '0' names sensor 'nothing', which no sensor line defines")]
    [InlineData("rate_hz 99999999999", "board.cfg line 1, column 9: sample rate '99999999999'")]
    public void A_bad_line_is_reported_with_line_and_column(string text, string expected)
    {
        var (c, error) = Parse(text);
        Assert.Null(c);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void Rescaling_between_sensor_and_model_units_rounds_and_saturates()
    {
        var rescale = DeviceBuild.Method<Func<int, int, int>>("EdgeNet.Firmware.Core", "EdgeNet.Firmware.Pipeline.SensorPipeline", "Rescale");
        Assert.Equal(1234000, rescale(1234, 3));
        Assert.Equal(12, rescale(1234, -2));
        Assert.Equal(13, rescale(1250, -2));
        Assert.Equal(-13, rescale(-1250, -2));
        Assert.Equal(int.MaxValue, rescale(3, 9));
        Assert.Equal(int.MinValue, rescale(-3, 12));
        Assert.Equal(-2, rescale(int.MinValue, -9));
        Assert.Equal(0, rescale(int.MaxValue, -18));
        Assert.Equal(int.MinValue, rescale(int.MinValue, 1));
    }
}

/// <summary>Which sensor feeds which model input when the configuration has no input lines: by name, never by position.</summary>
public class BindByNameTests
{
    private static (int[]? Map, string? Error) Bind(string config, byte[] model)
    {
        Type t = DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Config.BoardConfig", true)!;
        object?[] args = [config, "board.cfg", null];
        object c = t.GetMethod("Parse")!.Invoke(null, args) ?? throw new InvalidOperationException((string)args[2]!);
        object?[] read = [model, model.Length, int.MaxValue, null];
        object m = DeviceBuild.Shared.GetType("EdgeNet.Format.ModelReader", true)!.GetMethod("Read")!.Invoke(null, read)!;
        object?[] bind = [m, null];
        var map = (int[]?)t.GetMethod("Bind")!.Invoke(c, bind);
        return (map, (string?)bind[1]);
    }

    private static byte[] Weather()
    {
        var m = EdgeNet.Quantization.RandomModels.Dense(new Random(4), 4, [3]);
        m.Name = "weather";
        m.FeatureNames = ["temperature", "humidity", "pressure", "wind"];
        m.ClassLabels = ["sun", "rain", "snow"];
        return EdgeNet.Format.ModelWriter.Write(m);
    }

    [Fact]
    public void Sensors_named_like_the_inputs_feed_them_in_any_order()
    {
        var (map, error) = Bind("sensor wind adc\nsensor extra adc\nsensor pressure adc\nsensor humidity adc\nsensor temperature adc\n", Weather());
        Assert.Null(error);
        Assert.Equal([4, 3, 2, 0], map!);
    }

    [Fact]
    public void A_model_for_other_sensors_is_refused_with_both_name_lists_instead_of_running_on_the_first_ones()
    {
        // The satellite board: 36 channels, none of which is a weather input.
        string board = string.Concat(Enumerable.Range(1, 36).Select(i => $"sensor x.{i} adc\n"));
        var (map, error) = Bind(board, Weather());
        Assert.Null(map);
        Assert.Equal("model 'weather' inputs (temperature, humidity, pressure, wind) are not the board's sensors ("
            + string.Join(", ", Enumerable.Range(1, 36).Select(i => $"x.{i}")) + "): name each sensor after the input it feeds, or map them with 'input <feature> <sensor>' lines", error);
    }

    [Fact]
    public void Input_lines_map_explicitly_whatever_the_names()
    {
        var (map, error) = Bind("sensor a adc\nsensor b adc\nsensor c adc\nsensor d adc\ninput temperature d\ninput 1 c\ninput pressure b\ninput 3 a\n", Weather());
        Assert.Null(error);
        Assert.Equal([3, 2, 1, 0], map!);
    }
}
