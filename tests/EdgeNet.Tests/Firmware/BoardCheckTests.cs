using System.Text.RegularExpressions;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// The board configuration checked against the chip's pins (nanoFramework-compiled BoardCheck and
/// BoardTarget): every setting that nanoFramework would only refuse on the board, named with file, line and GPIO.
/// </summary>
public class BoardCheckTests
{
    private static Type Core(string type) => DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Config." + type, true)!;

    /// <summary>Parse + check; (error, notes) with error null when the configuration fits its chip.</summary>
    public static (string? Error, string Notes) Check(string text)
    {
        object?[] parse = [text, "board.cfg", null];
        object? config = Core("BoardConfig").GetMethod("Parse")!.Invoke(null, parse);
        Assert.True(config != null, (string?)parse[2]);
        object target = Core("BoardTarget").GetMethod("Find")!.Invoke(null, [((dynamic)config!).Chip])!;
        object?[] check = [config, target, null];
        string? error = (string?)Core("BoardCheck").GetMethod("Check")!.Invoke(null, check);
        return (error, (string)check[2]!);
    }

    private const string Link = "serial COM2\npin COM2_RX 32\npin COM2_TX 33\n";

    private static int AdcGpio(string chip, int channel)
    {
        dynamic t = Core("BoardTarget").GetMethod("Find")!.Invoke(null, [chip])!;
        return ((int[])t.AdcGpio)[channel];
    }

    [Fact]
    public void ADC_channels_map_to_the_GPIOs_of_each_chip()
    {
        // ESP32 (nf-interpreter's logical channels): ADC1 0-7, 8/9 inside the chip, ADC2 from 10.
        int[] esp32 = [36, 37, 38, 39, 32, 33, 34, 35, -1, -1, 4, 0, 2, 15, 13, 12, 14, 27, 25, 26];
        Assert.Equal(esp32, Enumerable.Range(0, 20).Select(c => AdcGpio("ESP32", c)));
        // ESP32-S3: ADC1 channel n on GPIO n+1, ADC2 channel n on GPIO n+11.
        Assert.Equal(Enumerable.Range(1, 20), Enumerable.Range(0, 20).Select(c => AdcGpio("esp32-s3", c)));
    }

    [Theory]
    [InlineData("sensor light adc channel=6\n", null)]
    [InlineData("sensor light adc channel=10\n", null)]
    [InlineData("sensor light adc channel=8\n", "board.cfg line 4: sensor 'light': ADC1 channel 8 (inside the chip, no pin) cannot be read as a sensor on ESP32 (channels: 0 (GPIO36), 1 (GPIO37), 2 (GPIO38), 3 (GPIO39), 4 (GPIO32), 5 (GPIO33), 6 (GPIO34), 7 (GPIO35), 10 (GPIO4)")]
    [InlineData("sensor light adc channel=20\n", "board.cfg line 4: sensor 'light': ADC channel 20 does not exist on ESP32")]
    [InlineData("sensor light adc\n", "board.cfg line 4: sensor 'light': an adc sensor needs channel=<n> (ESP32 channels: 0 (GPIO36)")]
    [InlineData("sensor light adc chanel=6\n", "board.cfg line 4: sensor 'light': unknown setting 'chanel' for kind adc (expected channel, exp)")]
    [InlineData("sensor light adc channel=4\n", "board.cfg line 4: sensor 'light': ADC1 channel 4, GPIO32 is already COM2_RX (line 2)")]
    [InlineData("pin ADC1_CH6 34\n", "board.cfg line 4: ADC pins are fixed in the chip, so there is nothing to assign: remove this line and read the channel with 'sensor <name> adc channel=<n>' (ESP32 channels: 0 (GPIO36), 1 (GPIO37), 2 (GPIO38), 3 (GPIO39), 4 (GPIO32), 5 (GPIO33), 6 (GPIO34)")]
    public void ADC_sensors_are_checked_and_errors_name_the_GPIO(string lines, string? expected)
    {
        var (error, _) = Check(Link + lines);
        if (expected == null) Assert.Null(error);
        else Assert.StartsWith(expected, error);
    }

    [Theory]
    [InlineData("sensor light adc channel=6\n", null)]
    [InlineData("sensor light adc channel=8\n", null)]
    [InlineData("sensor light adc channel=16\n", "board.cfg line 5: sensor 'light': ADC2 channel 6, GPIO17 is already COM2_RX (line 3)")]
    [InlineData("pin ADC1_CH6 7\n", "board.cfg line 5: ADC pins are fixed in the chip, so there is nothing to assign: remove this line and read the channel with 'sensor <name> adc channel=<n>' (ESP32-S3 channels: 0 (GPIO1), 1 (GPIO2)")]
    [InlineData("pin I2C1_DATA 30\n", "board.cfg line 5: GPIO30 is wired to the module's SPI flash")]
    [InlineData("pin I2C1_DATA 38\npin I2C1_CLOCK 39\n", null)]
    public void ESP32_S3_has_its_own_channels_and_pins(string lines, string? expected)
    {
        var (error, _) = Check("chip ESP32-S3\nserial COM2\npin COM2_RX 17\npin COM2_TX 18\n" + lines);
        if (expected == null) Assert.Null(error);
        else Assert.StartsWith(expected, error);
    }

    [Theory]
    [InlineData("serial COM2\npin COM2_RX 32\npin COM2_TX 34\n", "board.cfg line 3: COM2_TX drives its pin but GPIO34 is input-only on ESP32 (GPIOs 34, 35, 36, 37, 38, 39 have no output driver)")]
    [InlineData("serial COM1 115200\n", "board.cfg line 1: COM1 is UART0, which the nanoFramework debugger and deployment use")]
    [InlineData("serial COM2\n", "board.cfg line 1: serial COM2 needs both 'pin COM2_RX <gpio>' and 'pin COM2_TX <gpio>' lines")]
    [InlineData("pin COM2_RX 32\n", "board.cfg: serial COM2 needs both 'pin COM2_RX <gpio>' and 'pin COM2_TX <gpio>' lines")]
    [InlineData("serial COM3\npin COM2_RX 32\npin COM2_TX 33\n", "board.cfg line 1: serial COM3 needs both")]
    [InlineData("serial COM7\n", "board.cfg line 1: unknown serial port 'COM7' (expected COM2, COM3)")]
    [InlineData(Link + "sensor t i2c bus=3 address=0x48\n", "board.cfg line 4: sensor 't': I2C bus 3 does not exist on ESP32 (buses 1, 2)")]
    [InlineData(Link + "sensor t i2c bus=2 address=0x48\n", "board.cfg line 4: sensor 't': I2C bus 2 needs 'pin I2C2_DATA <gpio>' and 'pin I2C2_CLOCK <gpio>' lines")]
    [InlineData(Link + "pin I2C1_DATA 21\npin I2C1_CLOCK 22\nsensor t i2c address=0x90\n", "board.cfg line 6: sensor 't': I2C address 144 is outside the 7-bit device range 0x08..0x77")]
    [InlineData(Link + "pin I2C1_DATA 21\npin I2C1_CLOCK 39\n", "board.cfg line 5: I2C1_CLOCK drives its pin but GPIO39 is input-only")]
    [InlineData(Link + "sensor t thermometer\n", "board.cfg line 4: sensor 't': unknown sensor kind 'thermometer' (expected adc, i2c, replay)")]
    [InlineData(Link + "led 35\n", "board.cfg line 4: the LED needs an output but GPIO35 is input-only on ESP32")]
    [InlineData(Link + "led 33\n", "board.cfg line 4: LED GPIO33 is already COM2_TX (line 3)")]
    [InlineData(Link + "pin I2C1_DATA 32\n", "board.cfg line 4: GPIO32 is already COM2_RX (line 2)")]
    [InlineData(Link + "pin COM2_RX 25\n", "board.cfg line 4: COM2_RX is assigned twice (also line 2)")]
    [InlineData(Link + "pin I2C1_DATA 7\n", "board.cfg line 4: GPIO7 is wired to the module's SPI flash")]
    [InlineData(Link + "pin I2C1_DATA 24\n", "board.cfg line 4: ESP32 has no GPIO24")]
    [InlineData(Link + "pin SPI1_MOSI 23\n", "board.cfg line 4: unknown pin function 'SPI1_MOSI' (expected COM2_RX, COM2_TX, COM3_RX, COM3_TX, I2C1_DATA, I2C1_CLOCK, I2C2_DATA, I2C2_CLOCK)")]
    public void Settings_a_board_would_refuse_are_reported_before_any_pin_is_touched(string text, string expected)
    {
        var (error, _) = Check(text);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void PSRAM_pins_of_WROVER_modules_work_but_come_with_a_note()
    {
        var (error, notes) = Check("serial COM2\npin COM2_RX 16\npin COM2_TX 17\n");
        Assert.Null(error);
        Assert.Contains("GPIO16 is the PSRAM's chip select on WROVER modules", notes);
        Assert.Contains("GPIO17 is the PSRAM's clock on WROVER modules", notes);
    }

    [Fact]
    public void The_shipped_board_configuration_uses_pins_free_on_WROOM_and_WROVER()
    {
        var (error, notes) = Check(File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "firmware", "esp32", "board.cfg")));
        Assert.Null(error);
        Assert.Equal("", notes);
    }

    [Fact]
    public void PinSetup_assigns_exactly_the_functions_BoardCheck_accepts_and_no_ADC_pins()
    {
        string source = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "firmware", "esp32", "PinSetup.cs"));
        string[] cases = Regex.Matches(source, "case \"([A-Z0-9_]+)\": return DeviceFunction\\.([A-Z0-9_]+);")
            .Select(m => { Assert.Equal(m.Groups[1].Value, m.Groups[2].Value); return m.Groups[1].Value; }).ToArray();
        string[] accepted = (string[])Core("BoardCheck").GetMethod("PinFunctions")!.Invoke(null, null)!;
        Assert.Equal(accepted, cases);
        Assert.DoesNotContain("ADC", source.Split("DeviceFunction Function(")[1]);
    }

    [Fact]
    public void The_UART_receive_buffer_holds_two_frames_and_is_set_before_the_port_opens()
    {
        int bytes = (int)DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Firmware", true)!.GetProperty("UartReadBufferBytes")!.GetValue(null)!;
        int maxFrame = (int)DeviceBuild.Shared.GetType("EdgeNet.Link.LinkProtocol", true)!.GetField("MaxFrame")!.GetValue(null)!;
        Assert.True(bytes >= 2048 && bytes >= 2 * maxFrame, $"{bytes} B for frames of up to {maxFrame} B");
        // The ESP32 layer cannot be compiled here: check its source sets the size, and before Open().
        string source = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "firmware", "esp32", "Esp32Serial.cs"));
        int set = source.IndexOf("_port.ReadBufferSize = Firmware.Firmware.UartReadBufferBytes;", StringComparison.Ordinal);
        int open = source.IndexOf("_port.Open();", StringComparison.Ordinal);
        Assert.True(set > 0 && open > set, "Esp32Serial must set ReadBufferSize to Firmware.UartReadBufferBytes before Open()");
    }
}
