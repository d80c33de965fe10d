using System.Globalization;

namespace EdgeNet.Trainer.Device;

/// <summary>A classification line of the device: "C, time ms, label, score" (tab separated).</summary>
public sealed record Classification(long Milliseconds, string Label, string Score);

/// <summary>Parses the text lines the firmware writes (docs/serial-protocol.md, "Text lines").</summary>
public static class DeviceLines
{
    public static bool TryClassification(string line, out Classification c)
    {
        c = null;
        string[] f = line.Split('\t');
        if (f.Length != 4 || f[0] != "C" || !long.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms)) return false;
        c = new Classification(ms, f[2], f[3]);
        return true;
    }

    /// <summary>"H, time, sensor names..." sent when raw mode starts.</summary>
    public static bool TryHeader(string line, out string[] names)
    {
        names = null;
        string[] f = line.Split('\t');
        if (f.Length < 3 || f[0] != "H") return false;
        names = f[2..];
        return true;
    }

    /// <summary>"R, time, values..." one raw sample; a failed sensor reads "NaN".</summary>
    public static bool TryRaw(string line, out string[] values)
    {
        values = null;
        string[] f = line.Split('\t');
        if (f.Length < 3 || f[0] != "R") return false;
        values = f[2..];
        return true;
    }
}
