using System.Globalization;
using System.Text;
using EdgeNet.Engine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Evaluation;

/// <summary>
/// The per-row predictions of <c>evaluate --predictions</c> and <c>simulate --predictions</c> as CSV: row (1-based
/// among the rows run), line (in the data file), label (actual class; empty for unlabeled rows), float_class (evaluate,
/// the float model's class), int8_class, then the scores: float_p_CLASS (softmax probability, evaluate) and int8_CLASS
/// (the int8 output layer's value per output unit, the device's score).
/// </summary>
public static class Predictions
{
    /// <summary>The output layer's integer values (int8, or int16 for a 16-bit output layer) of every row, run in order on one engine as the device does.</summary>
    public static int[][] Int8Scores(Model model, Dataset rows)
    {
        var engine = new InferenceEngine(model);
        var scores = new int[rows.Count][];
        IFeatureRows features = rows.Features; // read in place: a memory-mapped store is not copied
        for (int r = 0; r < rows.Count; r++)
        {
            engine.PushReading(Simulator.RawReading(model, features.Row(r)));
            engine.Invoke();
            scores[r] = new int[model.OutputLayer.OutputLength];
            for (int i = 0; i < scores[r].Length; i++) scores[r][i] = engine.TensorValue(model.Layers.Length - 1, i);
        }
        return scores;
    }

    /// <summary>
    /// The CSV text. floatClasses/floatScores null: no float columns (simulate). labels null: unlabeled rows.
    /// </summary>
    public static string Csv(string[] classLabels, int[] sourceLines, string[] labels, int[] floatClasses, float[][] floatScores, int[] int8Classes, int[][] int8Scores)
    {
        int units = int8Scores.Length > 0 ? int8Scores[0].Length : classLabels.Length;
        var header = new List<string> { "row", "line", "label" };
        if (floatClasses != null) header.Add("float_class");
        header.Add("int8_class");
        if (floatScores != null) header.AddRange(UnitNames(classLabels, floatScores.Length > 0 ? floatScores[0].Length : units).Select(n => "float_p_" + n));
        header.AddRange(UnitNames(classLabels, units).Select(n => "int8_" + n));
        var s = new StringBuilder(string.Join(",", header.Select(Cell))).Append('\n');
        for (int r = 0; r < int8Classes.Length; r++)
        {
            var cells = new List<string> { (r + 1).ToString(CultureInfo.InvariantCulture), sourceLines[r].ToString(CultureInfo.InvariantCulture), labels?[r] ?? "" };
            if (floatClasses != null) cells.Add(classLabels[floatClasses[r]]);
            cells.Add(classLabels[int8Classes[r]]);
            if (floatScores != null) cells.AddRange(floatScores[r].Select(p => p.ToString("R", CultureInfo.InvariantCulture)));
            cells.AddRange(int8Scores[r].Select(v => v.ToString(CultureInfo.InvariantCulture)));
            s.Append(string.Join(",", cells.Select(Cell))).Append('\n');
        }
        return s.ToString();
    }

    /// <summary>evaluate: float and int8 on the test rows.</summary>
    public static string ForEvaluate(Network network, Model model, Dataset test, Comparison c)
    {
        IFeatureRows rows = test.Features;
        var row = new float[test.FeatureCount];
        var p = new float[test.Count][];
        for (int r = 0; r < p.Length; r++)
        {
            rows.Row(r).CopyTo(row);
            p[r] = network.Probabilities(row);
        }
        string[] labels = test.Labels.Select(l => test.ClassLabels[l]).ToArray();
        return Csv(c.ClassLabels, test.SourceLines, labels, c.FloatPredictions, p, c.Int8Predictions, Int8Scores(model, test));
    }

    /// <summary>One score column per output unit, named by its class when there is one unit per class.</summary>
    private static IEnumerable<string> UnitNames(string[] classLabels, int units) =>
        units == classLabels.Length ? classLabels : Enumerable.Range(0, units).Select(i => "out" + i.ToString(CultureInfo.InvariantCulture));

    /// <summary>RFC 4180 quoting when a cell holds a comma, quote or line break.</summary>
    private static string Cell(string v) =>
        v.IndexOfAny([',', '"', '\n', '\r']) < 0 ? v : "\"" + v.Replace("\"", "\"\"") + "\"";
}
