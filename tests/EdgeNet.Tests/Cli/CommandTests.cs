using System.Text.Json;
using EdgeNet.Engine;
using EdgeNet.Format;

namespace EdgeNet.Tests.Cli;

/// <summary>train -> quantize -> evaluate -> simulate, end to end on a small generated data file.</summary>
public class CommandTests
{
    private const string Split = "rows:1-120/121-150";

    [Fact]
    public void Train_quantize_evaluate_and_simulate_end_to_end()
    {
        string dir = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(dir);
        string model = Path.Combine(dir, "blobs.float.json");
        string enet = Path.Combine(dir, "blobs.enet");
        string cs = Path.Combine(dir, "BlobsModel.cs");
        string json = Path.Combine(dir, "eval.json");

        var train = CliRunner.Run("train", data, "--label", "kind", "--split", Split, "--epochs", "40", "--seed", "3", "--out", model);
        Assert.True(train.ExitCode == 0, train.Error + train.Out);
        Assert.True(File.Exists(model));
        string[] history = File.ReadAllLines(Path.Combine(dir, "blobs.history.csv"));
        Assert.StartsWith("epoch,train_loss,train_accuracy", history[0]);
        Assert.InRange(history.Length - 1, 1, 40);
        using (var h = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "blobs.history.json"))))
            Assert.Equal(history.Length - 1, h.RootElement.GetProperty("epochs").GetArrayLength());

        var quantize = CliRunner.Run("quantize", "--model", model, data, "--label", "kind", "--split", Split, "--out", enet, "--csharp", cs, "--namespace", "Demo.Models", "--class", "Blobs");
        Assert.True(quantize.ExitCode == 0, quantize.Error + quantize.Out);
        byte[] bytes = File.ReadAllBytes(enet);
        Model m = ModelReader.Read(bytes, bytes.Length, int.MaxValue, out string readError);
        Assert.True(m != null, readError);
        Assert.Equal(["a", "b", "c", "d"], m.FeatureNames);
        Assert.Equal(bytes, CSharpSourceTests.BytesIn(File.ReadAllText(cs)));

        var evaluate = CliRunner.Run("evaluate", "--model", model, "--enet", enet, data, "--label", "kind", "--split", Split, "--json", json);
        Assert.True(evaluate.ExitCode == 0, evaluate.Error + evaluate.Out);
        Assert.Contains("balanced accuracy", evaluate.Out);
        Assert.Contains("confusion", evaluate.Out);
        using (var e = JsonDocument.Parse(File.ReadAllText(json)))
        {
            var test = e.RootElement.GetProperty("test");
            double floatAccuracy = test.GetProperty("float").GetProperty("accuracy").GetDouble();
            double int8Accuracy = test.GetProperty("int8").GetProperty("accuracy").GetDouble();
            Assert.True(floatAccuracy >= 0.9, $"float accuracy {floatAccuracy} on separable blobs");
            Assert.True(int8Accuracy >= 0.9, $"int8 accuracy {int8Accuracy} on separable blobs");
            Assert.Equal(30, test.GetProperty("float").GetProperty("rows").GetInt32());
            Assert.Equal(120, e.RootElement.GetProperty("train").GetProperty("float").GetProperty("rows").GetInt32());
            Assert.InRange(e.RootElement.GetProperty("agreement").GetDouble(), 0.9, 1.0);
        }

        var simulate = CliRunner.Run("simulate", enet, data, "--label", "kind", "--limit", "4", "--dump");
        Assert.True(simulate.ExitCode == 0, simulate.Error + simulate.Out);
        string[] lines = simulate.Out.Split('\n');
        Assert.Equal(4, lines.Count(l => l.StartsWith("line ")));
        Assert.Equal(4 * m.Layers.Length, lines.Count(l => l.TrimStart().StartsWith("layer ")));
        Assert.Contains("line 2: alpha", simulate.Out); // first data row is line 2 of the file

        // Rows without a class column run too (the class is printed, no accuracy).
        string unlabeled = Path.Combine(dir, "unlabeled.csv");
        File.WriteAllLines(unlabeled, File.ReadAllLines(data).Take(6).Select(l => l[..l.LastIndexOf(',')]));
        var bare = CliRunner.Run("simulate", enet, unlabeled);
        Assert.True(bare.ExitCode == 0, bare.Error);
        Assert.Equal(5, bare.Out.Split('\n').Count(l => l.StartsWith("line ")));
        Assert.DoesNotContain("actual", bare.Out);
        Assert.Equal(Classes(simulate.Out).Take(4).Select(l => l.Split(" (")[0]), Classes(bare.Out).Take(4));

        // The nanoFramework-compiled kernels print the very same classes.
        var onDevice = CliRunner.Run("simulate", enet, data, "--label", "kind", "--device-build");
        var onDesktop = CliRunner.Run("simulate", enet, data, "--label", "kind");
        Assert.Equal(0, onDevice.ExitCode);
        Assert.Equal(Classes(onDesktop.Out), Classes(onDevice.Out));
        Assert.Equal(150, Classes(onDevice.Out).Length);
    }

    [Fact]
    public void Help_lists_every_command()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string c in new[] { "train", "quantize", "evaluate", "simulate", "demo", "bench" }) Assert.Contains(c, r.Out);
    }

    private static string[] Classes(string output) =>
        output.Split('\n').Where(l => l.StartsWith("line ")).ToArray();
}
