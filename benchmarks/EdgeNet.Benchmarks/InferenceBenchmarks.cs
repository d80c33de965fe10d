using BenchmarkDotNet.Attributes;
using EdgeNet.Engine;
using EdgeNet.Kernels;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Benchmarks;

/// <summary>
/// CoreCLR inference with BenchmarkDotNet: the demo model through the engine and larger dense layers, each
/// with the reference and the optimized kernel. MACs per operation are in <see cref="Macs"/>.
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

    /// <summary>The demo network: 36 inputs, 32 ReLU units, 6 outputs (random weights, as the trained one's shape).</summary>
    public static Model DemoModel()
    {
        var rng = new Random(36326);
        Model m = RandomModels.Dense(rng, 36, [32, 6]);
        Plain((DenseLayer)m.Layers[0], Activation.Relu);
        Plain((DenseLayer)m.Layers[1], Activation.Identity);
        return m;
    }

    private static void Plain(DenseLayer d, Activation a)
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
}
