using System.Reflection;
using System.Text;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// Power-on of the nanoFramework-compiled firmware core on test hardware: a bad I:\board.cfg (which
/// redeploying the app does not remove) or hardware that refuses the configuration falls back to the built-in
/// configuration with one report; a model the board cannot feed falls back to the built-in model; no exception
/// stops the main loop.
/// </summary>
public class StartupTests
{
    private static readonly string Builtin = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "firmware", "esp32", "board.cfg"));
    private const string Path_ = "I:\\board.cfg";

    /// <summary>The board under test: Open records the configuration and fails when told to.</summary>
    public sealed class TestBoard
    {
        public readonly MemoryCable Cable = new();
        public readonly List<dynamic> Opened = new();
        public int Closes;
        public Func<dynamic, Exception?> Fail = _ => null;
        public object SensorsTarget;
        private readonly object _serial, _led;
        private object? _sensors;

        public TestBoard(object? sensors = null)
        {
            SensorsTarget = sensors ?? new RowSensors(TestModels.Rows, TestModels.Features);
            _serial = Forwarder.Create("EdgeNet.Firmware.Hal.ISerialPort", Cable.Device);
            _led = Forwarder.Create("EdgeNet.Firmware.Hal.ILed", new TestLed());
        }

        public void Open(object config)
        {
            Opened.Add(config);
            Exception? e = Fail(config);
            if (e != null) throw e;
            _sensors = Forwarder.Create("EdgeNet.Firmware.Hal.ISensors", SensorsTarget);
        }

        public void Close() => Closes++;
        public object get_Serial() => _serial;
        public object? get_Sensors() => _sensors;
        public object get_Led() => _led;
    }

    public static dynamic Start(TestBoard board, FaultStorage storage, object clock, byte[]? builtinModel = null)
    {
        MethodInfo start = DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Startup", true)!.GetMethods().Single(m => m.Name == "Start" && m.GetParameters().Length == 6);
        return start.Invoke(null, [Forwarder.Create("EdgeNet.Firmware.Hal.IBoard", board), Forwarder.Create("EdgeNet.Firmware.Hal.IStorage", storage),
            Forwarder.Create("EdgeNet.Firmware.Hal.IClock", clock), Path_, Builtin, builtinModel ?? TestModels.A])!;
    }

    private static List<string> Lines(TestBoard board)
    {
        var host = new DeviceLink(board.Cable.Host);
        var lines = new List<string>();
        for (string? l; (l = host.NextLine(50)) != null;) lines.Add(l);
        return lines;
    }

    private static FaultStorage WithConfig(string text) => WithConfig(Encoding.UTF8.GetBytes(text));

    private static FaultStorage WithConfig(byte[] bytes)
    {
        var s = new FaultStorage();
        s.Put("board.cfg", bytes);
        return s;
    }

    [Theory]
    [InlineData("serial COM1\n", "I:\\board.cfg line 1: COM1 is UART0, which the nanoFramework debugger and deployment use")]
    [InlineData("serial COM2\nsensor a adc channel=6\n", "I:\\board.cfg line 1: serial COM2 needs both 'pin COM2_RX <gpio>' and 'pin COM2_TX <gpio>' lines")]
    [InlineData("serial COM2\npin COM2_RX 16\npin COM2_TX 34\n", "I:\\board.cfg line 3: COM2_TX drives its pin but GPIO34 is input-only on ESP32")]
    [InlineData("serial COM2\npin COM2_RX 32\npin COM2_TX 33\nsensor a adc channel=9\n", "I:\\board.cfg line 4: sensor 'a': ADC1 channel 9 (inside the chip, no pin) cannot be read as a sensor on ESP32")]
    [InlineData("serial COM2\npin COM2_RX 32\npin COM2_TX 33\nsensor t i2c bus=3\n", "I:\\board.cfg line 4: sensor 't': I2C bus 3 does not exist on ESP32")]
    [InlineData("rate_hz fast\n", "I:\\board.cfg line 1, column 9: sample rate 'fast' is not a whole number in 1..1000")]
    public void A_bad_configuration_on_flash_is_reported_once_and_the_built_in_one_runs(string file, string reason)
    {
        var board = new TestBoard();
        var clock = new ManualClock();
        dynamic fw = Start(board, WithConfig(file), clock);
        Assert.Equal("built-in board.cfg", (string)fw.Config.FileName);
        Assert.Single(board.Opened);
        fw.Boot();
        for (int t = 0; t < 2000; t += 50) { clock.Now = t; fw.Poll(); }
        var lines = Lines(board);
        string report = Assert.Single(lines, l => l.StartsWith("E\t"));
        Assert.StartsWith($"E\t0\t{reason}", report);
        Assert.EndsWith("; using the built-in board configuration", report);
        Assert.Contains(lines, l => l.StartsWith("C\t"));
    }

    [Fact]
    public void Hardware_that_refuses_the_configuration_is_closed_and_set_up_again_with_the_built_in_one()
    {
        // Passes every check, but the board throws as nanoFramework does for a pin it cannot give.
        var board = new TestBoard { Fail = c => (string)c.FileName == Path_ ? new ArgumentException("CLR_E_INVALID_PARAMETER") : null };
        dynamic fw = Start(board, WithConfig("serial COM2\npin COM2_RX 25\npin COM2_TX 26\n"), new ManualClock());
        Assert.Equal(2, board.Opened.Count);
        Assert.Equal(1, board.Closes);
        Assert.Equal("built-in board.cfg", (string)board.Opened[1].FileName);
        fw.Boot();
        Assert.Contains("E\t0\tI:\\board.cfg: setting up the board failed: CLR_E_INVALID_PARAMETER; using the built-in board configuration", Lines(board));
    }

    [Fact]
    public void A_good_file_is_used_as_is_and_read_as_UTF_8()
    {
        string text = Builtin.Replace("led 2\n", "led 2 Wärme\n");
        var board = new TestBoard();
        dynamic fw = Start(board, WithConfig([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]), new ManualClock());
        Assert.Equal(Path_, (string)fw.Config.FileName);
        Assert.Equal("Wärme", (string)fw.Config.LedLabel);
        Assert.Equal("", (string)fw.SetupReport);
    }

    [Fact]
    public void No_file_means_the_built_in_configuration_without_a_report()
    {
        var board = new TestBoard();
        dynamic fw = Start(board, new FaultStorage(), new ManualClock());
        Assert.Equal("built-in board.cfg", (string)fw.Config.FileName);
        Assert.Equal("", (string)fw.SetupReport);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'l', (byte)'e', (byte)'d', (byte)' ', (byte)'2', (byte)' ', (byte)'W', 0xE4, (byte)'r', (byte)'m', (byte)'e' }, "I:\\board.cfg byte 8: 0x72 is not a UTF-8 continuation byte (save the file as UTF-8)")]
    [InlineData(new byte[] { (byte)'#', 0xFF }, "I:\\board.cfg byte 1: 0xFF cannot start a UTF-8 character (save the file as UTF-8)")]
    [InlineData(new byte[] { (byte)'#', 0xC3 }, "I:\\board.cfg byte 1: the file ends inside a UTF-8 character")]
    [InlineData(new byte[] { (byte)'#', 0xC0, 0x80 }, "I:\\board.cfg byte 1: invalid UTF-8 sequence (overlong or a surrogate)")]
    public void A_file_that_is_not_UTF_8_is_reported_with_its_byte(byte[] file, string reason)
    {
        var board = new TestBoard();
        dynamic fw = Start(board, WithConfig(file), new ManualClock());
        Assert.Equal(reason + "; using the built-in board configuration", (string)fw.SetupReport);
    }

    [Fact]
    public void The_whole_file_is_read_or_the_short_read_is_reported()
    {
        var storage = new ShortReadStorage(Encoding.UTF8.GetBytes(Builtin));
        var board = new TestBoard();
        dynamic fw = StartWith(board, storage);
        Assert.Equal("I:\\board.cfg: read 100 of " + Encoding.UTF8.GetByteCount(Builtin) + " bytes; using the built-in board configuration", (string)fw.SetupReport);
    }

    /// <summary>Storage whose reads stop after 100 bytes (a flash driver that returns less than asked).</summary>
    public sealed class ShortReadStorage(byte[] file)
    {
        public int Length(string name) => name == "board.cfg" ? file.Length : -1;
        public int Read(string name, byte[] buffer, int offset, int count) { int n = Math.Min(100, count); Array.Copy(file, 0, buffer, offset, n); return n; }
        public void Create(string name) { }
        public void Append(string name, byte[] data, int offset, int count) { }
        public void Delete(string name) { }
        public void Rename(string from, string to) { }
    }

    private static dynamic StartWith(TestBoard board, object storage)
    {
        MethodInfo start = DeviceBuild.Load("EdgeNet.Firmware.Core").GetType("EdgeNet.Firmware.Startup", true)!.GetMethods().Single(m => m.Name == "Start" && m.GetParameters().Length == 6);
        return start.Invoke(null, [Forwarder.Create("EdgeNet.Firmware.Hal.IBoard", board), Forwarder.Create("EdgeNet.Firmware.Hal.IStorage", storage),
            Forwarder.Create("EdgeNet.Firmware.Hal.IClock", new ManualClock()), Path_, Builtin, TestModels.A])!;
    }

    [Fact]
    public void A_model_on_flash_the_sensors_cannot_feed_stays_on_flash_and_the_built_in_model_runs()
    {
        // A 4-input weather model on flash; the board has the 36 satellite channels named x.1 .. x.36.
        var weather = EdgeNet.Quantization.RandomModels.Dense(new Random(4), 4, [8, 3]);
        weather.Name = "weather";
        weather.FeatureNames = ["temperature", "humidity", "pressure", "wind"];
        weather.ClassLabels = ["sun", "rain", "snow"];
        byte[] file = EdgeNet.Format.ModelWriter.Write(weather);
        var storage = new FaultStorage();
        storage.Put("model.enet", file);
        var board = new TestBoard();
        var clock = new ManualClock();
        dynamic fw = Start(board, storage, clock);
        fw.Boot();
        Assert.Equal(TestModels.NameA, (string)fw.Model.Name);
        Assert.Equal("built-in", (string)fw.Store.Source);
        Assert.Equal(file, storage.File("model.enet"));
        for (int t = 0; t < 1000; t += 50) { clock.Now = t; fw.Poll(); }
        var lines = Lines(board);
        string e = Assert.Single(lines, l => l.StartsWith("E\t"));
        Assert.Equal("E\t0\tmodel weather from flash cannot run on this board: model 'weather' inputs (temperature, humidity, pressure, wind) are not the board's sensors (x.1, x.2, x.3, x.4, x.5, x.6, x.7, x.8, x.9, x.10, x.11, x.12, x.13, x.14, x.15, x.16, x.17, x.18, x.19, x.20, x.21, x.22, x.23, x.24, x.25, x.26, x.27, x.28, x.29, x.30, x.31, x.32, x.33, x.34, x.35, x.36): name each sensor after the input it feeds, or map them with 'input <feature> <sensor>' lines; running the built-in model " + TestModels.NameA + " (the file stays on flash)", e);
        Assert.Contains(lines, l => l.StartsWith("C\t"));
    }

    /// <summary>Sensors whose read throws (a driver bug) on the given samples.</summary>
    public sealed class ThrowingSensors(int[] readings, int features, params int[] throwAt)
    {
        private int _sample = -1;
        public int Samples => _sample + 1;

        public bool Read(int sensor, out int value)
        {
            if (sensor == 0) _sample++;
            if (sensor == 7 && throwAt.Contains(_sample)) throw new InvalidOperationException("I2C bus stuck");
            value = readings[(_sample % (readings.Length / features)) * features + sensor];
            return true;
        }
    }

    [Fact]
    public void An_exception_in_the_main_loop_is_counted_and_reported_and_classification_goes_on()
    {
        var sensors = new ThrowingSensors(TestModels.Rows, TestModels.Features, 3, 4, 5, 30);
        var board = new TestBoard(sensors);
        var clock = new ManualClock();
        dynamic fw = Start(board, new FaultStorage(), clock);
        fw.Boot();
        int rate = (int)fw.Config.RateHz, period = 1000 / rate;
        for (int s = 0; s < 40; s++) { clock.Now = s * period; fw.Poll(); }
        Assert.Equal(40, sensors.Samples);
        Assert.Equal(4, (int)fw.Errors);
        var lines = Lines(board);
        // Samples 3, 4 and 5 fall within one second: one line for them; sample 30 gets its own.
        Assert.Equal([$"E\t{3 * period}\tsensor pipeline failed (1 error since boot): I2C bus stuck", $"E\t{30 * period}\tsensor pipeline failed (4 errors since boot): I2C bus stuck"],
            lines.Where(l => l.StartsWith("E\t")));
        Assert.Equal(36, lines.Count(l => l.StartsWith("C\t")));
    }
}
