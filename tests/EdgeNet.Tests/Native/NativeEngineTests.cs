using System.Reflection;
using EdgeNet.Engine;
using EdgeNet.GoldenData;
using EdgeNet.Kernels;
using EdgeNet.Layers;
using EdgeNet.Native.Desktop;
using EdgeNet.Quantization;
using EdgeNet.Tests.SixteenBit;

namespace EdgeNet.Tests.Native;

/// <summary>
/// One engine, two backends: whole models and the golden vectors give the same integers with the C kernels
/// (through P/Invoke, <see cref="CKernelBackend"/>) as with the managed ones; the selection is per layer and
/// reported; a runtime without the interop module (CoreCLR here, a stock firmware on the device) makes the
/// nanoFramework-compiled NativeBackend's probe raise, and the engine keeps the managed kernels.
/// </summary>
public class NativeEngineTests
{
    [Fact]
    public void Golden_vectors_pass_with_the_C_kernels()
    {
        int models = 0, calls = 0;
        for (int i = 0; i < GoldenVectorTable.Count; i++)
        {
            GoldenVector v = GoldenVectorTable.Get(i);
            switch (v.Kind)
            {
                case GoldenVector.Model:
                    sbyte[] trace = DeviceProbe.TraceWith(v.File, v.Raw, v.Readings, new CKernelBackend());
                    NativeKernelTests.Same(v.Trace, trace, "golden vector " + v.Name + " trace");
                    models++;
                    break;
                case GoldenVector.Multiply:
                case GoldenVector.Requantize:
                    for (int c = 0; c < v.Expected.Length; c++)
                    {
                        int at = c * v.Arity;
                        int[] a = v.Args;
                        int actual = v.Kind == GoldenVector.Multiply
                            ? CKernels.MultiplyByQuantizedMultiplier(a[at], a[at + 1], a[at + 2])
                            : CKernels.Requantize(a[at], a[at + 1], a[at + 2], a[at + 3], a[at + 4], a[at + 5]);
                        NativeKernelTests.Same(v.Expected[c], actual, $"golden vector {v.Name} call {c}");
                        calls++;
                    }
                    break;
            }
        }
        Assert.True(models >= 20 && calls >= 50, $"{models} model vectors, {calls} kernel calls");
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("direct")]
    [InlineData("lateral")]
    [InlineData("complete")]
    [InlineData("indirect")]
    public void Random_models_give_every_layer_output_identically_on_both_backends(string family)
    {
        var rng = new Random(1717 + family.Length);
        for (int n = 0; n < 60; n++)
        {
            int seed = rng.Next();
            Model managedModel = RandomLayers.Model(new Random(seed), family);
            Model nativeModel = RandomLayers.Model(new Random(seed), family);
            var (managed, native) = Engines(managedModel, nativeModel);
            var readings = new Random(seed ^ 0x5EED);
            for (int r = 0; r < 12; r++)
            {
                var (a, b) = InvokeBoth(managed, native, RandomModels.Readings(readings, managedModel.FeatureCount));
                for (int l = 0; l < managedModel.Layers.Length; l++)
                    NativeKernelTests.Same(managed.LayerOutput(l), native.LayerOutput(l), $"{family} model {n} (seed {seed}) reading {r} layer {l} ({KernelSelection.KindName(managedModel.Layers[l].Kind)})");
                Assert.Equal(a, b);
            }
        }
    }

    [Theory]
    [InlineData(0)] // dense stack
    [InlineData(1)] // conv1d -> pool -> dense
    [InlineData(2)] // pool first
    [InlineData(3)] // recurrent direct / lateral / complete, then dense
    [InlineData(4)] // indirect block, then dense
    public void Random_models_with_16_bit_layers_give_every_tensor_identically_on_both_backends(int family)
    {
        // Every mix of widths (tests/.../SixteenBit/MixedModels): int8 and 16-bit layers, int32 and int64 sums,
        // widened int8 inputs and int8 outputs of 16x8 kernels. The native engine runs the 16x8 layers in C too.
        var rng = new Random(1740 + family);
        int wideLayers = 0, longSums = 0;
        for (int n = 0; n < 80; n++)
        {
            int seed = rng.Next();
            bool largeFanIn = family <= 2 && n % 8 == 7;
            Model managedModel = family >= 3 ? MixedModels.CreateRecurrent(new Random(seed), family) : MixedModels.Create(new Random(seed), family, largeFanIn);
            Model nativeModel = family >= 3 ? MixedModels.CreateRecurrent(new Random(seed), family) : MixedModels.Create(new Random(seed), family, largeFanIn);
            var (managed, native) = Engines(managedModel, nativeModel);
            foreach (Layer l in nativeModel.Layers)
            {
                Assert.NotNull(l.Backend);
                if (l.WideKernel) wideLayers++;
                if (l.LongAccumulator) longSums++;
            }
            var readings = new Random(seed ^ 0x5EED);
            for (int r = 0; r < 12; r++)
            {
                var (a, b) = InvokeBoth(managed, native, RandomModels.Readings(readings, managedModel.FeatureCount));
                for (int t = -1; t < managedModel.Layers.Length; t++)
                {
                    int length = t < 0 ? managedModel.InputLength : managedModel.Layers[t].OutputLength;
                    for (int i = 0; i < length; i++)
                    {
                        int x = managed.TensorValue(t, i), y = native.TensorValue(t, i);
                        if (x != y) Assert.Fail($"family {family} model {n} (seed {seed}) reading {r} tensor {t} ({(t < 0 ? "input" : KernelSelection.KindName(managedModel.Layers[t].Kind) + (managedModel.Layers[t].WideKernel ? " 16x8" : " int8"))}): first difference at element {i}: managed {x}, native {y}");
                    }
                }
                Assert.Equal(a, b);
            }
        }
        Assert.True(wideLayers > 40, wideLayers + " 16x8 layers");
        if (family == 0 || family >= 3) Assert.True(longSums > 0, "no layer summed in int64");
    }

    [Fact]
    public void Selection_is_per_layer_kind_and_the_summary_says_so()
    {
        Model m = RandomLayers.Model(new Random(5), "cnn");
        var engine = new InferenceEngine(m, false, new DenseOnly());
        bool hasDense = m.Layers.Any(l => l.Kind == LayerKind.Dense);
        string others = string.Join(", ", m.Layers.Where(l => l.Kind != LayerKind.Dense).Select(l => KernelSelection.KindName(l.Kind)).Distinct()
            .OrderBy(k => Array.IndexOf(new[] { "dense", "conv1d", "maxpool1d", "avgpool1d" }, k)));
        Assert.Equal(hasDense ? "native: dense; managed: " + others : "managed", engine.Kernels);
        foreach (Layer l in m.Layers) Assert.Equal(l.Kind == LayerKind.Dense, l.Backend != null);
        // A backend whose probe fails leaves every layer managed.
        Assert.Equal("managed", new InferenceEngine(m, false, new Failing()).Kernels);
    }

    [Fact]
    public void Without_the_interop_module_the_device_backend_probe_raises_and_the_engine_stays_managed()
    {
        // The nanoFramework-compiled interop assembly and backend, loaded into CoreCLR, which has no native
        // implementation of their InternalCall methods (as a stock firmware has none): the call raises.
        Assembly backend = DeviceBuild.Load("EdgeNet.Native.Backend");
        object native = Activator.CreateInstance(backend.GetType("EdgeNet.Native.NativeBackend", true)!)!;
        MethodInfo probe = native.GetType().GetMethod("Probe")!;
        var raised = Assert.Throws<TargetInvocationException>(() => probe.Invoke(native, null));
        Assert.NotNull(raised.InnerException);
        Type selection = DeviceBuild.Shared.GetType("EdgeNet.Engine.KernelSelection", true)!;
        Assert.False((bool)selection.GetMethod("Usable")!.Invoke(null, new[] { native })!);
        Assert.False((bool)selection.GetMethod("Install")!.Invoke(null, new[] { native })!);
        Assert.Null(selection.GetProperty("Installed")!.GetValue(null));
    }

    [Fact]
    public void Device_backend_benchmark_runs_the_managed_kernels_and_reports_the_native_ones_unavailable_here()
    {
        // The int8 demo, its 16x8 variant and its 16x16 variant (16-bit weights holding the same real values).
        // benchmarks/device's entry for both backends, nanoFramework build, with the interop NativeBackend: on CoreCLR
        // (like a stock firmware) the probe raises, so only the managed line is timed.
        Assembly app = DeviceBuild.Load("EdgeNet.Bench.Device");
        object native = Activator.CreateInstance(DeviceBuild.Load("EdgeNet.Native.Backend").GetType("EdgeNet.Native.NativeBackend", true)!)!;
        string report = (string)app.GetType("EdgeNet.Bench.Device.BackendBenchmark", true)!.GetMethod("Run")!.Invoke(null, [3000, native])!;
        string[] lines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Equal("edgenet-backend-bench 2 mac_budget=3000", lines[0]);
        Assert.Matches(@"^case=backend\.managed shape=36-32-6 macs=1344 reps=[1-9]\d* ticks=[1-9]\d* us_per_inference=\d+\.\d check=-?\d+$", lines[1]);
        Assert.Equal("case=backend.native available=false kernels=managed", lines[2]);
        Assert.Matches(@"^case=backend16\.managed shape=36-32-6 macs=1344 reps=[1-9]\d* ticks=[1-9]\d* us_per_inference=\d+\.\d check=-?\d+$", lines[3]);
        Assert.Equal("case=backend16.native available=false kernels=managed", lines[4]);
        Assert.Matches(@"^case=backend16x16\.managed shape=36-32-6 macs=1344 reps=[1-9]\d* ticks=[1-9]\d* us_per_inference=\d+\.\d check=-?\d+$", lines[5]);
        Assert.Equal("case=backend16x16.native available=false kernels=managed", lines[6]);
        // Weights times 256, bias times 256 and shifts 8 larger are the same model: the same classes, so the same check sum.
        string Check(string line) => line[(line.IndexOf(" check=", StringComparison.Ordinal) + 7)..];
        Assert.Equal(Check(lines[3]), Check(lines[5]));
    }

    /// <summary>The same model (built twice from one seed) on the managed kernels and on the C kernels.</summary>
    private static (InferenceEngine Managed, InferenceEngine Native) Engines(Model managedModel, Model nativeModel)
    {
        var managed = new InferenceEngine(managedModel, true);
        var native = new InferenceEngine(nativeModel, true, new CKernelBackend());
        Assert.Equal("managed", managed.Kernels);
        Assert.Equal("native", native.Kernels);
        return (managed, native);
    }

    /// <summary>One reading pushed to both engines; both invoked (the classes, compared by the caller after the tensors).</summary>
    private static (int Managed, int Native) InvokeBoth(InferenceEngine managed, InferenceEngine native, int[] raw)
    {
        managed.PushReading(raw);
        native.PushReading(raw);
        return (managed.Invoke(), native.Invoke());
    }

    /// <summary>A stand-in backend whose every kernel throws; each test backend overrides only what it runs.</summary>
    private abstract class RefusingBackend : KernelBackend
    {
        private static InvalidOperationException NotSelected(string kernel) => new(kernel + " is not selected");
        public override void Dense(sbyte[] input, int inputOffset, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int units, int zeroPoint, int min, int max, sbyte[] output, int outputOffset) => throw NotSelected("Dense");
        public override void Conv1D(sbyte[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, sbyte[] output, int outSteps) => throw NotSelected("Conv1D");
        public override void MaxPool1D(sbyte[] input, int channels, int pool, int stride, int min, int max, sbyte[] output, int outSteps) => throw NotSelected("MaxPool1D");
        public override void AvgPool1D(sbyte[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, sbyte[] output, int outSteps) => throw NotSelected("AvgPool1D");
        public override void RecurrentDirect(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift, sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) => throw NotSelected("RecurrentDirect");
        public override void RecurrentLateral(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift, sbyte[] state, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) => throw NotSelected("RecurrentLateral");
        public override void RecurrentComplete(sbyte[] input, int inputLength, sbyte[] weights, int[] inputBias, int[] inputMultiplier, byte[] inputShift, sbyte[] state, int stateLength, sbyte[] feedback, int[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, sbyte[] output) => throw NotSelected("RecurrentComplete");
        public override void Dense16(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int units, int zeroPoint, int min, int max, short[] output) => throw NotSelected("Dense16");
        public override void Dense16Long(short[] input, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int units, int zeroPoint, int min, int max, short[] output) => throw NotSelected("Dense16Long");
        public override void Conv1D16(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, int[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps) => throw NotSelected("Conv1D16");
        public override void Conv1D16Long(short[] input, int steps, int channels, int inputZeroPoint, sbyte[] weights, long[] foldedBias, int[] tapSums, int[] multiplier, byte[] shift, int filters, int kernel, int stride, int padding, int zeroPoint, int min, int max, short[] output, int outSteps) => throw NotSelected("Conv1D16Long");
        public override void MaxPool1D16(short[] input, int channels, int pool, int stride, int min, int max, short[] output, int outSteps) => throw NotSelected("MaxPool1D16");
        public override void AvgPool1D16(short[] input, int channels, int pool, int stride, int inputZeroPoint, int min, int max, short[] output, int outSteps) => throw NotSelected("AvgPool1D16");
        public override void Recurrent16Direct(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift, short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) => throw NotSelected("Recurrent16Direct");
        public override void Recurrent16Lateral(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift, short[] state, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) => throw NotSelected("Recurrent16Lateral");
        public override void Recurrent16Complete(short[] input, int inputLength, sbyte[] weights, long[] inputBias, int[] inputMultiplier, byte[] inputShift, short[] state, int stateLength, sbyte[] feedback, long[] feedbackBias, int[] feedbackMultiplier, byte[] feedbackShift, int units, int zeroPoint, int min, int max, short[] output) => throw NotSelected("Recurrent16Complete");
    }

    private sealed class DenseOnly : RefusingBackend
    {
        private readonly CKernelBackend _c = new();
        public override string Name => "native";
        public override bool Probe() => _c.Probe();
        public override bool Runs(Layer layer) => layer.Kind == LayerKind.Dense;
        public override void Dense(sbyte[] input, int inputOffset, int inputLength, sbyte[] weights, int[] bias, int[] multiplier, byte[] shift, int units, int zeroPoint, int min, int max, sbyte[] output, int outputOffset) =>
            _c.Dense(input, inputOffset, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output, outputOffset);
    }

    private sealed class Failing : RefusingBackend
    {
        public override string Name => "broken";
        public override bool Probe() => throw new NotSupportedException("no interop module");
        public override bool Runs(Layer layer) => true;
    }
}

/// <summary>The device's status line names the kernels that run (the firmware core, nanoFramework build, on CoreCLR: managed).</summary>
public class NativeStatusLineTests
{
    [Fact]
    public void The_status_line_says_which_kernels_run_before_the_model_crc()
    {
        using var bench = new EdgeNet.Tests.Firmware.UpdateBench();
        var result = EdgeNet.Trainer.Device.ModelDeployer.Deploy(bench.Host, EdgeNet.Tests.Firmware.TestModels.B, "b.enet", 256, (_, _) => { });
        Assert.Matches(@"; kernels managed; model crc 0x[0-9A-F]{8}$", result.DeviceStatus);
    }
}
