using BenchmarkDotNet.Attributes;
using EdgeNet.Engine;
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
        Macs[nameof(MaxPool64x16P2)] = PoolReads(_maxPool);
        Macs[nameof(AvgPool64x16P2)] = PoolReads(_avgPool);
        int largest = PlainSizes().Max();
        _plainA = Int8s(new Random(5), largest);
        _plainB = Int8s(new Random(6), largest);
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

    [Benchmark]
    public sbyte RecurrentIndirect128To32To8()
    {
        _indirect.Invoke(_xRnn, _yRnn);
        return _yRnn[0];
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
}
