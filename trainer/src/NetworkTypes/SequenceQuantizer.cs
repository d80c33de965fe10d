using EdgeNet.Engine;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.NetworkTypes;

/// <summary>
/// Post-training quantization of a <see cref="SequenceNetwork"/> with the shared rule: every tensor's range
/// is calibrated on training samples (window models: the windows through the layers; streaming models: the
/// training stream reading by reading, so recurrent pre-activations are seen with their real states), then
/// each float layer builds its int8 layer (per-channel weight scales). A window model's device input is the
/// window (WindowLength = N); a streaming model's is one reading and its recurrent layer keeps the state.
/// </summary>
public static class SequenceQuantizer
{
    public static Model Quantize(SequenceNetwork net, SequenceSet calibration)
    {
        FloatLayer[] layers = net.Layers;
        var min = new double[layers.Length + 1];
        var max = new double[layers.Length + 1];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        double hiddenMin = double.PositiveInfinity, hiddenMax = double.NegativeInfinity;
        void Add(int t, ReadOnlySpan<float> v)
        {
            foreach (float x in v) { min[t] = Math.Min(min[t], x); max[t] = Math.Max(max[t], x); }
        }

        Add(0, calibration.Readings);
        if (net.Streaming)
        {
            net.ClassifyStream(calibration, (l, pre) =>
            {
                if (l < 0) { foreach (float x in pre) { hiddenMin = Math.Min(hiddenMin, x); hiddenMax = Math.Max(hiddenMax, x); } }
                else Add(l + 1, pre);
            });
        }
        else
        {
            const int chunk = 256;
            var acts = new float[layers.Length + 1][];
            acts[0] = new float[chunk * calibration.SampleLength];
            for (int l = 0; l < layers.Length; l++) acts[l + 1] = new float[chunk * layers[l].OutputLength];
            var pre = new float[acts.Max(a => a.Length)];
            for (int start = 0; start < calibration.Count; start += chunk)
            {
                int batch = Math.Min(chunk, calibration.Count - start);
                Array.Copy(calibration.X, start * calibration.SampleLength, acts[0], 0, batch * calibration.SampleLength);
                for (int l = 0; l < layers.Length; l++)
                {
                    layers[l].Propagate(acts[l], pre, batch);
                    Add(l + 1, pre.AsSpan(0, batch * layers[l].OutputLength));
                    layers[l].Forward(acts[l], acts[l + 1], batch);
                }
            }
        }

        QuantParams input = QuantizationRule.ForRange(min[0], max[0]);
        var device = new Layer[layers.Length];
        QuantParams current = input;
        for (int l = 0; l < layers.Length; l++)
        {
            if (layers[l] is IndirectRecurrentFloat ind) { ind.HiddenPreMin = hiddenMin; ind.HiddenPreMax = hiddenMax; }
            Layer d = layers[l].Quantize(current, min[l + 1], max[l + 1]);
            d.InputZeroPoint = current.ZeroPoint;
            device[l] = d;
            current = layers[l] is Pool1DFloat ? current : new QuantParams(d.OutputScale, d.OutputZeroPoint);
        }
        // The device chain: a streaming model's first layer takes one reading; later layers follow its shape.
        if (net.Streaming) { device[0].InputSteps = 1; device[0].InputChannels = calibration.Features; }

        var maxAbs = new double[calibration.Features];
        var mean = net.Normalization.Mean;
        for (int j = 0; j < maxAbs.Length; j++) maxAbs[j] = net.Normalization.MaxAbs?[j] ?? Math.Abs(mean[j]);
        return new Model
        {
            Name = net.Name, ClassLabels = net.ClassLabels, FeatureNames = net.FeatureNames,
            WindowLength = net.Streaming ? 1 : net.Window,
            Input = QuantizationRule.QuantizeInput(net.Normalization.Mean, net.Normalization.Std, maxAbs, input),
            Layers = device,
        };
    }

    /// <summary>The class the int8 model predicts for each row of the raw stream (engine reset at segment starts).</summary>
    public static int[] ClassifyOnDevice(Model model, float[][] rawRows, bool[] segmentStart)
    {
        var engine = new InferenceEngine(model);
        var classes = new int[rawRows.Length];
        for (int r = 0; r < rawRows.Length; r++)
        {
            if (segmentStart[r]) engine.Reset();
            engine.PushReading(QuantizationRule.ToRaw(rawRows[r], model.Input));
            classes[r] = engine.Invoke();
        }
        return classes;
    }
}
