using System.Reflection;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Tests;

/// <summary>
/// The planned arena (issue #14 item 8): hidden outputs share two ping-pong buffers, the input window, the
/// result and recurrent state keep their own; the engine allocates exactly Model.ArenaBytes, computes the
/// same integers as in dump mode (every output kept), and the reader budgets the planned figure.
/// </summary>
public class ArenaPlanTests
{
    private static int AllocatedBytes(InferenceEngine engine)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        int total = 0;
        void Add(sbyte[]? a) { if (a != null && seen.Add(a)) total += a.Length; }
        var flags = BindingFlags.NonPublic | BindingFlags.Instance;
        Add((sbyte[])typeof(InferenceEngine).GetField("_input", flags)!.GetValue(engine)!);
        foreach (sbyte[] o in (sbyte[][])typeof(InferenceEngine).GetField("_outputs", flags)!.GetValue(engine)!) Add(o);
        foreach (Layer l in engine.Model.Layers) total += l.StateBytes;
        return total;
    }

    [Fact]
    public void A_deep_stack_reuses_two_buffers_and_the_engine_allocates_exactly_the_plan()
    {
        Model five = RandomModels.Dense(new Random(1), 36, [32, 32, 32, 32, 6]);
        Assert.Equal(36 + 32 + 32 + 32 + 32 + 6, five.DumpArenaBytes);   // 170: every output kept
        Assert.Equal(36 + 32 + 32 + 6, five.ArenaBytes);                 // 106: window, two shared, result
        Assert.Equal(five.ArenaBytes, AllocatedBytes(new InferenceEngine(five)));
        Assert.Equal(five.DumpArenaBytes, AllocatedBytes(new InferenceEngine(five, keepEveryOutput: true)));
        var lean = new InferenceEngine(five);
        Assert.Null(lean.LayerOutput(0));
        Assert.Equal(6, lean.LayerOutput(4)!.Length);
        Assert.Same(lean.Output, lean.LayerOutput(4));

        // The reader's budget is the planned arena: it fits now where the dump-mode figure would not.
        byte[] file = ModelWriter.Write(five);
        Assert.NotNull(ModelReader.Read(file, file.Length, five.ArenaBytes, out string error));
        Assert.Null(error);
        Assert.Null(ModelReader.Read(file, file.Length, five.ArenaBytes - 1, out error));
        Assert.Contains("arena of 106 bytes", error);
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("cnn")]
    [InlineData("direct")]
    [InlineData("lateral")]
    [InlineData("complete")]
    [InlineData("indirect")]
    public void The_planned_arena_computes_what_dump_mode_computes(string family)
    {
        var rng = new Random(family.Length * 31 + 7);
        for (int n = 0; n < 60; n++)
        {
            Model m = family == "dense"
                ? RandomModels.Dense(rng, rng.Next(1, 6), Enumerable.Range(0, rng.Next(1, 7)).Select(_ => rng.Next(1, 12)).ToArray(), window: rng.Next(1, 4))
                : RandomLayers.Model(rng, family);
            byte[] file = ModelWriter.Write(m);
            Model a = ModelReader.Read(file, file.Length, int.MaxValue, out _)!, b = ModelReader.Read(file, file.Length, int.MaxValue, out _)!;
            var lean = new InferenceEngine(a);
            var dump = new InferenceEngine(b, keepEveryOutput: true);
            Assert.Equal(a.ArenaBytes, AllocatedBytes(lean));
            Assert.True(a.ArenaBytes <= a.DumpArenaBytes);
            for (int r = 0; r < 5; r++)
            {
                int[] reading = RandomModels.Readings(rng, m.FeatureCount);
                lean.PushReading(reading);
                dump.PushReading(reading);
                Assert.Equal(dump.Invoke(), lean.Invoke());
                Assert.Equal(dump.Output, lean.Output);
                Assert.Equal(dump.Input, lean.Input);
            }
        }
    }
}
