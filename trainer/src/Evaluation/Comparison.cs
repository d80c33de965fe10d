using EdgeNet.Engine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Evaluation;

/// <summary>
/// The float network and its int8 model side by side: figures on the test rows (unlearned) and on the
/// training rows (learned), and how often int8 predicts the same class as float.
/// </summary>
public sealed class Comparison
{
    public string[] ClassLabels { get; init; }
    public ClassificationReport FloatTest { get; init; }
    public ClassificationReport Int8Test { get; init; }

    /// <summary>Null when no training rows were given.</summary>
    public ClassificationReport FloatTrain { get; init; }
    public ClassificationReport Int8Train { get; init; }

    /// <summary>Share of test rows where int8 predicts the same class as float.</summary>
    public double Agreement { get; init; }

    /// <summary>Predictions per test row (for plots and tests).</summary>
    public int[] FloatPredictions { get; init; }
    public int[] Int8Predictions { get; init; }

    /// <summary>Both models on the rows as streams: windows and state reset where sessionColumn changes (null: one stream each).</summary>
    public static Comparison Compute(Network network, Model model, Dataset train, Dataset test, string sessionColumn = null)
    {
        int classes = test.ClassLabels.Length;
        bool[] testSessions = test.SessionStarts(sessionColumn);
        int[] floatTest = PredictFloat(network, test, testSessions);
        int[] int8Test = Simulator.Classify(model, test, testSessions);
        ClassificationReport floatTrain = null, int8Train = null;
        if (train != null)
        {
            bool[] trainSessions = train.SessionStarts(sessionColumn);
            int[] predicted = PredictFloat(network, train, trainSessions);
            floatTrain = ClassificationReport.Of(train.Labels, predicted, classes);
            int8Train = ClassificationReport.Of(train.Labels, Simulator.Classify(model, train, trainSessions, predicted), classes); // the same array: only the report is kept
        }
        return new Comparison
        {
            ClassLabels = test.ClassLabels,
            FloatTest = ClassificationReport.Of(test.Labels, floatTest, classes),
            Int8Test = ClassificationReport.Of(test.Labels, int8Test, classes),
            FloatTrain = floatTrain,
            Int8Train = int8Train,
            Agreement = Metrics.Agreement(floatTest, int8Test),
            FloatPredictions = floatTest,
            Int8Predictions = int8Test,
        };
    }

    /// <summary>
    /// The float network's class per row: row by row for a model of one reading (exactly Network.Predict),
    /// else over the stream (windows of the session, or the state carried through it).
    /// </summary>
    public static int[] PredictFloat(Network network, Dataset data, bool[] sessionStarts = null)
    {
        if (network.Window > 1 || network.Streaming) return network.Classify(data, sessionStarts);
        var predicted = new int[data.Count];
        IFeatureRows rows = data.Features; // read in place: a memory-mapped store is not copied
        var row = new float[data.FeatureCount];
        for (int i = 0; i < data.Count; i++)
        {
            rows.Row(i).CopyTo(row);
            predicted[i] = network.Predict(row);
        }
        return predicted;
    }
}
