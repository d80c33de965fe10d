using System.Numerics.Tensors;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Trainer.Training.Layers;

/// <summary>
/// Fully connected layer in float: pre[o] = sum_i W[o, i] x[i] + b[o] over the whole flattened input.
/// Parameters: W as [units][inputs] row-major (the int8 DenseLayer's layout), then the biases.
/// </summary>
public sealed class DenseFloat : FloatLayer
{
    public DenseFloat(int inputs, int units, Activation activation, int inputSteps = 1)
    {
        if (inputs <= 0 || units <= 0 || inputs % inputSteps != 0) throw new ArgumentException("dense layer needs positive inputs and units");
        InputSteps = inputSteps;
        InputChannels = inputs / inputSteps;
        OutputSteps = 1;
        OutputChannels = units;
        Activation = activation;
        AllocateParameters(units * inputs + units);
        DecayMask.AsSpan(0, units * inputs).Fill(1f);
    }

    public override LayerKind Kind => LayerKind.Dense;

    public int Inputs => InputLength;
    public int Units => OutputChannels;

    public Span<float> Weights => Parameters.AsSpan(0, Units * Inputs);
    public Span<float> Bias => Parameters.AsSpan(Units * Inputs, Units);

    public override (int Offset, int Length)[] WeightGroups
    {
        get
        {
            var groups = new (int, int)[Units];
            for (int o = 0; o < Units; o++) groups[o] = (o * Inputs, Inputs);
            return groups;
        }
    }

    public override void Initialize(Random rng, InitKind init)
    {
        InitWeights(Weights, rng, init, Inputs, Units);
        Bias.Clear();
    }

    public override void Propagate(float[] input, float[] pre, int batch)
    {
        int n = Inputs, units = Units;
        DenseMath.Forward(Parameters.AsSpan(0, units * n), Parameters.AsSpan(units * n, units),
            input.AsSpan(0, batch * n), pre.AsSpan(0, batch * units), n, units, batch);
    }

    public override void BackPropagate(float[] input, float[] preGrad, float[] inputGrad, int batch)
    {
        int n = Inputs, units = Units;
        DenseMath.Backward(Parameters.AsSpan(0, units * n), input.AsSpan(0, batch * n), preGrad.AsSpan(0, batch * units),
            Gradients.AsSpan(0, units * n), Gradients.AsSpan(units * n, units),
            inputGrad == null ? Span<float>.Empty : inputGrad.AsSpan(0, batch * n), n, units, batch);
    }

    public override bool HasFusedDescent => true;

    public override void BackwardDescend(float[] input, float[] output, float[] outputGrad, float[] inputGrad, float step)
    {
        int n = Inputs, units = Units;
        ActivationFunctions.MultiplyByDerivative(Activation, output.AsSpan(0, units), outputGrad.AsSpan(0, units));
        DenseMath.BackwardDescend(Parameters.AsSpan(0, units * n), Parameters.AsSpan(units * n, units), input.AsSpan(0, n),
            outputGrad.AsSpan(0, units), inputGrad == null ? Span<float>.Empty : inputGrad.AsSpan(0, n), n, units, step);
    }

    /// <summary>W'[o, i] = W[o, i] * scale[c], b'[o] = b[o] + sum_i W[o, i] * shift[c], with c = i mod channels.</summary>
    public override bool FoldInputAffine(float[] scale, float[] shift)
    {
        if (scale.Length != InputChannels || shift.Length != InputChannels) throw new ArgumentException("one scale and shift per input channel");
        int n = Inputs, ch = InputChannels;
        for (int o = 0; o < Units; o++)
        {
            double b = Parameters[Units * n + o];
            for (int i = 0; i < n; i++)
            {
                float w = Parameters[o * n + i];
                b += (double)w * shift[i % ch];
                Parameters[o * n + i] = w * scale[i % ch];
            }
            Parameters[Units * n + o] = (float)b;
        }
        return true;
    }

    public override Layer Quantize(QuantParams input, double preMin, double preMax) =>
        Quantize(input, preMin, preMax, EdgeNet.Format.ModelFormat.PrecisionInt8);

    public override bool HasWideKernel => true;

    public override Layer Quantize(QuantParams input, double preMin, double preMax, int precision) =>
        Quantize(input, preMin, preMax, precision, wideWeights: false);

    public override bool HasWideWeights => true;

    public override Layer Quantize(QuantParams input, double preMin, double preMax, int precision, bool wideWeights)
    {
        float[] weights = Weights.ToArray();
        float[] bias = Bias.ToArray();
        DenseLayer layer = QuantizationRule.QuantizeDense(weights, bias, Inputs, Units, Activation, input, preMin, preMax, precision, wideWeights);
        layer.InputSteps = InputSteps;
        layer.InputChannels = InputChannels;
        return layer;
    }
}
