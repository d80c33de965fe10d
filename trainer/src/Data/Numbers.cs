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
        if (!TryShortDecimal(s, out double d) && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return Kind.Text;
        if (double.IsNaN(d)) return Kind.NotANumber;
        if (double.IsInfinity(d) || Math.Abs(d) > float.MaxValue) return Kind.Infinite;
        value = (float)d;
        return Kind.Number;
    }

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// The common short decimal ([sign] digits [. digits] [e [sign] digits], at most 15 significant digits, a
    /// power of ten within 10^±22) without the general parser, and to the same double: the digits and the
    /// power of ten are both exact doubles, so one IEEE multiplication or division rounds correctly (Clinger's
    /// fast path), as double.Parse does. False: not that form (the general parser decides).
    /// </summary>
    internal static bool TryShortDecimal(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            i++;
        }
        ulong digits = 0;
        int significant = 0, exponent = 0;
        bool any = false;
        for (; i < s.Length && (uint)(s[i] - '0') <= 9; i++)
        {
            any = true;
            if (digits == 0 && s[i] == '0') continue;
            if (++significant > 15) return false;
            digits = digits * 10 + (uint)(s[i] - '0');
        }
        if (i < s.Length && s[i] == '.')
        {
            for (i++; i < s.Length && (uint)(s[i] - '0') <= 9; i++)
            {
                any = true;
                exponent--;
                if (digits == 0 && s[i] == '0') continue;
                if (++significant > 15) return false;
                digits = digits * 10 + (uint)(s[i] - '0');
            }
        }
        if (!any) return false;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            bool negativeExponent = false;
            if (i < s.Length && (s[i] == '-' || s[i] == '+'))
            {
                negativeExponent = s[i] == '-';
                i++;
            }
            int e = 0;
            bool exponentDigits = false;
            for (; i < s.Length && (uint)(s[i] - '0') <= 9; i++)
            {
                exponentDigits = true;
                e = e * 10 + (s[i] - '0');
                if (e > 1000) return false;
            }
            if (!exponentDigits) return false;
            exponent += negativeExponent ? -e : e;
        }
        if (i != s.Length) return false;
        if (digits == 0)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }
        if (exponent < -22 || exponent > 22) return false;
        value = exponent < 0 ? digits / PowersOfTen[-exponent] : digits * PowersOfTen[exponent];
        if (negative) value = -value;
        return true;
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
