using System.Globalization;
using EdgeNet.Trainer.Data;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// The numbers of a float model file, checked when it loads (a hand-edited or damaged file must not reach
/// the quantizer as "cannot quantize NaN", nor be silently "fixed"): every normalization value finite, std
/// positive, a mean no larger in magnitude than the largest value seen (maxAbs) and within what the device's
/// raw reading holds, clip bounds (when present) finite with low <= high, every layer parameter finite. A failure names the file and the field, e.g.
/// "normalization.std[2] (feature 'b')".
/// </summary>
public static class FloatModelCheck
{
    public static void Check(Network net, string path)
    {
        Normalization n = net.Normalization;
        int features = net.FeatureNames.Length;
        if (n.Std == null || n.Std.Length != features) throw Bad(path, "normalization.std", $"has {n.Std?.Length ?? 0} values for {features} features");
        if (n.MaxAbs == null || n.MaxAbs.Length != features) throw Bad(path, "normalization.maxAbs", $"has {n.MaxAbs?.Length ?? 0} values for {features} features");
        if ((n.ClipLow == null) != (n.ClipHigh == null))
            throw Bad(path, n.ClipLow == null ? "normalization.clipLow" : "normalization.clipHigh", "is missing; clip bounds come in pairs (clipLow and clipHigh)");
        if (n.ClipLow != null && n.ClipLow.Length != features) throw Bad(path, "normalization.clipLow", $"has {n.ClipLow.Length} values for {features} features");
        if (n.ClipHigh != null && n.ClipHigh.Length != features) throw Bad(path, "normalization.clipHigh", $"has {n.ClipHigh.Length} values for {features} features");
        for (int f = 0; f < features; f++)
        {
            string feature = $" (feature '{Cells.Show(net.FeatureNames[f])}')";
            double mean = n.Mean[f], std = n.Std[f], maxAbs = n.MaxAbs[f];
            if (!double.IsFinite(std) || std <= 0)
                throw Bad(path, $"normalization.std[{f}]{feature}", $"is {G(std)}; a standard deviation must be a positive number");
            if (!double.IsFinite(maxAbs) || maxAbs < 0 || maxAbs >= DeviceLimits.MaxMagnitude)
                throw Bad(path, $"normalization.maxAbs[{f}]{feature}", $"is {G(maxAbs)}; it must be a number in [0, {G(DeviceLimits.MaxMagnitude)})");
            // A mean of values cannot exceed their largest magnitude (float rounding aside).
            if (!double.IsFinite(mean) || Math.Abs(mean) > maxAbs * (1 + 1e-5) + 1e-30)
                throw Bad(path, $"normalization.mean[{f}]{feature}", $"is {G(mean)}, but the largest |value| seen in training (maxAbs) is {G(maxAbs)}");
            if (n.ClipLow == null) continue;
            double low = n.ClipLow[f], high = n.ClipHigh[f];
            if (!double.IsFinite(low) || Math.Abs(low) >= DeviceLimits.MaxMagnitude)
                throw Bad(path, $"normalization.clipLow[{f}]{feature}", $"is {G(low)}; a clip bound must be a finite number");
            if (!double.IsFinite(high) || Math.Abs(high) >= DeviceLimits.MaxMagnitude)
                throw Bad(path, $"normalization.clipHigh[{f}]{feature}", $"is {G(high)}; a clip bound must be a finite number");
            if (low > high)
                throw Bad(path, $"normalization.clipLow[{f}]{feature}", $"is {G(low)}, above clipHigh {G(high)}");
        }
        for (int l = 0; l < net.Layers.Length; l++)
        {
            float[] p = net.Layers[l].Parameters;
            for (int i = 0; i < p.Length; i++)
            {
                if (!float.IsFinite(p[i])) throw Bad(path, $"layers[{l}].parameters[{i}]", $"is {G(p[i])}; parameters must be finite");
            }
        }
    }

    private static DataException Bad(string path, string field, string problem) => new(path, 0, null, $"{field} {problem}");

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
