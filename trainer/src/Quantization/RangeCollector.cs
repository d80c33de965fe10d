namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// The quantization grid a candidate range gives a tensor: real value = Offset + q * Scale for integer q in
/// [Qmin, Qmax]. The calibration search measures the error of rounding (and clamping) the calibration values
/// to this grid, so it must be the grid the quantizer really builds from the range.
/// </summary>
public readonly record struct QuantGrid(double Offset, double Scale, int Qmin, int Qmax)
{
    /// <summary>The grid of asymmetric parameters (real = (q - zeroPoint) * scale) over [qmin, qmax].</summary>
    public static QuantGrid Of(EdgeNet.Quantization.QuantParams p, int qmin = -128, int qmax = 127) =>
        new(-p.ZeroPoint * p.Scale, p.Scale, qmin, qmax);
}

/// <summary>
/// One tensor's calibrated range, from the values it takes on the calibration rows (each with its row's weight):
/// <list type="bullet">
/// <item><see cref="Calibration.MinMax"/>: the exact smallest and largest value.</item>
/// <item><see cref="Calibration.Percentile"/>: the [100 - P, P] percentiles (unweighted), ignoring rare outliers.</item>
/// <item><see cref="Calibration.Mse"/>: the range whose grid gives the least weighted squared error (rounding
/// inside, clamping outside) over every value seen, searched by <see cref="SearchMse"/>.</item>
/// </list>
/// </summary>
public sealed class RangeCollector
{
    private readonly Calibration _rule;
    private readonly double _percentile;
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private readonly List<float> _values, _weights;

    /// <param name="rule">The calibration rule (the output layer of a percentile calibration passes MinMax).</param>
    public RangeCollector(Calibration rule, double percentile)
    {
        _rule = rule == Calibration.Percentile && percentile >= 100 ? Calibration.MinMax : rule;
        _percentile = percentile;
        if (_rule != Calibration.MinMax) _values = new List<float>();
        if (_rule == Calibration.Mse) _weights = new List<float>();
    }

    /// <summary>Adds values that all carry the same weight (their row's; percentile ignores weights).</summary>
    public void Add(ReadOnlySpan<float> v, float weight = 1f)
    {
        foreach (float x in v)
        {
            if (x < _min) _min = x;
            if (x > _max) _max = x;
        }
        if (_values == null) return;
        foreach (float x in v) _values.Add(x);
        if (_weights != null) for (int i = 0; i < v.Length; i++) _weights.Add(weight);
    }

    /// <summary>The exact range of the values seen.</summary>
    public (double Min, double Max) Extent => (_min, _max);

    /// <summary>
    /// The calibrated range. <paramref name="grid"/> (used by MSE only) gives the grid a candidate [lo, hi]
    /// becomes; <paramref name="floor"/> replaces values below it before the search (ReLU: negative
    /// pre-activations all become 0, so clamping them costs nothing).
    /// </summary>
    public (double Min, double Max) Range(Func<double, double, QuantGrid> grid = null, double floor = double.NegativeInfinity)
    {
        if (_values == null || _values.Count == 0) return (_min, _max);
        if (_rule == Calibration.Percentile)
        {
            _values.Sort();
            return (Quantile(_values, (100 - _percentile) / 100), Quantile(_values, _percentile / 100));
        }
        if (grid == null) throw new ArgumentException("MSE calibration needs the tensor's grid");
        var v = new double[_values.Count];
        var w = new double[_values.Count];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = Math.Max(_values[i], floor);
            w[i] = _weights[i];
        }
        Array.Sort(v, w);
        return SearchMse(v, w, grid);
    }

    private static double Quantile(List<float> sorted, double p)
    {
        double pos = p * (sorted.Count - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Count - 1) return sorted[^1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }

    /// <summary>Each candidate bound moves this factor of the remaining width towards the other bound.</summary>
    private const double Shrink = 0.97;

    /// <summary>Candidates go down to this share of the full width (about 230 per bound).</summary>
    private const double NarrowestShare = 1e-3;

    /// <summary>
    /// The range [lo, hi] of least weighted squared quantization error over the sorted values: coordinate descent,
    /// two rounds of "best hi for this lo, then best lo for this hi", each over a geometric ladder of candidates
    /// from the current bound towards the other one (so ranges from the full width down to 1/1000 of it are
    /// tried; outliers hundreds of spreads out are reachable in one pass). The error of a candidate is exact for
    /// the given values: values between two level midpoints round to that level, values beyond the grid clamp
    /// to its end (<see cref="Error"/>). Min/max is a candidate, so the result is never worse than min/max.
    /// </summary>
    public static (double Min, double Max) SearchMse(double[] v, double[] w, Func<double, double, QuantGrid> grid)
    {
        int n = v.Length;
        double min = v[0], max = v[n - 1];
        if (!(max > min)) return (min, max);
        // Prefix sums of w, w d and w d^2 with d = v - center: keeps the cancellation in the segment sums small.
        double center = 0, total = 0;
        for (int i = 0; i < n; i++) { center += w[i] * v[i]; total += w[i]; }
        center = total > 0 ? center / total : 0;
        var s0 = new double[n + 1];
        var s1 = new double[n + 1];
        var s2 = new double[n + 1];
        for (int i = 0; i < n; i++)
        {
            double d = v[i] - center;
            s0[i + 1] = s0[i] + w[i];
            s1[i + 1] = s1[i] + w[i] * d;
            s2[i + 1] = s2[i] + w[i] * d * d;
        }
        var prefix = new Prefix(v, s0, s1, s2, center);
        double lo = min, hi = max;
        double best = prefix.Error(grid(lo, hi));
        double narrowest = (max - min) * NarrowestShare;
        for (int round = 0; round < 2; round++)
        {
            for (int side = 0; side < 2; side++)
            {
                double width = hi - lo, fixedBound = side == 0 ? lo : hi;
                for (double share = Shrink; share * width > narrowest; share *= Shrink)
                {
                    double candidate = side == 0 ? lo + width * share : hi - width * share;
                    double e = side == 0 ? prefix.Error(grid(fixedBound, candidate)) : prefix.Error(grid(candidate, fixedBound));
                    if (e < best)
                    {
                        best = e;
                        if (side == 0) hi = candidate; else lo = candidate;
                    }
                }
            }
        }
        return (lo, hi);
    }

    /// <summary>The sorted values with prefix sums, so the error of a grid costs one binary search per level.</summary>
    private sealed class Prefix(double[] v, double[] s0, double[] s1, double[] s2, double center)
    {
        /// <summary>Weighted squared error of rounding every value to its nearest grid level (clamped to the grid's ends).</summary>
        public double Error(QuantGrid g)
        {
            int n = v.Length;
            double error = 0;
            int i = 0;
            // The first level that any value rounds to; levels below it hold no values.
            long q = Math.Clamp((long)Math.Floor((v[0] - g.Offset) / g.Scale + 0.5), g.Qmin, g.Qmax);
            for (; i < n && q <= g.Qmax; q++)
            {
                int j = q == g.Qmax ? n : LowerBound(g.Offset + (q + 0.5) * g.Scale, i);
                if (j > i) error += Segment(i, j, g.Offset + q * g.Scale);
                i = j;
            }
            return error;
        }

        /// <summary>sum over [i, j) of w (v - c)^2 from the prefix sums.</summary>
        private double Segment(int i, int j, double c)
        {
            double d = c - center;
            double e = s2[j] - s2[i] - 2 * d * (s1[j] - s1[i]) + d * d * (s0[j] - s0[i]);
            return Math.Max(e, 0);
        }

        /// <summary>The first index at or after <paramref name="from"/> whose value is not below x.</summary>
        private int LowerBound(double x, int from)
        {
            int a = from, b = v.Length;
            while (a < b)
            {
                int m = (a + b) >>> 1;
                if (v[m] < x) a = m + 1; else b = m;
            }
            return a;
        }
    }
}
