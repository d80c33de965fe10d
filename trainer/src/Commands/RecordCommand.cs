using System.CommandLine;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Trainer.Commands;

/// <summary>`edgenet record --port P --label C`: saves the device's raw readings as labelled CSV for training.</summary>
public static class RecordCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port", "-p") { Description = "Serial port of the device", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate", DefaultValueFactory = _ => 115200 };
        var label = new Option<string>("--label", "-l") { Description = "Class of everything recorded now", Required = true };
        var output = new Option<FileInfo>("--out", "-o") { Description = "CSV file (appended to when its columns match)", DefaultValueFactory = _ => new FileInfo("recording.csv") };
        var rows = new Option<int>("--rows") { Description = "Stop after this many rows", DefaultValueFactory = _ => int.MaxValue };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (0: until Ctrl+C or --rows)", DefaultValueFactory = _ => 0 };
        var command = new Command("record", "Record labelled sensor readings from the device into a CSV that `edgenet train` reads")
        {
            port, baud, label, output, rows, seconds,
        };
        command.SetAction(parse =>
        {
            bool stop = false;
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop = true; };
            try
            {
                using var serial = new SerialLink(parse.GetValue(port), parse.GetValue(baud));
                var link = new DeviceLink(serial);
                double s = parse.GetValue(seconds);
                string path = parse.GetValue(output).FullName;
                Console.WriteLine($"recording class '{parse.GetValue(label)}' into {path}; Ctrl+C stops");
                RecordResult r = Recorder.Record(link, path, parse.GetValue(label), parse.GetValue(rows),
                    s > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.MaxValue, () => stop);
                Console.WriteLine($"{r.Rows} rows written ({string.Join(", ", r.Columns)}, label){(r.SkippedRows > 0 ? $"; {r.SkippedRows} skipped because a sensor failed" : "")}");
                return 0;
            }
            catch (Exception e) when (e is DeviceLinkException or ArgumentException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
