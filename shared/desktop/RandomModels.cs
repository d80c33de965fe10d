using System;
using EdgeNet.Engine;
using EdgeNet.Layers;

namespace EdgeNet.Quantization
{
    /// <summary>
    /// Random but valid quantized models and raw readings, including extreme values, for the device-exact
    /// tests, the fuzzer and the benchmarks. Deterministic for a seed.
    /// </summary>
    public static class RandomModels
    {
        public static Model Dense(Random rng, int features, int[] units, int window = 1)
        {
            var layers = new Layer[units.Length];
            int inputs = features * window;
            for (int l = 0; l < units.Length; l++)
            {
                var layer = new DenseLayer
                {
                    InputSteps = l == 0 ? window : 1, InputChannels = l == 0 ? features : units[l - 1],
                    OutputSteps = 1, OutputChannels = units[l],
                    Weights = new sbyte[units[l] * inputs], Bias = new int[units[l]],
                    Multiplier = new int[units[l]], Shift = new byte[units[l]],
                };
                FillOutputStage(rng, layer);
                for (int i = 0; i < layer.Weights.Length; i++) layer.Weights[i] = ExtremeInt8(rng);
                for (int o = 0; o < units[l]; o++)
                {
                    // Keep |bias| + 128 * sum|w| within int32 so the reader accepts the layer.
                    long room = int.MaxValue - 128L * 127 * inputs;
                    layer.Bias[o] = (int)(rng.NextInt64(-room, room) >> rng.Next(0, 24));
                    layer.Multiplier[o] = rng.Next(4) == 0 ? int.MaxValue - rng.Next(3) : rng.Next(1 << 30, int.MaxValue);
                    layer.Shift[o] = (byte)rng.Next(20, 48);
                }
                layers[l] = layer;
                inputs = units[l];
            }
            return Wrap(rng, features, window, layers);
        }

        /// <summary>Random activation, zero points, clamp and table for a layer's output stage.</summary>
        public static void FillOutputStage(Random rng, Layer layer)
        {
            var act = (Activation)rng.Next(Activations.Count);
            layer.Activation = act;
            layer.RequantZeroPoint = rng.Next(-128, 128);
            layer.OutputScale = (float)(rng.NextDouble() + 0.01);
            if (Activations.UsesTable(act))
            {
                layer.Table = new sbyte[256];
                for (int i = 0; i < 256; i++) layer.Table[i] = (sbyte)rng.Next(-128, 128);
                layer.OutputZeroPoint = rng.Next(-128, 128);
                layer.ClampMin = -128;
                layer.ClampMax = 127;
            }
            else
            {
                layer.Table = null;
                layer.OutputZeroPoint = layer.RequantZeroPoint;
                layer.ClampMin = act == Activation.Relu ? layer.RequantZeroPoint : -128;
                layer.ClampMax = 127;
            }
        }

        /// <summary>Wraps layers into a model with a random input quantizer and generated names.</summary>
        public static Model Wrap(Random rng, int features, int window, Layer[] layers)
        {
            int n = features;
            var q = new InputQuantizer
            {
                Offset = new int[n], Multiplier = new int[n], Shift = new byte[n], RawExponent = new sbyte[n],
                Scale = (float)(rng.NextDouble() + 0.001), ZeroPoint = rng.Next(-128, 128),
            };
            for (int f = 0; f < n; f++)
            {
                q.Offset[f] = rng.Next(int.MinValue, int.MaxValue);
                q.Multiplier[f] = rng.Next(1 << 30, int.MaxValue);
                q.Shift[f] = (byte)rng.Next(20, 62);
                q.RawExponent[f] = (sbyte)rng.Next(-9, 10);
            }
            int classes = Math.Max(2, layers[^1].OutputLength);
            var labels = new string[classes];
            for (int c = 0; c < classes; c++) labels[c] = "class" + c;
            var names = new string[features];
            for (int f = 0; f < features; f++) names[f] = "f" + f;
            return new Model { Name = "random", ClassLabels = labels, FeatureNames = names, WindowLength = window, Input = q, Layers = layers };
        }

        /// <summary>Raw readings biased toward the extremes of int32 and small values.</summary>
        public static int[] Readings(Random rng, int count)
        {
            var raw = new int[count];
            for (int i = 0; i < count; i++)
            {
                raw[i] = rng.Next(8) switch
                {
                    0 => int.MinValue,
                    1 => int.MaxValue,
                    2 => rng.Next(-1000, 1000),
                    _ => rng.Next(int.MinValue, int.MaxValue),
                };
            }
            return raw;
        }

        /// <summary>-32768 or 32767 a third of the time, otherwise any int16.</summary>
        public static short ExtremeInt16(Random rng) => rng.Next(6) switch
        {
            0 => short.MinValue,
            1 => short.MaxValue,
            _ => (short)rng.Next(short.MinValue, short.MaxValue + 1),
        };

        /// <summary>
        /// Gives a dense layer that runs its 16-bit kernel (an int16 input or output) random int16 weights in place
        /// of its int8 ones (the 16x16 kernel), a random int32 bias, and shifts about 15 bits larger so that
        /// outputs are not all saturated. Every int16 weight layer is within the reader's 2^47 bound.
        /// </summary>
        public static void GiveInt16Weights(Random rng, DenseLayer d)
        {
            if (!d.WideKernel) throw new ArgumentException("int16 weights need a layer with an int16 input or output");
            var w = new short[d.OutputChannels * d.InputLength];
            for (int i = 0; i < w.Length; i++) w[i] = ExtremeInt16(rng);
            d.Weights = null;
            d.Weights16 = w;
            for (int o = 0; o < d.OutputChannels; o++)
            {
                d.Bias[o] = rng.Next(int.MinValue, int.MaxValue) >> rng.Next(0, 31);
                d.Shift[o] = (byte)Math.Min(62, rng.Next(40, 56) + (d.InputLength > 64 ? 4 : 0));
            }
            d.Prepare();
        }

        public static sbyte ExtremeInt8(Random rng) => rng.Next(6) switch
        {
            0 => -128,
            1 => 127,
            _ => (sbyte)rng.Next(-128, 128),
        };
    }
}
