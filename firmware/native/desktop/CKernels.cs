#nullable enable
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeNet.Kernels;
using EdgeNet.Layers;

namespace EdgeNet.Native.Desktop;

/// <summary>
/// The C kernels (firmware/native) through P/Invoke, on the desktop only: artifacts/native/libedgenet_kernels.so,
/// built by firmware/native/build.sh (.ci/run, and the test project when a source is newer). The declarations
/// follow include/edgenet_kernels.h one for one; arrays are blittable and pinned for the call. Linked into the
/// tests (tests/EdgeNet.Tests/Native) and the benchmarks (benchmarks/EdgeNet.Benchmarks, native mode).
/// </summary>
public static class CKernels
{
    public const string Library = "edgenet_kernels";

    /// <summary>EDGENET_KERNELS_API_VERSION of include/edgenet_kernels.h these declarations follow.</summary>
    public const int ApiVersion = 3;

    static CKernels()
    {
        NativeLibrary.SetDllImportResolver(typeof(CKernels).Assembly, Resolve);
    }

    /// <summary>artifacts/native/libedgenet_kernels.so above the running assembly (the repository's artifacts).</summary>
    public static string LibraryPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeNet.sln")))
                    return Path.Combine(dir.FullName, "artifacts", "native", OperatingSystem.IsWindows() ? "edgenet_kernels.dll" : OperatingSystem.IsMacOS() ? "libedgenet_kernels.dylib" : "libedgenet_kernels.so");
            }
            throw new InvalidOperationException("EdgeNet.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library) return IntPtr.Zero;
        string file = LibraryPath;
        if (!File.Exists(file)) throw new DllNotFoundException(file + " is missing: run bash firmware/native/build.sh (or .ci/run)");
        return NativeLibrary.Load(file);
    }

    [DllImport(Library, EntryPoint = "edgenet_api_version")]
    public static extern int LibraryVersion();

    [DllImport(Library, EntryPoint = "edgenet_multiply_by_quantized_multiplier")]
    public static extern int MultiplyByQuantizedMultiplier(int value, int multiplier, int shift);

    [DllImport(Library, EntryPoint = "edgenet_requantize")]
    public static extern sbyte Requantize(int acc, int multiplier, int shift, int zeroPoint, int min, int max);

    [DllImport(Library, EntryPoint = "edgenet_recurrent_sum")]
    public static extern sbyte RecurrentSum(int inputAcc, int inputMultiplier, int inputShift,
        int feedbackAcc, int feedbackMultiplier, int feedbackShift, int zeroPoint, int min, int max);

    [DllImport(Library, EntryPoint = "edgenet_dense")]
    public static extern void Dense(ref sbyte input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, ref sbyte output);

    [DllImport(Library, EntryPoint = "edgenet_conv1d")]
    public static extern void Conv1D(sbyte[] input, int steps, int channels, int inputZeroPoint,
        sbyte[] weights, int[] foldedBias, int[]? tapSums, int[] multiplier, byte[] shift,
        int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, sbyte[] output, int outSteps);

    [DllImport(Library, EntryPoint = "edgenet_max_pool1d")]
    public static extern void MaxPool1D(sbyte[] input, int channels, int pool, int stride, int min, int max, sbyte[] output, int outSteps);

    [DllImport(Library, EntryPoint = "edgenet_rounded_divide")]
    public static extern int RoundedDivide(int sum, int count);

    [DllImport(Library, EntryPoint = "edgenet_avg_pool1d")]
    public static extern void AvgPool1D(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint,
        int min, int max, sbyte[] output, int outSteps);

    [DllImport(Library, EntryPoint = "edgenet_recurrent_direct")]
    public static extern void RecurrentDirect(sbyte[] input, int inputLength,
        sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, sbyte[] output);

    [DllImport(Library, EntryPoint = "edgenet_recurrent_lateral")]
    public static extern void RecurrentLateral(sbyte[] input, int inputLength,
        sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, sbyte[] output);

    [DllImport(Library, EntryPoint = "edgenet_recurrent_complete")]
    public static extern void RecurrentComplete(sbyte[] input, int inputLength,
        sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, sbyte[] output);

    // ---- 16-bit activations (16x8) ----------------------------------------------------------------------

    [DllImport(Library, EntryPoint = "edgenet_multiply_by_quantized_multiplier_long")]
    public static extern int MultiplyByQuantizedMultiplierLong(long value, int multiplier, int shift);

    [DllImport(Library, EntryPoint = "edgenet_requantize16")]
    public static extern short Requantize16(int acc, int multiplier, int shift, int zeroPoint, int min, int max);

    [DllImport(Library, EntryPoint = "edgenet_requantize16_long")]
    public static extern short Requantize16Long(long acc, int multiplier, int shift, int zeroPoint, int min, int max);

    [DllImport(Library, EntryPoint = "edgenet_recurrent_sum16")]
    public static extern short RecurrentSum16(long inputAcc, int inputMultiplier, int inputShift,
        long feedbackAcc, int feedbackMultiplier, int feedbackShift, int zeroPoint, int min, int max);

    [DllImport(Library, EntryPoint = "edgenet_dense16")]
    public static extern void Dense16(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output);

    [DllImport(Library, EntryPoint = "edgenet_dense16_long")]
    public static extern void Dense16Long(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output);

    [DllImport(Library, EntryPoint = "edgenet_dense16x16")]
    public static extern void Dense16x16(short[] input, int inputLength, short[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output);

    [DllImport(Library, EntryPoint = "edgenet_conv1d16")]
    public static extern void Conv1D16(short[] input, int steps, int channels, int inputZeroPoint,
        sbyte[] weights, int[] foldedBias, int[]? tapSums, int[] multiplier, byte[] shift,
        int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps);

    [DllImport(Library, EntryPoint = "edgenet_conv1d16_long")]
    public static extern void Conv1D16Long(short[] input, int steps, int channels, int inputZeroPoint,
        sbyte[] weights, long[] foldedBias, int[]? tapSums, int[] multiplier, byte[] shift,
        int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps);

    [DllImport(Library, EntryPoint = "edgenet_max_pool1d16")]
    public static extern void MaxPool1D16(short[] input, int channels, int pool, int stride, int min, int max, short[] output, int outSteps);

    [DllImport(Library, EntryPoint = "edgenet_avg_pool1d16")]
    public static extern void AvgPool1D16(short[] input, int channels, int pool, int stride, int inputZeroPoint,
        int min, int max, short[] output, int outSteps);

    [DllImport(Library, EntryPoint = "edgenet_recurrent16_direct")]
    public static extern void Recurrent16Direct(short[] input, int inputLength,
        sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
        short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, short[] output);

    [DllImport(Library, EntryPoint = "edgenet_recurrent16_lateral")]
    public static extern void Recurrent16Lateral(short[] input, int inputLength,
        sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
        short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, short[] output);

    [DllImport(Library, EntryPoint = "edgenet_recurrent16_complete")]
    public static extern void Recurrent16Complete(short[] input, int inputLength,
        sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
        short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift,
        int units, int zeroPoint, int min, int max, short[] output);

    /// <summary>Dense with the managed kernel's offsets: pointers to input[inputOffset] and output[outputOffset].</summary>
    public static void Dense(sbyte[] input, int inputOffset, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, sbyte[] output, int outputOffset)
    {
        if ((uint)inputOffset > (uint)input.Length || inputLength < 0 || inputLength > input.Length - inputOffset) throw new ArgumentOutOfRangeException(nameof(inputLength));
        if (units < 0 || (uint)outputOffset > (uint)output.Length || units > output.Length - outputOffset) throw new ArgumentOutOfRangeException(nameof(units));
        if ((long)units * inputLength > weights.Length || units > bias.Length || units > multiplier.Length || units > shift.Length) throw new ArgumentOutOfRangeException(nameof(weights));
        Dense(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(input), inputOffset), inputLength, weights, bias, multiplier, shift,
            units, zeroPoint, min, max, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(output), outputOffset));
    }
}

/// <summary>
/// The engine's kernel backend on the desktop: <see cref="CKernels"/> for every layer kind, int8 and 16-bit, in the desktop build
/// of EdgeNet.Shared. The device's counterpart is EdgeNet.Native.NativeBackend (interop); both give the managed
/// kernels' bits.
/// </summary>
public sealed class CKernelBackend : KernelBackend
{
    public override string Name => "native";

    public override bool Probe() => CKernels.LibraryVersion() == CKernels.ApiVersion;

    public override bool Runs(Layer layer) => layer.Kind >= LayerKind.Dense && layer.Kind <= LayerKind.IndirectRecurrent;

    public override void Dense(sbyte[] input, int inputOffset, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, sbyte[] output, int outputOffset) =>
        CKernels.Dense(input, inputOffset, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output, outputOffset);

    public override void Conv1D(sbyte[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, int[] foldedBias, int[] tapSums,
        int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, sbyte[] output, int outSteps) =>
        CKernels.Conv1D(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift, filters, kernel, stride, padding,
            zeroPoint, min, max, output, outSteps);

    public override void MaxPool1D(sbyte[] input, int channels, int pool, int stride, int min, int max, sbyte[] output, int outSteps) =>
        CKernels.MaxPool1D(input, channels, pool, stride, min, max, output, outSteps);

    public override void AvgPool1D(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, sbyte[] output, int outSteps) =>
        CKernels.AvgPool1D(input, channels, pool, stride, inputZeroPoint, min, max, output, outSteps);

    public override void RecurrentDirect(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) =>
        CKernels.RecurrentDirect(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, feedback, feedbackBias,
            feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);

    public override void RecurrentLateral(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) =>
        CKernels.RecurrentLateral(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, feedback, feedbackBias,
            feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);

    public override void RecurrentComplete(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift,
        sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) =>
        CKernels.RecurrentComplete(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, stateLength, feedback, feedbackBias,
            feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);

    public override void Dense16(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output) =>
        CKernels.Dense16(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output);

    public override void Dense16Long(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output) =>
        CKernels.Dense16Long(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output);

    public override bool RunsDense16x16 => true;

    public override void Dense16x16(short[] input, int inputLength, short[] weights, int[] bias, int[] multiplier, byte[] shift,
        int units, int zeroPoint, int min, int max, short[] output) =>
        CKernels.Dense16x16(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output);

    public override void Conv1D16(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, int[] foldedBias, int[] tapSums,
        int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps) =>
        CKernels.Conv1D16(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift, filters, kernel, stride, padding,
            zeroPoint, min, max, output, outSteps);

    public override void Conv1D16Long(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, long[] foldedBias, int[] tapSums,
        int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps) =>
        CKernels.Conv1D16Long(input, steps, channels, inputZeroPoint, weights, foldedBias, tapSums, multiplier, shift, filters, kernel, stride, padding,
            zeroPoint, min, max, output, outSteps);

    public override void MaxPool1D16(short[] input, int channels, int pool, int stride, int min, int max, short[] output, int outSteps) =>
        CKernels.MaxPool1D16(input, channels, pool, stride, min, max, output, outSteps);

    public override void AvgPool1D16(short[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, short[] output, int outSteps) =>
        CKernels.AvgPool1D16(input, channels, pool, stride, inputZeroPoint, min, max, output, outSteps);

    public override void Recurrent16Direct(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
        short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) =>
        CKernels.Recurrent16Direct(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, feedback, feedbackBias,
            feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);

    public override void Recurrent16Lateral(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
        short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) =>
        CKernels.Recurrent16Lateral(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, feedback, feedbackBias,
            feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);

    public override void Recurrent16Complete(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift,
        short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) =>
        CKernels.Recurrent16Complete(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, stateLength, feedback, feedbackBias,
            feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output);
}
