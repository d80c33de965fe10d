using System;
using System.Collections.Generic;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Golden
{
    /// <summary>
    /// Golden cases for dense layers with int16 weights (the 16x16 kernel, format v3): a small hand-worked
    /// model, int16 extremes that saturate, a fan-in whose sums need int64, a chain of 16x8 and 16x16 layers;
    /// and the files the reader must refuse (bit 15 on another kind, on an int8-only layer, in v1, truncated
    /// weights). The expected integers come from the reference evaluator (tests/Reference), never the engine.
    /// </summary>
    public static class WideWeightCases
    {
        public static IEnumerable<GoldenCase> All(IModelReference reference)
        {
            Model hand = HandModel();
            yield return GoldenCase.ForWideModel("16x16 dense: hand case 2 -> 2 int16 -> 2 int8", hand, HandReadings, 2, reference);

            var rng = new Random(13161);
            Model extremes = Chain(rng, features: 4, window: 1, new[] { 5, 3 }, new[] { ModelFormat.PrecisionInt16, ModelFormat.PrecisionInt16 }, new[] { true, true });
            yield return GoldenCase.ForWideModel("16x16 dense: int16 extremes 4 -> 5 -> 3", extremes, RandomModels.Readings(rng, 6 * 4), 6, reference);

            Model fanIn = Chain(rng, features: 50, window: 12, new[] { 3, 2 }, new[] { ModelFormat.PrecisionInt16, ModelFormat.PrecisionInt8 }, new[] { true, true });
            yield return GoldenCase.ForWideModel("16x16 dense: fan-in 600, int64 sums", fanIn, RandomModels.Readings(rng, 3 * 50), 3, reference);

            // int8 -> int8 (int8 kernel), then 16x16 with int8 in / int16 out, int16 in / int16 out, int16 in / int8 out:
            // every width pairing the 16x16 kernel has.
            Model chain = Chain(rng, features: 3, window: 2, new[] { 6, 4, 3, 3 },
                new[] { ModelFormat.PrecisionInt8, ModelFormat.PrecisionInt16, ModelFormat.PrecisionInt16, ModelFormat.PrecisionInt8 },
                new[] { false, true, true, true });
            yield return GoldenCase.ForWideModel("16x16 dense: int8 layer, then int8 -> int16, int16 -> int16 and int16 -> int8 with int16 weights", chain, RandomModels.Readings(rng, 4 * 3), 4, reference);

            foreach (GoldenCase c in Rejected()) yield return c;
        }

        /// <summary>
        /// Two int16 inputs (scale 1: q = raw, saturated), dense 2 -> 2 with int16 weights and output, then dense
        /// 2 -> 2 with int16 weights and an int8 output. Worked by hand in WideWeightsTests.
        /// </summary>
        public static Model HandModel()
        {
            var hidden = new DenseLayer
            {
                InputSteps = 1, InputChannels = 2, OutputSteps = 1, OutputChannels = 2,
                InputPrecision = ModelFormat.PrecisionInt16, Precision = ModelFormat.PrecisionInt16,
                Weights16 = new short[] { 300, -200, -32768, 32767 }, Bias = new[] { 1000, -5 },
                Multiplier = new[] { 1 << 30, 1 << 30 }, Shift = new byte[] { 40, 40 },
                Activation = Activation.Identity, ClampMin = -32768, ClampMax = 32767, OutputScale = 1f / 1024,
            };
            var output = new DenseLayer
            {
                InputSteps = 1, InputChannels = 2, OutputSteps = 1, OutputChannels = 2,
                InputPrecision = ModelFormat.PrecisionInt16, Precision = ModelFormat.PrecisionInt8,
                Weights16 = new short[] { -1, 2, 32767, 1 }, Bias = new[] { 0, 0 },
                Multiplier = new[] { 1 << 30, 1 << 30 }, Shift = new byte[] { 40, 45 },
                Activation = Activation.Identity, ClampMin = -128, ClampMax = 127, OutputScale = 0.25f,
            };
            var input = new InputQuantizer
            {
                Offset = new[] { 0, 0 }, Multiplier = new[] { 1 << 30, 1 << 30 }, Shift = new byte[] { 30, 30 },
                RawExponent = new sbyte[] { 0, 0 }, Scale = 1f, ZeroPoint = 0,
            };
            return new Model
            {
                Name = "16x16 hand", ClassLabels = new[] { "a", "b" }, FeatureNames = new[] { "x0", "x1" }, WindowLength = 1,
                Input = input, Layers = new Layer[] { hidden, output },
            };
        }

        /// <summary>Reading 1 inside the int16 range, reading 2 beyond it on both features (saturates to -32768 and 32767).</summary>
        public static readonly int[] HandReadings = { 1000, 2000, -40000, 40000 };

        /// <summary>
        /// Dense layers of the given units; precisions[l] is layer l's output precision, and the model input has
        /// the first layer's (the format's rule); wide[l] gives layer l int16 weights (it must run the 16-bit kernel).
        /// </summary>
        public static Model Chain(Random rng, int features, int window, int[] units, int[] precisions, bool[] wide)
        {
            precisions = Prepend(precisions[0], precisions);
            var layers = new Layer[units.Length];
            int inputs = features * window;
            for (int l = 0; l < units.Length; l++)
            {
                var d = new DenseLayer
                {
                    InputSteps = l == 0 ? window : 1, InputChannels = l == 0 ? features : units[l - 1], OutputSteps = 1, OutputChannels = units[l],
                    Weights = new sbyte[units[l] * inputs], Bias = new int[units[l]], Multiplier = new int[units[l]], Shift = new byte[units[l]],
                    InputPrecision = precisions[l], Precision = precisions[l + 1],
                };
                if (d.Precision == ModelFormat.PrecisionInt16)
                {
                    d.Activation = rng.Next(2) == 0 ? Activation.Identity : Activation.Relu;
                    d.ClampMin = d.Activation == Activation.Relu ? 0 : -32768;
                    d.ClampMax = 32767;
                    d.OutputScale = (float)(rng.NextDouble() + 0.01);
                }
                else
                {
                    RandomModels.FillOutputStage(rng, d);
                }
                for (int i = 0; i < d.Weights.Length; i++) d.Weights[i] = RandomModels.ExtremeInt8(rng);
                for (int o = 0; o < units[l]; o++)
                {
                    d.Multiplier[o] = rng.Next(1 << 30, int.MaxValue);
                    d.Shift[o] = (byte)rng.Next(30, 44);
                }
                if (wide[l]) RandomModels.GiveInt16Weights(rng, d);
                layers[l] = d;
                inputs = units[l];
            }
            Model m = RandomModels.Wrap(rng, features, window, layers);
            // An int16 input is symmetric; aim the input multipliers so readings land inside its range often.
            if (precisions[0] == ModelFormat.PrecisionInt16) m.Input.ZeroPoint = 0;
            for (int f = 0; f < features; f++) m.Input.Shift[f] = (byte)rng.Next(16, 40);
            return m;
        }

        private static int[] Prepend(int first, int[] rest)
        {
            var all = new int[rest.Length + 1];
            all[0] = first;
            Array.Copy(rest, 0, all, 1, rest.Length);
            return all;
        }

        private static IEnumerable<GoldenCase> Rejected()
        {
            // A v3 file (conv1d first, then a 16x16 dense) whose conv units word has bit 15 set.
            var rng = new Random(13162);
            Model convFirst = ConvThenWideDense(rng);
            byte[] file = ModelWriter.Write(convFirst);
            int at = RejectedCases.FirstLayerOffset(convFirst);
            yield return GoldenCase.ForRejected("v3: units-word bit 15 (int16 weights) on a conv1d layer",
                RejectedCases.Patch(file, at + 2, file[at + 2] | 0x80, resign: true), "only dense layers have int16 weights");

            // A v3 file whose first layer is an int8-only dense (int8 input and output) with bit 15 set.
            Model int8First = Chain(rng, features: 3, window: 1, new[] { 2, 2 }, new[] { ModelFormat.PrecisionInt8, ModelFormat.PrecisionInt16 }, new[] { false, true });
            file = ModelWriter.Write(int8First);
            at = RejectedCases.FirstLayerOffset(int8First);
            yield return GoldenCase.ForRejected("v3: int16 weights on a layer with int8 input and output",
                RejectedCases.Patch(file, at + 2, file[at + 2] | 0x80, resign: true), "int16 weights need the 16-bit kernel");

            // The hand model with its last weight's high byte cut off.
            file = ModelWriter.Write(HandModel());
            byte[] cut = new byte[file.Length - 1];
            Array.Copy(file, cut, cut.Length);
            yield return GoldenCase.ForRejected("v3: file ends inside int16 weights", RejectedCases.Resign(cut), "file ends inside dense int16 weights (needs 8 bytes, 7 left)");

            // A v2 file relabelled v3 (the version byte is outside the CRC): v3 is only for int16 weights.
            file = ModelWriter.Write(RejectedCases.Sample());
            yield return GoldenCase.ForRejected("v3 label on a model without int16 weights", RejectedCases.Patch(file, ModelFormat.OffsetVersion, 3, resign: false), "format version 3 is only for models with int16 dense weights");

            // Format v1 has no bit 15: its units field is a plain u16.
            Model v1 = RejectedCases.Sample();
            file = ModelWriter.Write(v1, 1);
            at = RejectedCases.FirstLayerOffset(v1, 1);
            yield return GoldenCase.ForRejected("v1: units-word bit 15 (int16 weights)", RejectedCases.Patch(file, at + 2, file[at + 2] | 0x80, resign: true), "is set in a format v1 file; it needs format v3");
        }

        /// <summary>conv1d (int16 in and out, int8 weights) over 4 steps x 2 channels, then a 16x16 dense with an int8 output.</summary>
        public static Model ConvThenWideDense(Random rng)
        {
            var conv = new Conv1DLayer
            {
                InputSteps = 4, InputChannels = 2, OutputSteps = 4, OutputChannels = 2, KernelSize = 1, Stride = 1, Padding = 0,
                Precision = ModelFormat.PrecisionInt16, InputPrecision = ModelFormat.PrecisionInt16,
                Weights = new sbyte[] { 3, -7, 100, -128 }, Bias = new[] { 0, 5 }, Multiplier = new[] { 1 << 30, 1 << 30 }, Shift = new byte[] { 31, 31 },
                ClampMin = -32768, ClampMax = 32767, OutputScale = 1f,
            };
            conv.Prepare();
            var dense = new DenseLayer
            {
                InputSteps = 4, InputChannels = 2, OutputSteps = 1, OutputChannels = 2,
                InputPrecision = ModelFormat.PrecisionInt16, Precision = ModelFormat.PrecisionInt8,
                Weights = new sbyte[16], Bias = new int[2], Multiplier = new[] { 1 << 30, 1 << 30 }, Shift = new byte[2],
                ClampMin = -128, ClampMax = 127, OutputScale = 0.1f,
            };
            RandomModels.GiveInt16Weights(rng, dense);
            Model m = RandomModels.Wrap(rng, 2, 4, new Layer[] { conv, dense });
            m.Input.ZeroPoint = 0;
            return m;
        }
    }
}
