using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.NetworkTypes;

/// <summary>One perceptron experiment: a two-class task, a rule, what happened.</summary>
public sealed class PerceptronRun
{
    public string Task { get; set; }
    public string Model { get; set; }
    public int Rows { get; set; }
    public bool Converged { get; set; }
    public int Epochs { get; set; }
    public int FewestMistakes { get; set; }
    public double TrainAccuracy { get; set; }
    /// <summary>Accuracy of the int8 device model (NaN where no device model is built).</summary>
    public double Int8Accuracy { get; set; } = double.NaN;
}

/// <summary>
/// The seed article's perceptron story in numbers: the single-layer perceptron converges on a linearly
/// separable task (iris setosa vs the rest) with the perceptron rule and the delta rule, does not on a task
/// no line separates (iris versicolor vs the rest, XOR), and a 2-layer MLP learns XOR.
/// </summary>
public static class PerceptronDemo
{
    /// <summary>Reads iris.csv as shipped in data/iris (first line "150,4,setosa,versicolor,virginica", no header).</summary>
    public static (float[][] X, int[] Species) LoadIris(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, 0, null, "the file does not exist (data/iris/iris.csv ships with the repository)");
        string[] lines = File.ReadAllLines(path);
        var x = new List<float[]>();
        var y = new List<int>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string[] cells = lines[i].Split(',');
            if (cells.Length != 5) throw new DataException(path, i + 1, null, $"expected 5 values, found {cells.Length}");
            var row = new float[4];
            for (int c = 0; c < 4; c++)
            {
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out row[c]) || !float.IsFinite(row[c]))
                    throw new DataException(path, i + 1, (c + 1).ToString(CultureInfo.InvariantCulture), $"'{cells[c]}' is not a number");
            }
            if (!int.TryParse(cells[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out int species) || species < 0 || species > 2)
                throw new DataException(path, i + 1, "5", $"'{cells[4]}' is not a class index 0..2");
            x.Add(row);
            y.Add(species);
        }
        return (x.ToArray(), y.ToArray());
    }

    private static Dataset AsDataset(float[][] x, int[] y, string[] classes) => new()
    {
        Name = "perceptron", SourceFile = "memory", FeatureNames = Enumerable.Range(0, x[0].Length).Select(i => "x" + i).ToArray(),
        ClassLabels = classes, Rows = x, Labels = y, SourceLines = Enumerable.Range(2, x.Length).ToArray(),
    };

    public static List<PerceptronRun> Run(string irisPath, int maxEpochs = 1000)
    {
        var runs = new List<PerceptronRun>();
        var (x, species) = LoadIris(irisPath);
        string[] features = { "sepal length", "sepal width", "petal length", "petal width" };
        foreach (var (name, target) in new[] { ("iris setosa vs rest", 0), ("iris versicolor vs rest", 1) })
        {
            int[] y = species.Select(s => s == target ? 1 : 0).ToArray();
            Normalization norm = Normalization.Fit(AsDataset(x, y, new[] { "rest", "target" }));
            float[][] xn = x.Select(r => { var v = new float[4]; norm.Apply(r, v); return v; }).ToArray();
            foreach (var (rule, rate) in new[] { (PerceptronRule.Perceptron, 0.1f), (PerceptronRule.Delta, 0.01f) })
            {
                var p = new Perceptron(4);
                PerceptronResult result = p.Train(xn, y, rule, rate, maxEpochs, seed: 3);
                Model model = p.ToModel(norm, x, features, new[] { "rest", name.Split(' ')[1] });
                byte[] file = ModelWriter.Write(model);
                int[] raw = x.SelectMany(r => QuantizationRule.ToRaw(r, model.Input)).ToArray();
                int[] int8 = DeviceProbe.Classify(file, raw, x.Length);
                runs.Add(Report(name, $"perceptron, {(rule == PerceptronRule.Perceptron ? "perceptron rule" : "delta rule")}", result,
                    xn.Select(v => p.Classify(v)).ToArray(), y, int8));
            }
        }

        float[][] xor = { new float[] { 0, 0 }, new float[] { 0, 1 }, new float[] { 1, 0 }, new float[] { 1, 1 } };
        int[] xorY = { 0, 1, 1, 0 };
        foreach (var (rule, rate) in new[] { (PerceptronRule.Perceptron, 0.1f), (PerceptronRule.Delta, 0.1f) })
        {
            var p = new Perceptron(2);
            PerceptronResult result = p.Train(xor, xorY, rule, rate, maxEpochs, seed: 1);
            runs.Add(Report("XOR", $"perceptron, {(rule == PerceptronRule.Perceptron ? "perceptron rule" : "delta rule")}", result, xor.Select(v => p.Classify(v)).ToArray(), xorY, null));
        }

        // The 2-layer MLP (trainer's backpropagation, 4 tanh hidden units) on the four XOR points, eight times each.
        float[][] rows = Enumerable.Range(0, 32).Select(i => (float[])xor[i % 4].Clone()).ToArray();
        int[] labels = Enumerable.Range(0, 32).Select(i => xorY[i % 4]).ToArray();
        var options = new TrainOptions
        {
            Hidden = new[] { 4 }, HiddenActivation = Activation.Tanh, Epochs = 300, BatchSize = 8, LearningRate = 0.05f,
            Init = InitKind.Xavier, L2 = 0, ValidationFraction = 0, Patience = 0, Seed = 2,
        };
        TrainResult mlp = Training.Trainer.Train(AsDataset(rows, labels, new[] { "0", "1" }), options);
        int[] predicted = xor.Select(mlp.Network.Predict).ToArray();
        int mistakes = predicted.Zip(xorY).Count(t => t.First != t.Second);
        runs.Add(new PerceptronRun
        {
            Task = "XOR", Model = "2-layer MLP (4 tanh hidden), backpropagation", Rows = 4, Converged = mistakes == 0,
            Epochs = mlp.History.Count, FewestMistakes = mistakes, TrainAccuracy = 1 - mistakes / 4.0,
        });
        return runs;
    }

    private static PerceptronRun Report(string task, string model, PerceptronResult r, int[] predicted, int[] y, int[] int8) => new()
    {
        Task = task, Model = model, Rows = y.Length, Converged = r.Converged, Epochs = r.Epochs, FewestMistakes = r.Errors.Min(),
        TrainAccuracy = predicted.Zip(y).Count(t => t.First == t.Second) / (double)y.Length,
        Int8Accuracy = int8 == null ? double.NaN : int8.Zip(y).Count(t => t.First == t.Second) / (double)y.Length,
    };

    public static void Write(string prefix, List<PerceptronRun> runs, int maxEpochs)
    {
        var machine = Benchmarks.Stamp.Machine(Benchmarks.Stamp.FindRepoRoot(Environment.CurrentDirectory));
        Reports.Json.Write(prefix + ".json", new { machine, maxEpochs, runs });
        var s = new StringBuilder();
        s.Append("# Perceptron: separable vs not separable\n\n");
        s.Append(Benchmarks.Stamp.Line(machine)).Append("\n\n");
        s.Append(CultureInfo.InvariantCulture, $"Single-layer perceptron (weighted sum + bias, step activation), all rows used for training, at most {maxEpochs} epochs, stopping at the first epoch without a mistake. int8 = the trained neuron exported as a one-unit dense layer with the step table, run by the shared integer kernels.\n\n");
        s.Append("| task | model | rows | converged | epochs | fewest mistakes in an epoch | accuracy | int8 accuracy |\n|---|---|---|---|---|---|---|---|\n");
        foreach (PerceptronRun r in runs)
        {
            string int8 = double.IsNaN(r.Int8Accuracy) ? "-" : $"{r.Int8Accuracy * 100:F2} %";
            s.Append(CultureInfo.InvariantCulture, $"| {r.Task} | {r.Model} | {r.Rows} | {(r.Converged ? "yes" : "no")} | {r.Epochs} | {r.FewestMistakes} | {r.TrainAccuracy * 100:F2} % | {int8} |\n");
        }
        s.Append("\nRegenerate: `edgenet bench perceptron` (from the repository root).\n");
        Reports.Files.WriteAtomically(prefix + ".md", s.ToString());
    }
}
