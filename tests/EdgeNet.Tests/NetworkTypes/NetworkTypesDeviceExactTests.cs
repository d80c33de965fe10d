using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>
/// Conv1d, pooling and every recurrent kind: the nanoFramework-compiled EdgeNet.Shared (device IL on CoreCLR)
/// against the desktop build, identical integers at every layer after every reading of a stream; and both
/// against the independent big-integer evaluator of the rule (tests/Reference, <see cref="EdgeNet.Reference.IntegerReference"/>).
/// </summary>
public class NetworkTypesDeviceExactTests
{
    private static readonly Func<byte[], int[], int, sbyte[]> DeviceTrace =
        DeviceBuild.Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");

    private static readonly Func<byte[], int, string> DeviceCheck =
        DeviceBuild.Method<Func<byte[], int, string>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Check");

    public static TheoryData<string> Families => new() { "cnn", "direct", "lateral", "complete", "indirect" };

    [Theory]
    [MemberData(nameof(Families))]
    public void Random_models_match_bit_for_bit_over_streams(string family)
    {
        var rng = new Random(1000 + family.Length * 31 + family[0]);
        int compared = 0;
        for (int n = 0; n < 600; n++)
        {
            Model model = RandomLayers.Model(rng, family);
            byte[] file = ModelWriter.Write(model);
            Assert.Null(DeviceProbe.Check(file, int.MaxValue));
            int readings = rng.Next(1, 9);
            int[] raw = RandomModels.Readings(rng, readings * model.FeatureCount);

            sbyte[] desktop = DeviceProbe.Trace(file, raw, readings);
            sbyte[] device = DeviceTrace(file, raw, readings);
            Assert.NotNull(desktop);
            Assert.Equal(desktop, device);
            compared += desktop.Length;
        }
        Assert.True(compared > 20_000, $"compared only {compared} values");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Kernels_agree_with_the_independent_integer_reference(string family)
    {
        // Every tensor after every reading, from the raw readings: the engine on the read-back file against
        // tests/Reference's big-integer statement of the rule on the in-memory model (padding materialized,
        // recurrent matrices expanded, zero points subtracted on every product).
        var rng = new Random(77 + family.Length * 13 + family[1]);
        int compared = 0;
        for (int n = 0; n < 300; n++)
        {
            Model model = RandomLayers.Model(rng, family);
            byte[] file = ModelWriter.Write(model);
            int readings = rng.Next(1, 7);
            int[] raw = RandomModels.Readings(rng, readings * model.FeatureCount);
            sbyte[] expected = EdgeNet.Reference.IntegerReference.Instance.Trace(model, raw, readings);
            Assert.True(expected.AsSpan().SequenceEqual(DeviceProbe.Trace(file, raw, readings)), $"{family} model {n} differs from the reference");
            compared += expected.Length;
        }
        Assert.True(compared > 5_000, $"compared only {compared} values");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Round_trip_rewrites_the_same_bytes_and_in_memory_models_run_like_read_ones(string family)
    {
        var rng = new Random(5 + family[0]);
        for (int n = 0; n < 100; n++)
        {
            Model model = RandomLayers.Model(rng, family);
            byte[] file = ModelWriter.Write(model);
            Model back = ModelReader.Read(file, file.Length, int.MaxValue, out string error)!;
            Assert.Null(error);
            Assert.Equal(file, ModelWriter.Write(back));
            Assert.Equal(model.ArenaBytes, back.ArenaBytes);
            Assert.Equal(model.MacCount, back.MacCount);
            Assert.Equal(model.ParameterBytes, back.ParameterBytes);
            for (int l = 0; l < model.Layers.Length; l++) Assert.Equal(model.Layers[l].InputZeroPoint, back.Layers[l].InputZeroPoint);

            int readings = 4;
            int[] raw = RandomModels.Readings(rng, readings * model.FeatureCount);
            var a = new InferenceEngine(model, keepEveryOutput: true);
            var b = new InferenceEngine(back, keepEveryOutput: true);
            a.Reset();
            int[] reading = new int[model.FeatureCount];
            for (int r = 0; r < readings; r++)
            {
                Array.Copy(raw, r * reading.Length, reading, 0, reading.Length);
                a.PushReading(reading);
                b.PushReading(reading);
                a.Invoke();
                b.Invoke();
                for (int l = 0; l < model.Layers.Length; l++) Assert.Equal(b.LayerOutput(l), a.LayerOutput(l));
            }
        }
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("lateral")]
    [InlineData("complete")]
    [InlineData("indirect")]
    public void Recurrent_state_carries_between_readings_and_reset_clears_it(string family)
    {
        var rng = new Random(99 + family[0]);
        int dependsOnHistory = 0;
        for (int n = 0; n < 200; n++)
        {
            Model model = RandomLayers.Model(rng, family);
            byte[] file = ModelWriter.Write(model);
            var engine = new InferenceEngine(ModelReader.Read(file, file.Length, int.MaxValue, out _)!);
            int[] first = RandomModels.Readings(rng, model.FeatureCount);
            int[] second = RandomModels.Readings(rng, model.FeatureCount);

            engine.PushReading(second);
            engine.Invoke();
            sbyte[] fresh = (sbyte[])engine.Output.Clone();

            engine.Reset();
            engine.PushReading(first);
            engine.Invoke();
            engine.PushReading(second);
            engine.Invoke();
            sbyte[] afterFirst = (sbyte[])engine.Output.Clone();
            if (!fresh.AsSpan().SequenceEqual(afterFirst)) dependsOnHistory++;

            engine.Reset();
            engine.PushReading(second);
            engine.Invoke();
            Assert.Equal(fresh, engine.Output);
        }
        // Random weights with saturating outputs make some models history-blind, but most must not be.
        Assert.True(dependsOnHistory > 30, $"only {dependsOnHistory} of 200 {family} models depended on the previous reading");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Both_builds_judge_corrupted_records_alike_and_never_crash(string family)
    {
        // The CRC is recomputed after each corruption, so the layer validation itself is exercised.
        var rng = new Random(31 + family[2]);
        int rejected = 0;
        for (int n = 0; n < 40; n++)
        {
            byte[] file = ModelWriter.Write(RandomLayers.Model(rng, family));
            for (int k = 0; k < 25; k++)
            {
                byte[] bad = (byte[])file.Clone();
                int at = rng.Next(ModelFormat.HeaderBytes, bad.Length);
                bad[at] = (byte)rng.Next(256);
                ModelFiles.Reseal(bad);
                string? desktop = DeviceProbe.Check(bad, int.MaxValue);
                Assert.Equal(desktop, DeviceCheck(bad, int.MaxValue));
                if (desktop != null) rejected++;
                else Assert.Equal(DeviceProbe.Trace(bad, new int[file.Length], 1), DeviceTrace(bad, new int[file.Length], 1));
            }
        }
        Assert.True(rejected > 50, $"only {rejected} corruptions were rejected");
    }

    [Fact]
    public void Every_truncation_of_each_network_type_is_rejected()
    {
        var rng = new Random(4);
        foreach (string family in new[] { "cnn", "direct", "lateral", "complete", "indirect" })
        {
            byte[] file = ModelWriter.Write(RandomLayers.Model(rng, family));
            for (int length = 0; length < file.Length; length++)
            {
                byte[] cut = file[..length];
                if (cut.Length >= ModelFormat.HeaderBytes) ModelFiles.Reseal(cut);
                string? error = DeviceProbe.Check(cut, int.MaxValue);
                Assert.True(error != null, $"{family}: truncation to {length} bytes was accepted");
                Assert.StartsWith("byte ", error);
            }
        }
    }
}

/// <summary>Helpers to build deliberately altered model files.</summary>
public static class ModelFiles
{
    /// <summary>Rewrites the header's length and CRC so that only the content's validation can reject the file.</summary>
    public static void Reseal(byte[] file)
    {
        BitConverter.TryWriteBytes(file.AsSpan(ModelFormat.OffsetLength, 4), (uint)file.Length);
        uint crc = Crc32.Compute(file, ModelFormat.HeaderBytes, file.Length - ModelFormat.HeaderBytes);
        BitConverter.TryWriteBytes(file.AsSpan(ModelFormat.OffsetCrc, 4), crc);
    }
}
