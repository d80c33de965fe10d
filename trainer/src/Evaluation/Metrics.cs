namespace EdgeNet.Trainer.Evaluation;

/// <summary>
/// Classification figures from actual and predicted class indices. Conventions (those of scikit-learn):
/// balanced accuracy is the mean recall over the classes present in <c>actual</c>; macro-F1 averages
/// F1 over the classes present in <c>actual</c> or <c>predicted</c>, with precision, recall or F1 taken
/// as 0 where its denominator is 0.
/// </summary>
public static class Metrics
{
    /// <summary>confusion[a][p] = rows of actual class a predicted as p.</summary>
    public static int[][] ConfusionMatrix(int[] actual, int[] predicted, int classes)
    {
        CheckLengths(actual, predicted);
        var m = new int[classes][];
        for (int c = 0; c < classes; c++) m[c] = new int[classes];
        for (int i = 0; i < actual.Length; i++)
        {
            if ((uint)actual[i] >= (uint)classes || (uint)predicted[i] >= (uint)classes)
                throw new ArgumentException($"class index out of range at row {i}: actual {actual[i]}, predicted {predicted[i]}, classes {classes}");
            m[actual[i]][predicted[i]]++;
        }
        return m;
    }

    public static double Accuracy(int[] actual, int[] predicted) => Agreement(actual, predicted);

    /// <summary>Share of rows where two predictions (or a prediction and the truth) are the same class.</summary>
    public static double Agreement(int[] a, int[] b)
    {
        CheckLengths(a, b);
        if (a.Length == 0) return double.NaN;
        int same = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) same++;
        return (double)same / a.Length;
    }

    /// <summary>Recall of each class (NaN for a class with no actual rows).</summary>
    public static double[] Recall(int[][] confusion)
    {
        int k = confusion.Length;
        var recall = new double[k];
        for (int c = 0; c < k; c++)
        {
            long support = Support(confusion, c);
            recall[c] = support == 0 ? double.NaN : (double)confusion[c][c] / support;
        }
        return recall;
    }

    /// <summary>Precision of each class (0 for a class never predicted).</summary>
    public static double[] Precision(int[][] confusion)
    {
        int k = confusion.Length;
        var precision = new double[k];
        for (int c = 0; c < k; c++)
        {
            long predicted = 0;
            for (int a = 0; a < k; a++) predicted += confusion[a][c];
            precision[c] = predicted == 0 ? 0 : (double)confusion[c][c] / predicted;
        }
        return precision;
    }

    public static double BalancedAccuracy(int[][] confusion)
    {
        double sum = 0;
        int present = 0;
        double[] recall = Recall(confusion);
        for (int c = 0; c < recall.Length; c++)
        {
            if (double.IsNaN(recall[c])) continue;
            sum += recall[c];
            present++;
        }
        return present == 0 ? double.NaN : sum / present;
    }

    /// <summary>F1 of each class; NaN for a class neither present nor predicted.</summary>
    public static double[] F1(int[][] confusion)
    {
        int k = confusion.Length;
        double[] precision = Precision(confusion);
        var f1 = new double[k];
        for (int c = 0; c < k; c++)
        {
            long support = Support(confusion, c);
            long predicted = 0;
            for (int a = 0; a < k; a++) predicted += confusion[a][c];
            if (support == 0 && predicted == 0) { f1[c] = double.NaN; continue; }
            double recall = support == 0 ? 0 : (double)confusion[c][c] / support;
            double p = precision[c];
            f1[c] = p + recall == 0 ? 0 : 2 * p * recall / (p + recall);
        }
        return f1;
    }

    public static double MacroF1(int[][] confusion)
    {
        double sum = 0;
        int counted = 0;
        foreach (double f in F1(confusion))
        {
            if (double.IsNaN(f)) continue;
            sum += f;
            counted++;
        }
        return counted == 0 ? double.NaN : sum / counted;
    }

    public static long Support(int[][] confusion, int c)
    {
        long s = 0;
        foreach (int v in confusion[c]) s += v;
        return s;
    }

    private static void CheckLengths(int[] a, int[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"prediction count {b.Length} differs from row count {a.Length}");
    }
}

/// <summary>Every figure for one set of predictions on one set of rows.</summary>
public sealed class ClassificationReport
{
    public int Rows { get; init; }
    public double Accuracy { get; init; }
    public double BalancedAccuracy { get; init; }
    public double MacroF1 { get; init; }
    public double[] Recall { get; init; }
    public double[] Precision { get; init; }
    public double[] F1 { get; init; }
    public int[][] Confusion { get; init; }

    public static ClassificationReport Of(int[] actual, int[] predicted, int classes)
    {
        int[][] confusion = Metrics.ConfusionMatrix(actual, predicted, classes);
        return new ClassificationReport
        {
            Rows = actual.Length,
            Accuracy = Metrics.Accuracy(actual, predicted),
            BalancedAccuracy = Metrics.BalancedAccuracy(confusion),
            MacroF1 = Metrics.MacroF1(confusion),
            Recall = Metrics.Recall(confusion),
            Precision = Metrics.Precision(confusion),
            F1 = Metrics.F1(confusion),
            Confusion = confusion,
        };
    }
}
