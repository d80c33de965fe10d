using System.Reflection;
using System.Runtime.CompilerServices;

// The native version the firmware's CLR_RT_NativeAssemblyData must declare (interop/EdgeNet.Native/EdgeNet_Native.cpp).
[assembly: AssemblyNativeVersion("3.0.0.0")]

namespace EdgeNet.Native
{
    /// <summary>
    /// The C kernels of firmware/native (int8 and 16x8) as nanoFramework interop methods. Each has the signature of the managed
    /// kernel it mirrors (shared/src/Kernels) and gives its results bit for bit; the native bodies are
    /// interop/EdgeNet.Native/EdgeNet_Native_EdgeNet_Native_NativeKernels.cpp, which check every array against
    /// the shapes before calling C. On a firmware without the module every call raises.
    /// The methods are declared in ordinal name order: the metadata processor's method table is then the same
    /// whether it keeps declaration order or sorts by name, and the glue's lookup table lists them in this order.
    /// Changing a name, a signature or the order changes the native checksum (docs/native.md).
    /// </summary>
    public static class NativeKernels
    {
        /// <summary>AvgPool1D.Invoke.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void AvgPool1D(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint,
            int min, int max, sbyte[] output, int outSteps);

        /// <summary>AvgPool1D16.Invoke.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void AvgPool1D16(short[] input, int channels, int pool, int stride, int inputZeroPoint,
            int min, int max, short[] output, int outSteps);

        /// <summary>Conv1DOptimized.Invoke (tapSums may be null when padding is 0).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Conv1D(
            sbyte[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            sbyte[] output, int outSteps);

        /// <summary>Conv1D16Optimized.Invoke (int32 sum; tapSums may be null when padding is 0).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Conv1D16(
            short[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            short[] output, int outSteps);

        /// <summary>Conv1D16Optimized.InvokeLong (int64 sum and folded bias).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Conv1D16Long(
            short[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, long[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            short[] output, int outSteps);

        /// <summary>FullyConnectedOptimized.Invoke.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Dense(
            sbyte[] input, int inputOffset, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            sbyte[] output, int outputOffset);

        /// <summary>FullyConnected16Optimized.Invoke (int32 sum).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Dense16(
            short[] input, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output);

        /// <summary>FullyConnected16Optimized.InvokeLong (int64 sum).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Dense16Long(
            short[] input, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output);

        /// <summary>FullyConnected16x16Optimized.Invoke (int16 weights, int64 sum).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Dense16x16(
            short[] input, int inputLength,
            short[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output);

        /// <summary>MaxPool1D.Invoke.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void MaxPool1D(sbyte[] input, int channels, int pool, int stride,
            int min, int max, sbyte[] output, int outSteps);

        /// <summary>MaxPool1D16.Invoke.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void MaxPool1D16(short[] input, int channels, int pool, int stride,
            int min, int max, short[] output, int outSteps);

        /// <summary>FixedPoint.MultiplyByQuantizedMultiplier.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int MultiplyByQuantizedMultiplier(int value, int multiplier, int shift);

        /// <summary>FixedPoint.MultiplyByQuantizedMultiplierLong.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int MultiplyByQuantizedMultiplierLong(long value, int multiplier, int shift);

        /// <summary>Recurrent16Optimized.Complete (also the 16-bit indirect block's hidden layer).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Recurrent16Complete(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output);

        /// <summary>Recurrent16Optimized.Direct.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Recurrent16Direct(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output);

        /// <summary>Recurrent16Optimized.Lateral.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Recurrent16Lateral(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output);

        /// <summary>RecurrentOptimized.Complete.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void RecurrentComplete(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output);

        /// <summary>RecurrentOptimized.Direct.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void RecurrentDirect(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output);

        /// <summary>RecurrentOptimized.Lateral.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void RecurrentLateral(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output);

        /// <summary>FixedPoint.Requantize, the int8 result widened to int (one unambiguous return type across the boundary).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Requantize(int acc, int multiplier, int shift, int zeroPoint, int min, int max);

        /// <summary>The C library's EDGENET_KERNELS_API_VERSION (the probe checks it).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Version();
    }
}
