using EdgeNet.Format;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Device;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;
using TrainingLoop = EdgeNet.Trainer.Training.Trainer;

namespace EdgeNet.Tests.Cli;

public class DemoTests
{
    [Fact]
    public void Demo_on_a_slice_of_the_bundled_data_checks_the_device_kernels_and_writes_the_report()
    {
        string dir = CliRunner.TempFolder();
        var r = CliRunner.Run("demo", "--data", CliRunner.SatelliteCsv, "--out", dir, "--rows", "600", "--epochs", "3");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.Contains("bit-exact: the nanoFramework build matches the trainer's simulation on all 600 rows", r.Out);
        Assert.Contains("test balanced accuracy", r.Out);
        foreach (string png in new[] { "loss.png", "accuracy.png", "confusion_float.png", "confusion_int8.png" })
        {
            byte[] head = File.ReadAllBytes(Path.Combine(dir, png))[..8];
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head);
        }
        string summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.Contains("**bit-exact**", summary);
        Assert.Contains("![confusion_int8](confusion_int8.png)", summary);
        byte[] enet = File.ReadAllBytes(Path.Combine(dir, "satellite.enet"));
        Assert.NotNull(ModelReader.Read(enet, enet.Length, int.MaxValue, out _));
    }

    [Fact]
    public void Bit_exact_check_passes_for_the_right_model_and_catches_a_different_one()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir);
        Dataset all = DatasetLoader.Load(data, new LoadOptions { LabelColumn = "kind" });
        var network = TrainingLoop.Train(all, new TrainOptions { Epochs = 5, Seed = 1 }, null).Network;
        var model = PostTraining.Quantize(network, all, new QuantizeOptions()).Model;
        byte[] enet = ModelWriter.Write(model);

        BitExactCheck good = BitExactCheck.Run(enet, model, all, DeviceBuild.Assembly);
        Assert.True(good.Exact, good.ToString());
        Assert.Equal(150, good.Rows);
        Assert.True(good.ValuesCompared >= 150 * (4 + 3));

        // The simulation of another network disagrees with the device running this file: the check must say so.
        var other = PostTraining.Quantize(TrainingLoop.Train(all, new TrainOptions { Epochs = 1, Seed = 99, Hidden = [2] }, null).Network, all, new QuantizeOptions()).Model;
        var otherFile = ModelWriter.Write(other);
        BitExactCheck bad = BitExactCheck.Run(enet, other, all, DeviceBuild.Assembly);
        Assert.NotEqual(enet, otherFile);
        Assert.False(bad.Exact, bad.ToString());
    }

    [Fact]
    public void A_divergent_device_build_fails_the_demo_with_exit_code_3()
    {
        // A copy of the device build whose requantization subtracts the zero point instead of adding it
        // (FixedPoint.Requantize calls SaturatingSubtract where it called SaturatingAdd: same signature). The int8
        // kernels run it, so the demo is forced to int8 (auto makes a 200-row model 16-bit).
        string folder = CliRunner.TempFolder();
        string device = Path.Combine(folder, "nf-altered");
        Directory.CreateDirectory(device);
        foreach (string dll in Directory.GetFiles(DeviceBuild.Folder, "*.dll")) File.Copy(dll, Path.Combine(device, Path.GetFileName(dll)));
        string shared = Path.Combine(device, "EdgeNet.Shared.dll");
        Assert.Equal(1, AlterKernel(shared));

        string dir = Path.Combine(folder, "report");
        var r = CliRunner.Run("demo", "--data", CliRunner.SatelliteCsv, "--out", dir, "--rows", "200", "--epochs", "1", "--precision", "int8", "--device-build", device);
        Assert.True(r.ExitCode == 3, $"exit {r.ExitCode}\n{r.Out}{r.Error}");
        Assert.Contains("MISMATCH", File.ReadAllText(Path.Combine(dir, "summary.md")));

        // The unaltered copy passes the same run: the check fails because of the kernel, nothing else.
        var ok = CliRunner.Run("demo", "--data", CliRunner.SatelliteCsv, "--out", Path.Combine(folder, "ok"), "--rows", "200", "--epochs", "1", "--precision", "int8", "--device-build", DeviceBuild.Folder);
        Assert.True(ok.ExitCode == 0, ok.Out + ok.Error);
    }

    [Fact]
    public void A_missing_device_build_is_a_clean_error()
    {
        string folder = CliRunner.TempFolder();
        var r = CliRunner.Run("demo", "--data", CliRunner.SatelliteCsv, "--out", Path.Combine(folder, "o"), "--rows", "50", "--epochs", "1", "--device-build", Path.Combine(folder, "none"));
        CliRunner.AssertCleanError(r, 1, "EdgeNet.Shared");
    }

    /// <summary>Rewrites the call to SaturatingAdd in FixedPoint.Requantize into a call to SaturatingSubtract; returns the calls changed.</summary>
    internal static int AlterKernel(string path)
    {
        byte[] image = File.ReadAllBytes(path);
        int changed = 0;
        using (var pe = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(image)))
        {
            var il = new IlFloatComparisons(pe);
            var methods = il.Methods().GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.First().Handle);
            int add = System.Reflection.Metadata.Ecma335.MetadataTokens.GetToken(methods["EdgeNet.Kernels.FixedPoint.SaturatingAdd"]);
            int subtract = System.Reflection.Metadata.Ecma335.MetadataTokens.GetToken(methods["EdgeNet.Kernels.FixedPoint.SaturatingSubtract"]);
            var requantize = methods["EdgeNet.Kernels.FixedPoint.Requantize"];
            int start = il.IlFileOffset(requantize), end = start + il.IlLength(requantize);
            for (int i = start; i + 5 <= end; i++)
            {
                if (image[i] == 0x28 && BitConverter.ToInt32(image, i + 1) == add) // call SaturatingAdd
                {
                    BitConverter.GetBytes(subtract).CopyTo(image, i + 1);
                    changed++;
                }
            }
        }
        File.WriteAllBytes(path, image);
        return changed;
    }
}
