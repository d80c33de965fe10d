using EdgeNet.Kernels;

namespace EdgeNet.Tests.Native;

internal readonly record struct ConvShape(int Steps, int Channels, int Kernel, int Padding, int Stride, int Filters, int OutSteps);
internal readonly record struct PoolShape(int Steps, int Channels, int Pool, int Stride, int OutSteps);
internal readonly record struct RecurrentShape(int Inputs, int Units, int StateLength, int Row);

/// <summary>
/// The random kernel arguments both native kernel suites (int8 and 16x8) draw: shapes, int8/int16 tensors with their extremes, biases
/// and multipliers that make the sums wrap, zero points and clamps. One definition, so both widths test the same ranges.
/// </summary>
internal static class RandomKernelArgs
{
    /// <summary>A conv1d layer's shape (any padding below the kernel, stride 1-3), or null when it has no output step.</summary>
    internal static ConvShape? Conv(Random rng)
    {
        int steps = rng.Next(1, 16), channels = rng.Next(1, 8), kernel = rng.Next(1, 7);
        int padding = rng.Next(0, kernel), stride = rng.Next(1, 4), filters = rng.Next(1, 8);
        int outSteps = Conv1D.OutputSteps(steps, kernel, stride, padding);
        return outSteps < 1 ? null : new ConvShape(steps, channels, kernel, padding, stride, filters, outSteps);
    }

    /// <summary>A pool's shape: any pool within the steps, stride 1-4.</summary>
    internal static PoolShape Pool(Random rng)
    {
        int steps = rng.Next(1, 24), channels = rng.Next(1, 8), pool = rng.Next(1, steps + 1), stride = rng.Next(1, 5);
        return new PoolShape(steps, channels, pool, stride, (steps - pool) / stride + 1);
    }

    /// <summary>
    /// A recurrent layer's shape for a feedback kind; complete also stands for the indirect block's hidden layer (a state
    /// of another length). Row is the feedback matrix's row length.
    /// </summary>
    internal static RecurrentShape Recurrent(Random rng, string kind)
    {
        int inputs = rng.Next(1, 40), units = rng.Next(1, 16);
        int stateLength = kind == "complete" && rng.Next(2) == 0 ? rng.Next(1, 12) : units;
        int row = kind switch { "direct" => 1, "lateral" => units - 1, _ => stateLength };
        return new RecurrentShape(inputs, units, stateLength, row);
    }

    internal static int Int32(Random rng) => rng.Next(6) switch
    {
        0 => int.MinValue + rng.Next(3),
        1 => int.MaxValue - rng.Next(3),
        2 => rng.Next(-300, 300),
        _ => (int)(uint)rng.NextInt64(0, 1L << 32),
    };

    internal static (int[] Bias, int[] Multiplier, byte[] Shift) Requant(Random rng, int n)
    {
        var bias = new int[n];
        var multiplier = new int[n];
        var shift = new byte[n];
        for (int i = 0; i < n; i++)
        {
            // Extreme biases make the int32 sums wrap; the managed kernels wrap and so must C.
            bias[i] = Int32(rng);
            multiplier[i] = rng.Next(5) switch { 0 => int.MaxValue, 1 => 0, 2 => rng.Next(1, 1 << 20), _ => rng.Next(1 << 30, int.MaxValue) };
            shift[i] = (byte)(rng.Next(4) == 0 ? rng.Next(0, 63) : rng.Next(20, 48));
        }
        return (bias, multiplier, shift);
    }

    internal static int Extreme(Random rng) => rng.Next(4) switch { 0 => -128, 1 => 127, 2 => 0, _ => rng.Next(-128, 128) };

    internal static int ClampMin(Random rng) => rng.Next(2) == 0 ? -128 : rng.Next(-128, 128);

    internal static int ClampMax(Random rng, int min) => rng.Next(2) == 0 ? 127 : rng.Next(min, 128);

    internal static sbyte[] Int8s(Random rng, int n)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = rng.Next(5) switch { 0 => -128, 1 => 127, _ => (sbyte)rng.Next(-128, 128) };
        return a;
    }

    /// <summary>
    /// int16 weights (the 16x16 kernel): mostly full-scale, with -32768 and 32767 mixed in; or, when allExtreme, all
    /// -32768 (with an all -32768 input every product is 2^30, the largest, so the sum leaves int32 after two).
    /// </summary>
    internal static short[] Int16Weights(Random rng, int n, bool allExtreme)
    {
        var a = new short[n];
        for (int i = 0; i < n; i++)
            a[i] = allExtreme ? short.MinValue : (short)(rng.Next(5) switch { 0 => -32768, 1 => 32767, _ => rng.Next(-32768, 32768) });
        return a;
    }

    /// <summary>An int64 within the reader's 2^47 bound (mostly), at its edges, or anywhere in the int64 range.</summary>
    internal static long Int64(Random rng) => rng.Next(8) switch
    {
        0 => long.MinValue + rng.Next(3),
        1 => long.MaxValue - rng.Next(3),
        2 => (rng.Next(2) == 0 ? -1 : 1) * ((1L << 47) - rng.Next(3)),
        3 => rng.Next(-70000, 70000),
        4 => rng.NextInt64(long.MinValue, long.MaxValue),
        _ => rng.NextInt64(-(1L << 47), (1L << 47) + 1),
    };

    /// <summary>An int16 tensor: full-scale int16 values, or an int8 tensor widened by the engine (values in [-128, 127]).</summary>
    internal static (short[] Values, string Width) Int16Tensor(Random rng, int n)
    {
        bool narrow = rng.Next(3) == 0;
        var a = new short[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = narrow
                ? (short)(rng.Next(5) switch { 0 => -128, 1 => 127, _ => rng.Next(-128, 128) })
                : (short)(rng.Next(5) switch { 0 => -32768, 1 => 32767, _ => rng.Next(-32768, 32768) });
        }
        return (a, narrow ? "int8" : "int16");
    }

    /// <summary>
    /// The output stage: an int16 tensor (zero point 0, identity or ReLU or a narrower clamp within int16), or an
    /// int8 tensor written by the 16x8 kernel (an int8 zero point, its clamp within [-128, 127]).
    /// </summary>
    internal static (int Z, int Min, int Max, string Width) OutputStage16(Random rng)
    {
        if (rng.Next(3) == 0)
        {
            int z = Extreme(rng), min = ClampMin(rng);
            return (z, min, ClampMax(rng, min), "int8");
        }
        return rng.Next(4) switch
        {
            0 => (0, 0, 32767, "int16 relu"),
            1 => (0, rng.Next(-32768, 0), rng.Next(0, 32768), "int16"),
            _ => (0, -32768, 32767, "int16"),
        };
    }
}
