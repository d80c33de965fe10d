using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Tests.SixteenBit;

/// <summary>
/// Random models whose layers mix int8 and 16-bit activations (every combination of input and output width,
/// table activations on int8 outputs, fan-ins that need int64 sums), within what the reader accepts.
/// </summary>
public static class MixedModels
{
    public static int Pick(Random rng) => rng.Next(2) == 0 ? ModelFormat.PrecisionInt8 : ModelFormat.PrecisionInt16;

    /// <summary>
    /// A recurrent layer of each feedback kind (family 3: direct, lateral or complete; family 4: an indirect block)
    /// first, then a dense layer; random precisions (a 16-bit indirect block has all its tensors 16-bit).
    /// </summary>
    public static Model CreateRecurrent(Random rng, int family)
    {
        int features = rng.Next(1, 6), precision = Pick(rng), zp = precision == 1 ? 0 : rng.Next(-128, 128);
        Layer first;
        if (family == 3)
        {
            var feedback = (Feedback)rng.Next(1, 4);
            RecurrentLayer r = RandomLayers.Recurrent(rng, feedback, 1, features, zp, rng.Next(1, 7));
            if (precision == 1) Widen(rng, r);
            r.Precision = r.InputPrecision = precision;
            r.Prepare();
            first = r;
        }
        else
        {
            IndirectRecurrentLayer b = RandomLayers.Indirect(rng, 1, features, zp, rng.Next(1, 7), rng.Next(1, 5));
            if (precision == 1)
            {
                Widen(rng, b);
                Widen(rng, b.Hidden);
                b.Hidden.FeedbackZeroPoint = 0;
            }
            b.Precision = b.InputPrecision = b.Hidden.Precision = precision;
            b.Prepare();
            first = b;
        }
        int p = Pick(rng);
        DenseLayer d = Dense(rng, first.OutputLength, rng.Next(1, 5), first.OutputZeroPoint, precision, p);
        Model m = RandomModels.Wrap(rng, features, 1, [first, d]);
        m.Input.ZeroPoint = zp;
        for (int f = 0; f < features; f++) m.Input.Shift[f] = (byte)rng.Next(16, 40);
        return m;
    }

    /// <summary>A 16-bit output stage on a layer built with an int8 one: identity or ReLU, zero point 0, int16 clamp.</summary>
    private static void Widen(Random rng, Layer layer)
    {
        layer.Activation = rng.Next(2) == 0 ? Activation.Identity : Activation.Relu;
        layer.RequantZeroPoint = layer.OutputZeroPoint = 0;
        layer.Table = null;
        layer.ClampMin = layer.Activation == Activation.Relu ? 0 : -32768;
        layer.ClampMax = 32767;
    }

    /// <summary>dense stack (family 0), conv1d -> pool -> dense (family 1), or pool first (family 2).</summary>
    public static Model Create(Random rng, int family, bool largeFanIn = false)
    {
        int features = largeFanIn ? rng.Next(40, 60) : rng.Next(1, 6);
        int window = family == 0 && !largeFanIn ? 1 : (largeFanIn ? 24 : rng.Next(2, 8));
        var layers = new List<Layer>();
        int steps = window, channels = features, precision = largeFanIn ? ModelFormat.PrecisionInt16 : Pick(rng), zp = precision == 1 ? 0 : rng.Next(-128, 128);
        int inputZeroPoint = zp;
        int count = rng.Next(2, 4);
        for (int l = 0; l < count; l++)
        {
            bool last = l == count - 1;
            Layer layer;
            int p = l == 0 && family != 2 ? precision : Pick(rng);
            if (family == 2 && l == 0)
            {
                layer = Pool(rng, steps, channels, zp, precision);
            }
            else if (family == 1 && l == 0)
            {
                layer = Conv(rng, steps, channels, zp, precision, p);
            }
            else if (family == 1 && l == 1 && steps > 1)
            {
                layer = Pool(rng, steps, channels, zp, precision);
            }
            else
            {
                layer = Dense(rng, steps * channels, last ? rng.Next(1, 5) : rng.Next(1, 9), zp, precision, p);
                layer.InputSteps = steps;
                layer.InputChannels = channels;
            }
            layers.Add(layer);
            steps = layer.OutputSteps;
            channels = layer.OutputChannels;
            zp = layer.OutputZeroPoint;
            precision = layer.Precision;
        }
        Model m = RandomModels.Wrap(rng, features, window, layers.ToArray());
        m.Input.ZeroPoint = inputZeroPoint;
        // Aim the input multipliers so readings land inside the tensor's range often (shift 20..40 of random raw).
        for (int f = 0; f < features; f++) m.Input.Shift[f] = (byte)rng.Next(16, 40);
        return m;
    }

    private static void Stage(Random rng, Layer layer, int inputPrecision, int precision)
    {
        layer.InputPrecision = inputPrecision;
        layer.Precision = precision;
        layer.OutputScale = (float)(rng.NextDouble() + 0.01);
        if (precision == ModelFormat.PrecisionInt16)
        {
            layer.Activation = rng.Next(2) == 0 ? Activation.Identity : Activation.Relu;
            layer.RequantZeroPoint = 0;
            layer.OutputZeroPoint = 0;
            layer.Table = null;
            layer.ClampMin = layer.Activation == Activation.Relu ? 0 : -32768;
            layer.ClampMax = 32767;
            if (rng.Next(4) == 0) (layer.ClampMin, layer.ClampMax) = (rng.Next(-32768, 0), rng.Next(0, 32768));
        }
        else
        {
            RandomModels.FillOutputStage(rng, layer);
        }
    }

    private static DenseLayer Dense(Random rng, int inputs, int units, int zIn, int inputPrecision, int precision)
    {
        var d = new DenseLayer
        {
            InputSteps = 1, InputChannels = inputs, InputZeroPoint = zIn, OutputSteps = 1, OutputChannels = units,
            Weights = new sbyte[units * inputs], Bias = new int[units], Multiplier = new int[units], Shift = new byte[units],
        };
        Stage(rng, d, inputPrecision, precision);
        for (int i = 0; i < d.Weights.Length; i++) d.Weights[i] = RandomModels.ExtremeInt8(rng);
        bool wide = d.WideKernel;
        for (int o = 0; o < units; o++)
        {
            long room = wide ? int.MaxValue : int.MaxValue - 128L * 127 * inputs;
            d.Bias[o] = room > 0 ? (int)(rng.NextInt64(-room, room) >> rng.Next(0, 28)) : 0;
            d.Multiplier[o] = rng.Next(1 << 30, int.MaxValue);
            d.Shift[o] = (byte)rng.Next(wide ? 26 : 20, wide ? 46 : 40);
        }
        return d;
    }

    private static Conv1DLayer Conv(Random rng, int steps, int channels, int zIn, int inputPrecision, int precision)
    {
        int kernel = rng.Next(1, Math.Min(steps, 5) + 1);
        int padding = rng.Next(0, kernel);
        int stride = rng.Next(1, 3);
        int filters = rng.Next(1, 6);
        var c = new Conv1DLayer
        {
            InputSteps = steps, InputChannels = channels, InputZeroPoint = zIn,
            OutputSteps = EdgeNet.Kernels.Conv1D.OutputSteps(steps, kernel, stride, padding), OutputChannels = filters,
            KernelSize = kernel, Stride = stride, Padding = padding,
            Weights = new sbyte[filters * kernel * channels], Bias = new int[filters], Multiplier = new int[filters], Shift = new byte[filters],
        };
        Stage(rng, c, inputPrecision, precision);
        for (int i = 0; i < c.Weights.Length; i++) c.Weights[i] = RandomModels.ExtremeInt8(rng);
        for (int f = 0; f < filters; f++)
        {
            long room = c.WideKernel ? int.MaxValue / 2 : int.MaxValue - 255L * 127 * kernel * channels;
            c.Bias[f] = room > 0 ? (int)(rng.NextInt64(-room, room) >> rng.Next(0, 28)) : 0;
            c.Multiplier[f] = rng.Next(1 << 30, int.MaxValue);
            c.Shift[f] = (byte)rng.Next(c.WideKernel ? 26 : 20, c.WideKernel ? 46 : 40);
        }
        c.Prepare();
        return c;
    }

    private static Pool1DLayer Pool(Random rng, int steps, int channels, int zIn, int precision)
    {
        Pool1DLayer p = rng.Next(2) == 0 ? new MaxPool1DLayer() : new AvgPool1DLayer();
        p.PoolSize = rng.Next(1, Math.Min(steps, 4) + 1);
        p.Stride = rng.Next(1, 3);
        p.InputSteps = steps;
        p.InputChannels = channels;
        p.InputZeroPoint = zIn;
        p.OutputSteps = Pool1DLayer.OutputStepsOf(steps, p.PoolSize, p.Stride);
        p.OutputChannels = channels;
        p.Activation = Activation.Identity;
        p.Precision = p.InputPrecision = precision;
        p.RequantZeroPoint = p.OutputZeroPoint = zIn;
        p.ClampMin = ModelFormat.TensorMin(precision);
        p.ClampMax = ModelFormat.TensorMax(precision);
        p.OutputScale = 0.5f;
        return p;
    }
}
