using System.CommandLine;
using EdgeNet.Format;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Output;
using Spectre.Console;

namespace EdgeNet.Trainer.Commands;

/// <summary>`edgenet export-replay model.enet rows.csv`: writes the replay app's compiled-in data.</summary>
public static class ExportReplayCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .enet model" };
        var csv = new Argument<FileInfo>("rows") { Description = "CSV or ARFF with columns named as the model's features (and a class column, the last by default)" };
        var count = new Option<int>("--rows") { Description = "How many rows to take from the start of the CSV", DefaultValueFactory = _ => 100 };
        var output = new Option<FileInfo>("--out", "-o") { Description = "C# file to write", DefaultValueFactory = _ => new FileInfo("firmware/replay/ReplayData.cs") };
        var command = new Command("export-replay", "Write firmware/replay/ReplayData.cs: a model and sensor rows as C# arrays for the replay app") { model, csv, count, output };
        command.SetAction(parse =>
        {
            FileInfo m = parse.GetValue(model), rows = parse.GetValue(csv), o = parse.GetValue(output);
            if (parse.GetValue(count) < 1) throw new CliException("--rows must be at least 1", ExitCodes.Usage);
            using var outputs = new OutputSet();
            outputs.Input("model", m.FullName);
            outputs.Input("rows", rows.FullName);
            outputs.Add("--out", o.FullName);
            outputs.Check();
            if (!m.Exists) throw new CliException($"{m.FullName}: file not found");
            byte[] bytes = File.ReadAllBytes(m.FullName);
            int[] raw = ReadRows(bytes, m.Name, rows.FullName, parse.GetValue(count), out int n);
            outputs.Write(o.FullName, ReplaySource.Generate(bytes, raw, n, $"{m.Name}, first {n} rows of {rows.Name}"));
            outputs.Commit();
            Cli.Out.WriteLine($"wrote {o.FullName}: {bytes.Length} model bytes, {n} rows");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The model's features (columns named as its inputs) from the first rows of a CSV or ARFF file, as raw
    /// readings with the model's exponents: the same loader and conversion `edgenet simulate` uses.
    /// </summary>
    public static int[] ReadRows(byte[] model, string modelName, string dataPath, int maxRows, out int rows)
    {
        var m = ModelReader.Read(model, model.Length, int.MaxValue, out string error) ?? throw new CliException($"{modelName}: {error}");
        Dataset data = DatasetLoader.Load(dataPath, new LoadOptions { FeatureColumns = m.FeatureNames });
        rows = Math.Min(maxRows, data.Count);
        return BitExactCheck.RawReadings(m, data, rows);
    }
}
