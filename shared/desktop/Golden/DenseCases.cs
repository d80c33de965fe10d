using System;
using System.Collections.Generic;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Golden
{
    /// <summary>
    /// Golden models built from dense layers: the seed-article neuron, one small network per activation,
    /// multi-layer and windowed networks quantized by <see cref="QuantizationRule"/> from float weights and
    /// calibration data, and a random model fed extreme readings.
    /// </summary>
    public static class DenseCases
    {
        public static IEnumerable<GoldenCase> All(IModelReference reference) => Cases(reference, null);

        /// <summary>
        /// For each case quantized from a float network without a step activation (a step's output flips on
        /// any error at 0): the largest |dequantized int8 output - float output| over its typical readings,
        /// in output quantization steps. Shows the golden integers are a faithful quantization, not noise.
        /// </summary>
        public static List<(string Name, double Steps)> Fidelity(IModelReference reference)
        {
            var fidelity = new List<(string, double)>();
            foreach (GoldenCase unused in Cases(reference, fidelity)) { }
            return fidelity;
        }

        private static IEnumerable<GoldenCase> Cases(IModelReference reference, List<(string, double)> fidelity)
        {
            Model seed = SeedArticleNeuron();
            yield return GoldenCase.ForModel("seed-article neuron: inputs 0.5 and 0.7, weights 0.3 and 0.8 -> 0.71", seed, SeedArticleReadings(seed), 1, reference);

            Activation[] all = { Activation.Identity, Activation.Relu, Activation.Sigmoid, Activation.Tanh, Activation.Step };
            foreach (Activation a in all)
            {
                yield return Case(reference, fidelity, $"dense 3 -> 4 {Activations.Name(a)}", 100 + (int)a, features: 3, window: 1, new[] { 4 }, new[] { a });
            }
            yield return Case(reference, fidelity, "dense 4 -> 6 relu -> 5 tanh -> 3 sigmoid", 200, features: 4, window: 1,
                new[] { 6, 5, 3 }, new[] { Activation.Relu, Activation.Tanh, Activation.Sigmoid });
            yield return Case(reference, fidelity, "dense 5 -> 8 identity -> 4 step -> 3 relu -> 3 identity", 201, features: 5, window: 1,
                new[] { 8, 4, 3, 3 }, new[] { Activation.Identity, Activation.Step, Activation.Relu, Activation.Identity });
            yield return Case(reference, fidelity, "binary: dense 3 -> 1 sigmoid (threshold at real 0.5)", 300, features: 3, window: 1,
                new[] { 1 }, new[] { Activation.Sigmoid });
            yield return Case(reference, fidelity, "binary: dense 2 -> 3 relu -> 1 step", 301, features: 2, window: 1,
                new[] { 3, 1 }, new[] { Activation.Relu, Activation.Step });
            yield return Case(reference, fidelity, "binary: dense 3 -> 1 identity (threshold at real 0)", 302, features: 3, window: 1,
                new[] { 1 }, new[] { Activation.Identity });
            yield return Case(reference, fidelity, "windowed: 3 readings x 2 features -> 4 relu -> 2 identity", 400, features: 2, window: 3,
                new[] { 4, 2 }, new[] { Activation.Relu, Activation.Identity }, readings: 7);

            // 16-bit weights (the int16x16 kernel) quantized from a float network by the export rule
            // (QuantizationRule.WeightScale16): int16 input and hidden tensor, int8 output.
            yield return Case(reference, fidelity, "int16x16: dense 4 -> 6 relu -> 3 identity, int16 weights from float", 500, features: 4, window: 1,
                new[] { 6, 3 }, new[] { Activation.Relu, Activation.Identity }, readings: 7,
                precisions: new[] { ModelFormat.PrecisionInt16, ModelFormat.PrecisionInt8 }, wideWeights: new[] { true, true });

            var rng = new Random(20261126);
            Model random = RandomModels.Dense(rng, 5, new[] { 7, 4 }, window: 2);
            yield return GoldenCase.ForModel("random dense 2x5 -> 7 -> 4, extreme readings", random, RandomModels.Readings(rng, 6 * 5), 6, reference);
        }

        /// <summary>
        /// The seed article's neuron (inputs 0.5 and 0.7, weights 0.3 and 0.8, no bias, ReLU, identity output)
        /// quantized with inputs and output on [0, 1].
        /// </summary>
        public static Model SeedArticleNeuron()
        {
            QuantParams input = QuantizationRule.ForRange(0, 1);
            DenseLayer layer = QuantizationRule.QuantizeDense(new[] { 0.3f, 0.8f }, new[] { 0f }, 2, 1, Activation.Relu, input, 0, 1);
            InputQuantizer iq = QuantizationRule.QuantizeInput(new[] { 0f, 0f }, new[] { 1f, 1f }, new[] { 1.0, 1.0 }, input);
            return new Model
            {
                Name = "seed-article neuron", ClassLabels = new[] { "off", "on" }, FeatureNames = new[] { "x1", "x2" },
                Input = iq, Layers = new Layer[] { layer },
            };
        }

        /// <summary>The raw readings of 0.5 and 0.7 with the neuron's decimal exponents.</summary>
        public static int[] SeedArticleReadings(Model seed) => QuantizationRule.ToRaw(new[] { 0.5f, 0.7f }, seed.Input);

        /// <summary>A float network with random weights, quantized from calibration data, with its readings.</summary>
        /// <param name="precisions">null: every tensor int8; else layer l's output precision (the input has the first layer's).</param>
        /// <param name="wideWeights">null: int8 weights; else whether layer l gets int16 weights (QuantizationRule.WeightScale16).</param>
        private static GoldenCase Case(IModelReference reference, List<(string, double)> fidelity, string name, int seed, int features, int window, int[] units, Activation[] activations, int readings = 6,
            int[] precisions = null, bool[] wideWeights = null)
        {
            var rng = new Random(seed);
            var mean = new float[features];
            var std = new float[features];
            for (int f = 0; f < features; f++)
            {
                mean[f] = (float)Math.Round(rng.NextDouble() * 100 - 50, 2);
                std[f] = (float)Math.Round(0.5 + rng.NextDouble() * 20, 2);
            }
            // Calibration: 64 windows of readings around the means.
            var calibration = new List<float[]>();
            for (int n = 0; n < 64; n++) calibration.Add(Row(rng, mean, std, window));

            var weights = new List<float[]>();
            var biases = new List<float[]>();
            int inputs = features * window;
            for (int l = 0; l < units.Length; l++)
            {
                var w = new float[units[l] * inputs];
                var b = new float[units[l]];
                double spread = 2.0 / Math.Sqrt(inputs);
                for (int i = 0; i < w.Length; i++) w[i] = (float)((rng.NextDouble() * 2 - 1) * spread);
                for (int o = 0; o < b.Length; o++) b[o] = (float)(rng.NextDouble() - 0.5);
                weights.Add(w);
                biases.Add(b);
                inputs = units[l];
            }

            // Forward the calibration in double to find the normalized input range and every pre-activation range.
            double inMin = double.MaxValue, inMax = double.MinValue;
            var preMin = new double[units.Length];
            var preMax = new double[units.Length];
            Array.Fill(preMin, double.MaxValue);
            Array.Fill(preMax, double.MinValue);
            foreach (float[] row in calibration)
            {
                var x = new double[row.Length];
                for (int i = 0; i < row.Length; i++)
                {
                    int f = i % features;
                    x[i] = (row[i] - mean[f]) / std[f];
                    inMin = Math.Min(inMin, x[i]);
                    inMax = Math.Max(inMax, x[i]);
                }
                for (int l = 0; l < units.Length; l++)
                {
                    var y = new double[units[l]];
                    for (int o = 0; o < units[l]; o++)
                    {
                        double acc = biases[l][o];
                        for (int i = 0; i < x.Length; i++) acc += weights[l][o * x.Length + i] * x[i];
                        preMin[l] = Math.Min(preMin[l], acc);
                        preMax[l] = Math.Max(preMax[l], acc);
                        y[o] = QuantizationRule.Apply(activations[l], acc);
                    }
                    x = y;
                }
            }

            QuantParams inputParams = precisions == null ? QuantizationRule.ForRange(inMin, inMax) : QuantizationRule.ForRange(inMin, inMax, precisions[0]);
            var layers = new Layer[units.Length];
            QuantParams current = inputParams;
            inputs = features * window;
            for (int l = 0; l < units.Length; l++)
            {
                DenseLayer layer = precisions == null
                    ? QuantizationRule.QuantizeDense(weights[l], biases[l], inputs, units[l], activations[l], current, preMin[l], preMax[l])
                    : QuantizationRule.QuantizeDense(weights[l], biases[l], inputs, units[l], activations[l], current, preMin[l], preMax[l], precisions[l], wideWeights[l]);
                if (l == 0) { layer.InputSteps = window; layer.InputChannels = features; }
                layers[l] = layer;
                current = precisions != null ? QuantizationRule.OutputParams(activations[l], preMin[l], preMax[l], precisions[l])
                    : Activations.UsesTable(activations[l])
                    ? QuantizationRule.ForActivationOutput(activations[l])
                    : QuantizationRule.ForRange(activations[l] == Activation.Relu ? Math.Max(preMin[l], 0) : preMin[l], preMax[l]);
                inputs = units[l];
            }

            var maxAbs = new double[features];
            foreach (float[] row in calibration)
                for (int i = 0; i < row.Length; i++) maxAbs[i % features] = Math.Max(maxAbs[i % features], Math.Abs(row[i]));
            int classes = Math.Max(2, units[^1]);
            var labels = new string[classes];
            for (int c = 0; c < classes; c++) labels[c] = "class " + c;
            var names = new string[features];
            for (int f = 0; f < features; f++) names[f] = "feature " + f;
            var model = new Model
            {
                Name = name.Length <= 255 ? name : name[..255], ClassLabels = labels, FeatureNames = names, WindowLength = window,
                Input = QuantizationRule.QuantizeInput(mean, std, maxAbs, inputParams), Layers = layers,
            };

            // Readings: typical rows, then the extremes a broken sensor can send.
            var raw = new List<int>();
            var typical = new List<float[]>();
            for (int r = 0; r < readings - 3; r++)
            {
                float[] row = Row(rng, mean, std, 1);
                typical.Add(row);
                raw.AddRange(QuantizationRule.ToRaw(row, model.Input));
            }
            for (int f = 0; f < features; f++) raw.Add(int.MaxValue);
            for (int f = 0; f < features; f++) raw.Add(int.MinValue);
            for (int f = 0; f < features; f++) raw.Add(f % 2 == 0 ? 0 : -1);
            GoldenCase golden = precisions == null
                ? GoldenCase.ForModel(name, model, raw.ToArray(), readings, reference)
                : GoldenCase.ForWideModel(name, model, raw.ToArray(), readings, reference);
            if (fidelity != null && Array.IndexOf(activations, Activation.Step) < 0)
            {
                fidelity.Add((name, OutputError(golden, model, typical, mean, std, weights, biases, activations)));
            }
            return golden;
        }

        /// <summary>Largest |dequantized output - float output| over the typical readings, in output steps.</summary>
        private static double OutputError(GoldenCase golden, Model model, List<float[]> typical, float[] mean, float[] std,
            List<float[]> weights, List<float[]> biases, Activation[] activations)
        {
            int features = mean.Length;
            var window = new double[model.InputLength]; // real 0 = the mean, as the engine starts
            int per = model.InputLength;
            foreach (Layer l in model.Layers) per += l.OutputLength;
            Layer last = model.OutputLayer;
            double worst = 0;
            for (int r = 0; r < typical.Count; r++)
            {
                Array.Copy(window, features, window, 0, window.Length - features);
                for (int f = 0; f < features; f++) window[window.Length - features + f] = (typical[r][f] - mean[f]) / std[f];
                double[] x = window;
                for (int l = 0; l < activations.Length; l++)
                {
                    var y = new double[biases[l].Length];
                    for (int o = 0; o < y.Length; o++)
                    {
                        double acc = biases[l][o];
                        for (int i = 0; i < x.Length; i++) acc += weights[l][o * x.Length + i] * x[i];
                        y[o] = QuantizationRule.Apply(activations[l], acc);
                    }
                    x = y;
                }
                int outAt = (r + 1) * per - last.OutputLength;
                for (int o = 0; o < x.Length; o++)
                {
                    int q = golden.Trace != null ? golden.Trace[outAt + o] : golden.WideTrace[outAt + o];
                    double dequantized = last.OutputScale * (q - last.OutputZeroPoint);
                    worst = Math.Max(worst, Math.Abs(dequantized - x[o]) / last.OutputScale);
                }
            }
            return worst;
        }

        private static float[] Row(Random rng, float[] mean, float[] std, int window)
        {
            int n = mean.Length;
            var row = new float[n * window];
            for (int i = 0; i < row.Length; i++)
            {
                int f = i % n;
                row[i] = (float)Math.Round(mean[f] + std[f] * (rng.NextDouble() * 4 - 2), 3);
            }
            return row;
        }
    }
}
