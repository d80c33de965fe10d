using EdgeNet.Trainer.Data;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// Standardization x' = (x - Mean) / Std per feature, fitted on training rows only and stored in the
/// model (the device folds it into its integer input quantizer). A constant feature gets Std 1.
/// </summary>
public sealed class Normalization
{
    public float[] Mean;
    public float[] Std;

    /// <summary>Largest |x| per feature seen when fitting (chooses the device's raw reading exponent).</summary>
    public double[] MaxAbs;

    public int Count => Mean.Length;

    public static Normalization Fit(Dataset rows)
    {
        int f = rows.FeatureCount;
        var sum = new double[f];
        var maxAbs = new double[f];
        foreach (float[] r in rows.Rows)
        {
            for (int j = 0; j < f; j++)
            {
                sum[j] += r[j];
                maxAbs[j] = Math.Max(maxAbs[j], Math.Abs(r[j]));
            }
        }
        var mean = new double[f];
        for (int j = 0; j < f; j++) mean[j] = sum[j] / rows.Count;
        var sq = new double[f];
        foreach (float[] r in rows.Rows)
        {
            for (int j = 0; j < f; j++) sq[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
        }
        var n = new Normalization { Mean = new float[f], Std = new float[f], MaxAbs = maxAbs };
        for (int j = 0; j < f; j++)
        {
            double std = Math.Sqrt(sq[j] / rows.Count);
            n.Mean[j] = (float)mean[j];
            n.Std[j] = std > 1e-6 * Math.Max(1.0, Math.Abs(mean[j])) ? (float)std : 1f;
        }
        return n;
    }

    /// <summary>dest[j] = (row[j] - Mean[j]) / Std[j].</summary>
    public void Apply(ReadOnlySpan<float> row, Span<float> dest)
    {
        for (int j = 0; j < Mean.Length; j++) dest[j] = (row[j] - Mean[j]) / Std[j];
    }
}
