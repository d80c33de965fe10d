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

    public static void Write<T>(string path, T value)
    {
        Files.EnsureFolderFor(path);
        File.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");
    }

    public static T Read<T>(string path) => JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options);
}

public static class Files
{
    public static void EnsureFolderFor(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }

    /// <summary>Writes through a temporary file so an interrupted write never leaves a broken file behind.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        EnsureFolderFor(path);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    public static void WriteAtomically(string path, string text) => WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(text));
}
