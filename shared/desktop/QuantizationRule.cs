using System;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Kernels;
using EdgeNet.Layers;

namespace EdgeNet.Quantization
{
    /// <summary>
    /// The quantization rule of EdgeNet, written once (docs/quantization.md): how real ranges become int8
    /// scales and zero points, how real multipliers become an int32 multiplier and a shift, how weights,
    /// biases, input normalization and activation tables are quantized. Desktop-only (uses double);
    /// the device only ever sees the integers these functions produce.
    /// </summary>
    public static partial class QuantizationRule
    {
        /// <summary>Round half away from zero, saturated to the long range (never wraps).</summary>
        public static long RoundToInt(double x)
        {
            if (double.IsNaN(x)) throw new ArgumentException("cannot quantize NaN");
            if (x >= 9.2e18) return long.MaxValue;
            if (x <= -9.2e18) return long.MinValue;
            return (long)Math.Round(x, MidpointRounding.AwayFromZero);
        }

        public static sbyte SaturateInt8(long v) => (sbyte)Math.Clamp(v, -128, 127);
        public static int SaturateInt32(long v) => (int)Math.Clamp(v, int.MinValue, int.MaxValue);

        /// <summary>
        /// Asymmetric int8 parameters covering [min, max], widened to contain 0 so that 0 is exact
        /// (zero padding and ReLU's floor cost no error). A degenerate range gets a unit-width range.
        /// </summary>
        public static QuantParams ForRange(double min, double max)
        {
            if (double.IsNaN(min) || double.IsNaN(max) || double.IsInfinity(min) || double.IsInfinity(max))
                throw new ArgumentException($"range [{min}, {max}] is not finite");
            min = Math.Min(min, 0);
            max = Math.Max(max, 0);
            if (max - min < 1e-8) max = min + 1e-8;
            double scale = (max - min) / 255.0;
            long zp = -128 - RoundToInt(min / scale);
            return new QuantParams(scale, (int)Math.Clamp(zp, -128, 127));
        }

        /// <summary>
        /// Symmetric int16 parameters covering [min, max] (TensorFlow Lite's 16x8 activations): zero point 0,
        /// scale max(|min|, |max|) / 32767, so the range maps into [-32767, 32767]. A degenerate range gets a tiny one.
        /// </summary>
        public static QuantParams ForRange16(double min, double max)
        {
            if (double.IsNaN(min) || double.IsNaN(max) || double.IsInfinity(min) || double.IsInfinity(max))
                throw new ArgumentException($"range [{min}, {max}] is not finite");
            double bound = Math.Max(Math.Abs(min), Math.Abs(max));
            if (bound < 1e-8) bound = 1e-8;
            return new QuantParams(bound / 32767.0, 0, ModelFormat.PrecisionInt16);
        }

        /// <summary>The tensor parameters for a calibrated range at a precision (int8 asymmetric, int16 symmetric).</summary>
        public static QuantParams ForRange(double min, double max, int precision) =>
            precision == ModelFormat.PrecisionInt16 ? ForRange16(min, max) : ForRange(min, max);

        /// <summary>Fixed output quantization of the table activations (their real range is known).</summary>
        public static QuantParams ForActivationOutput(Activation a) => a switch
        {
            Activation.Sigmoid => new QuantParams(1.0 / 256, -128), // [0, 1)
            Activation.Tanh => new QuantParams(1.0 / 128, 0),       // [-1, 1)
            Activation.Step => new QuantParams(1.0 / 255, -128),    // {0, 1} -> {-128, 127}
            _ => throw new ArgumentException($"{a} has no fixed output range"),
        };

        /// <summary>
        /// real >= 0 as multiplier * 2^-shift with multiplier in [2^30, 2^31) (31 significant bits) and
        /// shift in [0, 62]. Values too small for shift 62 become 0; values of 2^31 or more are refused.
        /// </summary>
        public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
        {
            if (double.IsNaN(real) || real < 0 || double.IsInfinity(real)) throw new ArgumentException($"multiplier {real} must be finite and >= 0");
            if (real == 0) return (0, 0);
            int exponent = 0;
            double m = real;
            while (m >= 1.0) { m /= 2; exponent++; }
            while (m < 0.5) { m *= 2; exponent--; }
            long q = RoundToInt(m * (1L << 31));
            if (q == 1L << 31) { q >>= 1; exponent++; }
            int shift = 31 - exponent;
            if (shift < 0) throw new ArgumentException($"multiplier {real} is too large for int32 fixed point");
            if (shift > FixedPoint.MaxShift)
            {
                // Drop low bits of the multiplier rather than the whole value, while any remain.
                int excess = shift - FixedPoint.MaxShift;
                if (excess >= 31) return (0, 0);
                q = RoundToInt(q / (double)(1L << excess));
                shift = FixedPoint.MaxShift;
            }
            return ((int)q, shift);
        }

        /// <summary>Symmetric per-neuron weight scale: the largest |weight| maps to 127.</summary>
        public static double WeightScale(ReadOnlySpan<float> neuronWeights)
        {
            double max = 0;
            foreach (float w in neuronWeights) max = Math.Max(max, Math.Abs(w));
            return max > 0 ? max / 127.0 : 1.0;
        }

        /// <summary>
        /// Symmetric per-neuron int16 weight scale (16-bit weights, the int16x16 dense kernel): the largest |weight|
        /// maps to 32767, but never so fine that the neuron's bias leaves int32: bias_q = round(bias / (inputScale *
        /// scale)) is stored as int32, so the scale is at least |bias| / (inputScale * (2^31 - 1))
        /// (docs/quantization.md, "16-bit weights"). The kernel sums in int64, so the bias is the only bound.
        /// </summary>
        public static double WeightScale16(ReadOnlySpan<float> neuronWeights, double bias, double inputScale)
        {
            double max = 0;
            foreach (float w in neuronWeights) max = Math.Max(max, Math.Abs(w));
            double finest = max > 0 ? max / 32767.0 : 1.0;
            return Math.Max(finest, Math.Abs(bias) / (inputScale * int.MaxValue));
        }

        /// <summary>
        /// A dense layer from float weights [units][inputs] and bias, given the input tensor's parameters and
        /// the real range of the pre-activation (weighted sum + bias) seen in calibration. wideWeights: int16
        /// weights (<see cref="WeightScale16"/>, the int16x16 kernel), only on a layer that runs its 16-bit kernel.
        /// </summary>
        public static DenseLayer QuantizeDense(float[] weights, float[] bias, int inputs, int units,
            Activation activation, QuantParams input, double preMin, double preMax, int precision = ModelFormat.PrecisionInt8,
            bool wideWeights = false)
        {
            if (weights.Length != inputs * units || bias.Length != units) throw new ArgumentException("weights or bias do not match the layer shape");
            var layer = new DenseLayer
            {
                InputSteps = 1, InputChannels = inputs, InputZeroPoint = input.ZeroPoint, OutputSteps = 1, OutputChannels = units,
                Weights = wideWeights ? null : new sbyte[units * inputs], Weights16 = wideWeights ? new short[units * inputs] : null,
                Bias = new int[units], Multiplier = new int[units], Shift = new byte[units],
            };
            layer.InputPrecision = input.Precision;
            QuantParams pre = SetOutputStage(layer, activation, preMin, preMax, precision);
            if (wideWeights && !layer.WideKernel) throw new ArgumentException("16-bit weights need the 16-bit kernel (a 16-bit input or output)");
            for (int o = 0; o < units; o++)
            {
                var row = new ReadOnlySpan<float>(weights, o * inputs, inputs);
                // The accumulator must fit int32 for every int8 input (docs/reliability.md, "Arithmetic safety"):
                // a neuron whose quantized bias is too large for that gets a coarser weight scale, at least
                // |bias| / (input scale * room left beside the weight terms), then doubled until it fits
                // (such a neuron's output is dominated by its bias anyway). 16-bit weights: their own rule,
                // doubled the same way if folding an int8 input's zero point takes the bias out of int32.
                double ws = wideWeights ? WeightScale16(row, bias[o], input.Scale)
                    : Math.Max(WeightScale(row), AccumulatorSafety.MinWeightScale(bias[o], input.Scale, inputs, 256, layer.WideKernel));
                for (int widen = 0; !(wideWeights
                    ? QuantizeNeuron16(row, bias[o], input, ws, layer.Weights16.AsSpan(o * inputs, inputs), out layer.Bias[o])
                    : QuantizeNeuron(row, bias[o], input, ws, layer.Weights.AsSpan(o * inputs, inputs), out layer.Bias[o], layer.WideKernel)); widen++)
                {
                    if (widen == 64) throw new ArgumentException($"neuron {o}: no weight scale keeps its int32 accumulator from overflowing");
                    ws *= 2;
                }
                (layer.Multiplier[o], int shift) = QuantizeMultiplier(input.Scale * ws / pre.Scale);
                layer.Shift[o] = (byte)shift;
            }
            AccumulatorSafety.Verify(layer, "dense layer");
            return layer;
        }

        /// <summary>The requantized pre-activation tensor's parameters for a calibrated range.</summary>
        public static QuantParams PreActivationParams(Activation activation, double preMin, double preMax, int precision = ModelFormat.PrecisionInt8)
        {
            if (activation == Activation.Relu) preMin = Math.Max(preMin, 0); // below 0 is clamped anyway
            return ForRange(preMin, preMax, precision);
        }

        /// <summary>A layer's output tensor parameters (the next layer's input): fixed for tables, else the pre-activation's.</summary>
        public static QuantParams OutputParams(Activation activation, double preMin, double preMax, int precision = ModelFormat.PrecisionInt8)
        {
            return Activations.UsesTable(activation) ? ForActivationOutput(activation) : PreActivationParams(activation, preMin, preMax, precision);
        }

        /// <summary>
        /// One neuron's int8 weights and int32 bias at weight scale ws, the input zero point folded into the
        /// bias. False when some int8 input could overflow the neuron's int32 accumulator
        /// (|bias| + 128 * sum |w| > 2^31 - 1, the same bound as <see cref="Layer.WorstCaseAccumulator"/>).
        /// </summary>
        public static bool QuantizeNeuron(ReadOnlySpan<float> row, float bias, QuantParams input, double ws, Span<sbyte> q, out int qBias, bool wideKernel = false)
        {
            long sumW = 0, sumAbs = 0;
            for (int i = 0; i < row.Length; i++)
            {
                q[i] = SaturateInt8(RoundToInt(row[i] / ws));
                sumW += q[i];
                sumAbs += Math.Abs((int)q[i]);
            }
            return FoldBias(bias, input, ws, sumW, sumAbs, wideKernel, out qBias);
        }

        /// <summary>
        /// The same with int16 weights (the int16x16 kernel, which always sums in int64): false when the folded bias
        /// leaves int32 or some input could take the sum beyond the int64 kernels' bound.
        /// </summary>
        public static bool QuantizeNeuron16(ReadOnlySpan<float> row, float bias, QuantParams input, double ws, Span<short> q, out int qBias)
        {
            long sumW = 0, sumAbs = 0;
            for (int i = 0; i < row.Length; i++)
            {
                q[i] = (short)Math.Clamp(RoundToInt(row[i] / ws), short.MinValue, short.MaxValue);
                sumW += q[i];
                sumAbs += Math.Abs((int)q[i]);
            }
            return FoldBias(bias, input, ws, sumW, sumAbs, wideKernel: true, out qBias);
        }

        /// <summary>A neuron's int32 bias with the input zero point folded in (sum w = sumW), and whether its accumulator stays in bounds.</summary>
        private static bool FoldBias(float bias, QuantParams input, double ws, long sumW, long sumAbs, bool wideKernel, out int qBias)
        {
            // Fold the input zero point into the bias: sum w*(x - z) = sum w*x - z * sum w. A real bias
            // beyond int32 fails before the folding, so the long arithmetic below cannot wrap.
            double realBias = bias / (input.Scale * ws);
            long folded = Math.Abs(realBias) < 4e9 ? RoundToInt(realBias) - input.ZeroPoint * sumW : (realBias < 0 ? long.MinValue : long.MaxValue);
            qBias = SaturateInt32(folded);
            // A 16x8 kernel: |input| up to 32768 for an int16 input, and the sum may use int64 up to 2^47; the
            // stored bias stays int32.
            long span = input.Wide ? 32768 : 128;
            long limit = wideKernel ? FixedPoint.MaxLongAccumulator : int.MaxValue;
            return folded != long.MinValue && folded != long.MaxValue && Math.Abs(folded) <= int.MaxValue && Math.Abs(folded) + span * sumAbs <= limit;
        }

        /// <summary>
        /// Sets the shared output stage of a layer (requantization zero point, clamp, table, output tensor)
        /// and returns the parameters of the requantized pre-activation tensor.
        /// </summary>
        public static QuantParams SetOutputStage(Layer layer, Activation activation, double preMin, double preMax, int precision = ModelFormat.PrecisionInt8)
        {
            if (precision == ModelFormat.PrecisionInt16 && Activations.UsesTable(activation))
                throw new ArgumentException($"a {Activations.Name(activation)} layer has an int8 table output and cannot be 16-bit");
            layer.Activation = activation;
            layer.Precision = precision;
            QuantParams pre = PreActivationParams(activation, preMin, preMax, precision);
            layer.RequantZeroPoint = pre.ZeroPoint;
            layer.ClampMin = activation == Activation.Relu ? pre.ZeroPoint : ModelFormat.TensorMin(precision);
            layer.ClampMax = ModelFormat.TensorMax(precision);
            QuantParams output = pre;
            if (Activations.UsesTable(activation))
            {
                output = ForActivationOutput(activation);
                layer.Table = BuildTable(activation, pre, output);
            }
            else
            {
                layer.Table = null;
            }
            layer.OutputScale = (float)output.Scale;
            layer.OutputZeroPoint = output.ZeroPoint;
            return pre;
        }

        /// <summary>The real activation functions, in double (training uses the same definitions).</summary>
        public static double Apply(Activation a, double x) => a switch
        {
            Activation.Identity => x,
            Activation.Relu => x > 0 ? x : 0,
            Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-x)),
            Activation.Tanh => Math.Tanh(x),
            Activation.Step => x >= 0 ? 1 : 0,
            _ => throw new ArgumentException($"unknown activation {a}"),
        };

        /// <summary>table[q + 128] = quantize_out(f(dequantize_in(q))) for every int8 q.</summary>
        public static sbyte[] BuildTable(Activation a, QuantParams input, QuantParams output)
        {
            var table = new sbyte[256];
            for (int q = -128; q <= 127; q++) table[q + 128] = output.Quantize(Apply(a, input.Dequantize(q)));
            return table;
        }

        /// <summary>A real value in raw sensor units: round(x * 10^exponent), saturated to int32.</summary>
        public static int ToRaw(double x, int exponent) => SaturateInt32(RoundToInt(x * Math.Pow(10, exponent)));

        /// <summary>
        /// The largest decimal exponent in [-9, 6] that keeps every reading of a feature (|x| up to maxAbs)
        /// within +-2^29 raw units, so raw - offset cannot overflow.
        /// </summary>
        public static int ChooseRawExponent(double maxAbs)
        {
            for (int e = 6; e > -9; e--)
            {
                if (maxAbs * Math.Pow(10, e) < (1 << 29)) return e;
            }
            return -9;
        }

        /// <summary>
        /// Input normalization (x - mean) / std followed by quantization with the input tensor's parameters,
        /// folded into integer offset, multiplier and shift per feature.
        /// </summary>
        public static InputQuantizer QuantizeInput(float[] mean, float[] std, double[] maxAbs, QuantParams input)
        {
            int n = mean.Length;
            var q = new InputQuantizer
            {
                Offset = new int[n], Multiplier = new int[n], Shift = new byte[n], RawExponent = new sbyte[n],
                Scale = (float)input.Scale, ZeroPoint = input.ZeroPoint,
            };
            for (int f = 0; f < n; f++)
            {
                int e = ChooseRawExponent(Math.Max(maxAbs[f], Math.Abs(mean[f])));
                q.RawExponent[f] = (sbyte)e;
                q.Offset[f] = ToRaw(mean[f], e);
                double s = std[f] > 0 ? std[f] : 1.0;
                (q.Multiplier[f], int shift) = QuantizeMultiplier(1.0 / (Math.Pow(10, e) * s * input.Scale));
                q.Shift[f] = (byte)shift;
            }
            return q;
        }

        /// <summary>Raw readings of a row of real values, with the model's exponents (what a sensor layer produces).</summary>
        public static int[] ToRaw(ReadOnlySpan<float> row, InputQuantizer q)
        {
            var raw = new int[row.Length];
            for (int f = 0; f < row.Length; f++) raw[f] = ToRaw(row[f], q.RawExponent[f]);
            return raw;
        }
    }
}
