// Design of the float (training) layers
// -------------------------------------
// A FloatLayer is one layer of the network being trained. It works on flat float arrays: a batch of
// rows, each row a tensor laid out [steps][channels] exactly as the int8 device layers lay it out
// (EdgeNet.Layers.Layer), so a Conv1D over time or a recurrent layer fits the same shape fields.
// All of a layer's trainable numbers live in one flat Parameters array with a Gradients array of the
// same length; the optimizers, L2, quantization-aware training and the model file only see these
// arrays (plus DecayMask, which marks the weights that L2 applies to, and WeightGroups, the per-neuron
// slices that get one int8 scale each). A layer computes its pre-activation ("propagation") and the
// base class applies the activation, which is an EdgeNet.Layers.Activation so training and the device
// share one list. Layers whose activation sits inside the computation (recurrent cells) override
// Forward and Backward as a whole. Backward gets dL/d(output) and the output it produced, accumulates
// dL/d(parameters) into Gradients and writes dL/d(input) when asked. Buffers are owned by the caller
// (the trainer allocates them once per batch size), so no step allocates. A new layer type adds a class
// here, a case in LayerFactory (model file) and its Quantize (the int8 layer, via QuantizationRule).
using System.Numerics.Tensors;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Trainer.Training.Layers;

public abstract class FloatLayer
{
    public int InputSteps = 1;
    public int InputChannels;
    public int OutputSteps = 1;
    public int OutputChannels;

    public int InputLength => InputSteps * InputChannels;
    public int OutputLength => OutputSteps * OutputChannels;

    public Activation Activation;

    /// <summary>Every trainable number of the layer, flat; <see cref="Gradients"/> has the same layout.</summary>
    public float[] Parameters;
    public float[] Gradients;

    /// <summary>1 where L2 applies (weights), 0 where it does not (biases); same layout as Parameters.</summary>
    public float[] DecayMask;

    /// <summary>The layer kind, the shared code the int8 layer and the .enet record carry.</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>The kind's name in the float model file and in messages: "dense", "conv1d", "recurrent"...</summary>
    public string KindName => LayerFactory.Name(Kind);

    /// <summary>Kind and, for recurrent layers, feedback: "dense 16", "recurrent lateral 16" (messages, tables).</summary>
    public virtual string Describe() => $"{KindName} {OutputLength}";

    /// <summary>
    /// Slices of Parameters that are quantized together with one symmetric int8 scale (a neuron's weights).
    /// Parameters outside every group (biases) stay at full precision (int32 on the device).
    /// </summary>
    public abstract (int Offset, int Length)[] WeightGroups { get; }

    /// <summary>Draws the initial parameters (deterministic for the generator's state).</summary>
    public abstract void Initialize(Random rng, InitKind init);

    /// <summary>pre[b] = propagation(input[b]) for each of the batch rows (before the activation).</summary>
    public abstract void Propagate(float[] input, float[] pre, int batch);

    /// <summary>
    /// Given dL/d(pre) for the batch, adds dL/d(parameters) into Gradients and, when inputGrad is not null,
    /// writes dL/d(input) (overwriting it).
    /// </summary>
    public abstract void BackPropagate(float[] input, float[] preGrad, float[] inputGrad, int batch);

    /// <summary>The int8 device layer for this layer, by the shared quantization rule.</summary>
    public abstract Layer Quantize(QuantParams input, double preMin, double preMax);

    /// <summary>True for kinds with a 16x8 device kernel (dense, conv1d, pooling); recurrent layers stay int8.</summary>
    public virtual bool HasWideKernel => false;

    /// <summary>
    /// The device layer with its output tensor at a precision (ModelFormat.PrecisionInt8 or PrecisionInt16) for an
    /// input of either width (docs/quantization.md, "16-bit activations"). Kinds without a 16-bit kernel take int8 only.
    /// </summary>
    public virtual Layer Quantize(QuantParams input, double preMin, double preMax, int precision)
    {
        if (precision != EdgeNet.Format.ModelFormat.PrecisionInt8 || input.Wide)
            throw new ArgumentException($"{KindName} layers have no 16-bit kernel");
        return Quantize(input, preMin, preMax);
    }

    /// <summary>True for kinds with 16-bit weights (the int16x16 kernel: 16-bit activations and weights): dense only.</summary>
    public virtual bool HasWideWeights => false;

    /// <summary>
    /// As <see cref="Quantize(QuantParams, double, double, int)"/>, with int16 weights when wideWeights
    /// (<see cref="QuantizationRule.WeightScale16"/>; only kinds with <see cref="HasWideWeights"/>, on their 16-bit kernel).
    /// </summary>
    public virtual Layer Quantize(QuantParams input, double preMin, double preMax, int precision, bool wideWeights)
    {
        if (wideWeights) throw new ArgumentException($"{KindName} layers have no 16-bit weights");
        return Quantize(input, preMin, preMax, precision);
    }

    /// <summary>output = activation(propagation(input)) for a batch of rows.</summary>
    public virtual void Forward(float[] input, float[] output, int batch)
    {
        Propagate(input, output, batch);
        ActivationFunctions.Apply(Activation, output.AsSpan(0, batch * OutputLength));
    }

    /// <summary>
    /// Backward pass: outputGrad is dL/d(output) and is overwritten with dL/d(pre); gradients accumulate.
    /// </summary>
    public virtual void Backward(float[] input, float[] output, float[] outputGrad, float[] inputGrad, int batch)
    {
        int n = batch * OutputLength;
        ActivationFunctions.MultiplyByDerivative(Activation, output.AsSpan(0, n), outputGrad.AsSpan(0, n));
        BackPropagate(input, outputGrad, inputGrad, batch);
    }

    /// <summary>
    /// Incremental training's fused step (one row, plain gradient descent, no L2): the backward pass of
    /// <see cref="Backward"/> for a batch of 1 that, instead of accumulating into Gradients, adds gradient * step
    /// to the parameters at once (step = -learning rate), after writing dL/d(input) from the weights before the
    /// step. Bit for bit Backward + the optimizer's update; Gradients stay zero. Only where <see cref="HasFusedDescent"/>;
    /// otherwise the trainer takes the general path.
    /// </summary>
    public virtual void BackwardDescend(float[] input, float[] output, float[] outputGrad, float[] inputGrad, float step) =>
        throw new NotSupportedException($"{KindName} has no fused backward-and-step");

    /// <summary>True when the layer implements <see cref="BackwardDescend"/>.</summary>
    public virtual bool HasFusedDescent => false;

    public void ZeroGradients() => Array.Clear(Gradients);

    /// <summary>
    /// Rewrites the layer to give the same outputs when each input channel c arrives as u_c with
    /// x_c = scale[c] * u_c + shift[c]. Quantization uses it to give every input feature its own int8
    /// range. Returns false (and changes nothing) when the layer cannot absorb it exactly.
    /// </summary>
    public virtual bool FoldInputAffine(float[] scale, float[] shift) => false;

    /// <summary>A copy with its own Parameters, Gradients and DecayMask (configuration is shared).</summary>
    public virtual FloatLayer Clone()
    {
        var c = (FloatLayer)MemberwiseClone();
        c.Parameters = (float[])Parameters.Clone();
        c.Gradients = (float[])Gradients.Clone();
        c.DecayMask = (float[])DecayMask.Clone();
        return c;
    }

    /// <summary>Allocates Parameters, Gradients and DecayMask for this many numbers.</summary>
    protected void AllocateParameters(int count)
    {
        Parameters = new float[count];
        Gradients = new float[count];
        DecayMask = new float[count];
    }

    /// <summary>Fills a weight slice with the chosen initialization for the given fan-in and fan-out.</summary>
    protected static void InitWeights(Span<float> w, Random rng, InitKind init, int fanIn, int fanOut)
    {
        switch (init)
        {
            case InitKind.Uniform:
                {
                    // Small uniform weights, the classic choice: U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
                    float a = 1f / MathF.Sqrt(fanIn);
                    for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 2 - 1) * a;
                    break;
                }
            case InitKind.Xavier:
                {
                    float a = MathF.Sqrt(6f / (fanIn + fanOut));
                    for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 2 - 1) * a;
                    break;
                }
            case InitKind.He:
                {
                    float a = MathF.Sqrt(6f / fanIn);
                    for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 2 - 1) * a;
                    break;
                }
            default: throw new ArgumentException($"unknown initialization {init}");
        }
    }
}
