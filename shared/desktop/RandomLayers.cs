using System;
using System.Collections.Generic;
using EdgeNet.Engine;
using EdgeNet.Layers;

namespace EdgeNet.Quantization
{
    /// <summary>
    /// Random but valid conv1d, pooling and recurrent layers and models mixing them with dense layers, for
    /// the device-exact tests of every network type. Weights lean to the int8 extremes, biases and
    /// multipliers to the largest values the reader accepts. Deterministic for a seed.
    /// </summary>
    public static class RandomLayers
    {
        public static Conv1DLayer Conv1D(Random rng, int steps, int channels, int inputZeroPoint)
        {
            int kernel = rng.Next(1, Math.Min(steps, 5) + 1);
            int padding = rng.Next(3) == 0 ? 0 : rng.Next(0, kernel);
            int stride = rng.Next(3) == 0 ? rng.Next(2, 4) : 1;
            int filters = rng.Next(1, 9);
            int row = kernel * channels;
            var layer = new Conv1DLayer
            {
                InputSteps = steps, InputChannels = channels, InputZeroPoint = inputZeroPoint,
                OutputSteps = EdgeNet.Kernels.Conv1D.OutputSteps(steps, kernel, stride, padding), OutputChannels = filters,
                KernelSize = kernel, Stride = stride, Padding = padding,
                Weights = Int8s(rng, filters * row), Bias = new int[filters], Multiplier = new int[filters], Shift = new byte[filters],
            };
            RandomModels.FillOutputStage(rng, layer);
            for (int f = 0; f < filters; f++)
            {
                layer.Bias[f] = Bias(rng, row);
                (layer.Multiplier[f], layer.Shift[f]) = Requantization(rng);
            }
            layer.Prepare();
            return layer;
        }

        public static Pool1DLayer Pool(Random rng, bool max, int steps, int channels, int inputZeroPoint)
        {
            Pool1DLayer layer = max ? new MaxPool1DLayer() : new AvgPool1DLayer();
            layer.PoolSize = rng.Next(1, Math.Min(steps, 4) + 1);
            layer.Stride = rng.Next(1, 4);
            layer.InputSteps = steps;
            layer.InputChannels = channels;
            layer.InputZeroPoint = inputZeroPoint;
            layer.OutputSteps = (steps - layer.PoolSize) / layer.Stride + 1;
            layer.OutputChannels = channels;
            RandomModels.FillOutputStage(rng, layer);
            // The pooled values stay in the input's quantization.
            layer.RequantZeroPoint = inputZeroPoint;
            if (layer.Table == null)
            {
                layer.OutputZeroPoint = inputZeroPoint;
                layer.ClampMin = layer.Activation == Activation.Relu ? inputZeroPoint : -128;
            }
            return layer;
        }

        public static RecurrentLayer Recurrent(Random rng, Feedback feedback, int steps, int channels, int inputZeroPoint, int units)
        {
            var layer = new RecurrentLayer { Feedback = feedback, InputSteps = steps, InputChannels = channels, InputZeroPoint = inputZeroPoint, OutputSteps = 1, OutputChannels = units };
            RandomModels.FillOutputStage(rng, layer);
            int stateLength = feedback == Feedback.Indirect ? rng.Next(1, 6) : units;
            FillRecurrent(rng, layer, stateLength);
            if (feedback != Feedback.Indirect) layer.Prepare();
            return layer;
        }

        public static IndirectRecurrentLayer Indirect(Random rng, int steps, int channels, int inputZeroPoint, int hidden, int outputs)
        {
            var block = new IndirectRecurrentLayer { InputSteps = steps, InputChannels = channels, InputZeroPoint = inputZeroPoint, OutputSteps = 1, OutputChannels = outputs };
            RandomModels.FillOutputStage(rng, block);
            var h = new RecurrentLayer { Feedback = Feedback.Indirect, InputSteps = steps, InputChannels = channels, InputZeroPoint = inputZeroPoint, OutputSteps = 1, OutputChannels = hidden };
            RandomModels.FillOutputStage(rng, h);
            h.FeedbackZeroPoint = block.OutputZeroPoint;
            FillRecurrent(rng, h, outputs);
            var o = new DenseLayer
            {
                InputSteps = 1, InputChannels = hidden, OutputSteps = 1, OutputChannels = outputs,
                Weights = Int8s(rng, hidden * outputs), Bias = new int[outputs], Multiplier = new int[outputs], Shift = new byte[outputs],
            };
            for (int u = 0; u < outputs; u++)
            {
                long room = int.MaxValue - 128L * 127 * hidden;
                o.Bias[u] = (int)(rng.NextInt64(-room, room) >> rng.Next(0, 24));
                (o.Multiplier[u], o.Shift[u]) = Requantization(rng);
            }
            block.Hidden = h;
            block.Output = o;
            block.Prepare();
            return block;
        }

        private static void FillRecurrent(Random rng, RecurrentLayer layer, int stateLength)
        {
            int units = layer.OutputChannels, n = layer.InputLength;
            layer.FeedbackLength = stateLength;
            layer.Weights = Int8s(rng, units * n);
            layer.FeedbackWeights = Int8s(rng, (int)RecurrentLayer.FeedbackWeightCount(layer.Feedback, units, stateLength));
            layer.Bias = new int[units];
            layer.InputMultiplier = new int[units];
            layer.InputShift = new byte[units];
            layer.FeedbackMultiplier = new int[units];
            layer.FeedbackShift = new byte[units];
            for (int o = 0; o < units; o++)
            {
                layer.Bias[o] = Bias(rng, n);
                (layer.InputMultiplier[o], layer.InputShift[o]) = Requantization(rng);
                (layer.FeedbackMultiplier[o], layer.FeedbackShift[o]) = Requantization(rng);
            }
        }

        /// <summary>
        /// A random model of the given shape family: "cnn" (conv/pool stack over a window, then dense),
        /// "direct", "lateral", "complete" (recurrent layer, optionally stacked, then dense) or "indirect".
        /// </summary>
        public static Model Model(Random rng, string family)
        {
            int features = rng.Next(1, 7);
            var layers = new List<Layer>();
            int window = 1;
            int zp = rng.Next(-128, 128);
            int inputZp = zp;
            if (family == "cnn")
            {
                window = rng.Next(1, 13);
                int steps = window, channels = features;
                int blocks = rng.Next(1, 4);
                for (int b = 0; b < blocks; b++)
                {
                    Layer layer = rng.Next(3) switch
                    {
                        0 when steps >= 1 => Pool(rng, rng.Next(2) == 0, steps, channels, zp),
                        _ => Conv1D(rng, steps, channels, zp),
                    };
                    layers.Add(layer);
                    steps = layer.OutputSteps;
                    channels = layer.OutputChannels;
                    zp = layer.OutputZeroPoint;
                }
            }
            else
            {
                Feedback feedback = family switch
                {
                    "direct" => Feedback.Direct,
                    "lateral" => Feedback.Lateral,
                    "complete" => Feedback.Complete,
                    "indirect" => Feedback.Indirect,
                    _ => throw new ArgumentException("unknown family " + family),
                };
                int channels = features;
                int depth = rng.Next(1, 3);
                for (int d = 0; d < depth; d++)
                {
                    Layer layer = feedback == Feedback.Indirect
                        ? Indirect(rng, 1, channels, zp, rng.Next(1, 9), rng.Next(1, 6))
                        : Recurrent(rng, feedback, 1, channels, zp, rng.Next(1, 9));
                    layers.Add(layer);
                    channels = layer.OutputChannels;
                    zp = layer.OutputZeroPoint;
                }
            }
            Layer last = layers[^1];
            if (rng.Next(2) == 0 || last.OutputLength > 8)
            {
                var dense = RandomModels.Dense(rng, last.OutputChannels, new[] { rng.Next(1, 5) }, last.OutputSteps).Layers[0];
                dense.InputZeroPoint = zp;
                layers.Add(dense);
            }
            Model m = RandomModels.Wrap(rng, features, window, layers.ToArray());
            m.Input.ZeroPoint = inputZp;
            return m;
        }

        /// <summary>|bias| + 255 * 127 * n stays within int32, so the reader accepts the layer.</summary>
        private static int Bias(Random rng, int n)
        {
            long room = int.MaxValue - 255L * 127 * n;
            return (int)(rng.NextInt64(-room, room) >> rng.Next(0, 26));
        }

        private static (int, byte) Requantization(Random rng)
        {
            int m = rng.Next(4) == 0 ? int.MaxValue - rng.Next(3) : rng.Next(1 << 30, int.MaxValue);
            return (m, (byte)rng.Next(16, 48));
        }

        private static sbyte[] Int8s(Random rng, int count)
        {
            var a = new sbyte[count];
            for (int i = 0; i < count; i++) a[i] = RandomModels.ExtremeInt8(rng);
            return a;
        }
    }
}
