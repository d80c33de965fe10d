using System.CommandLine;
using EdgeNet.Link;
using EdgeNet.Trainer.Device;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>`edgenet deploy model.enet --port P`: sends a model to a running device over serial.</summary>
public static class DeployCommand
{
    /// <summary>Runs device I/O, turning a protocol or port failure into the CLI's one-line error.</summary>
    public static T Device<T>(Func<T> work)
    {
        try { return work(); }
        catch (DeployOutcomeUnknownException e) { throw new CliException(e.Message, ExitCodes.CheckFailed); }
        catch (DeviceLinkException e) { throw new CliException(e.Message); }
        catch (OperationCanceledException) { throw new CliException("cancelled: Abort sent; the device keeps what it was running"); }
        catch (IOException e) { throw new CliException("serial link: " + e.Message); }
        catch (UnauthorizedAccessException e) { throw new CliException("serial port: " + e.Message); }
    }

    /// <summary>Runs a transfer with a token that Ctrl+C cancels (the transfer then sends Abort).</summary>
    public static T WithAbortOnCancel<T>(Func<CancellationToken, T> work)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try { return work(cancel.Token); }
        finally { Console.CancelKeyPress -= onCancel; }
    }

    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .enet model file to send" };
        var port = new Option<string>("--port", "-p") { Description = "Serial port of the device (COM3, /dev/ttyUSB0)", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate", DefaultValueFactory = _ => 115200 };
        var chunk = new Option<int>("--chunk") { Description = $"Bytes per chunk (1..{LinkProtocol.MaxPayload})", DefaultValueFactory = _ => LinkProtocol.DefaultChunk };
        var timeout = new Option<int>("--timeout") { Description = "Milliseconds to wait for each answer before resending", DefaultValueFactory = _ => 1000 };
        var retries = new Option<int>("--retries") { Description = "Resends per frame before giving up", DefaultValueFactory = _ => 8 };
        var key = new Option<FileInfo>("--key") { Description = "Fleet key file (hex): signs the model for a board with 'fleet key=...' in board.cfg (docs/fleet.md)" };
        var command = new Command("deploy", "Send a model to a device over the serial port; the device keeps its old model unless the new one arrives intact and loads")
        {
            model, port, baud, chunk, timeout, retries, key,
        };
        command.SetAction(parse =>
        {
            FileInfo file = parse.GetValue(model);
            if (parse.GetValue(chunk) is < 1 or > LinkProtocol.MaxPayload) throw new CliException($"--chunk must be in 1..{LinkProtocol.MaxPayload}", ExitCodes.Usage);
            if (!file.Exists) throw new CliException($"{file.FullName}: file not found");
            byte[] bytes = File.ReadAllBytes(file.FullName);
            byte[] fleetKey = FleetCommand.ReadKey(parse.GetValue(key));
            IAnsiConsole console = Cli.Out;
            DeployResult result = Device(() =>
            {
                using var serial = new SerialLink(parse.GetValue(port), parse.GetValue(baud));
                var link = new DeviceLink(serial) { TimeoutMs = parse.GetValue(timeout), Retries = parse.GetValue(retries) };
                return WithAbortOnCancel(token =>
                {
                    if (!Cli.Interactive) return ModelDeployer.Deploy(link, bytes, file.Name, parse.GetValue(chunk), cancel: token, fleetKey: fleetKey);
                    DeployResult r = null;
                    console.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                        .Start(ctx =>
                        {
                            var task = ctx.AddTask(Markup.Escape(file.Name), maxValue: bytes.Length);
                            r = ModelDeployer.Deploy(link, bytes, file.Name, parse.GetValue(chunk), (sent, _) => task.Value = sent, cancel: token, fleetKey: fleetKey);
                        });
                    return r;
                });
            });
            console.WriteLine($"device: {result.DeviceStatus}");
            console.WriteLine($"{result.Done}; {result.Chunks} chunks in {result.Elapsed.TotalSeconds:F1} s, {result.Resent} resent");
            return ExitCodes.Ok;
        });
        return command;
    }
}
