using EdgeNet.Layers;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;
using EdgeNet.Trainer.Training.Layers;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>The TensorFlow Lite converter's full-integer post-training schemes the reference reimplements.</summary>
public enum TfliteScheme
{
    /// <summary>int8 activations (asymmetric, per tensor), int8 weights (symmetric, per output channel), int32 bias.</summary>
    Int8,
    /// <summary>The 16x8 mode: int16 activations (symmetric, zero point 0), int8 weights per output channel, int64 bias.</summary>
    Int16x8,
}

/// <summary>A quantized tensor as TFLite stores it: a float32 scale and a zero point (real = scale * (q - zeroPoint)).</summary>
public readonly record struct TfliteTensor(float Scale, int ZeroPoint, int Min, int Max)
{
    /// <summary>
    /// The QUANTIZE op of the reference kernels (AffineQuantize): round(x / scale) in float, halves away from
    /// zero, plus the zero point, clamped to the type. A tensor of scale 0 (every calibration value exactly 0)
    /// maps everything to its zero point.
    /// </summary>
    public int Quantize(float x)
    {
        if (Scale == 0) return ZeroPoint;
        long q = TfliteArithmetic.SafeCastInt32(TfliteArithmetic.Round(x / Scale)) + ZeroPoint;
        return (int)Math.Clamp(q, Min, Max);
    }
}

/// <summary>One FULLY_CONNECTED operator of the converted model, with its fused activation (none or ReLU).</summary>
public sealed class TfliteFullyConnected
{
    public int Inputs, Units;
    /// <summary>[units][inputs], each in [-127, 127].</summary>
    public sbyte[] Weights;
    /// <summary>Per output channel (float32, as stored in the flatbuffer).</summary>
    public float[] WeightScales;
    /// <summary>int32 values (int8 scheme) or int64 (16x8), at scale inputScale * weightScale[c].</summary>
    public long[] Bias;
    public int[] Multiplier, Shift;
    public TfliteTensor Input, Output;
    /// <summary>The fused activation's clamp (CalculateActivationRangeQuantized): ReLU starts at the output zero point.</summary>
    public int ActivationMin, ActivationMax;
    public bool Wide;

    /// <summary>The reference kernel: int32 sums of (x - zIn) * w (int8) or int64 sums of x * w (16x8), bias, requantize, zero point, clamp.</summary>
    public void Invoke(int[] input, int[] output)
    {
        for (int o = 0; o < Units; o++)
        {
            int row = o * Inputs, value;
            if (Wide)
            {
                long acc = 0;
                for (int i = 0; i < Inputs; i++) acc += (long)input[i] * Weights[row + i];
                acc += Bias[o];
                value = TfliteArithmetic.MultiplyByQuantizedMultiplier(acc, Multiplier[o], Shift[o]);
            }
            else
            {
                int acc = 0;
                int inputOffset = -Input.ZeroPoint;
                // int32 arithmetic as in the C++ kernel (the converter's ranges keep it from wrapping in practice).
                for (int i = 0; i < Inputs; i++) acc = unchecked(acc + (input[i] + inputOffset) * Weights[row + i]);
                acc = unchecked(acc + (int)Bias[o]);
                value = TfliteArithmetic.MultiplyByQuantizedMultiplier(acc, Multiplier[o], Shift[o]);
            }
            long withZero = (long)value + Output.ZeroPoint;
            output[o] = (int)Math.Clamp(withZero, ActivationMin, ActivationMax);
        }
    }
}

/// <summary>A float network converted by <see cref="TfliteReference.Convert"/>: the input tensor and the operators.</summary>
public sealed class TfliteModel
{
    public TfliteScheme Scheme;
    public TfliteTensor Input;
    public TfliteFullyConnected[] Layers;
    /// <summary>The training rows the ranges came from (indices into the rows given to Convert, ascending).</summary>
    public int[] RepresentativeRows;

    /// <summary>The output tensor's integers for one normalized row (the features the float network's first layer sees).</summary>
    public int[] Run(ReadOnlySpan<float> normalized)
    {
        var x = new int[normalized.Length];
        for (int i = 0; i < x.Length; i++) x[i] = Input.Quantize(normalized[i]);
        foreach (TfliteFullyConnected layer in Layers)
        {
            var y = new int[layer.Units];
            layer.Invoke(x, y);
            x = y;
        }
        return x;
    }

    /// <summary>The class of every raw row: normalized in float as the float network does, then the integer model; first maximum on ties.</summary>
    public int[] Classify(Network net, Dataset rows)
    {
        var classes = new int[rows.Count];
        var normalized = new float[net.InputLength];
        IFeatureRows features = rows.Features;
        for (int r = 0; r < rows.Count; r++)
        {
            net.Normalization.Apply(features.Row(r), normalized);
            int[] y = Run(normalized);
            int best = 0;
            for (int i = 1; i < y.Length; i++)
                if (y[i] > y[best]) best = i;
            classes[r] = best;
        }
        return classes;
    }
}

/// <summary>
/// A reimplementation of the TensorFlow Lite converter's full-integer post-training quantization (not the
/// converter itself; TensorFlow is not installed here), applied to a trained EdgeNet float network, as a
/// same-run reference for the accuracy benchmark. What it follows (read, not copied):
/// <list type="bullet">
/// <item>Representative dataset: up to <see cref="MaxRepresentativeRows"/> training rows, a seeded random sample
/// without replacement (<see cref="RepresentativeRows"/>); the TFLite guide asks for "a small subset (around
/// ~100-500 samples) of the training or validation data" (tensorflow.org/lite/performance/post_training_quantization),
/// issue #13 fixed 1,000.</item>
/// <item>Calibration: the default calibrator's running min and max of every float tensor over those rows
/// (tensorflow/lite/tools/optimize/calibration/calibration_logger.cc, MinMax::Update), run in float32; a fused
/// ReLU's output tensor is the value after the ReLU.</item>
/// <item>Activations (tools/optimize/quantization_utils.cc, GetQuantizationParams): int8 asymmetric over the range
/// widened to contain 0, scale (max - min) / 255 and zero point round(-128 - min / scale) clamped, in float32
/// (GetAsymmetricQuantizationParams); int16 symmetric, scale max(|min|, |max|) / 32767, zero point 0
/// (GetSymmetricQuantizationParams; post_training_integer_quant_16x8).</item>
/// <item>Weights (SymmetricPerChannelQuantization): per output channel, scale max|w| / 127, values
/// round(w * 127 / max|w|) clamped to [-127, 127]. Issue #13's figures were per channel; older converters
/// quantized FULLY_CONNECTED weights per tensor (tools/optimize/operator_property.cc), which this does not model.</item>
/// <item>Bias (SymmetricBiasQuantize): round(b / (inputScale * weightScale[c])) saturated to ±(2^31 - 1), int64
/// in 16x8. The converter's AdjustWeightsForBiasScale (widening a weight scale when the bias would not fit) is
/// not modelled: it needs |b| at least 2^30 bias units, which the benchmark networks are far from.</item>
/// <item>Kernels: the reference FULLY_CONNECTED kernels with TFLite's requantization (<see cref="TfliteArithmetic"/>):
/// multiplier QuantizeMultiplier(inputScale * weightScale[c] / outputScale) in double from the float32 scales;
/// the integer arithmetic is done exactly, not simulated in floating point.</item>
/// <item>The model: the normalized features are the model input (EdgeNet's normalization is outside the model in
/// TFLite terms), quantized with the input tensor's calibrated range, one range for every feature; the output is
/// the last layer's tensor (logits, no softmax); the class is the index of the largest integer (first on ties).</item>
/// </list>
/// Layer kinds: dense layers with identity or ReLU (the accuracy benchmark's default MLP); anything else is
/// reported as not supported (<see cref="Unsupported"/>) and skipped.
/// </summary>
public static class TfliteReference
{
    /// <summary>Issue #13's representative-dataset size.</summary>
    public const int MaxRepresentativeRows = 1000;

    /// <summary>Null when the network can be converted; else why not.</summary>
    public static string Unsupported(Network net)
    {
        if (net.Streaming || net.Window != 1) return "only models of one reading (an MLP) are converted";
        foreach (FloatLayer l in net.Layers)
        {
            if (l is not DenseFloat) return $"layer kind {l.KindName} is not supported by the reference (dense only)";
            if (l.Activation != Activation.Identity && l.Activation != Activation.Relu) return $"activation {Activations.Name(l.Activation)} is not supported by the reference (identity and ReLU only)";
        }
        return null;
    }

    /// <summary>
    /// The representative rows: all of them when there are at most <paramref name="max"/>, else a uniform sample of
    /// <paramref name="max"/> without replacement, drawn by a partial Fisher-Yates shuffle with System.Random(seed);
    /// returned ascending.
    /// </summary>
    public static int[] RepresentativeRows(int count, int seed, int max = MaxRepresentativeRows)
    {
        var all = new int[count];
        for (int i = 0; i < count; i++) all[i] = i;
        if (count <= max) return all;
        var rng = new Random(seed);
        for (int i = 0; i < max; i++)
        {
            int j = i + rng.Next(count - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        int[] chosen = all[..max];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>int8 activation parameters of a calibrated range (GetAsymmetricQuantizationParams, float32 arithmetic).</summary>
    public static TfliteTensor Asymmetric8(float min, float max)
    {
        const float qmin = -128f, qmax = 127f;
        min = MathF.Min(min, 0f);
        max = MathF.Max(max, 0f);
        float scale = (max - min) / (qmax - qmin);
        float zeroFromMin = scale != 0 ? qmin - min / scale : qmin;
        int zero = zeroFromMin < qmin ? -128 : zeroFromMin > qmax ? 127 : (int)TfliteArithmetic.Round(zeroFromMin);
        return new TfliteTensor(scale, zero, -128, 127);
    }

    /// <summary>int16 activation parameters of a calibrated range (GetSymmetricQuantizationParams): zero point 0.</summary>
    public static TfliteTensor Symmetric16(float min, float max)
    {
        min = MathF.Min(min, 0f);
        max = MathF.Max(max, 0f);
        return new TfliteTensor(MathF.Max(MathF.Abs(max), MathF.Abs(min)) / 32767f, 0, -32768, 32767);
    }

    /// <summary>One output channel's int8 weights and scale (SymmetricPerChannelQuantization).</summary>
    public static float QuantizeChannel(ReadOnlySpan<float> w, Span<sbyte> q)
    {
        float lo = w[0], hi = w[0];
        foreach (float v in w)
        {
            lo = MathF.Min(lo, v);
            hi = MathF.Max(hi, v);
        }
        float halfRange = MathF.Max(MathF.Abs(lo), MathF.Abs(hi));
        float inverse = halfRange == 0 ? 0 : 127f / halfRange;
        for (int i = 0; i < w.Length; i++)
            q[i] = (sbyte)Math.Clamp(TfliteArithmetic.SafeCastInt32(TfliteArithmetic.Round(w[i] * inverse)), -127, 127);
        return halfRange / 127f;
    }

    /// <summary>A bias at its scale (SymmetricBiasQuantize): the inverse scale in double stored as float, the product in float.</summary>
    public static long QuantizeBias(float bias, float scale, bool wide)
    {
        float inverse = scale == 0 ? 0 : (float)(1.0 / scale);
        float rounded = TfliteArithmetic.Round(bias * inverse);
        long limit = wide ? long.MaxValue : int.MaxValue;
        long q = wide ? TfliteArithmetic.SafeCastInt64(rounded) : TfliteArithmetic.SafeCastInt32(rounded);
        return Math.Clamp(q, -limit, limit);
    }

    /// <summary>
    /// Converts <paramref name="net"/> with ranges from a sample of <paramref name="rows"/> (its training rows,
    /// raw). Throws ArgumentException when <see cref="Unsupported"/> says why not.
    /// </summary>
    public static TfliteModel Convert(Network net, Dataset rows, TfliteScheme scheme, int seed)
    {
        if (Unsupported(net) is string why) throw new ArgumentException(why);
        int[] sample = RepresentativeRows(rows.Count, seed);
        int layers = net.Layers.Length;
        if (sample.Length == 0) throw new ArgumentException("no representative rows");
        // MinMax starts at (float.MaxValue, float's smallest normal) as the calibrator's does; 0 joins every range anyway.
        var min = new float[layers + 1];
        var max = new float[layers + 1];
        Array.Fill(min, float.MaxValue);
        Array.Fill(max, 1.17549435E-38f);
        var x = new float[net.InputLength];
        IFeatureRows features = rows.Features;
        foreach (int r in sample)
        {
            net.Normalization.Apply(features.Row(r), x);
            float[] a = x;
            Observe(a, 0);
            for (int l = 0; l < layers; l++)
            {
                var y = new float[net.Layers[l].OutputLength];
                net.Layers[l].Forward(a, y, 1);
                Observe(y, l + 1);
                a = y;
            }
        }

        bool wide = scheme == TfliteScheme.Int16x8;
        TfliteTensor Tensor(int t) => wide ? Symmetric16(min[t], max[t]) : Asymmetric8(min[t], max[t]);
        var model = new TfliteModel { Scheme = scheme, Input = Tensor(0), Layers = new TfliteFullyConnected[layers], RepresentativeRows = sample };
        for (int l = 0; l < layers; l++)
        {
            var dense = (DenseFloat)net.Layers[l];
            var op = new TfliteFullyConnected
            {
                Inputs = dense.Inputs, Units = dense.Units, Wide = wide,
                Input = l == 0 ? model.Input : model.Layers[l - 1].Output, Output = Tensor(l + 1),
                Weights = new sbyte[dense.Units * dense.Inputs], WeightScales = new float[dense.Units],
                Bias = new long[dense.Units], Multiplier = new int[dense.Units], Shift = new int[dense.Units],
            };
            ReadOnlySpan<float> w = dense.Weights, b = dense.Bias;
            for (int o = 0; o < dense.Units; o++)
            {
                op.WeightScales[o] = QuantizeChannel(w.Slice(o * dense.Inputs, dense.Inputs), op.Weights.AsSpan(o * dense.Inputs, dense.Inputs));
                op.Bias[o] = QuantizeBias(b[o], op.Input.Scale * op.WeightScales[o], wide);
                // A degenerate output tensor (scale 0) gets multiplier 0: every output is its zero point.
                double effective = op.Output.Scale == 0 ? 0 : (double)op.Input.Scale * op.WeightScales[o] / op.Output.Scale;
                (op.Multiplier[o], op.Shift[o]) = TfliteArithmetic.QuantizeMultiplier(effective);
            }
            op.ActivationMin = dense.Activation == Activation.Relu ? Math.Max(op.Output.Min, op.Output.ZeroPoint) : op.Output.Min;
            op.ActivationMax = op.Output.Max;
            model.Layers[l] = op;
        }
        return model;

        void Observe(float[] values, int t)
        {
            foreach (float v in values)
            {
                if (float.IsNaN(v)) continue;
                min[t] = MathF.Min(min[t], v);
                max[t] = MathF.Max(max[t], v);
            }
        }
    }
}
