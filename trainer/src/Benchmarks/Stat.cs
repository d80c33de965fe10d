namespace EdgeNet.Trainer.Benchmarks;

/// <summary>Mean, spread and the values of one figure over seeds.</summary>
public sealed class Stat
{
    public double Mean { get; init; }
    /// <summary>Sample standard deviation (0 for one value).</summary>
    public double Std { get; init; }
    public double Min { get; init; }
    public double Max { get; init; }
    public double[] Values { get; init; }

    public static Stat Of(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double var = values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0;
        return new Stat { Mean = mean, Std = Math.Sqrt(var), Min = values.Min(), Max = values.Max(), Values = values.ToArray() };
    }
}
