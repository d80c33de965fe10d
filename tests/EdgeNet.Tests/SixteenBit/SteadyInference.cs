using EdgeNet.Engine;

namespace EdgeNet.Tests.SixteenBit;

/// <summary>The allocation-free inference check the 16-bit suites share.</summary>
internal static class SteadyInference
{
    /// <summary>Runs one reading to warm up (JIT, first-call paths), then asserts the next reading and inference allocate 0 bytes.</summary>
    public static void AssertAllocatesNothing(InferenceEngine engine, int[] raw)
    {
        engine.PushReading(raw);
        engine.Invoke();
        long before = GC.GetAllocatedBytesForCurrentThread();
        engine.PushReading(raw);
        engine.Invoke();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
