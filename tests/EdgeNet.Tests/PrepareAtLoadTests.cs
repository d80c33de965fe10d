using System.Reflection;
using EdgeNet.Engine;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Tests;

/// <summary>
/// Issue #14 item 7: recurrent layers size their state at load (Layer.Prepare, called by the reader and by
/// the engine's constructor), so even a model built in memory allocates nothing on its first inference.
/// </summary>
public class PrepareAtLoadTests
{
    [Theory]
    [InlineData("direct")]
    [InlineData("lateral")]
    [InlineData("complete")]
    [InlineData("indirect")]
    public void A_model_built_in_memory_allocates_nothing_on_its_first_inference(string family)
    {
        Model prepared = RandomLayers.Model(new Random(14), family);
        Assert.Contains(prepared.Layers, l => l is RecurrentLayer or IndirectRecurrentLayer);
        int[] raw = new int[prepared.FeatureCount];
        for (int f = 0; f < raw.Length; f++) raw[f] = 1000 * (f + 1);

        // Warm up (JIT) on the prepared model, then take a copy that never had Prepare called.
        var warm = new InferenceEngine(prepared);
        warm.PushReading(raw);
        int expected = warm.Invoke();
        sbyte[] expectedOutput = (sbyte[])warm.Output.Clone();
        Model fresh = Unprepared(prepared);

        var engine = new InferenceEngine(fresh);
        long before = GC.GetAllocatedBytesForCurrentThread();
        engine.PushReading(raw);
        int cls = engine.Invoke();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(expected, cls);
        Assert.Equal(expectedOutput, engine.Output);
    }

    /// <summary>A copy of the model whose layers have their public fields only (no state buffers yet).</summary>
    private static Model Unprepared(Model m)
    {
        return new Model
        {
            Name = m.Name, ClassLabels = m.ClassLabels, FeatureNames = m.FeatureNames, WindowLength = m.WindowLength,
            Input = m.Input, Layers = m.Layers.Select(CopyPublicFields).ToArray(),
        };
    }

    private static Layer CopyPublicFields(Layer layer)
    {
        var copy = (Layer)Activator.CreateInstance(layer.GetType())!;
        foreach (FieldInfo f in layer.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (f.IsInitOnly) continue;
            object? value = f.GetValue(layer);
            f.SetValue(copy, value is Layer inner ? CopyPublicFields(inner) : value);
        }
        foreach (FieldInfo f in layer.GetType().GetFields(BindingFlags.NonPublic | BindingFlags.Instance))
        {
            if (f.FieldType.IsArray) Assert.Null(f.GetValue(copy)); // state and scratch buffers: not yet sized
        }
        return copy;
    }
}
