using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Firmware;

/// <summary>The firmware's sensor pipeline, stepped by hand: classifications, failed reads, LED, raw mode.</summary>
public class PipelineTests
{
    private static List<string> Drain(UpdateBench bench)
    {
        var lines = new List<string>();
        for (string? l; (l = bench.Host.NextLine(50)) != null;) lines.Add(l);
        return lines;
    }

    [Fact]
    public void Each_sample_gives_one_classification_line_matching_the_simulation_and_failed_reads_are_reported()
    {
        var clock = new ManualClock();
        var cable = new MemoryCable();
        var sensors = new RowSensors(TestModels.Rows, TestModels.Features);
        sensors.FailAt.UnionWith([3, 7]);
        sensors.FailSensor = 5;
        var led = new TestLed();
        using var device = new DeviceRunner(TestModels.Config(rateHz: 10, extra: "led 2 red soil\n"), new FaultStorage(), cable.Device, sensors, clock, led, TestModels.A).Boot();
        int samples = 20;
        for (int t = 0; t < samples * 100; t += 25)
        {
            clock.Now = t;
            device.Poll();
        }
        var host = new DeviceLink(cable.Host);
        var lines = new List<string>();
        for (string? l; (l = host.NextLine(50)) != null;) lines.Add(l);

        string[] expected = TestModels.Expected(TestModels.A);
        var classified = lines.Where(l => l.StartsWith("C\t")).ToList();
        var errors = lines.Where(l => l.StartsWith("E\t")).ToList();
        Assert.Equal(samples, sensors.Samples);
        Assert.Equal(samples - 2, classified.Count);
        Assert.Equal(["E\t300\tsensor s5 read failed; no classification", "E\t700\tsensor s5 read failed; no classification"], errors);
        int c = 0;
        for (int s = 0; s < samples; s++)
        {
            if (s == 3 || s == 7) continue;
            Assert.True(DeviceLines.TryClassification(classified[c++], out var k));
            Assert.Equal(s * 100, k.Milliseconds);
            Assert.Equal(expected[sensors.RowOf(s)], k.Label);
            Assert.Matches(@"^-?\d+\.\d{3}$", k.Score);
        }
        // The LED follows the configured class.
        int reds = classified.Count(l => l.Split('\t')[2] == "red soil");
        Assert.True(reds > 0 && reds < classified.Count, "test rows should include some 'red' and some other class");
        Assert.Equal(classified.Last().Split('\t')[2] == "red soil", led.On);
        Assert.Equal(samples - 2, (int)device.Firmware.Pipeline.Classifications);
        Assert.Equal(2, (int)device.Firmware.Pipeline.FailedSamples);
    }

    [Fact]
    public void Record_writes_the_raw_readings_as_a_labelled_csv_in_real_units()
    {
        using var bench = new UpdateBench(TestModels.Config(rateHz: 50));
        string csv = Path.Combine(Path.GetTempPath(), $"edgenet-record-{Guid.NewGuid():N}.csv");
        try
        {
            var r = Recorder.Record(bench.Host, csv, "grass", rows: 6, TimeSpan.FromSeconds(30));
            Assert.Equal(6, r.Rows);
            r = Recorder.Record(bench.Host, csv, "rock", rows: 3, TimeSpan.FromSeconds(30));
            string[] lines = File.ReadAllLines(csv);
            Assert.Equal(string.Join(",", Enumerable.Range(0, TestModels.Features).Select(f => "s" + f)) + ",label", lines[0]);
            Assert.Equal(10, lines.Length);
            Assert.Equal(6, lines.Count(l => l.EndsWith(",grass")));
            Assert.Equal(3, lines.Count(l => l.EndsWith(",rock")));
            // Every value is a dataset value: raw / 10^exponent is a whole satellite reading (0..255).
            var model = TestModels.ModelA;
            var datasetRows = Enumerable.Range(0, TestModels.RowCount)
                .Select(i => string.Join(",", Enumerable.Range(0, TestModels.Features).Select(f => Real(TestModels.Rows[i * TestModels.Features + f], model.Input.RawExponent[f]))))
                .ToHashSet();
            foreach (string line in lines.Skip(1)) Assert.Contains(line[..line.LastIndexOf(',')], datasetRows);
            // Back in classify mode afterwards.
            bench.Lines.Clear();
            bench.WaitForLine("C\t");
        }
        finally { File.Delete(csv); }
    }

    private static string Real(int raw, int exponent) =>
        (raw / (decimal)Math.Pow(10, exponent)).ToString("0.#########", System.Globalization.CultureInfo.InvariantCulture);
}
