using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeNet.Benchmarks;

/// <summary>
/// A speed ratio from paired repeats: repeat r runs tool A and tool B back to back (the order alternating from
/// repeat to repeat, so a slow drift of the shared machine hits both), ratio_r = A_r / B_r. Reported as the
/// median of the ratios with a 95 % percentile-bootstrap interval of that median (10,000 resamples of the
/// pairs, seeded, so the same measurements give the same interval). A target counts as met only when the
/// interval's lower end reaches it.
/// </summary>
public sealed record PairedRatio(double Median, double Low, double High, double[] Ratios)
{
    public const int MinimumRepeats = 10;
    public const int Resamples = 10_000;
    public const int BootstrapSeed = 15;

    public static PairedRatio Of(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException("paired repeats need the same positive count on both sides");
        double[] ratios = a.Zip(b, (x, y) => x / y).ToArray();
        var rng = new Random(BootstrapSeed);
        var medians = new double[Resamples];
        var sample = new double[ratios.Length];
        for (int s = 0; s < Resamples; s++)
        {
            for (int i = 0; i < sample.Length; i++) sample[i] = ratios[rng.Next(ratios.Length)];
            medians[s] = MedianOf(sample);
        }
        Array.Sort(medians);
        return new PairedRatio(MedianOf(ratios), Quantile(medians, 0.025), Quantile(medians, 0.975), ratios);
    }

    public bool Meets(double target) => Low >= target;

    public string Status(double target) => Meets(target) ? "met" : Median >= target ? "not shown (median meets it, interval does not)" : "missed";

    /// <summary>"3.12x [2.95, 3.30]".</summary>
    public string Text => $"{F(Median)}x [{F(Low)}, {F(High)}]";

    public JsonObject ToJson() => new()
    {
        ["median"] = Math.Round(Median, 3), ["ci95_low"] = Math.Round(Low, 3), ["ci95_high"] = Math.Round(High, 3),
        ["pairs"] = Ratios.Length, ["ratios"] = new JsonArray(Ratios.Select(r => (JsonNode)Math.Round(r, 3)).ToArray()),
        ["method"] = $"median of paired ratios, 95 % percentile bootstrap ({Resamples} resamples, seed {BootstrapSeed})",
    };

    public static double MedianOf(IEnumerable<double> values)
    {
        double[] v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
