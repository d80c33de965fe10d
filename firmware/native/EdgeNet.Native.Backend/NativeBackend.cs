using EdgeNet.Kernels;
using EdgeNet.Layers;

namespace EdgeNet.Native
{
    /// <summary>
    /// The C kernels (firmware/native) through nanoFramework interop (<see cref="NativeKernels"/>), for every layer
    /// kind, int8 and 16-bit. <see cref="Probe"/> runs once at load: it checks the library's API version and that the
    /// int32 and int64 extremes of the requantization and a small fixed dense layer of each width (int8, 16x8, 16x16) give the managed
    /// kernels' bits. On a firmware without the
    /// interop module the first call raises and the engine keeps the managed kernels (KernelSelection.Usable).
    /// </summary>
    public sealed class NativeBackend : KernelBackend
    {
        /// <summary>EDGENET_KERNELS_API_VERSION of firmware/native/include/edgenet_kernels.h this assembly was written to.</summary>
        public const int ApiVersion = 3;

        public override string Name { get { return "native"; } }

        public override bool Probe()
        {
            if (NativeKernels.Version() != ApiVersion) return false;
            int[] values = { int.MinValue, -1, 0, 1, int.MaxValue };
            for (int i = 0; i < values.Length; i++)
            {
                if (NativeKernels.MultiplyByQuantizedMultiplier(values[i], int.MaxValue, 31) != FixedPoint.MultiplyByQuantizedMultiplier(values[i], int.MaxValue, 31)) return false;
                if (NativeKernels.Requantize(values[i], 1073741824, 40, -3, -128, 127) != FixedPoint.Requantize(values[i], 1073741824, 40, -3, -128, 127)) return false;
            }
            long[] wide = { -(1L << 47), -65537, -1, 0, 65535, 1L << 47 };
            for (int i = 0; i < wide.Length; i++)
            {
                if (NativeKernels.MultiplyByQuantizedMultiplierLong(wide[i], int.MaxValue, 47) != FixedPoint.MultiplyByQuantizedMultiplierLong(wide[i], int.MaxValue, 47)) return false;
                if (NativeKernels.MultiplyByQuantizedMultiplierLong(wide[i], 1431655765, 3) != FixedPoint.MultiplyByQuantizedMultiplierLong(wide[i], 1431655765, 3)) return false;
            }
            short[] input16 = { -32768, -1, 0, 1, 32767 };
            sbyte[] weights16 = { 127, -128, 3, 5, -7, 1, 2, 3, 4, 5 };
            int[] bias16 = { 1000, -1000 };
            int[] multiplier16 = { 1431655765, 2147483647 };
            byte[] shift16 = { 44, 36 };
            short[] native16 = new short[2], managed16 = new short[2];
            NativeKernels.Dense16Long(input16, 5, weights16, bias16, multiplier16, shift16, 2, 0, -32768, 32767, native16);
            FullyConnected16Optimized.InvokeLong(input16, 5, weights16, bias16, multiplier16, shift16, 2, 0, -32768, 32767, managed16);
            if (native16[0] != managed16[0] || native16[1] != managed16[1]) return false;
            // The 16x16 kernel on full-scale int16 weights: a sum of 2^32, beyond int32.
            short[] weightsWide = { -32768, -32768, -32768, -32768, 32767, 1, -1, 7, -32768, 32767 };
            short[] inputWide = { -32768, -32768, -32768, -32768, 32767 };
            NativeKernels.Dense16x16(inputWide, 5, weightsWide, bias16, multiplier16, shift16, 2, 0, -32768, 32767, native16);
            FullyConnected16x16Optimized.Invoke(inputWide, 5, weightsWide, bias16, multiplier16, shift16, 2, 0, -32768, 32767, managed16);
            if (native16[0] != managed16[0] || native16[1] != managed16[1]) return false;
            sbyte[] input = { -128, -1, 0, 1, 127 };
            sbyte[] weights = { 127, -128, 3, 5, -7, 1, 2, 3, 4, 5 };
            int[] bias = { 1000, -1000 };
            int[] multiplier = { 1431655765, 2147483647 };
            byte[] shift = { 38, 30 };
            sbyte[] native = new sbyte[2], managed = new sbyte[2];
            NativeKernels.Dense(input, 0, 5, weights, bias, multiplier, shift, 2, 5, -128, 127, native, 0);
            FullyConnectedOptimized.Invoke(input, 0, 5, weights, bias, multiplier, shift, 2, 5, -128, 127, managed, 0);
            return native[0] == managed[0] && native[1] == managed[1];
        }

        /// <summary>Every layer kind the format has, int8 and 16-bit (the indirect block runs the recurrent and dense kernels).</summary>
        public override bool Runs(Layer layer)
        {
            return layer.Kind >= LayerKind.Dense && layer.Kind <= LayerKind.IndirectRecurrent;
        }

        public override void Dense(sbyte[] input, int inputOffset, int inputLength, sbyte[] weights, int[] bias,
            int[] multiplier, byte[] shift, int units, int zeroPoint, int min, int max, sbyte[] output, int outputOffset)
        {
            NativeKernels.Dense(input, inputOffset, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output, outputOffset);
        }

        public override void Conv1D(sbyte[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights,
            int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max, sbyte[] output, int outSteps)
        {
            NativeKernels.Conv1D(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift,
                filters, kernel, stride, padding, zeroPoint, min, max, output, outSteps);
        }

        public override void MaxPool1D(sbyte[] input, int channels, int pool, int stride, int min, int max, sbyte[] output, int outSteps)
        {
            NativeKernels.MaxPool1D(input, channels, pool, stride, min, max, output, outSteps);
        }

        public override void AvgPool1D(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, sbyte[] output, int outSteps)
        {
            NativeKernels.AvgPool1D(input, channels, pool, stride, inputZeroPoint, min, max, output, outSteps);
        }

        public override void RecurrentDirect(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias,
            int[] inputMultiplier, byte[] inputShift, sbyte[] state, sbyte[] feedback, int[] feedbackBias,
            int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            NativeKernels.RecurrentDirect(input, inputLength, weights, inputBias, inputMultiplier, inputShift,
                state, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        }

        public override void RecurrentLateral(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias,
            int[] inputMultiplier, byte[] inputShift, sbyte[] state, sbyte[] feedback, int[] feedbackBias,
            int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            NativeKernels.RecurrentLateral(input, inputLength, weights, inputBias, inputMultiplier, inputShift,
                state, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        }

        public override void RecurrentComplete(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias,
            int[] inputMultiplier, byte[] inputShift, sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias,
            int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output)
        {
            NativeKernels.RecurrentComplete(input, inputLength, weights, inputBias, inputMultiplier, inputShift,
                state, stateLength, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        }

        public override void Dense16(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max, short[] output)
        {
            NativeKernels.Dense16(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output);
        }

        public override void Dense16Long(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max, short[] output)
        {
            NativeKernels.Dense16Long(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output);
        }

        public override bool RunsDense16x16 { get { return true; } }

        public override void Dense16x16(short[] input, int inputLength, short[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max, short[] output)
        {
            NativeKernels.Dense16x16(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output);
        }

        public override void Conv1D16(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights,
            int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max, short[] output, int outSteps)
        {
            NativeKernels.Conv1D16(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift,
                filters, kernel, stride, padding, zeroPoint, min, max, output, outSteps);
        }

        public override void Conv1D16Long(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights,
            long[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max, short[] output, int outSteps)
        {
            NativeKernels.Conv1D16Long(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift,
                filters, kernel, stride, padding, zeroPoint, min, max, output, outSteps);
        }

        public override void MaxPool1D16(short[] input, int channels, int pool, int stride, int min, int max, short[] output, int outSteps)
        {
            NativeKernels.MaxPool1D16(input, channels, pool, stride, min, max, output, outSteps);
        }

        public override void AvgPool1D16(short[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, short[] output, int outSteps)
        {
            NativeKernels.AvgPool1D16(input, channels, pool, stride, inputZeroPoint, min, max, output, outSteps);
        }

        public override void Recurrent16Direct(short[] input, int inputLength, sbyte[] weights, long[] inputBias,
            int[] inputMultiplier, byte[] inputShift, short[] state, sbyte[] feedback, long[] feedbackBias,
            int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output)
        {
            NativeKernels.Recurrent16Direct(input, inputLength, weights, inputBias, inputMultiplier, inputShift,
                state, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        }

        public override void Recurrent16Lateral(short[] input, int inputLength, sbyte[] weights, long[] inputBias,
            int[] inputMultiplier, byte[] inputShift, short[] state, sbyte[] feedback, long[] feedbackBias,
            int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output)
        {
            NativeKernels.Recurrent16Lateral(input, inputLength, weights, inputBias, inputMultiplier, inputShift,
                state, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        }

        public override void Recurrent16Complete(short[] input, int inputLength, sbyte[] weights, long[] inputBias,
            int[] inputMultiplier, byte[] inputShift, short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias,
            int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output)
        {
            NativeKernels.Recurrent16Complete(input, inputLength, weights, inputBias, inputMultiplier, inputShift,
                state, stateLength, feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
        }
    }
}
