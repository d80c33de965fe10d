using System.CommandLine;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Link;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Device;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// `edgenet dump --port P [--rows data.csv]`: the device runs its model on the rows (or on its latest live
/// reading) and returns every integer it computed; the host computes the same with the model pulled from the
/// device and prints the first differing layer and index, or "identical".
/// </summary>
public static class DumpCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port", "-p") { Description = "Serial port of the device", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate", DefaultValueFactory = _ => 115200 };
        var rows = new Option<string>("--rows") { Description = "CSV or ARFF rows holding the model's feature columns (by name); without it the device's latest live reading" };
        var limit = new Option<int>("--limit") { Description = "Only the first N rows (0 = all)" };
        var command = new Command("dump", "Compare every layer the device computes with the host's simulation of the same model, on given rows or a live reading")
        {
            port, baud, rows, limit,
        };
        command.SetAction(parse =>
        {
            string rowsPath = parse.GetValue(rows);
            if (rowsPath != null && !File.Exists(rowsPath)) throw new CliException(rowsPath + ": file not found");
            IAnsiConsole console = Cli.Out;
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                return DeployCommand.Device(() =>
                {
                    using var serial = new SerialLink(parse.GetValue(port), parse.GetValue(baud));
                    var link = new DeviceLink(serial);
                    return Run(link, rowsPath, parse.GetValue(limit), line => console.WriteLine(line), cancel.Token);
                });
            }
            finally { Console.CancelKeyPress -= onCancel; }
        });
        return command;
    }

    /// <summary>Pulls the device's model, compares row by row; returns the exit code.</summary>
    public static int Run(DeviceLink link, string rowsPath, int limit, Action<string> output, CancellationToken cancel = default)
    {
        byte[] file = ModelDeployer.Pull(link, LinkProtocol.TargetModel, cancel);
        Model m = ModelReader.Read(file, file.Length, int.MaxValue, out string error) ?? throw new DeviceLinkException("the device's model does not parse on the host: " + error);
        output($"device model {m.Name}: {file.Length} bytes, CRC-32 0x{Crc32.Compute(file, 0, file.Length):X8}, {m.FeatureCount} inputs x window {m.WindowLength}, {m.Layers.Length} layers");
        int[] raw;
        int n;
        string[] where;
        if (rowsPath == null)
        {
            raw = DeviceDump.LiveReading(link, m);
            n = 1;
            where = ["live reading " + string.Join(" ", raw)];
        }
        else
        {
            Dataset data = DatasetLoader.Load(rowsPath, new LoadOptions { FeatureColumns = m.FeatureNames, Unlabeled = true });
            n = limit > 0 ? Math.Min(limit, data.Count) : data.Count;
            raw = BitExactCheck.RawReadings(m, data, n);
            where = Enumerable.Range(0, n).Select(r => $"{Path.GetFileName(rowsPath)} line {data.SourceLines[r]}").ToArray();
        }
        long compared = 0;
        int rowsCompared = 0;
        for (int r = 0; r < n; r++)
        {
            cancel.ThrowIfCancellationRequested();
            DumpComparison c = DeviceDump.Compare(link, file, m, raw, r, cancel);
            if (c == null)
            {
                output($"rows from {where[r]} on not compared: the model keeps state, so a row needs every reading before it and one dump frame carries at most {DeviceDump.MaxReadings(m.FeatureCount)}");
                break;
            }
            compared += c.Compared;
            rowsCompared++;
            if (!c.Identical)
            {
                output($"{where[r]}: first difference in {c.Tensor} at index {c.Index}: device {c.Device}, host {c.Host}");
                return ExitCodes.CheckFailed;
            }
        }
        output($"identical: {rowsCompared} row{(rowsCompared == 1 ? "" : "s")}, {compared:N0} integers (input tensor and every layer's output)");
        return ExitCodes.Ok;
    }
}
