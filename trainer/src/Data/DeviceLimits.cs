using System.Globalization;
using EdgeNet.Format;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// What a .enet model can hold, checked when the data loads (not first at quantize): the class and feature
/// counts and names of the model format (shared/src/Format/ModelFormat.cs, ModelWriter.cs), and feature
/// magnitudes the device's raw int32 readings can carry (shared/desktop/QuantizationRule.cs).
/// </summary>
internal static class DeviceLimits
{
    /// <summary>Longest feature name, class label or model name (a length byte in the file).</summary>
    public const int MaxName = 255;

    /// <summary>
    /// Largest |value| a feature may reach: a raw reading is value x 10^e in int32 with e >= -9, kept within
    /// 2^29 so raw - offset cannot overflow (QuantizationRule.ChooseRawExponent). Beyond it the reading
    /// saturates and the int8 input is constant.
    /// </summary>
    public const double MaxMagnitude = (1 << 29) * 1e9;

    /// <summary>The finest raw step, at the largest exponent (6): 1e-6 of the feature's unit.</summary>
    public const double FinestStep = 1e-6;

    /// <summary>Fewest raw steps a varying feature must span to keep its information through the int32 reading.</summary>
    public const double MinSteps = 16;

    public static void CheckNames(string file, int line, string[] features, string[] classes)
    {
        if (features.Length > ModelFormat.MaxFeatures)
            throw new DataException(file, line, null, $"{features.Length:N0} feature columns, above the model format's limit of {ModelFormat.MaxFeatures:N0} features; choose columns with --features");
        if (classes.Length > ModelFormat.MaxClasses)
            throw new DataException(file, line, null, $"{classes.Length:N0} classes, above the model format's limit of {ModelFormat.MaxClasses} classes");
        foreach (string f in features) CheckName(file, line, f, "feature name", f);
        foreach (string c in classes) CheckName(file, line, null, "class label", c);
    }

    private static void CheckName(string file, int line, string column, string what, string name)
    {
        if (name.Length > MaxName)
            throw new DataException(file, line, column, $"the {what} '{Cells.Show(name)}' has {name.Length} characters, above the model format's limit of {MaxName}");
        foreach (char c in name)
        {
            if (c < ' ' || c > '~')
                throw new DataException(file, line, column, $"the {what} '{Cells.Show(name)}' has the character U+{(int)c:X4}; the model format takes printable ASCII names only (rename it in the file)");
        }
    }

    /// <summary>A model name the format can hold: printable ASCII (others become '_'), at most 255 characters.</summary>
    public static string ModelName(string name)
    {
        var s = new System.Text.StringBuilder();
        foreach (char c in name ?? "")
        {
            if (s.Length == MaxName) break;
            s.Append(c >= ' ' && c <= '~' ? c : '_');
        }
        return s.ToString();
    }

    /// <summary>Per feature the smallest and largest value of the rows (missing NaN cells skipped; min > max: none).</summary>
    public static (double[] Min, double[] Max) Ranges(int features, float[][] rows)
    {
        var min = new double[features];
        var max = new double[features];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        foreach (float[] r in rows) Widen(min, max, r);
        return (min, max);
    }

    /// <summary>Widens the ranges by one row (NaN, a missing value, is skipped).</summary>
    public static void Widen(double[] min, double[] max, ReadOnlySpan<float> row)
    {
        for (int f = 0; f < min.Length; f++)
        {
            if (float.IsNaN(row[f])) continue;
            min[f] = Math.Min(min[f], row[f]);
            max[f] = Math.Max(max[f], row[f]);
        }
    }

    /// <summary>
    /// Refuses a feature whose values the device's raw int32 reading cannot carry: beyond ±5.4e17 (saturates
    /// at every exponent) or varying by fewer than 16 steps of 1e-6 (rounds to a near-constant reading).
    /// </summary>
    public static void CheckMagnitudes(string file, string[] names, (double[] Min, double[] Max) ranges)
    {
        for (int f = 0; f < names.Length; f++)
        {
            double min = ranges.Min[f], max = ranges.Max[f];
            if (min > max) continue;
            string range = $"from {G(min)} to {G(max)}";
            if (Math.Max(-min, max) >= MaxMagnitude)
                throw new DataException(file, 0, names[f],
                    $"the values range {range}; the device's int32 raw reading (value x 10^e, e >= -9) holds magnitudes below {G(MaxMagnitude)} only; rescale the column (e.g. divide it by {G(Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(-min, max) / MaxMagnitude)) + 1))})");
            double spread = max - min;
            if (spread > 0 && spread < MinSteps * FinestStep)
                throw new DataException(file, 0, names[f],
                    $"the values range {range}, a spread of {G(spread)}: fewer than {MinSteps} steps of the device's finest raw reading ({G(FinestStep)}); rescale the column (e.g. multiply it by {G(Math.Pow(10, Math.Ceiling(Math.Log10(MinSteps * FinestStep * 1000 / spread))))})");
        }
    }

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
