using System;
using EdgeNet.Layers;

namespace EdgeNet.Quantization
{
    /// <summary>
    /// The quantization rule applied to conv1d, pooling and recurrent layers (docs/network-types.md).
    /// Same rule as the dense layer: int8 symmetric weights with one scale per output channel (filter,
    /// neuron), int32 bias at input scale x weight scale, requantization to the calibrated pre-activation
    /// range. Unlike dense, these layers keep the input zero point out of the bias (the kernel subtracts
    /// it), so conv padding is exact and recurrent state needs no folding.
    /// </summary>
    public static partial class QuantizationRule
    {
        /// <summary>
        /// A conv1d layer from float weights [filters][kernel][channels] and bias, for an input of
        /// steps x channels quantized with <paramref name="input"/>.
        /// </summary>
        public static Conv1DLayer QuantizeConv1D(float[] weights, float[] bias, int steps, int channels,
            int filters, int kernel, int stride, int padding, Activation activation,
            QuantParams input, double preMin, double preMax, int precision = EdgeNet.Format.ModelFormat.PrecisionInt8)
        {
            int row = kernel * channels;
            if (weights.Length != filters * row || bias.Length != filters) throw new ArgumentException("conv1d weights or bias do not match the layer shape");
            int outSteps = EdgeNet.Kernels.Conv1D.OutputSteps(steps, kernel, stride, padding);
            if (outSteps < 1 || padding >= kernel) throw new ArgumentException($"conv1d kernel {kernel}, stride {stride}, padding {padding} does not fit {steps} steps");
            var layer = new Conv1DLayer
            {
                InputSteps = steps, InputChannels = channels, InputZeroPoint = input.ZeroPoint,
                OutputSteps = outSteps, OutputChannels = filters,
                KernelSize = kernel, Stride = stride, Padding = padding,
                Weights = new sbyte[filters * row], Bias = new int[filters], Multiplier = new int[filters], Shift = new byte[filters],
            };
            layer.InputPrecision = input.Precision;
            QuantParams pre = SetOutputStage(layer, activation, preMin, preMax, precision);
            for (int f = 0; f < filters; f++)
            {
                // The scale is raised for a bias too large for int32 beside the weight terms (AccumulatorSafety).
                double ws = QuantizeRow(weights, f * row, row, layer.Weights, AccumulatorSafety.MinWeightScale(bias[f], input.Scale, row, 255, layer.WideKernel));
                double accScale = input.Scale * ws;
                layer.Bias[f] = SaturateInt32(RoundToInt(bias[f] / accScale));
                (layer.Multiplier[f], int shift) = QuantizeMultiplier(accScale / pre.Scale);
                layer.Shift[f] = (byte)shift;
            }
            AccumulatorSafety.Verify(layer, "conv1d layer");
            layer.Prepare();
            return layer;
        }

        /// <summary>Max pooling keeps the input's quantization: identity output stage with the input zero point.</summary>
        public static MaxPool1DLayer QuantizeMaxPool1D(int steps, int channels, int pool, int stride, QuantParams input)
        {
            var layer = new MaxPool1DLayer { PoolSize = pool, Stride = stride };
            SetPoolShape(layer, steps, channels, input);
            return layer;
        }

        /// <summary>Average pooling keeps the input's quantization (integer average, rounding half away from zero).</summary>
        public static AvgPool1DLayer QuantizeAvgPool1D(int steps, int channels, int pool, int stride, QuantParams input)
        {
            var layer = new AvgPool1DLayer { PoolSize = pool, Stride = stride };
            SetPoolShape(layer, steps, channels, input);
            return layer;
        }

        private static void SetPoolShape(Pool1DLayer layer, int steps, int channels, QuantParams input)
        {
            if (layer.PoolSize < 1 || layer.Stride < 1 || layer.PoolSize > steps) throw new ArgumentException($"pool {layer.PoolSize} stride {layer.Stride} does not fit {steps} steps");
            layer.InputSteps = steps;
            layer.InputChannels = channels;
            layer.InputZeroPoint = input.ZeroPoint;
            layer.OutputSteps = (steps - layer.PoolSize) / layer.Stride + 1;
            layer.OutputChannels = channels;
            layer.Activation = Activation.Identity;
            layer.Precision = input.Precision;
            layer.InputPrecision = input.Precision;
            layer.RequantZeroPoint = input.ZeroPoint;
            layer.ClampMin = EdgeNet.Format.ModelFormat.TensorMin(input.Precision);
            layer.ClampMax = EdgeNet.Format.ModelFormat.TensorMax(input.Precision);
            layer.Table = null;
            layer.OutputScale = (float)input.Scale;
            layer.OutputZeroPoint = input.ZeroPoint;
        }

        /// <summary>
        /// A recurrent layer (direct, lateral or complete feedback) from float input weights [units][inputs],
        /// recurrent weights in the device layout of the feedback kind (<see cref="RecurrentLayer"/>) and bias.
        /// The state is the layer's own output, so its quantization is the output's (fixed for tanh/sigmoid,
        /// the calibrated pre-activation range otherwise).
        /// </summary>
        public static RecurrentLayer QuantizeRecurrent(float[] weights, float[] feedbackWeights, float[] bias,
            Feedback feedback, int inputs, int units, Activation activation,
            QuantParams input, double preMin, double preMax, int precision = EdgeNet.Format.ModelFormat.PrecisionInt8)
        {
            if (feedback == Feedback.Indirect) throw new ArgumentException("indirect feedback is quantized with QuantizeIndirect");
            var layer = new RecurrentLayer { Feedback = feedback, InputPrecision = input.Precision };
            QuantParams pre = SetOutputStage(layer, activation, preMin, preMax, precision);
            var state = new QuantParams(layer.OutputScale, layer.OutputZeroPoint, precision);
            FillRecurrent(layer, weights, feedbackWeights, bias, inputs, units, units, input, state, pre);
            layer.Prepare();
            return layer;
        }

        /// <summary>
        /// An indirect block: the hidden layer gets the input and the block's previous output; the output
        /// (dense) layer's result is the block's output and the fed-back state.
        /// hiddenFeedback is [hidden][outputs].
        /// </summary>
        public static IndirectRecurrentLayer QuantizeIndirect(
            float[] hiddenWeights, float[] hiddenFeedback, float[] hiddenBias, int inputs, int hidden,
            Activation hiddenActivation, double hiddenPreMin, double hiddenPreMax,
            float[] outputWeights, float[] outputBias, int outputs,
            Activation outputActivation, double outputPreMin, double outputPreMax,
            QuantParams input, int precision = EdgeNet.Format.ModelFormat.PrecisionInt8)
        {
            // A 16-bit block has all three tensors 16-bit (the reader's rule), its input too when it comes first.
            var h = new RecurrentLayer { Feedback = Feedback.Indirect, InputPrecision = input.Precision, FeedbackPrecision = precision };
            QuantParams hiddenPre = SetOutputStage(h, hiddenActivation, hiddenPreMin, hiddenPreMax, precision);
            var hiddenOut = new QuantParams(h.OutputScale, h.OutputZeroPoint, precision);
            DenseLayer o = QuantizeDense(outputWeights, outputBias, hidden, outputs, outputActivation, hiddenOut, outputPreMin, outputPreMax, precision);
            var state = new QuantParams(o.OutputScale, o.OutputZeroPoint, precision);
            FillRecurrent(h, hiddenWeights, hiddenFeedback, hiddenBias, inputs, hidden, outputs, input, state, hiddenPre);
            var block = new IndirectRecurrentLayer
            {
                InputSteps = 1, InputChannels = inputs, InputZeroPoint = input.ZeroPoint, Precision = precision, InputPrecision = input.Precision,
                OutputSteps = 1, OutputChannels = outputs,
                Activation = o.Activation, RequantZeroPoint = o.RequantZeroPoint, ClampMin = o.ClampMin, ClampMax = o.ClampMax,
                Table = o.Table, OutputScale = o.OutputScale, OutputZeroPoint = o.OutputZeroPoint,
                Hidden = h, Output = o,
            };
            block.Prepare();
            return block;
        }

        private static void FillRecurrent(RecurrentLayer layer, float[] weights, float[] feedbackWeights, float[] bias,
            int inputs, int units, int stateLength, QuantParams input, QuantParams state, QuantParams pre)
        {
            long fbCount = RecurrentLayer.FeedbackWeightCount(layer.Feedback, units, stateLength);
            if (weights.Length != inputs * units || bias.Length != units || feedbackWeights.Length != fbCount)
                throw new ArgumentException($"recurrent weights do not match {units} units of {layer.Feedback} feedback over {inputs} inputs");
            layer.InputSteps = 1;
            layer.InputChannels = inputs;
            layer.InputZeroPoint = input.ZeroPoint;
            layer.OutputSteps = 1;
            layer.OutputChannels = units;
            layer.FeedbackLength = stateLength;
            layer.FeedbackZeroPoint = state.ZeroPoint;
            layer.Weights = new sbyte[weights.Length];
            layer.FeedbackWeights = new sbyte[fbCount];
            layer.Bias = new int[units];
            layer.InputMultiplier = new int[units];
            layer.InputShift = new byte[units];
            layer.FeedbackMultiplier = new int[units];
            layer.FeedbackShift = new byte[units];
            int row = (int)(fbCount / units);
            layer.FeedbackPrecision = state.Precision;
            for (int o = 0; o < units; o++)
            {
                double ws = QuantizeRow(weights, o * inputs, inputs, layer.Weights, AccumulatorSafety.MinWeightScale(bias[o], input.Scale, inputs, 255, layer.WideKernel));
                double inScale = input.Scale * ws;
                layer.Bias[o] = SaturateInt32(RoundToInt(bias[o] / inScale));
                (layer.InputMultiplier[o], int s1) = QuantizeMultiplier(inScale / pre.Scale);
                layer.InputShift[o] = (byte)s1;
                double us = QuantizeRow(feedbackWeights, o * row, row, layer.FeedbackWeights, 0);
                (layer.FeedbackMultiplier[o], int s2) = QuantizeMultiplier(state.Scale * us / pre.Scale);
                layer.FeedbackShift[o] = (byte)s2;
            }
            AccumulatorSafety.Verify(layer, layer.Feedback + " recurrent layer");
        }

        /// <summary>
        /// Quantizes real[offset..offset+count) into q at the same place with a symmetric scale (at least
        /// minScale); returns the scale.
        /// </summary>
        private static double QuantizeRow(float[] real, int offset, int count, sbyte[] q, double minScale)
        {
            double scale = Math.Max(WeightScale(new ReadOnlySpan<float>(real, offset, count)), minScale);
            for (int i = 0; i < count; i++) q[offset + i] = SaturateInt8(RoundToInt(real[offset + i] / scale));
            return scale;
        }
    }
}
