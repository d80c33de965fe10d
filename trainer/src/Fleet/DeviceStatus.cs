using System.Text.Json;

namespace EdgeNet.Trainer.Fleet;

/// <summary>A device's retained status message as the host reads it (fields: firmware/core Fleet/FleetStatus.cs).</summary>
public sealed record DeviceStatus(string Device, string Group, string Firmware, string Model, uint? Crc, int Format, string Source,
    bool Signed, long UptimeMs, long FreeBytes, long Classifications, int Updates, int Failures, string LastError)
{
    /// <summary>When the host received it.</summary>
    public DateTime ReceivedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>The status in a message payload; null when it is not one (a malformed or foreign message).</summary>
    public static DeviceStatus Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using JsonDocument d = JsonDocument.Parse(json.ToArray());
            JsonElement r = d.RootElement;
            string S(string n) => r.TryGetProperty(n, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            long L(string n) => r.TryGetProperty(n, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : -1;
            string crc = S("crc");
            return new DeviceStatus(S("device"), S("group"), S("firmware"), S("model"),
                crc == null ? null : Convert.ToUInt32(crc, 16), (int)L("format"), S("source"),
                r.TryGetProperty("signed", out JsonElement sg) && sg.ValueKind == JsonValueKind.True,
                L("uptime_ms"), L("free_bytes"), L("classifications"), (int)L("updates"), (int)L("failures"), S("last_error"));
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            return null;
        }
    }
}
