using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Tests.Firmware;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests.Reliability;

/// <summary>
/// Readings far outside the calibrated range saturate and still give a class; a failed sensor read
/// (no number: NaN, bus error, timeout) is reported and never reaches the network.
/// </summary>
public class SensorInputTests
{
    /// <summary>Every sensor returns an extreme value; some reads fail (the schedule is seeded).</summary>
    public sealed class WildSensors(int features, int seed, double failRate)
    {
        private readonly Random _rng = new(seed);
        public int Samples, FailedSamples;
        private bool _failedThisSample;
        public readonly List<int> FailedSensor = new();

        public bool Read(int sensor, out int value)
        {
            if (sensor < 0 || sensor >= features) throw new ArgumentOutOfRangeException(nameof(sensor));
            if (sensor == 0) { Samples++; _failedThisSample = false; }
            value = _rng.Next(4) switch { 0 => int.MaxValue, 1 => int.MinValue, 2 => _rng.Next(-1000, 1000) * 1_000_000, _ => _rng.Next() };
            bool fail = _rng.NextDouble() < failRate;
            if (fail && !_failedThisSample) { _failedThisSample = true; FailedSamples++; FailedSensor.Add(sensor); }
            return !fail;
        }
    }

    [Fact]
    public void Extreme_readings_saturate_the_input_tensor_and_still_give_a_class()
    {
        Model m = TestModels.ModelA;
        var engine = new InferenceEngine(m);
        var rng = new Random(9);
        int[] raw = new int[m.FeatureCount];
        for (int n = 0; n < 200; n++)
        {
            for (int f = 0; f < raw.Length; f++) raw[f] = rng.Next(2) == 0 ? int.MaxValue : int.MinValue;
            engine.PushReading(raw);
            int cls = engine.Invoke();
            Assert.InRange(cls, 0, m.ClassCount - 1);
            for (int f = 0; f < raw.Length; f++)
            {
                // Far beyond the calibration in either direction: the ends of int8, never a wrapped value.
                sbyte q = engine.Input[f];
                Assert.True(raw[f] > 0 ? q == 127 : q == -128, $"feature {f}: raw {raw[f]} quantized to {q}");
            }
        }
    }

    /// <summary>Five minutes at 10 Hz on the nanoFramework-compiled firmware: every line it sent, and its pipeline.</summary>
    private static (List<string> Lines, dynamic Pipeline) RunFiveMinutes(byte[] model, WildSensors sensors)
    {
        var clock = new ManualClock();
        var cable = new MemoryCable();
        using var device = new DeviceRunner(TestModels.Config(rateHz: 10), new FaultStorage(), cable.Device, sensors, clock, new TestLed(), model).Boot();
        for (int t = 0; t < 300 * 100; t += 50)
        {
            clock.Now = t;
            device.Poll();
        }
        var host = new DeviceLink(cable.Host);
        var lines = new List<string>();
        for (string? l; (l = host.NextLine(50)) != null;) lines.Add(l);
        return (lines, device.Firmware.Pipeline);
    }

    [Fact]
    public void On_the_device_every_sample_is_a_class_or_a_reported_failed_read_never_both()
    {
        var sensors = new WildSensors(TestModels.Features, seed: 4, failRate: 0.004);
        (List<string> lines, dynamic pipeline) = RunFiveMinutes(TestModels.A, sensors);
        var classes = lines.Where(l => l.StartsWith("C\t")).ToList();
        var failures = lines.Where(l => l.StartsWith("E\t") && l.Contains("read failed")).ToList();

        Assert.True(sensors.FailedSamples > 5, $"only {sensors.FailedSamples} failed samples");
        Assert.Equal(sensors.Samples, classes.Count + failures.Count);
        Assert.Equal(sensors.FailedSamples, failures.Count);
        Assert.Equal(sensors.FailedSamples, (int)pipeline.FailedSamples);
        for (int i = 0; i < failures.Count; i++) Assert.Contains($"sensor s{sensors.FailedSensor[i]} read failed; no classification", failures[i]);
        string[] labels = TestModels.ModelA.ClassLabels;
        foreach (string c in classes) Assert.Contains(c.Split('\t')[2], labels);
    }

    [Fact]
    public void A_model_with_missing_value_fills_classifies_through_a_failed_read_with_the_fill()
    {
        // Model A with a fill per feature (what `train --missing mean` + `quantize` export): a failed read is
        // replaced by the fill, reported, and the sample still gives a class.
        Model m = ModelReader.Read(TestModels.A, TestModels.A.Length, int.MaxValue, out string why) ?? throw new InvalidOperationException(why);
        m.Input.FillRaw = Enumerable.Range(0, m.FeatureCount).Select(f => m.Input.Offset[f]).ToArray();
        byte[] withFill = ModelWriter.Write(m);
        var sensors = new WildSensors(TestModels.Features, seed: 4, failRate: 0.004);
        (List<string> lines, dynamic pipeline) = RunFiveMinutes(withFill, sensors);
        var classes = lines.Where(l => l.StartsWith("C\t")).ToList();
        var filled = lines.Where(l => l.StartsWith("E\t") && l.Contains("fill value stands in")).ToList();

        Assert.True(sensors.FailedSamples > 5, $"only {sensors.FailedSamples} failed samples");
        Assert.Equal(sensors.Samples, classes.Count); // every sample classified, failed reads included
        Assert.Equal(sensors.FailedSamples, filled.Count);
        Assert.Equal(sensors.FailedSamples, (int)pipeline.FilledSamples);
        Assert.Equal(0, (int)pipeline.FailedSamples);
    }
}
