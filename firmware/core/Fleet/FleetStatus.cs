using EdgeNet.Engine;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Hal;
using EdgeNet.Firmware.Pipeline;
using EdgeNet.Firmware.Store;
using EdgeNet.Firmware.Update;
using EdgeNet.Format;
using EdgeNet.Link;

namespace EdgeNet.Firmware.Fleet
{
    /// <summary>
    /// The device's retained status message (docs/fleet.md, "Status"): one flat JSON object the host's
    /// `edgenet fleet status` and the rollout's health check read. It names what runs (model, CRC, format
    /// version, source), how the board does (uptime, free heap, classifications since boot, updates and
    /// failures, the last failure) and never a key or password.
    /// </summary>
    public static class FleetStatus
    {
        private static readonly byte[] Version = new byte[2];

        public static string Json(UpdateService updates, ModelStore store, SensorPipeline pipeline, BoardConfig config, IMemory memory, long now)
        {
            Model m = store.Active;
            int format = -1;
            if (m != null)
            {
                lock (Version)
                {
                    if (store.ReadActive(ModelFormat.OffsetVersion, Version, 0, 2) == 2) format = Version[0] | Version[1] << 8;
                }
            }
            int free = memory == null ? -1 : memory.FreeBytes();
            string s = "{\"device\":" + Str(config.DeviceId) + ",\"group\":" + Str(config.Group)
                + ",\"firmware\":" + Str(UpdateService.FirmwareVersion) + ",\"protocol\":" + LinkProtocol.Version.ToString()
                + ",\"model\":" + Str(m == null ? null : m.Name) + ",\"crc\":" + (m == null ? "null" : "\"" + store.ActiveCrc.ToString("X8") + "\"")
                + ",\"format\":" + format.ToString() + ",\"source\":" + Str(store.Source)
                + ",\"signed\":" + (config.FleetKey != null ? "true" : "false")
                + ",\"uptime_ms\":" + now.ToString() + ",\"free_bytes\":" + free.ToString()
                + ",\"classifications\":" + pipeline.Classifications.ToString()
                + ",\"updates\":" + updates.Updates.ToString() + ",\"failures\":" + updates.Failures.ToString()
                + ",\"last_error\":" + Str(updates.LastError.Length == 0 ? null : updates.LastError) + "}";
            return s;
        }

        /// <summary>UTF-8 bytes of the text (nanoFramework's mscorlib has no System.Text.Encoding).</summary>
        public static byte[] Utf8(string text)
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++) n += text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
            byte[] b = new byte[n];
            int at = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80) b[at++] = (byte)c;
                else if (c < 0x800) { b[at++] = (byte)(0xC0 | c >> 6); b[at++] = (byte)(0x80 | (c & 0x3F)); }
                else { b[at++] = (byte)(0xE0 | c >> 12); b[at++] = (byte)(0x80 | (c >> 6 & 0x3F)); b[at++] = (byte)(0x80 | (c & 0x3F)); }
            }
            return b;
        }

        /// <summary>A JSON string literal (null for null): quotes, backslashes and control characters escaped.</summary>
        public static string Str(string v)
        {
            if (v == null) return "null";
            string r = "\"";
            int from = 0;
            for (int i = 0; i < v.Length; i++)
            {
                char c = v[i];
                if (c != '"' && c != '\\' && c >= ' ') continue;
                r += v.Substring(from, i - from);
                if (c == '"') r += "\\\"";
                else if (c == '\\') r += "\\\\";
                else r += "\\u00" + ((int)c).ToString("X2");
                from = i + 1;
            }
            return r + v.Substring(from) + "\"";
        }
    }
}
