using System.CommandLine;
using EdgeNet.Trainer.Device;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>`edgenet record --port P --label C`: saves the device's raw readings as labelled CSV for training.</summary>
public static class RecordCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port", "-p") { Description = "Serial port of the device", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate", DefaultValueFactory = _ => 115200 };
        var label_ = new Option<string>("--label", "-l") { Description = "Class of everything recorded now", Required = true };
        var output = new Option<FileInfo>("--out", "-o") { Description = "CSV file (appended to when its columns match; a last line without a line break is ended first; each row is flushed as it arrives)", DefaultValueFactory = _ => new FileInfo("recording.csv") };
        var rows = new Option<int>("--rows") { Description = "Stop after this many rows", DefaultValueFactory = _ => int.MaxValue };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (0: until Ctrl+C or --rows)", DefaultValueFactory = _ => 0 };
        var command = new Command("record", "Record labelled sensor readings from the device into a CSV that `edgenet train` reads")
        {
            port, baud, label_, output, rows, seconds,
        };
        command.SetAction(parse =>
        {
            bool stop = false;
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop = true; };
            string label = parse.GetValue(label_);
            if (string.IsNullOrWhiteSpace(label) || label.Contains(',') || label.Contains('"')) throw new CliException($"--label '{label}' must be non-empty and contain no comma or quote", ExitCodes.Usage);
            if (parse.GetValue(rows) < 1) throw new CliException("--rows must be at least 1", ExitCodes.Usage);
            if (!(parse.GetValue(seconds) >= 0)) throw new CliException("--seconds must be 0 (no limit) or positive", ExitCodes.Usage);
            IAnsiConsole console = Cli.Out;
            double s = parse.GetValue(seconds);
            string path = parse.GetValue(output).FullName;
            // The one file record writes is appended to in place, a flushed row at a time (nothing to roll back).
            if (Directory.Exists(path) || path.EndsWith(Path.DirectorySeparatorChar)) throw new CliException($"--out {path}: is a folder; give a CSV file name", ExitCodes.Usage);
            RecordResult r = DeployCommand.Device(() =>
            {
                using var serial = new SerialLink(parse.GetValue(port), parse.GetValue(baud));
                var link = new DeviceLink(serial);
                console.WriteLine($"recording class '{label}' into {path}; Ctrl+C stops");
                return EdgeNet.Trainer.Device.Recorder.Record(link, path, label, parse.GetValue(rows), s > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.MaxValue, () => stop);
            });
            console.WriteLine($"{r.Rows} rows written ({string.Join(", ", r.Columns)}, label){(r.SkippedRows > 0 ? $"; {r.SkippedRows} skipped because a sensor failed" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
