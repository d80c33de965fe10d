using EdgeNet.Engine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;

namespace EdgeNet.Trainer.Device;

/// <summary>
/// Runs a .enet on rows with the nanoFramework-compiled kernels and with the trainer's simulation, and
/// compares every integer: the input tensor and each layer's output (DeviceProbe.TraceWide on both builds) and
/// the predicted class (DeviceProbe.Classify on both builds and <see cref="Simulator.Classify"/>).
/// </summary>
public sealed class BitExactCheck
{
    public int Rows { get; init; }

    /// <summary>Integers compared: (input + every layer output) per row.</summary>
    public long ValuesCompared { get; init; }

    /// <summary>Integers that differ between the device build's trace and the desktop build's.</summary>
    public long ValueMismatches { get; init; }

    /// <summary>Rows where the device build's class differs from the trainer's simulation (or the desktop build's).</summary>
    public int ClassMismatches { get; init; }

    /// <summary>First row (0-based) with any difference, or -1.</summary>
    public int FirstMismatchRow { get; init; }

    public string DeviceFolder { get; init; }

    public bool Exact => ValueMismatches == 0 && ClassMismatches == 0;

    public static BitExactCheck Run(byte[] enet, Model model, Dataset rows, DeviceAssembly device)
    {
        int n = rows.Count;
        int[] raw = RawReadings(model, rows, n);
        // Every value as int16, so models with 16-bit layers are compared too (int8 tensors widened).
        short[] desktopTrace = DeviceProbe.TraceWide(enet, raw, n) ?? throw new InvalidDataException("the desktop build rejects the model");
        short[] deviceTrace = device.TraceWide(enet, raw, n) ?? throw new InvalidDataException("the nanoFramework build rejects the model");
        int[] desktopClasses = DeviceProbe.Classify(enet, raw, n);
        int[] deviceClasses = device.Classify(enet, raw, n);
        int[] simulated = Simulator.Classify(model, rows);

        int per = desktopTrace.Length / Math.Max(1, n);
        long valueMismatches = desktopTrace.Length == deviceTrace.Length ? 0 : Math.Abs(desktopTrace.Length - deviceTrace.Length);
        int first = -1;
        for (int i = 0; i < Math.Min(desktopTrace.Length, deviceTrace.Length); i++)
        {
            if (desktopTrace[i] == deviceTrace[i]) continue;
            valueMismatches++;
            if (first < 0) first = i / per;
        }
        int classMismatches = 0;
        for (int r = 0; r < n; r++)
        {
            if (deviceClasses[r] == simulated[r] && desktopClasses[r] == simulated[r]) continue;
            classMismatches++;
            if (first < 0 || r < first) first = r;
        }
        return new BitExactCheck
        {
            Rows = n, ValuesCompared = desktopTrace.Length, ValueMismatches = valueMismatches,
            ClassMismatches = classMismatches, FirstMismatchRow = first, DeviceFolder = device.Folder,
        };
    }

    /// <summary>The raw sensor readings of the first n rows, concatenated, as the device receives them.</summary>
    public static int[] RawReadings(Model model, Dataset rows, int n)
    {
        var raw = new int[n * model.FeatureCount];
        for (int r = 0; r < n; r++) Array.Copy(Simulator.RawReading(model, rows.Features.Row(r)), 0, raw, r * model.FeatureCount, model.FeatureCount);
        return raw;
    }

    public override string ToString() => Exact
        ? $"bit-exact: the nanoFramework build matches the trainer's simulation on all {Rows} rows ({ValuesCompared:N0} integers, every class)"
        : $"NOT bit-exact: {ValueMismatches:N0} of {ValuesCompared:N0} integers and {ClassMismatches} of {Rows} classes differ (first at row {FirstMismatchRow + 1})";
}
