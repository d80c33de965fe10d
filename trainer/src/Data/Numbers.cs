using System.Globalization;

namespace EdgeNet.Trainer.Data;

/// <summary>How a cell's text reads as a feature value.</summary>
internal static class Numbers
{
    public enum Kind { Number, Missing, NotANumber, Infinite, Text }

    /// <summary>Invariant-culture number; with ';' as the delimiter a decimal comma is accepted too.</summary>
    public static Kind TryParse(string cell, char delimiter, out float value)
    {
        value = 0;
        string s = cell.Trim();
        if (s.Length == 0 || s == "?" || s.Equals("NA", StringComparison.OrdinalIgnoreCase) || s.Equals("N/A", StringComparison.OrdinalIgnoreCase)
            || s.Equals("null", StringComparison.OrdinalIgnoreCase))
            return Kind.Missing;
        if (delimiter == ';' && s.Contains(',') && !s.Contains('.')) s = s.Replace(',', '.');
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return Kind.Text;
        if (double.IsNaN(d)) return Kind.NotANumber;
        if (double.IsInfinity(d) || Math.Abs(d) > float.MaxValue) return Kind.Infinite;
        value = (float)d;
        return Kind.Number;
    }
}
