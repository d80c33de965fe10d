using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeNet.Trainer.Data;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// Where a float model's training rows came from: the data file (full path) and its SHA-256, the split and
/// the label column, or the SPLITS.md benchmark. Saved as the optional top-level "data" object of the float
/// model file, so <c>quantize</c> and <c>evaluate</c> find the same rows without repeating them, and can tell
/// when the file changed since training.
/// </summary>
public sealed class DataProvenance
{
    public const string JsonName = "data";

    /// <summary>The data file, full path (null for a benchmark).</summary>
    public string Path;

    /// <summary>SHA-256 of the data file's bytes, lower-case hex.</summary>
    public string Sha256;

    /// <summary>The split spec as training used it (a file: path made absolute); null = no split.</summary>
    public string Split;

    /// <summary>The label column.</summary>
    public string Label;

    /// <summary>The SPLITS.md benchmark id, when the rows came from --benchmark (Path is then null).</summary>
    public string Benchmark;

    public static string HashOf(string file)
    {
        using FileStream s = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>What a data file and its options say, taken when the model is trained.</summary>
    public static DataProvenance OfFile(string file, string split, string label) => new()
    {
        Path = System.IO.Path.GetFullPath(file), Sha256 = HashOf(file), Split = AbsoluteSplit(split), Label = label,
    };

    /// <summary>"file:test.csv" -> "file:/full/path/test.csv" (relative paths resolve against the current folder).</summary>
    public static string AbsoluteSplit(string split) =>
        split != null && split.StartsWith("file:", StringComparison.Ordinal) && split.Length > 5
            ? "file:" + System.IO.Path.GetFullPath(split[5..])
            : split;

    public JsonObject ToJson() => new()
    {
        ["path"] = Path, ["sha256"] = Sha256, ["split"] = Split, ["label"] = Label, ["benchmark"] = Benchmark,
    };

    /// <summary>The "data" object of a float model file (null when absent: a model trained before it existed).</summary>
    public static DataProvenance FromJson(JsonNode node, string file)
    {
        if (node == null) return null;
        if (node is not JsonObject o) throw new DataException(file, 0, JsonName, "must be an object");
        string Text(string name)
        {
            JsonNode v = o[name];
            if (v == null) return null;
            if (v is JsonValue jv && jv.TryGetValue(out string s)) return s;
            throw new DataException(file, 0, JsonName + "." + name, "must be a string or null");
        }
        var d = new DataProvenance { Path = Text("path"), Sha256 = Text("sha256"), Split = Text("split"), Label = Text("label"), Benchmark = Text("benchmark") };
        if (d.Sha256 != null && (d.Sha256.Length != 64 || !d.Sha256.All(Uri.IsHexDigit)))
            throw new DataException(file, 0, JsonName + ".sha256", "must be 64 hex digits");
        return d;
    }
}
