using EdgeNet.Engine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.NetworkTypes;

/// <summary>
/// The network types <c>edgenet train --network</c> offers besides the MLP, built as the time-series
/// benchmark builds them, and the bridge between a float model file and a <see cref="SequenceNetwork"/>.
/// The rows of a CSV are one stream in file order (one segment): window models see the last N rows,
/// recurrent models carry their state from row to row.
/// </summary>
public static class SequenceCli
{
    /// <summary>--network value -> the benchmark configuration it trains.</summary>
    public static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["cnn"] = "cnn-maxpool",
        ["rnn-direct"] = "rnn-direct",
        ["rnn-lateral"] = "rnn-lateral",
        ["rnn-complete"] = "rnn-complete",
        ["rnn-indirect"] = "rnn-indirect",
    };

    public static SequenceNetwork Create(string type, Dataset train, int window)
    {
        TimeSeriesBenchmark.Config config = TimeSeriesBenchmark.Configs.First(c => c.Name == Types[type]);
        return new SequenceNetwork
        {
            Name = train.Name ?? type, Normalization = Normalization.Fit(train), Window = window,
            Layers = config.Build(window, train.FeatureCount, train.ClassCount),
            FeatureNames = train.FeatureNames, ClassLabels = train.ClassLabels,
        };
    }

    /// <summary>The rows as one stream (no segment breaks), normalized with the network's normalization.</summary>
    public static SequenceSet Stream(SequenceNetwork net, Dataset rows) =>
        SequenceSet.Build(rows, net.Normalization, net.Window, SequenceSet.SegmentsByColumn(rows, null));

    public static Network ToFile(SequenceNetwork net) => new()
    {
        Name = net.Name, Normalization = net.Normalization, Layers = net.Layers, FeatureNames = net.FeatureNames,
        ClassLabels = net.ClassLabels, Loss = Loss.CrossEntropy,
    };

    /// <summary>A float model file's network as a sequence network: its window is the first layer's input steps.</summary>
    public static SequenceNetwork FromFile(Network net) => new()
    {
        Name = net.Name, Normalization = net.Normalization, Layers = net.Layers, FeatureNames = net.FeatureNames,
        ClassLabels = net.ClassLabels, Window = net.Layers[0].InputSteps,
    };

    /// <summary>Quantizes with <see cref="SequenceQuantizer"/>, calibrated on the rows as one stream.</summary>
    public static Model Quantize(Network net, Dataset calibration)
    {
        SequenceNetwork seq = FromFile(net);
        return SequenceQuantizer.Quantize(seq, Stream(seq, calibration));
    }
}
