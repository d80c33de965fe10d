using System.Diagnostics;
using System.Text;
using EdgeNet.Link;

namespace EdgeNet.Trainer.Device;

/// <summary>What a recording wrote.</summary>
public sealed record RecordResult(int Rows, int SkippedRows, string[] Columns);

/// <summary>
/// Puts the device in raw mode and writes its readings as labelled CSV rows (the sensor names as columns,
/// then "label"), the input `edgenet train` takes. Appends to an existing file with the same header, so
/// one file collects every class. Samples with a failed sensor are skipped and counted.
/// </summary>
public static class Recorder
{
    public static RecordResult Record(DeviceLink link, string csvPath, string label, int rows, TimeSpan maxTime, Func<bool> stop = null)
    {
        if (string.IsNullOrWhiteSpace(label) || label.Contains(',') || label.Contains('"')) throw new ArgumentException("label must be non-empty and contain no comma or quote");
        link.ClearLines();
        ModelDeployer.SetMode(link, LinkProtocol.ModeRaw);
        string[] names = null;
        int written = 0, skipped = 0;
        var clock = Stopwatch.StartNew();
        StreamWriter writer = null;
        try
        {
            while (written < rows && clock.Elapsed < maxTime && !(stop?.Invoke() ?? false))
            {
                string line = link.NextLine(200);
                if (line == null) continue;
                if (names == null)
                {
                    if (DeviceLines.TryHeader(line, out names)) writer = Open(csvPath, names);
                    continue;
                }
                if (!DeviceLines.TryRaw(line, out string[] values)) continue;
                if (values.Length != names.Length || values.Any(v => v == "NaN")) { skipped++; continue; }
                writer.Write(string.Join(",", values));
                writer.Write(',');
                writer.Write(label);
                writer.Write('\n');
                written++;
            }
        }
        finally
        {
            writer?.Dispose();
            try { ModelDeployer.SetMode(link, LinkProtocol.ModeClassify); }
            catch (DeviceLinkException) { /* reported by the caller's next command; the data is saved */ }
        }
        if (names == null) throw new DeviceLinkException("the device sent no raw-mode header (H line); is it running the EdgeNet firmware?");
        return new RecordResult(written, skipped, names);
    }

    private static StreamWriter Open(string path, string[] names)
    {
        string header = string.Join(",", names) + ",label";
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            string existing = File.ReadLines(path).First();
            if (existing != header) throw new DeviceLinkException($"{path}: line 1 is '{existing}', but the device's columns are '{header}'; record into a new file");
            return new StreamWriter(path, append: true, new UTF8Encoding(false));
        }
        var w = new StreamWriter(path, append: false, new UTF8Encoding(false));
        w.Write(header);
        w.Write('\n');
        return w;
    }
}
