using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeNet.Trainer.Reports;

/// <summary>How every JSON file the trainer writes is formatted (NaN allowed for undefined metrics).</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        IncludeFields = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The file text of a value: indented JSON and a final newline.</summary>
    public static string Text<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    public static void Write<T>(string path, T value) => Files.WriteAtomically(path, Text(value));

    public static T Read<T>(string path) => JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options);
}

public static class Files
{
    public static void EnsureFolderFor(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }

    /// <summary>
    /// One file written through a temporary file beside it, so an interrupted write never leaves a broken file
    /// behind. Commands write their outputs through <see cref="Output.OutputSet"/> instead (all or nothing).
    /// </summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        EnsureFolderFor(path);
        string temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "", "." + Path.GetFileName(path) + ".edgenet-" + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteAtomically(string path, string text) => WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(text));
}
