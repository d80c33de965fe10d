using EdgeNet.Trainer.Data;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// Standardization x' = (x - Mean) / Std per feature, fitted on training rows only and stored in the
/// model (the device folds it into its integer input quantizer). A constant feature gets Std 1. With clip
/// bounds (<see cref="ClipLow"/>, <see cref="ClipHigh"/>) every raw value is first clamped to them, in training
/// and in every float inference, so the float network sees what the device's saturating input sees.
/// </summary>
public sealed class Normalization
{
    public float[] Mean;
    public float[] Std;

    /// <summary>Largest |x| per feature seen when fitting (chooses the device's raw reading exponent).</summary>
    public double[] MaxAbs;

    /// <summary>
    /// Per feature, the raw value range the network sees (raw units; values outside are clamped before
    /// standardizing); null = no clip. Fitted as the fit rows' [q, 1 - q] quantiles (<see cref="FitClipped"/>).
    /// </summary>
    public float[] ClipLow, ClipHigh;

    public bool Clips => ClipLow != null;

    public int Count => Mean.Length;

    /// <summary>At most this many rows (evenly spaced) are sorted per feature for the clip quantiles.</summary>
    public const int MaxQuantileRows = 1_000_000;

    /// <summary>
    /// <see cref="Fit"/> after clipping: per feature the [q, 1 - q] quantiles of the rows (order statistics
    /// with linear interpolation, over at most <see cref="MaxQuantileRows"/> evenly spaced rows, read in place),
    /// then Mean and Std of the clamped values. MaxAbs stays the raw values' (the raw reading exponent needs
    /// room for the readings themselves, which the device clamps only after reading them). q = 0: no clip.
    /// </summary>
    public static Normalization FitClipped(Dataset rows, double q)
    {
        if (!(q >= 0 && q < 0.5)) throw new ArgumentException("the input clip quantile must be in [0, 0.5)");
        if (q == 0 || rows.Count == 0) return Fit(rows);
        var (low, high) = Quantiles(rows.Features, rows.FeatureCount, q);
        return Fit(rows, low, high);
    }

    /// <summary>Per feature the q and 1 - q quantiles (linear interpolation between order statistics).</summary>
    private static (float[] Low, float[] High) Quantiles(IFeatureRows data, int f, double q)
    {
        int count = data.Count, n = Math.Min(count, MaxQuantileRows);
        var rowIndex = new int[n];
        for (int i = 0; i < n; i++) rowIndex[i] = (int)((long)i * count / n);
        var values = new float[n];
        var low = new float[f];
        var high = new float[f];
        for (int j = 0; j < f; j++)
        {
            for (int i = 0; i < n; i++) values[i] = data.Row(rowIndex[i])[j];
            Array.Sort(values);
            low[j] = (float)Quantile(values, q);
            high[j] = (float)Quantile(values, 1 - q);
        }
        return (low, high);
    }

    private static double Quantile(float[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Length - 1) return sorted[^1];
        return sorted[i] + (pos - i) * ((double)sorted[i + 1] - sorted[i]);
    }

    /// <summary>
    /// Mean, standard deviation and largest |x| of each feature in one pass over the rows (read in place, a
    /// memory-mapped store is not copied): sums of x, x - x0 and (x - x0)^2 in double, x0 the first row (the
    /// shifted form loses digits only when x0 lies many standard deviations from the mean). The two-pass sum it
    /// replaces gave the same float Mean and Std on every dataset the tests and the demo train on.
    /// </summary>
    public static Normalization Fit(Dataset rows) => Fit(rows, null, null);

    private static Normalization Fit(Dataset rows, float[] low, float[] high)
    {
        IFeatureRows data = rows.Features;
        int f = rows.FeatureCount, count = data.Count;
        var sum = new double[f];
        var shifted = new double[f];
        var shiftedSq = new double[f];
        var maxAbs = new double[f];
        var first = new double[f];
        if (count > 0)
        {
            ReadOnlySpan<float> r0 = data.Row(0);
            for (int j = 0; j < f; j++) first[j] = low != null ? Math.Clamp(r0[j], low[j], high[j]) : r0[j];
        }
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<float> row = data.Row(r);
            for (int j = 0; j < f; j++)
            {
                float x = low != null ? Math.Clamp(row[j], low[j], high[j]) : row[j];
                sum[j] += x;
                double d = x - first[j];
                shifted[j] += d;
                shiftedSq[j] += d * d;
                maxAbs[j] = Math.Max(maxAbs[j], Math.Abs(row[j]));
            }
        }
        var n = new Normalization { Mean = new float[f], Std = new float[f], MaxAbs = maxAbs, ClipLow = low, ClipHigh = high };
        for (int j = 0; j < f; j++)
        {
            double mean = sum[j] / count;
            double variance = Math.Max(0, (shiftedSq[j] - shifted[j] * shifted[j] / count) / count);
            double std = Math.Sqrt(variance);
            n.Mean[j] = (float)mean;
            n.Std[j] = std > 1e-6 * Math.Max(1.0, Math.Abs(mean)) ? (float)std : 1f;
        }
        return n;
    }

    /// <summary>dest[j] = (clamp(row[j], ClipLow[j], ClipHigh[j]) - Mean[j]) / Std[j] (no clamp without bounds).</summary>
    public void Apply(ReadOnlySpan<float> row, Span<float> dest)
    {
        if (ClipLow == null)
        {
            for (int j = 0; j < Mean.Length; j++) dest[j] = (row[j] - Mean[j]) / Std[j];
            return;
        }
        for (int j = 0; j < Mean.Length; j++) dest[j] = (Math.Clamp(row[j], ClipLow[j], ClipHigh[j]) - Mean[j]) / Std[j];
    }
}
