using System;
using System.Collections.Generic;
using System.Numerics;
using EdgeNet.Engine;
using EdgeNet.Golden;
using EdgeNet.Layers;

namespace EdgeNet.Reference
{
    /// <summary>
    /// An evaluator of EdgeNet's integer rule written from the documents (docs/quantization.md: input
    /// quantization, requantization, output stage, predicted class; docs/network-types.md: conv1d, pooling,
    /// recurrent kinds), not from the code: every value is a <see cref="BigInteger"/>, nothing wraps, rounding
    /// is spelled out as floor division, padding is materialized and recurrent matrices are expanded to full
    /// size. It reads the parameters of the Model and Layer objects (fields only) and calls no engine, kernel
    /// or reader code (ReferenceIndependenceTests checks the IL), and it does not fold zero points: conv1d and
    /// recurrent layers subtract them on every product, as the rule is stated.
    ///
    /// Precision: every tensor has a <see cref="Precision"/> (its integer range): int8, or int16 for a layer whose
    /// Precision field is 1 (docs/quantization.md, "16-bit activations"; the model input takes the first layer's).
    /// Values are carried as long. A dense layer's weights are int8 (Weights) or int16 (Weights16, "16-bit
    /// weights"); the product and the sum are the same rule either way. The accumulator must fit int32 for a
    /// layer with int8 input and output, 2^47 for one with a 16-bit tensor (its kernel sums in int64).
    /// </summary>
    public sealed class IntegerReference : IModelReference
    {
        public static readonly IntegerReference Instance = new IntegerReference();

        /// <summary>An integer tensor's range: [Min, Max] = [-2^(bits-1), 2^(bits-1) - 1].</summary>
        public sealed class Precision
        {
            public static readonly Precision Int8 = new Precision(8);
            public static readonly Precision Int16 = new Precision(16);

            public Precision(int bits)
            {
                Bits = bits;
                Min = -(1L << (bits - 1));
                Max = (1L << (bits - 1)) - 1;
            }

            public int Bits { get; }
            public long Min { get; }
            public long Max { get; }
        }

        /// <summary>The model input tensor's precision.</summary>
        public static Precision InputPrecision(Model model) => model.Layers[0].Precision == 1 ? Precision.Int16 : Precision.Int8;

        /// <summary>A layer's output tensor precision (also the state of a recurrent layer: its previous output).</summary>
        public static Precision OutputPrecision(Layer layer) => layer.Precision == 1 ? Precision.Int16 : Precision.Int8;

        /// <summary>A layer with a 16-bit input or output tensor sums in int64 (bound 2^47); any other in int32.</summary>
        private static bool SixteenBitKernel(Layer layer) => layer.Precision == 1 || layer.InputPrecision == 1;

        public sbyte[] Trace(Model model, int[] raw, int readings)
        {
            long[][][] run = Run(model, raw, readings);
            int per = 0;
            foreach (long[] t in run[0]) per += t.Length;
            var trace = new sbyte[per * readings];
            int at = 0;
            for (int r = 0; r < readings; r++)
            {
                foreach (long[] tensor in run[r])
                {
                    foreach (long v in tensor)
                    {
                        if (v < sbyte.MinValue || v > sbyte.MaxValue) throw new InvalidOperationException($"value {v} does not fit the int8 trace");
                        trace[at++] = (sbyte)v;
                    }
                }
            }
            return trace;
        }

        public short[] TraceWide(Model model, int[] raw, int readings)
        {
            long[][][] run = Run(model, raw, readings);
            var trace = new List<short>();
            for (int r = 0; r < readings; r++)
            {
                foreach (long[] tensor in run[r])
                {
                    foreach (long v in tensor)
                    {
                        if (v < short.MinValue || v > short.MaxValue) throw new InvalidOperationException($"value {v} does not fit the int16 trace");
                        trace.Add((short)v);
                    }
                }
            }
            return trace.ToArray();
        }

        public int[] Classes(Model model, int[] raw, int readings)
        {
            long[][][] run = Run(model, raw, readings);
            var classes = new int[readings];
            for (int r = 0; r < readings; r++) classes[r] = PredictedClass(model, run[r][run[r].Length - 1]);
            return classes;
        }

        /// <summary>
        /// The stream from a fresh start (input window at the input zero point, every state at real 0): per reading,
        /// the input tensor then every layer's output. raw[r * features + f] is reading r's feature f.
        /// </summary>
        public static long[][][] Run(Model model, int[] raw, int readings)
        {
            int features = model.FeatureNames.Length;
            if (raw.Length != readings * features) throw new ArgumentException($"{raw.Length} raw values for {readings} readings of {features} features");
            int window = model.WindowLength;
            long zIn = model.Input.ZeroPoint;
            var input = new long[window * features];
            Array.Fill(input, zIn);
            var state = new long[model.Layers.Length][];
            var result = new long[readings][][];
            for (int r = 0; r < readings; r++)
            {
                // The newest reading enters the last slot; the older ones move one step towards the front.
                Array.Copy(input, features, input, 0, input.Length - features);
                for (int f = 0; f < features; f++)
                    input[input.Length - features + f] = QuantizeInput(model, f, raw[r * features + f]);
                var tensors = new long[model.Layers.Length + 1][];
                tensors[0] = (long[])input.Clone();
                long[] x = tensors[0];
                long zX = zIn;
                for (int l = 0; l < model.Layers.Length; l++)
                {
                    Layer layer = model.Layers[l];
                    x = Evaluate(layer, x, zX, ref state[l]);
                    tensors[l + 1] = x;
                    zX = layer.OutputZeroPoint;
                }
                result[r] = tensors;
            }
            return result;
        }

        // ---- input: q = clamp(zIn + round_half_up(sat32(raw - offset) * m / 2^s)) -----------------------------

        private static long QuantizeInput(Model model, int f, int raw)
        {
            InputQuantizer q = model.Input;
            BigInteger centered = Saturate32((BigInteger)raw - q.Offset[f]);
            BigInteger v = Saturate32(Scale(centered, q.Multiplier[f], q.Shift[f]) + q.ZeroPoint);
            Precision p = InputPrecision(model);
            return (long)BigInteger.Min(BigInteger.Max(v, p.Min), p.Max);
        }

        // ---- layers ---------------------------------------------------------------------------------------

        private static long[] Evaluate(Layer layer, long[] x, long zIn, ref long[] state)
        {
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    return Dense((DenseLayer)layer, layer, x);
                case LayerKind.Conv1D:
                    return Conv1D((Conv1DLayer)layer, x, zIn);
                case LayerKind.MaxPool1D:
                case LayerKind.AvgPool1D:
                    return Pool((Pool1DLayer)layer, x, zIn);
                case LayerKind.Recurrent:
                {
                    var rec = (RecurrentLayer)layer;
                    state ??= Filled(rec.OutputChannels, rec.OutputZeroPoint);
                    long[] y = Recurrent(rec, rec, x, zIn, state, rec.OutputZeroPoint, rec.InputSteps * rec.InputChannels);
                    state = y;
                    return y;
                }
                case LayerKind.IndirectRecurrent:
                {
                    // hidden_t = Hidden(input_t, output_{t-1}); output_t = Output(hidden_t) with the block's output stage.
                    var block = (IndirectRecurrentLayer)layer;
                    state ??= Filled(block.OutputChannels, block.OutputZeroPoint);
                    long[] hidden = Recurrent(block.Hidden, block.Hidden, x, zIn, state, block.OutputZeroPoint, block.InputSteps * block.InputChannels);
                    long[] y = Dense(block.Output, block, hidden);
                    state = y;
                    return y;
                }
                default:
                    throw new NotSupportedException($"the reference has no rule for layer kind {layer.Kind}");
            }
        }

        /// <summary>
        /// acc[o] = bias[o] + sum_i w[o, i] * x[i]: the dense bias has the input zero point folded in at export.
        /// w is int8 (Weights) or int16 (Weights16: exactly one of the two is set).
        /// </summary>
        private static long[] Dense(DenseLayer d, Layer stage, long[] x)
        {
            int units = d.Bias.Length, n = x.Length;
            if ((d.Weights == null) == (d.Weights16 == null)) throw new InvalidOperationException("dense: exactly one of the int8 and int16 weights must be set");
            if (d.Weights16 != null && !SixteenBitKernel(d)) throw new InvalidOperationException("dense: int16 weights on a layer with int8 input and output");
            int count = d.Weights != null ? d.Weights.Length : d.Weights16.Length;
            if (count != units * n) throw new InvalidOperationException($"dense: {count} weights for {units} x {n}");
            var y = new long[units];
            for (int o = 0; o < units; o++)
            {
                BigInteger acc = d.Bias[o];
                for (int i = 0; i < n; i++) acc += (d.Weights != null ? d.Weights[o * n + i] : d.Weights16[o * n + i]) * (BigInteger)x[i];
                y[o] = Finish(stage, Scale(Accumulator(acc, SixteenBitKernel(d)), d.Multiplier[o], d.Shift[o]));
            }
            return y;
        }

        /// <summary>acc[t, f] = bias[f] + sum_k,c w[f, k, c] * (x[t * stride + k - padding, c] - zIn), padding holding zIn.</summary>
        private static long[] Conv1D(Conv1DLayer c, long[] x, long zIn)
        {
            int steps = c.InputSteps, ch = c.InputChannels, k = c.KernelSize, filters = c.OutputChannels;
            int paddedSteps = steps + 2 * c.Padding;
            var padded = new long[paddedSteps * ch];
            for (int s = 0; s < paddedSteps; s++)
            {
                int src = s - c.Padding;
                for (int i = 0; i < ch; i++) padded[s * ch + i] = src >= 0 && src < steps ? x[src * ch + i] : zIn;
            }
            int outSteps = (paddedSteps - k) / c.Stride + 1;
            if (outSteps != c.OutputSteps) throw new InvalidOperationException($"conv1d: {outSteps} output steps by the shape rule, the layer says {c.OutputSteps}");
            var y = new long[outSteps * filters];
            for (int t = 0; t < outSteps; t++)
            {
                for (int f = 0; f < filters; f++)
                {
                    BigInteger acc = c.Bias[f];
                    for (int j = 0; j < k; j++)
                        for (int i = 0; i < ch; i++)
                            acc += c.Weights[(f * k + j) * ch + i] * ((BigInteger)padded[(t * c.Stride + j) * ch + i] - zIn);
                    y[t * filters + f] = Finish(c, Scale(Accumulator(acc, SixteenBitKernel(c)), c.Multiplier[f], c.Shift[f]));
                }
            }
            return y;
        }

        /// <summary>
        /// Per channel over windows of PoolSize steps every Stride steps: the maximum, or zIn + the mean of
        /// (x - zIn) rounded half away from zero. The result stays in the input's quantization; then clamp and table.
        /// </summary>
        private static long[] Pool(Pool1DLayer p, long[] x, long zIn)
        {
            int ch = p.InputChannels;
            int outSteps = (p.InputSteps - p.PoolSize) / p.Stride + 1;
            if (outSteps != p.OutputSteps) throw new InvalidOperationException($"pool: {outSteps} output steps by the shape rule, the layer says {p.OutputSteps}");
            var y = new long[outSteps * ch];
            for (int t = 0; t < outSteps; t++)
            {
                for (int i = 0; i < ch; i++)
                {
                    BigInteger v;
                    if (p.Kind == LayerKind.MaxPool1D)
                    {
                        v = x[t * p.Stride * ch + i];
                        for (int j = 1; j < p.PoolSize; j++) v = BigInteger.Max(v, x[(t * p.Stride + j) * ch + i]);
                    }
                    else
                    {
                        BigInteger sum = 0;
                        for (int j = 0; j < p.PoolSize; j++) sum += (BigInteger)x[(t * p.Stride + j) * ch + i] - zIn;
                        // |sum| / pool rounded half up, with sum's sign: halves away from zero.
                        BigInteger magnitude = FloorDiv(2 * BigInteger.Abs(sum) + p.PoolSize, 2 * (BigInteger)p.PoolSize);
                        v = zIn + (sum.Sign < 0 ? -magnitude : magnitude);
                    }
                    y[t * ch + i] = Stage(p, v);
                }
            }
            return y;
        }

        /// <summary>
        /// requantize(bias[o] + sum_i w[o, i] (x[i] - zIn)) + requantize(sum_j u[o, j] (state[j] - zState)), added with
        /// int32 saturation, then the output stage. u expanded to [units][state] by the feedback kind's layout.
        /// </summary>
        private static long[] Recurrent(RecurrentLayer r, Layer stage, long[] x, long zIn, long[] state, long zState, int inputLength)
        {
            int units = r.Bias.Length, n = inputLength, s = state.Length;
            if (x.Length != n || r.Weights.Length != units * n) throw new InvalidOperationException($"recurrent: {r.Weights.Length} weights for {units} x {n} (input {x.Length})");
            var u = new BigInteger[units, s];
            int at = 0;
            for (int o = 0; o < units; o++)
            {
                for (int j = 0; j < s; j++)
                {
                    bool stored = r.Feedback switch
                    {
                        Feedback.Direct => j == o,
                        Feedback.Lateral => j != o,
                        Feedback.Complete => true,
                        Feedback.Indirect => true,
                        _ => throw new NotSupportedException($"feedback {r.Feedback}"),
                    };
                    if (stored) u[o, j] = r.FeedbackWeights[at++];
                }
            }
            if (at != r.FeedbackWeights.Length) throw new InvalidOperationException($"recurrent {r.Feedback}: {r.FeedbackWeights.Length} recurrent weights, the layout takes {at}");
            var y = new long[units];
            for (int o = 0; o < units; o++)
            {
                BigInteger a = r.Bias[o];
                for (int i = 0; i < n; i++) a += r.Weights[o * n + i] * ((BigInteger)x[i] - zIn);
                BigInteger b = 0;
                for (int j = 0; j < s; j++) b += u[o, j] * ((BigInteger)state[j] - zState);
                BigInteger sum = Saturate32(Scale(Accumulator(a, SixteenBitKernel(r)), r.InputMultiplier[o], r.InputShift[o]) + Scale(Accumulator(b, SixteenBitKernel(r)), r.FeedbackMultiplier[o], r.FeedbackShift[o]));
                y[o] = Finish(stage, sum);
            }
            return y;
        }

        // ---- the arithmetic of docs/quantization.md ------------------------------------------------------

        /// <summary>
        /// The reader accepts only layers whose accumulator fits int32, or |acc| &lt;= 2^47 for a layer with a 16-bit
        /// tensor (quantization.md, Accumulation).
        /// </summary>
        private static BigInteger Accumulator(BigInteger acc, bool sixteenBit)
        {
            bool outside = sixteenBit ? BigInteger.Abs(acc) > (BigInteger.One << 47) : acc < int.MinValue || acc > int.MaxValue;
            if (outside) throw new InvalidOperationException($"accumulator {acc} outside its bound: the reader should have rejected this layer");
            return acc;
        }

        /// <summary>shift 0: acc * m; otherwise floor((acc * m + 2^(shift-1)) / 2^shift); saturated to int32.</summary>
        public static BigInteger Scale(BigInteger acc, int multiplier, int shift)
        {
            BigInteger product = acc * multiplier;
            BigInteger r = shift == 0 ? product : FloorDiv(product + (BigInteger.One << (shift - 1)), BigInteger.One << shift);
            return Saturate32(r);
        }

        /// <summary>v = sat32(scaled + zPre), clamped to [ClampMin, ClampMax] and the tensor's range, then the table if any.</summary>
        private static long Finish(Layer stage, BigInteger scaled) => Stage(stage, Saturate32(scaled + stage.RequantZeroPoint));

        private static long Stage(Layer stage, BigInteger v)
        {
            Precision p = OutputPrecision(stage);
            v = BigInteger.Min(BigInteger.Max(v, stage.ClampMin), stage.ClampMax);
            long q = (long)BigInteger.Min(BigInteger.Max(v, p.Min), p.Max);
            // Sigmoid, tanh and step are tables; identity and ReLU end at the clamp.
            bool table = stage.Activation == Activation.Sigmoid || stage.Activation == Activation.Tanh || stage.Activation == Activation.Step;
            if (!table) return q;
            if (stage.Table == null || stage.Table.Length != p.Max - p.Min + 1) throw new InvalidOperationException($"{stage.Activation} needs a table of {p.Max - p.Min + 1} entries");
            return stage.Table[q - p.Min];
        }

        /// <summary>
        /// The largest output's index, the first on ties; a single output: class 1 when it is at or above the
        /// threshold, which is the output zero point (real 0), or for sigmoid and step outputs
        /// min(zOut + round(0.5 / outputScale), 127) (real 0.5), computed exactly from the float's bits.
        /// </summary>
        public static int PredictedClass(Model model, long[] y)
        {
            if (y.Length != 1)
            {
                int best = 0;
                for (int i = 1; i < y.Length; i++)
                    if (y[i] > y[best]) best = i;
                return best;
            }
            Layer last = model.Layers[model.Layers.Length - 1];
            BigInteger threshold = last.OutputZeroPoint;
            if (last.Activation == Activation.Sigmoid || last.Activation == Activation.Step)
            {
                threshold = BigInteger.Min(last.OutputZeroPoint + RoundHalfOverScale(last.OutputScale), OutputPrecision(last).Max);
            }
            return y[0] >= threshold ? 1 : 0;
        }

        /// <summary>round(0.5 / scale), halves up, for a positive finite float: scale = mantissa * 2^exponent exactly.</summary>
        private static BigInteger RoundHalfOverScale(float scale)
        {
            int bits = BitConverter.SingleToInt32Bits(scale);
            int biased = (bits >> 23) & 0xFF;
            int fraction = bits & 0x7FFFFF;
            if (bits <= 0 || biased == 0xFF || (biased == 0 && fraction == 0)) throw new InvalidOperationException("the output scale must be a positive finite number");
            BigInteger mantissa = biased == 0 ? fraction : fraction | 0x800000;
            int exponent = biased == 0 ? -149 : biased - 150;
            // 0.5 / (mantissa * 2^exponent) = num / den
            BigInteger num = BigInteger.One, den = mantissa;
            int e = -exponent - 1;
            if (e >= 0) num <<= e;
            else den <<= -e;
            return FloorDiv(2 * num + den, 2 * den);
        }

        private static BigInteger FloorDiv(BigInteger a, BigInteger b)
        {
            BigInteger q = BigInteger.DivRem(a, b, out BigInteger rem);
            return rem.Sign != 0 && (rem.Sign < 0) != (b.Sign < 0) ? q - 1 : q;
        }

        private static BigInteger Saturate32(BigInteger v) => BigInteger.Min(BigInteger.Max(v, int.MinValue), int.MaxValue);

        private static long[] Filled(int n, long value)
        {
            var a = new long[n];
            Array.Fill(a, value);
            return a;
        }
    }
}
