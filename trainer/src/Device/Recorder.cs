using System.Diagnostics;
using System.Text;
using EdgeNet.Link;

namespace EdgeNet.Trainer.Device;

/// <summary>What a recording wrote.</summary>
public sealed record RecordResult(int Rows, int SkippedRows, string[] Columns);

/// <summary>
/// Puts the device in raw mode and writes its readings as labelled CSV rows (the sensor names as columns,
/// then "label"), the input `edgenet train` takes. Appends to an existing file with the same header, so
/// one file collects every class; a last line without its line break (a file cut short or edited by hand) is
/// ended first, so the new rows never join it. Each row is flushed as it is written, so a recording stopped
/// any way (Ctrl+C, a pulled cable) keeps every row it reported. Samples with a failed sensor are skipped and
/// counted.
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
                writer.Write(string.Join(",", values) + "," + label + writer.NewLine);
                writer.Flush();
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
        if (Directory.Exists(path)) throw new DeviceLinkException($"{path}: is a folder; give a CSV file name");
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            string existing = File.ReadLines(path).First();
            if (existing.TrimStart('\uFEFF') != header) throw new DeviceLinkException($"{path}: line 1 is '{existing}', but the device's columns are '{header}'; record into a new file");
            var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            string newline = LineEnding(stream);
            stream.Seek(-1, SeekOrigin.End);
            bool ended = stream.ReadByte() == '\n';
            stream.Seek(0, SeekOrigin.End);
            var appender = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = newline };
            if (!ended) appender.Write(newline); // end the last line before the first new row
            appender.Flush();
            return appender;
        }
        var w = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        w.Write(header + w.NewLine);
        w.Flush();
        return w;
    }

    /// <summary>The file's own line break (CRLF when its first line ends so, else LF), for the rows added to it.</summary>
    private static string LineEnding(FileStream stream)
    {
        var buffer = new byte[64 * 1024];
        int n = stream.Read(buffer, 0, buffer.Length);
        int lf = Array.IndexOf(buffer, (byte)'\n', 0, n);
        return lf > 0 && buffer[lf - 1] == '\r' ? "\r\n" : "\n";
    }
}
