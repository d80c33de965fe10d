using System.CommandLine;
using EdgeNet.Link;
using EdgeNet.Trainer.Device;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// `edgenet config push board.cfg --port P` and `edgenet config pull --port P [--output F]`: the board
/// configuration over the serial link. The device parses a pushed file completely before it replaces its
/// board.cfg (read at the next boot) and keeps the old one on any failure.
/// </summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var config = new Command("config", "Send the board configuration to a device, or read it back");
        config.Subcommands.Add(Push());
        config.Subcommands.Add(Pull());
        return config;
    }

    private static Option<string> Port() => new("--port", "-p") { Description = "Serial port of the device (COM3, /dev/ttyUSB0)", Required = true };
    private static Option<int> Baud() => new("--baud") { Description = "Baud rate", DefaultValueFactory = _ => 115200 };

    private static Command Push()
    {
        var file = new Argument<FileInfo>("file") { Description = "The board configuration (board.cfg)" };
        var port = Port();
        var baud = Baud();
        var key = new Option<FileInfo>("--key") { Description = "Fleet key file (hex): signs the file for a board with 'fleet key=...' in board.cfg (docs/fleet.md)" };
        var command = new Command("push", "Send a board configuration; the device parses it before it replaces board.cfg, which it reads at the next boot") { file, port, baud, key };
        command.SetAction(parse =>
        {
            FileInfo f = parse.GetValue(file);
            if (!f.Exists) throw new CliException($"{f.FullName}: file not found");
            byte[] bytes = File.ReadAllBytes(f.FullName);
            byte[] fleetKey = FleetCommand.ReadKey(parse.GetValue(key));
            DeployResult result = DeployCommand.Device(() =>
            {
                using var serial = new SerialLink(parse.GetValue(port), parse.GetValue(baud));
                var link = new DeviceLink(serial);
                return DeployCommand.WithAbortOnCancel(token => ModelDeployer.PushConfig(link, bytes, f.Name, LinkProtocol.DefaultChunk, null, token, fleetKey));
            });
            Cli.Out.WriteLine($"device: {result.DeviceStatus}");
            Cli.Out.WriteLine(result.Done);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Pull()
    {
        var port = Port();
        var baud = Baud();
        var output = new Option<FileInfo>("--output", "-o") { Description = "Write the file here (written whole or not at all) instead of printing it" };
        var command = new Command("pull", "Read the board configuration file the device boots with") { port, baud, output };
        command.SetAction(parse =>
        {
            byte[] bytes = DeployCommand.Device(() =>
            {
                using var serial = new SerialLink(parse.GetValue(port), parse.GetValue(baud));
                return ModelDeployer.Pull(new DeviceLink(serial), LinkProtocol.TargetConfig);
            });
            FileInfo target = parse.GetValue(output);
            if (target == null)
            {
                Cli.Out.Profile.Out.Writer.Write(new System.Text.UTF8Encoding(false).GetString(bytes));
                return ExitCodes.Ok;
            }
            string temp = target.FullName + ".tmp-" + Environment.ProcessId;
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, target.FullName, overwrite: true);
            Cli.Out.WriteLine($"{target.FullName}: {bytes.Length} bytes");
            return ExitCodes.Ok;
        });
        return command;
    }
}
