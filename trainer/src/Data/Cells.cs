using System.Text;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// Text from a data file as it may appear in a message: control characters (terminal escape sequences,
/// carriage returns, tabs) written as \xNN or \uNNNN, and long text cut with its length given, so an error
/// line stays one readable line whatever the file holds.
/// </summary>
public static class Cells
{
    /// <summary>Longest piece of a cell a message shows.</summary>
    public const int MaxShown = 40;

    public static string Show(string text)
    {
        if (text == null) return "";
        var s = new StringBuilder();
        int shown = Math.Min(text.Length, MaxShown);
        for (int i = 0; i < shown; i++)
        {
            char c = text[i];
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) s.Append($"\\x{(int)c:X2}");
            // Line separators and bidirectional overrides reorder or break what a terminal shows.
            else if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
                s.Append($"\\u{(int)c:X4}");
            else s.Append(c);
        }
        if (text.Length > shown) s.Append($"... ({text.Length:N0} characters)");
        return s.ToString();
    }

    /// <summary>Names for a message: each shown as by <see cref="Show"/>, at most 30 of them.</summary>
    public static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        string shown = string.Join(", ", all.Take(30).Select(Show));
        return all.Count > 30 ? shown + $", ... ({all.Count} in all)" : shown;
    }
}
