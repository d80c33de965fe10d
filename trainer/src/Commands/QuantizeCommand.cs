using System.CommandLine;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Export;
using EdgeNet.Trainer.NetworkTypes;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Reports;
using EdgeNet.Trainer.Training;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary><c>edgenet quantize</c>: float network -> int8 .enet device model (and optionally C# source embedding it).</summary>
public static class QuantizeCommand
{
    public static Command Create()
    {
        var data = new DataArguments();
        var quant = new QuantizeArguments();
        var model = new Option<string>("--model", "-m") { Description = "Float model file written by 'edgenet train'", DefaultValueFactory = _ => TrainCommand.DefaultModel };
        var output = new Option<string>("--out", "-o") { Description = ".enet device model to write", DefaultValueFactory = _ => "model.enet" };
        var csharp = new Option<string>("--csharp") { Description = "Also write a C# source file embedding the model as a byte array (nanoFramework-compatible)" };
        var ns = new Option<string>("--namespace") { Description = "Namespace of the --csharp class", DefaultValueFactory = _ => "EdgeNet.Models" };
        var cls = new Option<string>("--class") { Description = "Name of the --csharp class", DefaultValueFactory = _ => "BuiltInModel" };

        var command = new Command("quantize", "Quantize a float model to int8, calibrated on the training rows, and export the .enet device model.");
        command.Options.Add(model);
        data.AddTo(command);
        quant.AddTo(command);
        foreach (Option o in new Option[] { output, csharp, ns, cls }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            Network network = LoadNetwork(parsed.GetValue(model));
            (Dataset calibration, _) = data.Resolve(parsed, requireTest: false, network);
            CheckColumns(network, calibration);
            if (PostTraining.Unsupported(network) != null)
                return QuantizeSequence(network, calibration, parsed.GetValue(output), parsed.GetValue(csharp), parsed.GetValue(ns), parsed.GetValue(cls));
            QuantizeResult result = PostTraining.Quantize(network, calibration, quant.Resolve(parsed));
            byte[] file = Export(result.Model, parsed.GetValue(output));

            string csPath = parsed.GetValue(csharp);
            if (csPath != null)
                Files.WriteAtomically(csPath, CSharpSource.Write(file, result.Model, parsed.GetValue(ns), parsed.GetValue(cls)));

            IAnsiConsole console = Cli.Out;
            console.MarkupLine($"Calibrated on {calibration.Count} training rows.");
            console.Write(LayerErrorTable(result));
            console.MarkupLine(Summary(result.Model, file));
            console.MarkupLine($"Wrote [bold]{Markup.Escape(parsed.GetValue(output))}[/]" + (csPath != null ? $" and {Markup.Escape(csPath)}" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// A window or stream network (conv1d, pooling, recurrent layers, a dense layer over a window): quantized by
    /// <see cref="SequenceQuantizer"/>, calibrated on the training rows as one stream in file order.
    /// </summary>
    private static int QuantizeSequence(Network network, Dataset calibration, string output, string csPath, string ns, string cls)
    {
        Model model = SequenceCli.Quantize(network, calibration);
        byte[] file = Export(model, output);
        if (csPath != null) Files.WriteAtomically(csPath, CSharpSource.Write(file, model, ns, cls));
        IAnsiConsole console = Cli.Out;
        console.MarkupLine($"Calibrated on the {calibration.Count} training rows as one stream (sequence quantizer; no per-tensor error table).");
        console.MarkupLine(Summary(model, file));
        console.MarkupLine($"Wrote [bold]{Markup.Escape(output)}[/]" + (csPath != null ? $" and {Markup.Escape(csPath)}" : ""));
        return ExitCodes.Ok;
    }

    public static Network LoadNetwork(string path)
    {
        if (!File.Exists(path)) throw new CliException(path + ": file not found (write one with 'edgenet train')");
        try
        {
            return Network.Load(path);
        }
        catch (Exception e) when (e is not DataException and not CliException)
        {
            throw new CliException($"{path}: not a float model written by 'edgenet train' ({e.Message})");
        }
    }

    /// <summary>Rows must carry the network's features in its order.</summary>
    public static void CheckColumns(Network network, Dataset rows)
    {
        if (!network.FeatureNames.SequenceEqual(rows.FeatureNames))
            throw new CliException($"the data's features ({string.Join(",", rows.FeatureNames)}) differ from the model's ({string.Join(",", network.FeatureNames)}); use --features");
        if (!network.ClassLabels.SequenceEqual(rows.ClassLabels))
            throw new CliException($"the data's classes ({string.Join(",", rows.ClassLabels)}) differ from the model's ({string.Join(",", network.ClassLabels)})");
    }

    /// <summary>Serializes, checks that the device's reader accepts the bytes, and writes the file.</summary>
    public static byte[] Export(Model model, string path)
    {
        byte[] file = ModelWriter.Write(model);
        string rejected = DeviceProbe.Check(file, int.MaxValue);
        if (rejected != null) throw new CliException("the quantized model does not read back: " + rejected, ExitCodes.CheckFailed);
        if (path != null) Files.WriteAtomically(path, file);
        return file;
    }

    /// <summary>A .enet file read back with the device's reader.</summary>
    public static Model ReadEnet(string path)
    {
        if (!File.Exists(path)) throw new CliException(path + ": file not found");
        byte[] bytes = File.ReadAllBytes(path);
        Model m = ModelReader.Read(bytes, bytes.Length, int.MaxValue, out string error);
        if (m == null) throw new CliException($"{path}: not a valid .enet model: {error}");
        return m;
    }

    public static Table LayerErrorTable(QuantizeResult result)
    {
        var table = new Table().Title("Quantization error per tensor (int8 dequantized vs float, calibration rows)")
            .AddColumns("tensor", "range", "int8 step", "RMS error", "max |error|", "RMS added here", "max added here");
        foreach (LayerError e in result.Errors)
        {
            table.AddRow(Markup.Escape(e.Layer), Markup.Escape($"[{G(e.RangeMin)}, {G(e.RangeMax)}]"), G(e.Step), G(e.RmsError), G(e.MaxAbsError),
                G(e.AddedRmsError), G(e.AddedMaxAbsError));
        }
        return table;
    }

    private static string G(double v) => v.ToString("G3");

    public static string Summary(Model m, byte[] file) =>
        $"Model: {m.FeatureCount} features -> {string.Join(" -> ", m.Layers.Select(l => $"{l.OutputLength} {l.Activation.ToString().ToLowerInvariant()}"))}; " +
        $"file {file.Length} bytes, parameters {m.ParameterBytes} bytes, arena {m.ArenaBytes} bytes, {m.MacCount} MACs per inference";
}
