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
        bool classesDiffer = !Simulator.Classify(other, all).SequenceEqual(Simulator.Classify(model, all));
        Assert.Equal(classesDiffer, !bad.Exact);
        Assert.NotEqual(enet, otherFile);
    }
}
