using BenchmarkDotNet.Attributes;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Kernels;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Benchmarks;

/// <summary>
/// CoreCLR inference with BenchmarkDotNet: the demo model through the engine and every layer kind: dense
/// (optimized kernel, and the reference kernel on the largest), conv1d, max and average pooling, and the four
/// recurrent kinds (direct, lateral, complete, indirect). Each is set against <see cref="PlainLoop"/>, the
/// plainest int8 multiply-accumulate loop over the same number of MACs (for pooling, of the input elements it
/// reads). MACs per operation are in <see cref="Macs"/>.
/// Every case has a 16-bit twin (name + <see cref="Wide"/>, and <see cref="WideInt64"/> for the int64-sum
/// variants of dense and conv1d): the same layer with 16-bit input and output tensors, run through
/// <see cref="Layer.InvokeWide"/> as the engine runs it, set against <see cref="PlainLoop16"/> (int16 x int8
/// products) and against its int8 twin (<see cref="Int8Twin"/>), so the cost of 16 bits shows.
/// The dense cases and the demo also have a 16x16 twin (name + <see cref="Wide16x16"/>): the 16-bit twin with int16
/// weights (each int8 weight and bias times 256, shift 8 larger: the same real values), on the 16x16 kernel, set
/// against <see cref="PlainLoop16x16"/> (int16 x int16 products, int64 sum) and against its int8 twin.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    /// <summary>Multiply-accumulates per operation of each benchmark method.</summary>
    public static readonly Dictionary<string, long> Macs = new();

    private InferenceEngine _demo;
    private int[] _reading;
    private DenseLayer _d64, _d128, _d256;
    private sbyte[] _x256, _y256;
    private Conv1DLayer _conv;
    private RecurrentLayer _direct, _lateral, _complete;
    private IndirectRecurrentLayer _indirect;
    private Pool1DLayer _maxPool, _avgPool;
    private sbyte[] _xConv, _yConv, _xRnn, _yRnn, _yPool;
    private sbyte[] _plainA, _plainB;
    private short[] _plainWide, _plainWideB;

    // The 16-bit twins (same shapes and weights; 16-bit tensors).
    private InferenceEngine _demoWide;
    private DenseLayer _d64Wide, _d128Wide, _d256Wide, _d256WideLong;
    private Conv1DLayer _convWide, _convWideLong;
    private RecurrentLayer _directWide, _lateralWide, _completeWide;
    private IndirectRecurrentLayer _indirectWide;
    private Pool1DLayer _maxPoolWide, _avgPoolWide;
    private short[] _x256Wide, _y256Wide, _xConvWide, _yConvWide, _xRnnWide, _yRnnWide, _yPoolWide;

    // The 16x16 twins (the 16-bit twins with int16 weights).
    private InferenceEngine _demo16x16;
    private DenseLayer _d64x16, _d128x16, _d256x16;

    /// <summary>Name suffix of a 16-bit twin, and of a twin whose kernel sums in int64.</summary>
    public const string Wide = "_16bit", WideInt64 = "_16bitInt64Sum";

    /// <summary>Name suffix of a 16x16 twin (int16 tensors and int16 weights, the 16x16 kernel).</summary>
    public const string Wide16x16 = "_16x16";

    /// <summary>The int8 case a benchmark method is the 16-bit or 16x16 twin of; null for an int8 case.</summary>
    public static string Int8Twin(string name)
    {
        int at = name.IndexOf(Wide, StringComparison.Ordinal);
        if (at < 0) at = name.IndexOf(Wide16x16, StringComparison.Ordinal);
        return at < 0 ? null : name[..at];
    }

    /// <summary>True for a 16x16 twin (measured against <see cref="PlainLoop16x16"/>).</summary>
    public static bool Is16x16(string name) => name.EndsWith(Wide16x16, StringComparison.Ordinal);

    /// <summary>Max or average pooling of 2 steps, stride 2, over the convolution's output (64 steps x 16 channels).</summary>
    public static Pool1DLayer Pool(bool max)
    {
        Pool1DLayer layer = max ? new MaxPool1DLayer() : new AvgPool1DLayer();
        layer.PoolSize = 2;
        layer.Stride = 2;
        layer.InputSteps = 64;
        layer.InputChannels = 16;
        layer.InputZeroPoint = -128;
        layer.OutputSteps = 32;
        layer.OutputChannels = 16;
        layer.RequantZeroPoint = -128;
        Plain(layer, Activation.Relu);
        return layer;
    }

    /// <summary>Input elements a pooling layer reads per inference (its "MACs" for the plain-loop comparison).</summary>
    public static long PoolReads(Pool1DLayer p) => (long)p.OutputSteps * p.OutputChannels * p.PoolSize;

    /// <summary>The operation counts of every case: the plain loop runs once per distinct count.</summary>
    public static IEnumerable<int> PlainSizes()
    {
        var rng = new Random(3);
        var counts = new SortedSet<int>
        {
            DemoModel().MacCount, 64 * 64, 128 * 128, 256 * 256, Conv(rng).MacCount, (int)PoolReads(Pool(true)),
            Recurrent(rng, Feedback.Direct).MacCount, Recurrent(rng, Feedback.Lateral).MacCount, Recurrent(rng, Feedback.Complete).MacCount,
            Indirect().MacCount,
        };
        return counts;
    }

    /// <summary>The operation counts of the 16x16 twins (the demo and the dense cases): <see cref="PlainLoop16x16"/>'s sizes.</summary>
    public static IEnumerable<int> PlainSizes16x16() => new SortedSet<int> { DemoModel().MacCount, 64 * 64, 128 * 128, 256 * 256 };

    /// <summary>Indirect feedback: 16 x 8 window into 32 hidden units, 8 outputs fed back.</summary>
    public static IndirectRecurrentLayer Indirect()
    {
        IndirectRecurrentLayer layer = RandomLayers.Indirect(new Random(4), 16, 8, 3, 32, 8);
        layer.Prepare();
        return layer;
    }

    /// <summary>Conv1D over a window of 64 readings x 8 channels: 16 filters of 5 steps, stride 1, padding 2.</summary>
    public static Conv1DLayer Conv(Random rng)
    {
        int steps = 64, channels = 8, kernel = 5, filters = 16, padding = 2;
        var layer = new Conv1DLayer
        {
            InputSteps = steps, InputChannels = channels, InputZeroPoint = 3,
            OutputSteps = EdgeNet.Kernels.Conv1D.OutputSteps(steps, kernel, 1, padding), OutputChannels = filters,
            KernelSize = kernel, Stride = 1, Padding = padding,
            Weights = Int8s(rng, filters * kernel * channels), Bias = new int[filters], Multiplier = new int[filters], Shift = new byte[filters],
        };
        OutputStage(rng, layer, filters, layer.Bias, layer.Multiplier, layer.Shift);
        layer.Prepare();
        return layer;
    }

    /// <summary>A recurrent layer over a window of 16 readings x 8 channels (flattened), 32 units.</summary>
    public static RecurrentLayer Recurrent(Random rng, Feedback feedback)
    {
        int n = 16 * 8, units = 32;
        var layer = new RecurrentLayer
        {
            Feedback = feedback, InputSteps = 16, InputChannels = 8, InputZeroPoint = 3, OutputSteps = 1, OutputChannels = units,
            Weights = Int8s(rng, units * n), FeedbackWeights = Int8s(rng, (int)RecurrentLayer.FeedbackWeightCount(feedback, units, units)),
            Bias = new int[units], InputMultiplier = new int[units], InputShift = new byte[units],
            FeedbackMultiplier = new int[units], FeedbackShift = new byte[units],
        };
        OutputStage(rng, layer, units, layer.Bias, layer.InputMultiplier, layer.InputShift);
        for (int o = 0; o < units; o++)
        {
            layer.FeedbackMultiplier[o] = rng.Next(1 << 30, int.MaxValue);
            layer.FeedbackShift[o] = 38;
        }
        layer.Prepare();
        return layer;
    }

    private static void OutputStage(Random rng, Layer layer, int units, int[] bias, int[] multiplier, byte[] shift)
    {
        layer.RequantZeroPoint = -128;
        Plain(layer, Activation.Relu);
        layer.OutputScale = 0.05f;
        for (int o = 0; o < units; o++)
        {
            bias[o] = rng.Next(-10000, 10000);
            multiplier[o] = rng.Next(1 << 30, int.MaxValue);
            shift[o] = 38;
        }
    }

    /// <summary>
    /// Turns an int8 layer into its 16-bit twin as the quantizer builds one: 16-bit input and output tensors,
    /// symmetric (zero points 0), clamped to int16 (ReLU at 0), no table; same weights and requantization.
    /// </summary>
    public static void Widen(Layer layer)
    {
        layer.Precision = ModelFormat.PrecisionInt16;
        layer.InputPrecision = ModelFormat.PrecisionInt16;
        layer.InputZeroPoint = 0;
        layer.RequantZeroPoint = 0;
        layer.OutputZeroPoint = 0;
        layer.Table = null;
        layer.ClampMin = layer.Activation == Activation.Relu ? 0 : ModelFormat.TensorMin(ModelFormat.PrecisionInt16);
        layer.ClampMax = ModelFormat.TensorMax(ModelFormat.PrecisionInt16);
        if (layer is IndirectRecurrentLayer block)
        {
            Widen(block.Hidden);
            block.Hidden.FeedbackZeroPoint = 0;
        }
        layer.Prepare();
        if (!layer.WideKernel) throw new InvalidOperationException(layer.Kind + ": the 16-bit twin does not run its 16x8 kernel");
    }

    /// <summary>
    /// Turns a 16-bit dense twin into its 16x16 twin: int16 weights (each int8 weight times 256), bias times 256
    /// (saturated) and shift 8 larger, so the real values stay those of the int8 layer; checks that Prepare picks
    /// the 16x16 kernel (always an int64 sum).
    /// </summary>
    public static DenseLayer WidenWeights(DenseLayer layer)
    {
        layer.Weights16 = new short[layer.Weights.Length];
        for (int i = 0; i < layer.Weights.Length; i++) layer.Weights16[i] = (short)(layer.Weights[i] * 256);
        layer.Weights = null;
        for (int o = 0; o < layer.Bias.Length; o++)
        {
            layer.Bias[o] = (int)Math.Clamp(layer.Bias[o] * 256L, int.MinValue, int.MaxValue);
            layer.Shift[o] = (byte)Math.Min(layer.Shift[o] + 8, FixedPoint.MaxShift);
        }
        layer.Prepare();
        if (!layer.WideWeights || !layer.LongAccumulator) throw new InvalidOperationException("the 16x16 twin does not run the 16x16 kernel");
        return layer;
    }

    /// <summary>
    /// Raises one neuron's bias until the proven worst case exceeds int32, so that Prepare chooses the int64-sum
    /// kernel (as it does for a model whose bound needs it); checks that it did.
    /// </summary>
    public static void ForceInt64Sum(Layer layer, int[] bias)
    {
        bias[0] = int.MaxValue - 1;
        layer.Prepare();
        if (!layer.LongAccumulator) throw new InvalidOperationException(layer.Kind + ": the bias did not push the bound past int32");
    }

    private static short[] Int16s(Random rng, int n)
    {
        var a = new short[n];
        for (int i = 0; i < n; i++) a[i] = (short)rng.Next(short.MinValue, short.MaxValue + 1);
        return a;
    }

    private static sbyte[] Int8s(Random rng, int n)
    {
        var a = new sbyte[n];
        rng.NextBytes((byte[])(Array)a);
        return a;
    }

    /// <summary>The demo network: 36 inputs, 32 ReLU units, 6 outputs (random weights, as the trained one's shape).</summary>
    public static Model DemoModel()
    {
        var rng = new Random(36326);
        Model m = RandomModels.Dense(rng, 36, [32, 6]);
        Plain((DenseLayer)m.Layers[0], Activation.Relu);
        Plain((DenseLayer)m.Layers[1], Activation.Identity);
        return m;
    }

    private static void Plain(Layer d, Activation a)
    {
        d.Activation = a;
        d.Table = null;
        d.OutputZeroPoint = d.RequantZeroPoint;
        d.ClampMin = a == Activation.Relu ? d.RequantZeroPoint : -128;
        d.ClampMax = 127;
    }

    private static DenseLayer Dense(int inputs, int units, int seed)
    {
        var layer = (DenseLayer)RandomModels.Dense(new Random(seed), inputs, [units]).Layers[0];
        Plain(layer, Activation.Relu);
        return layer;
    }

    [GlobalSetup]
    public void Setup()
    {
        Model m = DemoModel();
        _demo = new InferenceEngine(m);
        _reading = RandomModels.Readings(new Random(1), m.FeatureCount);
        _d64 = Dense(64, 64, 64);
        _d128 = Dense(128, 128, 128);
        _d256 = Dense(256, 256, 256);
        _x256 = new sbyte[256];
        new Random(2).NextBytes((byte[])(Array)_x256);
        _y256 = new sbyte[256];
        Macs[nameof(DemoInference)] = m.MacCount;
        Macs[nameof(Dense64x64)] = 64 * 64;
        Macs[nameof(Dense128x128)] = 128 * 128;
        Macs[nameof(Dense256x256)] = 256 * 256;
        Macs[nameof(Dense256x256Reference)] = 256 * 256;
        var rng = new Random(3);
        _conv = Conv(rng);
        _direct = Recurrent(rng, Feedback.Direct);
        _lateral = Recurrent(rng, Feedback.Lateral);
        _complete = Recurrent(rng, Feedback.Complete);
        _xConv = Int8s(rng, _conv.InputLength);
        _yConv = new sbyte[_conv.OutputLength];
        _xRnn = Int8s(rng, _direct.InputLength);
        _yRnn = new sbyte[_direct.OutputLength];
        Macs[nameof(Conv1D64x8K5F16)] = _conv.MacCount;
        Macs[nameof(RecurrentDirect128To32)] = _direct.MacCount;
        Macs[nameof(RecurrentLateral128To32)] = _lateral.MacCount;
        Macs[nameof(RecurrentComplete128To32)] = _complete.MacCount;
        _indirect = Indirect();
        Macs[nameof(RecurrentIndirect128To32To8)] = _indirect.MacCount;
        _maxPool = Pool(true);
        _avgPool = Pool(false);
        _yPool = new sbyte[_maxPool.OutputLength];
        // The pools read the convolution's output, as in a model (not a zero buffer).
        _conv.Invoke(_xConv, _yConv);
        Macs[nameof(MaxPool64x16P2)] = PoolReads(_maxPool);
        Macs[nameof(AvgPool64x16P2)] = PoolReads(_avgPool);
        int largest = PlainSizes().Max();
        _plainA = Int8s(new Random(5), largest);
        _plainB = Int8s(new Random(6), largest);
        _plainWide = Int16s(new Random(7), largest);
        _plainWideB = Int16s(new Random(9), largest);
        SetupWide();
        Setup16x16();
    }

    // The 16-bit demo and dense twins (same seeds, so the same weights) with int16 weights.
    private void Setup16x16()
    {
        Model m = DemoModel();
        foreach (Layer layer in m.Layers)
        {
            Widen(layer);
            WidenWeights((DenseLayer)layer);
        }
        _demo16x16 = new InferenceEngine(m);
        if (_demo16x16.InputWide == null) throw new InvalidOperationException("the 16x16 demo model does not take a 16-bit input");
        _d64x16 = Dense16x16(64, 64, 64);
        _d128x16 = Dense16x16(128, 128, 128);
        _d256x16 = Dense16x16(256, 256, 256);
        Macs[nameof(DemoInference) + Wide16x16] = m.MacCount;
        Macs[nameof(Dense64x64) + Wide16x16] = _d64x16.MacCount;
        Macs[nameof(Dense128x128) + Wide16x16] = _d128x16.MacCount;
        Macs[nameof(Dense256x256) + Wide16x16] = _d256x16.MacCount;
    }

    private static DenseLayer Dense16x16(int inputs, int units, int seed)
    {
        DenseLayer layer = Dense(inputs, units, seed);
        Widen(layer);
        return WidenWeights(layer);
    }

    // The same layers (same seeds, so the same weights) turned 16-bit; the int32-sum twins are checked to be int32.
    private void SetupWide()
    {
        Model m = DemoModel();
        foreach (Layer layer in m.Layers) Widen(layer);
        _demoWide = new InferenceEngine(m);
        if (_demoWide.InputWide == null) throw new InvalidOperationException("the 16-bit demo model does not take a 16-bit input");
        _d64Wide = WideInt32(Dense(64, 64, 64));
        _d128Wide = WideInt32(Dense(128, 128, 128));
        _d256Wide = WideInt32(Dense(256, 256, 256));
        _d256WideLong = WideInt32(Dense(256, 256, 256));
        ForceInt64Sum(_d256WideLong, _d256WideLong.Bias);
        var rng = new Random(3);
        _convWide = WideInt32(Conv(rng));
        _directWide = Recurrent(rng, Feedback.Direct);
        _lateralWide = Recurrent(rng, Feedback.Lateral);
        _completeWide = Recurrent(rng, Feedback.Complete);
        _convWideLong = WideInt32(Conv(new Random(3)));
        ForceInt64Sum(_convWideLong, _convWideLong.Bias);
        Widen(_directWide);
        Widen(_lateralWide);
        Widen(_completeWide);
        _indirectWide = Indirect();
        Widen(_indirectWide);
        _maxPoolWide = Pool(true);
        _avgPoolWide = Pool(false);
        Widen(_maxPoolWide);
        Widen(_avgPoolWide);
        var data = new Random(8);
        _x256Wide = Int16s(data, 256);
        _y256Wide = new short[256];
        _xConvWide = Int16s(data, _convWide.InputLength);
        _yConvWide = new short[_convWide.OutputLength];
        _xRnnWide = Int16s(data, _directWide.InputLength);
        _yRnnWide = new short[_directWide.OutputLength];
        _yPoolWide = new short[_maxPoolWide.OutputLength];
        // The pools read the 16-bit convolution's output, as in a model.
        _convWide.InvokeWide(_xConvWide, _yConvWide);
        Macs[nameof(DemoInference) + Wide] = m.MacCount;
        Macs[nameof(Dense64x64) + Wide] = _d64Wide.MacCount;
        Macs[nameof(Dense128x128) + Wide] = _d128Wide.MacCount;
        Macs[nameof(Dense256x256) + Wide] = _d256Wide.MacCount;
        Macs[nameof(Dense256x256) + WideInt64] = _d256WideLong.MacCount;
        Macs[nameof(Conv1D64x8K5F16) + Wide] = _convWide.MacCount;
        Macs[nameof(Conv1D64x8K5F16) + WideInt64] = _convWideLong.MacCount;
        Macs[nameof(MaxPool64x16P2) + Wide] = PoolReads(_maxPoolWide);
        Macs[nameof(AvgPool64x16P2) + Wide] = PoolReads(_avgPoolWide);
        Macs[nameof(RecurrentDirect128To32) + Wide] = _directWide.MacCount;
        Macs[nameof(RecurrentLateral128To32) + Wide] = _lateralWide.MacCount;
        Macs[nameof(RecurrentComplete128To32) + Wide] = _completeWide.MacCount;
        Macs[nameof(RecurrentIndirect128To32To8) + Wide] = _indirectWide.MacCount;
    }

    // The 16-bit twin of a dense or conv1d layer with its int32-sum kernel: the random biases use the int8 room
    // (|b| + 128 x 127 x n), so each is held within |b| + 32768 x sum|w| <= int32 max, the proof Prepare checks.
    private static T WideInt32<T>(T layer) where T : Layer
    {
        Widen(layer);
        (int[] bias, sbyte[] weights) = layer switch
        {
            DenseLayer d => (d.Bias, d.Weights),
            Conv1DLayer c => (c.Bias, c.Weights),
            _ => throw new ArgumentException(layer.Kind + " has no int32-sum 16x8 kernel"),
        };
        int row = weights.Length / bias.Length;
        for (int o = 0; o < bias.Length; o++)
        {
            long room = int.MaxValue - 32768L * LayerRecords.AbsSum(weights, o * row, row);
            bias[o] = (int)Math.Clamp(bias[o], -room, room);
        }
        layer.Prepare();
        if (layer.LongAccumulator) throw new InvalidOperationException(layer.Kind + ": the 16-bit twin's bound needs int64; the int32 case would not run");
        return layer;
    }

    /// <summary>The plain int8 loop (benchmarks/device/PlainDot's loop): one index over two arrays, macs multiply-adds.</summary>
    [Benchmark]
    [ArgumentsSource(nameof(PlainSizes))]
    public int PlainLoop(int macs)
    {
        sbyte[] a = _plainA, b = _plainB;
        int acc = 0;
        for (int i = 0; i < macs; i++) acc += a[i] * b[i];
        return acc;
    }

    /// <summary>The same loop with int16 x int8 products (an int16 activation array against int8 weights), int32 sum.</summary>
    [Benchmark]
    [ArgumentsSource(nameof(PlainSizes))]
    public int PlainLoop16(int macs)
    {
        short[] a = _plainWide;
        sbyte[] b = _plainB;
        int acc = 0;
        for (int i = 0; i < macs; i++) acc += a[i] * b[i];
        return acc;
    }

    /// <summary>The same loop with int16 x int16 products and an int64 sum, as the 16x16 kernel sums.</summary>
    [Benchmark]
    [ArgumentsSource(nameof(PlainSizes16x16))]
    public long PlainLoop16x16(int macs)
    {
        short[] a = _plainWide, b = _plainWideB;
        long acc = 0;
        for (int i = 0; i < macs; i++) acc += a[i] * b[i];
        return acc;
    }

    /// <summary>One reading quantized, both layers, argmax: what the firmware does per sample.</summary>
    [Benchmark]
    public int DemoInference()
    {
        _demo.PushReading(_reading);
        return _demo.Invoke();
    }

    [Benchmark]
    public sbyte Dense64x64()
    {
        _d64.Invoke(_x256, _y256);
        return _y256[0];
    }

    [Benchmark]
    public sbyte Dense128x128()
    {
        _d128.Invoke(_x256, _y256);
        return _y256[0];
    }

    [Benchmark]
    public sbyte Dense256x256()
    {
        _d256.Invoke(_x256, _y256);
        return _y256[0];
    }

    /// <summary>The reference kernel on the same layer, for the optimized kernel's gain on the JIT.</summary>
    [Benchmark]
    public sbyte Dense256x256Reference()
    {
        DenseLayer d = _d256;
        FullyConnected.Reference(_x256, 0, 256, d.Weights, d.Bias, d.Multiplier, d.Shift, 256, d.RequantZeroPoint, d.ClampMin, d.ClampMax, _y256, 0);
        return _y256[0];
    }

    [Benchmark]
    public sbyte Conv1D64x8K5F16()
    {
        _conv.Invoke(_xConv, _yConv);
        return _yConv[0];
    }

    [Benchmark]
    public sbyte MaxPool64x16P2()
    {
        _maxPool.Invoke(_yConv, _yPool);
        return _yPool[0];
    }

    [Benchmark]
    public sbyte AvgPool64x16P2()
    {
        _avgPool.Invoke(_yConv, _yPool);
        return _yPool[0];
    }

    [Benchmark]
    public sbyte RecurrentDirect128To32()
    {
        _direct.Invoke(_xRnn, _yRnn);
        return _yRnn[0];
    }

    [Benchmark]
    public sbyte RecurrentLateral128To32()
    {
        _lateral.Invoke(_xRnn, _yRnn);
        return _yRnn[0];
    }

    [Benchmark]
    public sbyte RecurrentComplete128To32()
    {
        _complete.Invoke(_xRnn, _yRnn);
        return _yRnn[0];
    }

    [Benchmark]
    public sbyte RecurrentIndirect128To32To8()
    {
        _indirect.Invoke(_xRnn, _yRnn);
        return _yRnn[0];
    }

    // ---- the 16-bit twins, through Layer.InvokeWide (the engine's call for a 16x8 layer) ----

    /// <summary>The demo network with both layers 16-bit: int16 input quantization, two 16x8 layers, argmax.</summary>
    [Benchmark]
    public int DemoInference_16bit()
    {
        _demoWide.PushReading(_reading);
        return _demoWide.Invoke();
    }

    [Benchmark]
    public short Dense64x64_16bit()
    {
        _d64Wide.InvokeWide(_x256Wide, _y256Wide);
        return _y256Wide[0];
    }

    [Benchmark]
    public short Dense128x128_16bit()
    {
        _d128Wide.InvokeWide(_x256Wide, _y256Wide);
        return _y256Wide[0];
    }

    [Benchmark]
    public short Dense256x256_16bit()
    {
        _d256Wide.InvokeWide(_x256Wide, _y256Wide);
        return _y256Wide[0];
    }

    /// <summary>FullyConnected16Optimized.InvokeLong: the kernel a layer whose proven bound exceeds int32 runs.</summary>
    [Benchmark]
    public short Dense256x256_16bitInt64Sum()
    {
        _d256WideLong.InvokeWide(_x256Wide, _y256Wide);
        return _y256Wide[0];
    }

    [Benchmark]
    public short Conv1D64x8K5F16_16bit()
    {
        _convWide.InvokeWide(_xConvWide, _yConvWide);
        return _yConvWide[0];
    }

    [Benchmark]
    public short Conv1D64x8K5F16_16bitInt64Sum()
    {
        _convWideLong.InvokeWide(_xConvWide, _yConvWide);
        return _yConvWide[0];
    }

    [Benchmark]
    public short MaxPool64x16P2_16bit()
    {
        _maxPoolWide.InvokeWide(_yConvWide, _yPoolWide);
        return _yPoolWide[0];
    }

    [Benchmark]
    public short AvgPool64x16P2_16bit()
    {
        _avgPoolWide.InvokeWide(_yConvWide, _yPoolWide);
        return _yPoolWide[0];
    }

    [Benchmark]
    public short RecurrentDirect128To32_16bit()
    {
        _directWide.InvokeWide(_xRnnWide, _yRnnWide);
        return _yRnnWide[0];
    }

    [Benchmark]
    public short RecurrentLateral128To32_16bit()
    {
        _lateralWide.InvokeWide(_xRnnWide, _yRnnWide);
        return _yRnnWide[0];
    }

    [Benchmark]
    public short RecurrentComplete128To32_16bit()
    {
        _completeWide.InvokeWide(_xRnnWide, _yRnnWide);
        return _yRnnWide[0];
    }

    [Benchmark]
    public short RecurrentIndirect128To32To8_16bit()
    {
        _indirectWide.InvokeWide(_xRnnWide, _yRnnWide);
        return _yRnnWide[0];
    }

    // ---- the 16x16 twins: int16 weights too, through Layer.InvokeWide (the engine's call for a 16x16 layer) ----

    /// <summary>The 16-bit demo network with int16 weights in both layers (both on the 16x16 kernel).</summary>
    [Benchmark]
    public int DemoInference_16x16()
    {
        _demo16x16.PushReading(_reading);
        return _demo16x16.Invoke();
    }

    [Benchmark]
    public short Dense64x64_16x16()
    {
        _d64x16.InvokeWide(_x256Wide, _y256Wide);
        return _y256Wide[0];
    }

    [Benchmark]
    public short Dense128x128_16x16()
    {
        _d128x16.InvokeWide(_x256Wide, _y256Wide);
        return _y256Wide[0];
    }

    [Benchmark]
    public short Dense256x256_16x16()
    {
        _d256x16.InvokeWide(_x256Wide, _y256Wide);
        return _y256Wide[0];
    }
}
