using System.Globalization;
using EdgeNet.Engine;
using EdgeNet.Trainer.Commands;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;

namespace EdgeNet.Tests.Cli;

/// <summary>
/// CNN and recurrent networks through the CLI: train --network on a generated stream with a split, quantize
/// (sequence quantizer, calibrated on the training stream), then simulate with the desktop and the
/// nanoFramework builds of the kernels, which must print the same classes.
/// </summary>
public class NetworkTypeCliTests
{
    /// <summary>
    /// A stream of noisy readings whose class is a regime lasting 25 readings (mean -1, 0 or +1 under noise of
    /// standard deviation 1): one reading alone is a poor guess, the last few together (a window or a state) are good.
    /// </summary>
    private static string WriteStream(string folder, int rows)
    {
        var rng = new Random(11);
        var lines = new List<string> { "x,y,regime" };
        string[] names = ["low", "mid", "high"];
        int regime = 0;
        double Noise() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        for (int i = 0; i < rows; i++)
        {
            if (i % 25 == 0) regime = rng.Next(3);
            double x = regime - 1 + Noise(), y = 0.5 * (regime - 1) + Noise();
            lines.Add(string.Join(",", new[] { x, y }.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + "," + names[regime]);
        }
        string path = Path.Combine(folder, "stream.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string[] Classes(string output) =>
        output.Split('\n').Where(l => l.StartsWith("line ")).Select(l => l.Split(" (")[0]).ToArray();

    [Theory]
    [InlineData("cnn", 8)]
    [InlineData("rnn-direct", 1)]
    public void Train_quantize_simulate(string type, int deviceWindow)
    {
        string dir = CliRunner.TempFolder();
        string data = WriteStream(dir, 400);
        string fnet = Path.Combine(dir, type + ".float.json"), enet = Path.Combine(dir, type + ".enet");

        var train = CliRunner.Run("train", data, "--network", type, "--window", "8", "--split", "rows:1-300/301-400",
            "--epochs", "15", "--batch-size", "16", "--optimizer", "Adam", "--seed", "3", "--out", fnet);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("unlearned (test rows)", train.Out);

        var quantize = CliRunner.Run("quantize", "--model", fnet, data, "--split", "rows:1-300/301-400", "--out", enet);
        Assert.True(quantize.ExitCode == 0, quantize.Error);
        Model model = QuantizeCommand.ReadEnet(enet);
        Assert.Equal(deviceWindow, model.WindowLength);

        var desktop = CliRunner.Run("simulate", enet, data, "--label", "regime");
        var device = CliRunner.Run("simulate", enet, data, "--label", "regime", "--device-build");
        Assert.Equal(0, desktop.ExitCode);
        Assert.Equal(0, device.ExitCode);
        string[] classes = Classes(desktop.Out);
        Assert.Equal(400, classes.Length);
        Assert.Equal(classes, Classes(device.Out));

        // The CLI's classes are the int8 model's on the stream, and it learned something: the held-out rows
        // are classified well above chance (1/3).
        Dataset rows = DatasetLoader.Load(data, new LoadOptions { LabelColumn = "regime" });
        int[] expected = Simulator.Classify(model, rows);
        Assert.Equal(expected.Select((c, r) => $"line {rows.SourceLines[r]}: {model.ClassLabels[c]}"), classes);
        double heldOut = Enumerable.Range(300, 100).Count(r => model.ClassLabels[expected[r]] == rows.ClassLabels[rows.Labels[r]]) / 100.0;
        Assert.True(heldOut > 0.6, $"{type}: int8 accuracy on the held-out rows {heldOut:P0}");
    }
}
