using System.Globalization;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// The classes of a dataset and each row's class. Where the class list comes from, in this order: the
/// caller's list (a model's classes), scikit-learn's indexed class names, an ARFF nominal declaration, or
/// else the distinct labels of the rows. Labels that are the same number written differently (1, 1.0, 01)
/// are one class (with a notice); a declared class without rows is kept and reported; more than
/// <see cref="LoadOptions.MaxClasses"/> distinct labels from the rows is refused as a measurement.
/// </summary>
internal static class ClassList
{
    public static void Assign(Dataset data, TextTable t, LoadOptions o, TextColumn values)
    {
        string file = t.File, labelName = data.LabelColumn;
        var text = values.Distinct.ToArray(); // the label of each distinct cell, rewritten below
        string[] classes = o.ClassLabels;
        bool declared = classes != null;
        if (classes == null && t.IndexedClasses.TryGetValue(labelName, out string[] names))
        {
            for (int d = 0; d < text.Length; d++)
            {
                if (!int.TryParse(text[d], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) || k < 0 || k >= names.Length)
                    throw new DataException(file, values.FirstLine[d], labelName, $"class index '{Cells.Show(text[d])}' is not in 0..{names.Length - 1}");
                text[d] = names[k];
            }
            classes = names;
            declared = true;
        }
        if (classes == null && t.Nominal.TryGetValue(labelName, out string[] nominal))
        {
            classes = nominal;
            declared = true;
        }
        if (classes == null)
        {
            MergeNumericSpellings(text, values.Counts, data.Notices);
            classes = DatasetLoader.SortLabels(text.Distinct().ToArray());
            if (classes.Length > o.MaxClasses && !o.TestSide)
                throw new DataException(file, 0, labelName,
                    $"the label column has {classes.Length:N0} distinct values, more than {o.MaxClasses}: it looks like a measurement, not a class; " +
                    $"choose the class column with --label, or allow this many classes with --max-classes {classes.Length}");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Length; c++) index.TryAdd(classes[c], c);
        // Distinct cells in order of first appearance: the first one without a class is the first such row.
        var classOf = new int[text.Length];
        for (int d = 0; d < text.Length; d++)
        {
            if (index.TryGetValue(text[d], out classOf[d])) continue;
            int k = declared ? NumericallyEqual(classes, text[d]) : -1;
            if (k < 0)
                throw new DataException(file, values.FirstLine[d], labelName, $"class '{Cells.Show(text[d])}' is not one of the declared classes ({Cells.List(classes)})");
            classOf[d] = k;
        }
        var labels = new int[values.Count];
        for (int r = 0; r < labels.Length; r++) labels[r] = classOf[values.Row(r)];
        data.ClassLabels = classes;
        data.Labels = labels;
        if (classes.Length < 2 && !o.TestSide)
            throw new DataException(file, 0, labelName, $"the label column has only one class ('{Cells.Show(classes.FirstOrDefault())}'); a classifier needs at least two");

        if (declared && o.ClassLabels == null)
        {
            int[] counts = data.ClassCounts();
            var empty = Enumerable.Range(0, classes.Length).Where(c => counts[c] == 0).ToArray();
            foreach (int c in empty) data.ClassesWithoutRows.Add(c);
            if (empty.Length > 0)
                data.Notices.Add($"{empty.Length} declared class{(empty.Length == 1 ? " has" : "es have")} no rows and will never be learned: {Cells.List(empty.Select(c => classes[c]))}");
        }
    }

    /// <summary>Rewrites labels that are one number in several spellings to the most frequent spelling (distinct labels with their row counts).</summary>
    private static void MergeNumericSpellings(string[] labels, List<long> rowCounts, List<string> notices)
    {
        var spellings = new Dictionary<double, Dictionary<string, long>>();
        for (int d = 0; d < labels.Length; d++)
        {
            string l = labels[d];
            if (!double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) continue;
            if (!spellings.TryGetValue(v, out var s)) spellings[v] = s = new Dictionary<string, long>(StringComparer.Ordinal);
            s[l] = s.GetValueOrDefault(l) + rowCounts[d];
        }
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, s) in spellings.OrderBy(p => p.Key))
        {
            if (s.Count < 2) continue;
            string keep = s.OrderByDescending(p => p.Value).First().Key; // most frequent; first seen on ties
            foreach (string l in s.Keys) canonical[l] = keep;
            notices.Add($"labels {string.Join(", ", s.Keys.Select(l => $"'{Cells.Show(l)}'"))} are the same number: merged into class '{Cells.Show(keep)}'");
        }
        if (canonical.Count == 0) return;
        for (int d = 0; d < labels.Length; d++)
        {
            if (canonical.TryGetValue(labels[d], out string c)) labels[d] = c;
        }
    }

    private static int NumericallyEqual(string[] classes, string label)
    {
        if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return -1;
        for (int c = 0; c < classes.Length; c++)
        {
            if (double.TryParse(classes[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double w) && w == v) return c;
        }
        return -1;
    }
}
