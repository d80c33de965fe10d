using System.Numerics.Tensors;
using EdgeNet.Layers;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.NetworkTypes;

/// <summary>
/// A float network over readings: an MLP on the current reading or a flattened window, a CNN over a
/// window, or a recurrent network over a stream. Window models see the last <see cref="Window"/> readings
/// as one [steps][features] input; streaming models (a recurrent first layer) are trained on sequences of
/// <see cref="Window"/> readings by backpropagation through time but run one reading at a time with their
/// state carried, as on the device.
/// </summary>
public sealed class SequenceNetwork
{
    public string Name;
    public Normalization Normalization;
    public FloatLayer[] Layers;
    public int Window;
    public string[] FeatureNames;
    public string[] ClassLabels;

    /// <summary>True when the first layer is recurrent: the device model takes one reading per inference.</summary>
    public bool Streaming => Layers[0] is RecurrentFloat || Layers[0] is IndirectRecurrentFloat;

    public int ParameterCount => Layers.Sum(l => l.Parameters.Length);

    /// <summary>Predicted class per sample: windows through the layers, or the stream step by step.</summary>
    public int[] Classify(SequenceSet set) => Streaming ? ClassifyStream(set, null) : ClassifyWindows(set);

    private int[] ClassifyWindows(SequenceSet set)
    {
        var classes = new int[set.Count];
        const int chunk = 256;
        var acts = new float[Layers.Length + 1][];
        acts[0] = new float[chunk * set.SampleLength];
        for (int l = 0; l < Layers.Length; l++) acts[l + 1] = new float[chunk * Layers[l].OutputLength];
        int outs = Layers[^1].OutputLength;
        for (int start = 0; start < set.Count; start += chunk)
        {
            int batch = Math.Min(chunk, set.Count - start);
            Array.Copy(set.X, start * set.SampleLength, acts[0], 0, batch * set.SampleLength);
            for (int l = 0; l < Layers.Length; l++) Layers[l].Forward(acts[l], acts[l + 1], batch);
            for (int b = 0; b < batch; b++) classes[start + b] = TensorPrimitives.IndexOfMax(acts[^1].AsSpan(b * outs, outs));
        }
        return classes;
    }

    /// <summary>
    /// Runs the stream one reading at a time, state carried between readings and cleared at segment starts.
    /// observe (optional) sees, per reading, the pre-activations of every layer (calibration).
    /// </summary>
    public int[] ClassifyStream(SequenceSet set, Action<int, float[]> observe)
    {
        var classes = new int[set.Count];
        int f = set.Features;
        FloatLayer first = Layers[0];
        int units = first.OutputLength;
        var state = new float[units];
        var hiddenPre = new float[(first as IndirectRecurrentFloat)?.Hidden ?? 0];
        var hidden = new float[hiddenPre.Length];
        var pre = new float[units];
        var acts = new float[Layers.Length][];
        var pres = new float[Layers.Length][];
        for (int l = 0; l < Layers.Length; l++) { acts[l] = new float[Layers[l].OutputLength]; pres[l] = new float[Layers[l].OutputLength]; }
        for (int r = 0; r < set.Count; r++)
        {
            if (set.SegmentStart[r]) Array.Clear(state);
            ReadOnlySpan<float> x = set.Readings.AsSpan(r * f, f);
            if (first is RecurrentFloat rec)
            {
                rec.Step(x, state, pre, acts[0]);
            }
            else
            {
                var ind = (IndirectRecurrentFloat)first;
                ind.Step(x, state, hiddenPre, hidden, pre, acts[0]);
                observe?.Invoke(-1, hiddenPre);
            }
            acts[0].CopyTo(state, 0);
            observe?.Invoke(0, pre);
            for (int l = 1; l < Layers.Length; l++)
            {
                Layers[l].Propagate(acts[l - 1], pres[l], 1);
                observe?.Invoke(l, pres[l]);
                Layers[l].Forward(acts[l - 1], acts[l], 1);
            }
            classes[r] = TensorPrimitives.IndexOfMax(acts[^1]);
        }
        return classes;
    }
}
