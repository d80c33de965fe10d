namespace EdgeNet.Trainer.Quantization;

/// <summary>
/// The automatic precision choice's acceptance test (docs/quantization.md, "Choosing the precision"): does a
/// quantized model agree with float on at least <see cref="Required"/> of the rows it would see, judged on
/// validation rows? Two conditions, both needed:
/// <list type="bullet">
/// <item>Confidence: the validation rows must show it, not merely be consistent with it. At a true agreement of
/// exactly 99.5 %, seeing this few disagreeing rows must have a chance of at most <see cref="Alpha"/> (a one-sided
/// exact binomial test). 363 rows with none differing do not pass (0.995^363 = 0.16): they cannot tell 99.5 %
/// from 99 %. From 598 rows on, none differing passes.</item>
/// <item>Every class: of the validation rows float puts in each class, at least <see cref="Required"/> keep that
/// class. A balanced metric counts a class of 6 rows as much as one of 34,000; one flipped row of a rare class
/// moves it by points while the overall share barely changes.</item>
/// </list>
/// </summary>
public readonly struct Judgement
{
    /// <summary>The agreement the choice asks for (issue #13: 99.5 %).</summary>
    public const double Required = 0.995;

    /// <summary>The test's level: the chance, at a true agreement of <see cref="Required"/>, of passing anyway.</summary>
    public const double Alpha = 0.05;

    public int Rows { get; init; }
    public int Differing { get; init; }

    /// <summary>P(at most <see cref="Differing"/> of <see cref="Rows"/> differ | each differs with chance 1 - Required).</summary>
    public double PValue { get; init; }

    /// <summary>The class whose rows keep their class least often (-1 when no rows), and that share.</summary>
    public int WorstClass { get; init; }
    public double WorstClassAgreement { get; init; }
    public string WorstClassLabel { get; init; }

    public double Agreement => Rows == 0 ? 1 : (double)(Rows - Differing) / Rows;

    public bool Confident => Rows > 0 && PValue <= Alpha;
    public bool EveryClass => WorstClass < 0 || WorstClassAgreement >= Required;
    public bool Passes => Confident && EveryClass;

    /// <summary>
    /// Judges predicted classes against float's on the judged rows (indices into both; null = every row).
    /// classCount bounds the class indices.
    /// </summary>
    public static Judgement Of(int[] predicted, int[] floatClasses, int[] judged, int classCount, string[] labels = null)
    {
        int rows = 0, differing = 0;
        if (judged == null)
        {
            rows = predicted.Length;
            for (int r = 0; r < predicted.Length; r++) if (predicted[r] != floatClasses[r]) differing++;
        }
        else
        {
            rows = judged.Length;
            foreach (int r in judged) if (predicted[r] != floatClasses[r]) differing++;
        }
        // Per class on every row: a rare class has more rows there than in the validation share, and agreement
        // with float (unlike float's accuracy) is not what training fitted; the ranges saw every row either way.
        var perClass = new int[classCount];
        var keptPerClass = new int[classCount];
        for (int r = 0; r < predicted.Length; r++)
        {
            int c = floatClasses[r];
            perClass[c]++;
            if (predicted[r] == c) keptPerClass[c]++;
        }
        int worst = -1;
        double worstShare = 1;
        for (int c = 0; c < classCount; c++)
        {
            if (perClass[c] == 0) continue;
            double share = (double)keptPerClass[c] / perClass[c];
            if (worst < 0 || share < worstShare) (worst, worstShare) = (c, share);
        }
        return new Judgement
        {
            Rows = rows, Differing = differing, PValue = AtMost(differing, rows, 1 - Required),
            WorstClass = worst, WorstClassAgreement = worstShare,
            WorstClassLabel = worst < 0 ? null : labels != null && worst < labels.Length ? labels[worst] : worst.ToString(),
        };
    }

    /// <summary>Binomial P(X &lt;= k) for n trials of chance q, summed term by term (each term from the previous one).</summary>
    public static double AtMost(int k, int n, double q)
    {
        if (n == 0) return 1;
        double term = Math.Exp(n * Math.Log(1 - q)); // P(X = 0)
        double sum = term;
        for (int i = 0; i < k && i < n; i++)
        {
            term *= (double)(n - i) / (i + 1) * q / (1 - q);
            sum += term;
        }
        return Math.Min(1, sum);
    }

    /// <summary>One phrase for the model summary: the share, the test and the weakest class.</summary>
    public override string ToString()
    {
        string confidence = Confident
            ? $"(p = {PValue:0.###} <= {Alpha} that a 99.5 % model shows this few differing)"
            : Differing == 0 ? $"(p = {PValue:0.###} > {Alpha}: {Rows} rows are too few to show 99.5 %)"
            : $"(p = {PValue:0.###} > {Alpha}: not shown on {Rows} rows)";
        string cls = WorstClass < 0 ? "" : EveryClass ? "; every class >= 99.5 %" : $"; class {WorstClassLabel} keeps only {WorstClassAgreement:P1}";
        return $"agrees on {Agreement:P2} of {Rows} rows, {Differing} differing {confidence}{cls}";
    }
}
