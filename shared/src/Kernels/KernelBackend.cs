using EdgeNet.Layers;

namespace EdgeNet.Kernels
{
    /// <summary>
    /// Another implementation of the kernels, with the managed kernels' exact signatures and results:
    /// the C kernels of firmware/native behind nanoFramework's interop (EdgeNet.Native, NativeBackend) on a
    /// firmware image that has them, or through P/Invoke in the desktop tests and benchmarks. A layer whose
    /// <see cref="Layer.Backend"/> is null runs the managed kernels (shared/src/Kernels); the engine sets it at
    /// load (<see cref="EdgeNet.Engine.KernelSelection"/>) for each layer this backend <see cref="Runs"/>.
    /// </summary>
    public abstract class KernelBackend
    {
        /// <summary>Short name for the model summary and the device status line ("native").</summary>
        public abstract string Name { get; }

        /// <summary>
        /// Called once, at load: true when the kernels are there and give the managed kernels' bits on a
        /// fixed case. A stock firmware without the interop module raises from the first call; the caller
        /// catches it and keeps the managed kernels.
        /// </summary>
        public abstract bool Probe();

        /// <summary>
        /// True when this backend runs this layer (by kind, or any other property a backend cannot run), int8 or
        /// 16-bit (<see cref="Layer.WideKernel"/>: the 16x8 methods below).
        /// </summary>
        public abstract bool Runs(Layer layer);

        /// <summary><see cref="FullyConnectedOptimized.Invoke"/>.</summary>
        public abstract void Dense(
            sbyte[] input, int inputOffset, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            sbyte[] output, int outputOffset);

        /// <summary><see cref="Conv1DOptimized.Invoke"/>.</summary>
        public abstract void Conv1D(
            sbyte[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            sbyte[] output, int outSteps);

        /// <summary><see cref="EdgeNet.Kernels.MaxPool1D.Invoke"/>.</summary>
        public abstract void MaxPool1D(sbyte[] input, int channels, int pool, int stride,
            int min, int max, sbyte[] output, int outSteps);

        /// <summary><see cref="EdgeNet.Kernels.AvgPool1D.Invoke"/>.</summary>
        public abstract void AvgPool1D(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint,
            int min, int max, sbyte[] output, int outSteps);

        /// <summary><see cref="RecurrentOptimized.Direct"/>.</summary>
        public abstract void RecurrentDirect(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output);

        /// <summary><see cref="RecurrentOptimized.Lateral"/>.</summary>
        public abstract void RecurrentLateral(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output);

        /// <summary><see cref="RecurrentOptimized.Complete"/>.</summary>
        public abstract void RecurrentComplete(
            sbyte[] input, int inputLength,
            sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
            sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, sbyte[] output);

        // ---- 16-bit activations (16x8 kernels; docs/quantization.md, "16-bit activations") ----------------

        /// <summary><see cref="FullyConnected16Optimized.Invoke"/> (int32 sum).</summary>
        public abstract void Dense16(
            short[] input, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output);

        /// <summary><see cref="FullyConnected16Optimized.InvokeLong"/> (int64 sum).</summary>
        public abstract void Dense16Long(
            short[] input, int inputLength,
            sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output);

        // ---- 16-bit weights (the 16x16 dense kernel; docs/quantization.md, "16-bit weights") ---------------

        /// <summary>
        /// True when <see cref="Dense16x16"/> is this backend's own kernel. Only then does KernelSelection point a
        /// dense layer with int16 weights at this backend (a backend written before the 16x16 kernel, false here,
        /// keeps such layers managed and still runs the rest).
        /// </summary>
        public virtual bool RunsDense16x16 { get { return false; } }

        /// <summary>
        /// <see cref="FullyConnected16x16Optimized.Invoke"/> (int16 weights, int64 sum). The base runs the managed
        /// kernel, so a backend without its own never fails a call; the C backends override it.
        /// </summary>
        public virtual void Dense16x16(
            short[] input, int inputLength,
            short[] weights, int[] bias, int[] multiplier, byte[] shift,
            int units, int zeroPoint, int min, int max,
            short[] output)
        {
            FullyConnected16x16Optimized.Invoke(input, inputLength, weights, bias, multiplier, shift,
                units, zeroPoint, min, max, output);
        }

        /// <summary><see cref="Conv1D16Optimized.Invoke"/> (int32 sum).</summary>
        public abstract void Conv1D16(
            short[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            short[] output, int outSteps);

        /// <summary><see cref="Conv1D16Optimized.InvokeLong"/> (int64 sum, int64 folded bias).</summary>
        public abstract void Conv1D16Long(
            short[] input, int steps, int channels, int inputZeroPoint,
            sbyte[] weights, long[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift,
            int filters, int kernel, int stride, int padding,
            int zeroPoint, int min, int max,
            short[] output, int outSteps);

        /// <summary><see cref="EdgeNet.Kernels.MaxPool1D16.Invoke"/>.</summary>
        public abstract void MaxPool1D16(short[] input, int channels, int pool, int stride,
            int min, int max, short[] output, int outSteps);

        /// <summary><see cref="EdgeNet.Kernels.AvgPool1D16.Invoke"/>.</summary>
        public abstract void AvgPool1D16(short[] input, int channels, int pool, int stride, int inputZeroPoint,
            int min, int max, short[] output, int outSteps);

        /// <summary><see cref="Recurrent16Optimized.Direct"/>.</summary>
        public abstract void Recurrent16Direct(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output);

        /// <summary><see cref="Recurrent16Optimized.Lateral"/>.</summary>
        public abstract void Recurrent16Lateral(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output);

        /// <summary><see cref="Recurrent16Optimized.Complete"/> (also the 16-bit indirect block's hidden layer).</summary>
        public abstract void Recurrent16Complete(
            short[] input, int inputLength,
            sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
            short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
            int units, int zeroPoint, int min, int max, short[] output);
    }
}
