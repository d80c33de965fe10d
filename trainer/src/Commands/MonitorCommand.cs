using System.CommandLine;
using EdgeNet.Trainer.Device;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>`edgenet monitor --port P`: prints the device's live classifications and messages.</summary>
public static class MonitorCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port", "-p") { Description = "Serial port of the device", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate", DefaultValueFactory = _ => 115200 };
        var count = new Option<int>("--count") { Description = "Stop after this many classifications (0: until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var session = new Option<bool>("--new-session") { Description = "First start a new session on the device: clear its input window and recurrent state, as at boot (a new recording starts)" };
        var command = new Command("monitor", "Show the device's classifications (time, class, score) and messages as they arrive") { port, baud, count, session };
        command.SetAction(parse =>
        {
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
            IAnsiConsole console = Cli.Out;
            return DeployCommand.Device(() =>
            {
                using var serial = new SerialLink(parse.GetValue(port), parse.GetValue(baud));
                var link = new DeviceLink(serial);
                console.WriteLine($"device: {ModelDeployer.Ping(link)}");
                if (parse.GetValue(session)) ModelDeployer.NewSession(link);
                Monitor(link, parse.GetValue(count), cancel.Token, line => console.WriteLine(line));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>Writes one line per device line until count classifications were seen or cancelled.</summary>
    public static int Monitor(DeviceLink link, int count, CancellationToken cancel, Action<string> output)
    {
        int seen = 0;
        while (!cancel.IsCancellationRequested && (count <= 0 || seen < count))
        {
            string line = link.NextLine(200);
            if (line == null) continue;
            if (DeviceLines.TryClassification(line, out Classification c))
            {
                seen++;
                output($"{c.Milliseconds / 1000.0,10:F3} s  {c.Label,-20} {c.Score}");
            }
            else
            {
                string[] f = line.Split('\t', 3);
                string kind = f[0] switch { "E" => "error", "I" => "info", "R" => "raw", "H" => "sensors", _ => f[0] };
                output(f.Length == 3 ? $"{kind,-7}{f[2]}" : line);
            }
        }
        return seen;
    }
}
