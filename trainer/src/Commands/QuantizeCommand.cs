using System.CommandLine;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Export;
using EdgeNet.Trainer.Output;
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

        var session = SessionOption.Create("the model's, from training");
        var recalibrate = new Option<bool>("--recalibrate") { Description = "Calibrate the ranges (and choose --precision) on the rows even when quantization-aware fine-tuning stored its own in the model" };
        var command = new Command("quantize", "Quantize a float model to int8 / 16-bit activations (--precision), calibrated on the training rows (as a stream, for window and recurrent models), and export the .enet device model.");
        command.Options.Add(model);
        data.AddTo(command);
        quant.AddTo(command);
        foreach (Option o in new Option[] { output, csharp, ns, cls, session, recalibrate }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetValue(model), outPath = parsed.GetValue(output), csPath = parsed.GetValue(csharp);
            string nameProblem = csPath != null ? CSharpSource.NameProblem(parsed.GetValue(ns), parsed.GetValue(cls)) : null;
            if (nameProblem != null) throw new CliException((nameProblem.Contains("namespace") ? "--namespace: " : "--class: ") + nameProblem, ExitCodes.Usage);
            QuantizeOptions options = quant.Resolve(parsed);
            Network network = LoadNetwork(modelPath);
            using var outputs = new OutputSet();
            outputs.Input("--model", modelPath);
            foreach (var (what, path) in data.InputFiles(parsed, network)) outputs.Input(what, path);
            outputs.Add("--out", outPath);
            outputs.Add("--csharp", csPath);
            outputs.Check();

            string sessionColumn = SessionOption.Resolve(parsed.GetValue(session), network.SessionColumn);
            (Dataset calibration, _) = data.Resolve(parsed, requireTest: false, network, sessionColumn);
            CheckColumns(network, calibration);
            options.SessionColumn = sessionColumn;
            options.UseTrainedRanges = !parsed.GetValue(recalibrate);
            string unsupported = PostTraining.Unsupported(network);
            if (unsupported != null) throw new CliException($"{modelPath}: {unsupported}");
            QuantizeResult result = PrecisionChoice.Quantize(network, calibration, options, quant.PrecisionOf(parsed, options.UseTrainedRanges ? network : null), out PrecisionReport precision);
            byte[] file = Export(result.Model, null);
            outputs.Write(outPath, file);
            if (csPath != null) outputs.Write(csPath, CSharpSource.Write(file, result.Model, parsed.GetValue(ns), parsed.GetValue(cls)));
            outputs.Commit();

            IAnsiConsole console = Cli.Out;
            if (options.UseTrainedRanges && network.QuantizationRanges != null)
                console.MarkupLine("Ranges and layer precisions from the model's quantization-aware fine-tuning (the model it trained; --recalibrate to calibrate and choose again); the rows below give the error table.");
            console.MarkupLine(Markup.Escape($"Calibrated on {calibration.Count} training rows" + (network.Window > 1 || network.Streaming
                ? $" as a stream ({(network.Streaming ? "one reading per inference, state carried" : $"windows of {network.Window} readings")}; {(sessionColumn != null ? $"sessions by {sessionColumn}" : "one session")})."
                : ".")));
            console.Write(LayerErrorTable(result));
            console.MarkupLine(Summary(result.Model, file));
            foreach (string line in PrecisionChoice.Describe(result.Model, precision)) console.WriteLine(line);
            console.MarkupLine($"Wrote [bold]{Markup.Escape(outPath)}[/]" + (csPath != null ? $" and {Markup.Escape(csPath)}" : ""));
            return ExitCodes.Ok;
        });
        return command;
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

    /// <summary>Serializes, checks that the device's reader accepts the bytes, and writes the file (path null: only returns the bytes).</summary>
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
        var table = new Table().Title("Quantization error per tensor (dequantized vs float, calibration rows)")
            .AddColumns("tensor", "range", "step", "RMS error", "max |error|", "RMS added here", "max added here");
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
