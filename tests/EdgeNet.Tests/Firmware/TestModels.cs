using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Quantization;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// Models and rows for the firmware tests: A is the replay app's compiled-in satellite model (36 inputs,
/// 6 classes) with its rows; B has A's inputs and classes but other layers, so switching is visible.
/// </summary>
public static class TestModels
{
    private static readonly Lazy<(byte[] A, int[] Rows)> Replay = new(() =>
    {
        Type data = DeviceBuild.Load("EdgeNet.Firmware.Replay").GetType("EdgeNet.Firmware.Replay.ReplayData", true)!;
        return ((byte[])data.GetMethod("Model")!.Invoke(null, null)!, (int[])data.GetMethod("Readings")!.Invoke(null, null)!);
    });

    public static byte[] A => Replay.Value.A;
    public static int[] Rows => Replay.Value.Rows;
    public static string NameA => ModelA.Name;
    public static Model ModelA => ModelReader.Read(A, A.Length, int.MaxValue, out _)!;
    public static int Features => ModelA.FeatureCount;
    public static int RowCount => Rows.Length / Features;

    public static readonly Lazy<byte[]> BFile = new(() =>
    {
        Model a = ModelA;
        Model random = RandomModels.Dense(new Random(5), a.FeatureCount, [48, a.ClassCount]);
        var b = new Model { Name = "model-b", ClassLabels = a.ClassLabels, FeatureNames = a.FeatureNames, WindowLength = 1, Input = a.Input, Layers = random.Layers };
        return ModelWriter.Write(b);
    });

    public static byte[] B => BFile.Value;

    /// <summary>The board configuration that feeds model A's inputs from one sensor each, in A's units.</summary>
    public static string Config(int rateHz = 100, string extra = "")
    {
        Model a = ModelA;
        var s = new System.Text.StringBuilder($"rate_hz {rateHz}\n");
        for (int f = 0; f < a.FeatureCount; f++) s.Append($"sensor s{f} test exp={a.Input.RawExponent[f]}\ninput {a.FeatureNames[f]} s{f}\n");
        return s.Append(extra).ToString();
    }

    /// <summary>
    /// A board.cfg the ESP32 boot accepts (Startup.Checked: the parse and the chip's pin rules) feeding model
    /// A's inputs by name from "replay" sensors: what `config push` may store. extra goes after it.
    /// </summary>
    public static string Esp32Config(int rateHz = 5, string extra = "")
    {
        Model a = ModelA;
        var s = new System.Text.StringBuilder($"chip ESP32\nserial COM2 115200\npin COM2_RX 32\npin COM2_TX 33\nrate_hz {rateHz}\n");
        for (int f = 0; f < a.FeatureCount; f++) s.Append($"sensor s{f} replay column={f} exp={a.Input.RawExponent[f]}\ninput {a.FeatureNames[f]} s{f}\n");
        return s.Append(extra).ToString();
    }

    /// <summary>Label the desktop build of the shared kernels predicts for every row (the simulation).</summary>
    public static string[] Expected(byte[] model)
    {
        Model m = ModelReader.Read(model, model.Length, int.MaxValue, out _)!;
        return DeviceProbe.Classify(model, Rows, RowCount).Select(c => m.ClassLabels[c]).ToArray();
    }

    /// <summary>A copy with a stray byte after the last layer, header length and CRC made right: only the parser can tell.</summary>
    public static byte[] WithTrailingByte(byte[] file)
    {
        byte[] bad = new byte[file.Length + 1];
        file.CopyTo(bad, 0);
        BitConverter.GetBytes((uint)bad.Length).CopyTo(bad, ModelFormat.OffsetLength);
        return CorruptContent(bad, file.Length, 0);
    }

    /// <summary>A copy with one byte changed and the header CRC made right again, so only the parser can tell.</summary>
    public static byte[] CorruptContent(byte[] file, int at, byte value)
    {
        byte[] bad = (byte[])file.Clone();
        bad[at] = value;
        uint crc = Crc32.Compute(bad, ModelFormat.HeaderBytes, bad.Length - ModelFormat.HeaderBytes);
        BitConverter.GetBytes(crc).CopyTo(bad, ModelFormat.OffsetCrc);
        return bad;
    }
}
