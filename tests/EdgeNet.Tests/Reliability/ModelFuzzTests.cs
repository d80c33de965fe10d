using EdgeNet.Engine;
using EdgeNet.Fuzzing;
using Xunit.Abstractions;

namespace EdgeNet.Tests.Reliability;

/// <summary>
/// The model reader fuzzer in the normal test run: 10,000 mutated files through the net10 build and the
/// nanoFramework-compiled build of the reader and engine (the 1,000,000-case run is `edgenet fuzz`).
/// </summary>
public class ModelFuzzTests(ITestOutputHelper output)
{
    private static ReaderUnderTest Device => ReaderUnderTest.FromAssembly("nanoFramework", DeviceBuild.Load("EdgeNet.Probe"));

    [Fact]
    public void Ten_thousand_mutated_models_give_no_crash_hang_disagreement_or_vague_reason()
    {
        var fuzzer = new ModelFuzzer(ReaderUnderTest.Desktop, Device, new FuzzOptions { Cases = 10_000, Seed = 20261126 });
        FuzzReport report = fuzzer.Run();
        output.WriteLine(report.ToMarkdown("test", "test"));
        foreach (string e in report.Examples) output.WriteLine(e);

        Assert.Equal(10_000, report.Cases);
        Assert.True(report.TotalFailures == 0, report.Summary() + "\n" + string.Join("\n", report.Examples));
        // The mutations reach past the CRC: many different structural reasons, and some mutants are valid.
        Assert.True(report.ReasonClasses.Count >= 25, $"only {report.ReasonClasses.Count} reason classes");
        Assert.True(report.Accepted > 100, $"only {report.Accepted} mutants accepted");
        long crcOnly = report.ReasonClasses.Where(kv => kv.Key.StartsWith("CRC-32")).Sum(kv => kv.Value);
        Assert.True(crcOnly < report.Rejected / 4, $"{crcOnly} of {report.Rejected} rejections were only the CRC");
        for (int k = 0; k < ModelMutator.Kinds.Length; k++) Assert.True(report.MutationCases[k] > 0, ModelMutator.Kinds[k] + " never ran");
    }

    [Fact]
    public void Cases_are_reproducible_from_seed_and_number()
    {
        var options = new FuzzOptions { Cases = 300, Seed = 5 };
        FuzzReport a = new ModelFuzzer(ReaderUnderTest.Desktop, ReaderUnderTest.Desktop, options).Run();
        FuzzReport b = new ModelFuzzer(ReaderUnderTest.Desktop, ReaderUnderTest.Desktop, options).Run();
        Assert.Equal(a.Accepted, b.Accepted);
        Assert.Equal(a.ReasonClasses.OrderBy(kv => kv.Key), b.ReasonClasses.OrderBy(kv => kv.Key));
        Assert.Equal(a.MutationCases, b.MutationCases);
    }

    // The fuzzer's own checks must be able to fail: faulty readers planted in place of the device build.

    [Fact]
    public void A_reader_that_throws_is_reported_as_a_crash()
    {
        var faulty = new ReaderUnderTest("faulty", (file, arena) =>
        {
            if (file.Length % 7 == 0) throw new IndexOutOfRangeException("planted");
            return DeviceProbe.Check(file, arena);
        }, DeviceProbe.CheckPrefix, DeviceProbe.Trace);
        FuzzReport report = new ModelFuzzer(ReaderUnderTest.Desktop, faulty, new FuzzOptions { Cases = 500 }).Run();
        Assert.True(report.Failed(FailureKind.Crash) > 0);
        Assert.Contains(report.Examples, e => e.Contains("IndexOutOfRangeException") && e.Contains("faulty reader"));
    }

    [Fact]
    public void A_reader_with_another_verdict_or_vague_reasons_is_reported()
    {
        var lenient = new ReaderUnderTest("lenient", (file, arena) =>
        {
            string e = DeviceProbe.Check(file, arena);
            return e != null && e.Contains("CRC") ? null : e;
        }, DeviceProbe.CheckPrefix, DeviceProbe.Trace);
        FuzzReport report = new ModelFuzzer(ReaderUnderTest.Desktop, lenient, new FuzzOptions { Cases = 500 }).Run();
        Assert.True(report.Failed(FailureKind.Disagreement) > 0);

        var vague = new ReaderUnderTest("vague", (file, arena) => DeviceProbe.Check(file, arena) == null ? null : "invalid model",
            (data, length, arena) => DeviceProbe.CheckPrefix(data, length, arena) == null ? null : "invalid model", DeviceProbe.Trace);
        report = new ModelFuzzer(vague, vague, new FuzzOptions { Cases = 200 }).Run();
        Assert.True(report.Failed(FailureKind.VagueReason) > 0);
    }

    [Fact]
    public void A_reader_that_reads_past_the_end_is_reported()
    {
        // Ignores the length it is given and parses the whole buffer, junk after the file included.
        var overreading = new ReaderUnderTest("overreading", DeviceProbe.Check, (data, length, arena) => DeviceProbe.Check(data, arena), DeviceProbe.Trace);
        FuzzReport report = new ModelFuzzer(ReaderUnderTest.Desktop, overreading, new FuzzOptions { Cases = 200 }).Run();
        Assert.True(report.Failed(FailureKind.OutOfRangeRead) > 0);
    }

    [Fact]
    public void A_slow_reader_is_reported_as_a_hang()
    {
        var slow = new ReaderUnderTest("slow", (file, arena) =>
        {
            if (file.Length % 50 == 0) Thread.Sleep(30);
            return DeviceProbe.Check(file, arena);
        }, DeviceProbe.CheckPrefix, DeviceProbe.Trace);
        FuzzReport report = new ModelFuzzer(ReaderUnderTest.Desktop, slow,
            new FuzzOptions { Cases = 300, CaseBudget = TimeSpan.FromMilliseconds(20) }).Run();
        Assert.True(report.Failed(FailureKind.Hang) > 0);
    }

    [Fact]
    public void A_reader_stuck_forever_stops_the_run_and_is_reported()
    {
        var stuck = new ReaderUnderTest("stuck", (file, arena) =>
        {
            if (file.Length % 13 == 0) Thread.Sleep(Timeout.Infinite);
            return DeviceProbe.Check(file, arena);
        }, DeviceProbe.CheckPrefix, DeviceProbe.Trace);
        FuzzReport report = new ModelFuzzer(ReaderUnderTest.Desktop, stuck,
            new FuzzOptions { Cases = 1000, CaseBudget = TimeSpan.FromMilliseconds(50) }).Run();
        Assert.True(report.Aborted);
        Assert.True(report.Failed(FailureKind.Hang) > 0);
        Assert.True(report.Cases < 1000);
    }
}
