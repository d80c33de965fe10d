namespace EdgeNet.Trainer.Fleet;

/// <summary>
/// The fleet's MQTT topics (docs/fleet.md): one definition for the host, the simulated devices, the
/// broker ACL the tests write and the ESP32 transport's documentation.
/// </summary>
public static class FleetTopics
{
    public const string Root = "edgenet";

    /// <summary>Frames to one device (QoS 1); only the operator may publish here.</summary>
    public static string Command(string device) => $"{Root}/dev/{device}/cmd";

    /// <summary>Frames to every device of a group (QoS 1); each answers on its own reply topic.</summary>
    public static string GroupCommand(string group) => $"{Root}/group/{group}/cmd";

    /// <summary>The device's answers (QoS 1); only that device may publish here.</summary>
    public static string Reply(string device) => $"{Root}/dev/{device}/reply";

    /// <summary>The device's retained status (QoS 1, retained); only that device may publish here.</summary>
    public static string Status(string device) => $"{Root}/dev/{device}/status";

    public const string AllStatus = Root + "/dev/+/status";
    public const string AllReplies = Root + "/dev/+/reply";

    /// <summary>The device name in a dev/&lt;id&gt;/... topic, or null.</summary>
    public static string DeviceOf(string topic)
    {
        string[] parts = topic.Split('/');
        return parts.Length == 4 && parts[0] == Root && parts[1] == "dev" ? parts[2] : null;
    }
}
