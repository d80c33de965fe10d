using System.CommandLine;

namespace EdgeNet.Trainer.Commands;

/// <summary>
/// <c>--session-column C</c> of train, quantize, evaluate and simulate: the rows are a stream of recordings,
/// and a new recording starts wherever C's value changes; windows and recurrent state reset there, as the
/// device's do on boot or on a reset command.
/// </summary>
public static class SessionOption
{
    public static Option<string> Create(string fallback = null) => new("--session-column")
    {
        Description = "Column whose value changes where a new recording starts: windows and recurrent state reset there (default: " +
                      (fallback ?? "none, the rows are one stream") + "; \"\" = none)",
        HelpName = "column",
    };

    /// <summary>The option's value, else the model's column; an empty value means none (one stream).</summary>
    public static string Resolve(string given, string fromModel)
    {
        string column = given ?? fromModel;
        return string.IsNullOrEmpty(column) ? null : column;
    }
}
