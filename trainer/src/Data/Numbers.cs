using System.Globalization;

namespace EdgeNet.Trainer.Data;

/// <summary>How a cell's text reads as a feature value.</summary>
internal static class Numbers
{
    public enum Kind { Number, Missing, NotANumber, Infinite, Text }

    /// <summary>Invariant-culture number; with ';' as the delimiter a decimal comma is accepted too.</summary>
    public static Kind TryParse(string cell, char delimiter, out float value) => TryParse(cell.AsSpan(), delimiter, out value);

    /// <summary>The same rule on a cell's characters (the streaming loader reads cells without making strings of them).</summary>
    public static Kind TryParse(ReadOnlySpan<char> cell, char delimiter, out float value)
    {
        value = 0;
        ReadOnlySpan<char> s = cell.Trim();
        if (s.Length == 0 || s is "?" || s.Equals("NA", StringComparison.OrdinalIgnoreCase) || s.Equals("N/A", StringComparison.OrdinalIgnoreCase)
            || s.Equals("null", StringComparison.OrdinalIgnoreCase))
            return Kind.Missing;
        if (delimiter == ';' && s.Contains(',') && !s.Contains('.')) s = s.ToString().Replace(',', '.');
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return Kind.Text;
        if (double.IsNaN(d)) return Kind.NotANumber;
        if (double.IsInfinity(d) || Math.Abs(d) > float.MaxValue) return Kind.Infinite;
        value = (float)d;
        return Kind.Number;
    }

    /// <summary>What is wrong with a feature cell that is not a number (the one wording of both loaders).</summary>
    public static string Problem(Kind kind, string cell) => kind switch
    {
        Kind.Missing => $"missing value ('{Cells.Show(cell)}'); to use rows with missing values give --missing drop|mean|median",
        Kind.NotANumber => "NaN is not a usable feature value",
        Kind.Infinite => $"'{Cells.Show(cell)}' is infinite or beyond the float range",
        _ => $"'{Cells.Show(cell)}' is not a number",
    };
}
