using System.CommandLine;
using System.Globalization;
using EdgeNet.Format;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Trainer.Commands;

/// <summary>`edgenet export-replay model.enet rows.csv`: writes the replay app's compiled-in data.</summary>
public static class ExportReplayCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .enet model" };
        var csv = new Argument<FileInfo>("rows") { Description = "CSV with a header naming the model's features" };
        var count = new Option<int>("--rows") { Description = "How many rows to take from the start of the CSV", DefaultValueFactory = _ => 100 };
        var output = new Option<FileInfo>("--out", "-o") { Description = "C# file to write", DefaultValueFactory = _ => new FileInfo("firmware/replay/ReplayData.cs") };
        var command = new Command("export-replay", "Write firmware/replay/ReplayData.cs: a model and sensor rows as C# arrays for the replay app") { model, csv, count, output };
        command.SetAction(parse =>
        {
            try
            {
                FileInfo m = parse.GetValue(model), rows = parse.GetValue(csv), o = parse.GetValue(output);
                byte[] bytes = File.ReadAllBytes(m.FullName);
                int[] raw = ReadRows(bytes, m.Name, rows.FullName, parse.GetValue(count), out int n);
                File.WriteAllText(o.FullName, ReplaySource.Generate(bytes, raw, n, $"{m.Name}, first {n} rows of {rows.Name}"));
                Console.WriteLine($"wrote {o.FullName}: {bytes.Length} model bytes, {n} rows");
                return 0;
            }
            catch (Exception e) when (e is IOException or FormatException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// The model's features from the first rows of a CSV (comma separated, header naming the columns, no
    /// quoted fields), as raw readings with the model's exponents.
    /// </summary>
    public static int[] ReadRows(byte[] model, string modelName, string csvPath, int maxRows, out int rows)
    {
        var m = ModelReader.Read(model, model.Length, int.MaxValue, out string error) ?? throw new InvalidDataException($"{modelName}: {error}");
        string name = Path.GetFileName(csvPath);
        using var reader = new StreamReader(csvPath);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{name}: empty file");
        string[] columns = header.TrimStart('\uFEFF').Split(',');
        var index = new int[m.FeatureCount];
        for (int f = 0; f < m.FeatureCount; f++)
        {
            index[f] = Array.IndexOf(columns, m.FeatureNames[f]);
            if (index[f] < 0) throw new InvalidDataException($"{name} line 1: no column '{m.FeatureNames[f]}' (model input {f})");
        }
        var raw = new List<int>();
        rows = 0;
        int lineNo = 1;
        for (string line; rows < maxRows && (line = reader.ReadLine()) != null;)
        {
            lineNo++;
            if (line.Length == 0) continue;
            string[] cells = line.Split(',');
            if (cells.Length != columns.Length) throw new InvalidDataException($"{name} line {lineNo}: {cells.Length} fields, the header has {columns.Length}");
            for (int f = 0; f < m.FeatureCount; f++)
            {
                string cell = cells[index[f]].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
                {
                    int column = 1 + cells.Take(index[f]).Sum(c => c.Length + 1);
                    throw new InvalidDataException($"{name} line {lineNo}, column {column} ('{m.FeatureNames[f]}'): '{cell}' is not a finite number");
                }
                raw.Add(QuantizationRule.ToRaw(x, m.Input.RawExponent[f]));
            }
            rows++;
        }
        return raw.ToArray();
    }
}
