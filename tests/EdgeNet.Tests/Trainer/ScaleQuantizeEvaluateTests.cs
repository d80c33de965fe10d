using System.Globalization;
using System.Text;
using EdgeNet.Format;
using EdgeNet.Trainer.Commands;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Evaluation;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Reports;
using EdgeNet.Trainer.Training;
using EdgeNet.Tests.Cli;

namespace EdgeNet.Tests.Training;

/// <summary>
/// Quantize and evaluate from the row store (issue #20): calibration, the error table, the precision choice,
/// evaluation (window and streaming models over their sessions), the predictions file and --missing mean|median
/// read the memory-mapped store in place and give bit for bit what the rows held as arrays give.
/// </summary>
public class ScaleQuantizeEvaluateTests
{
    private static string WriteSessions(bool missing)
    {
        var rng = new Random(9);
        var s = new StringBuilder("s,a,b,c,label\n");
        for (int r = 0; r < 1500; r++)
        {
            int k = rng.Next(3);
            string a = (k + rng.NextDouble()).ToString("F3", CultureInfo.InvariantCulture);
            if (missing && r % 37 == 5) a = "?";
            string b = missing && r % 53 == 7 ? "" : (rng.NextDouble() * 2 - k).ToString("F3", CultureInfo.InvariantCulture);
            s.Append(CultureInfo.InvariantCulture, $"{r / 300},{a},{b},{rng.NextDouble():F3},{"uvw"[k]}\n");
        }
        string folder = CliRunner.TempFolder();
        string path = Path.Combine(folder, "sessions.csv");
        File.WriteAllText(path, s.ToString());
        return path;
    }

    private static Dataset Load(string path, MissingPolicy missing, long storeAbove) =>
        DatasetLoader.Load(path, new LoadOptions { DropColumns = ["s"], Missing = missing, StoreAboveBytes = storeAbove });

    [Theory]
    [InlineData("dense:8,relu", 1, Calibration.MinMax, MissingPolicy.Error)]
    [InlineData("dense:8,relu", 1, Calibration.Mse, MissingPolicy.Mean)]
    [InlineData("dense:8,relu", 3, Calibration.Percentile, MissingPolicy.Median)]
    [InlineData("conv1d:4k2,relu", 4, Calibration.MinMax, MissingPolicy.Error)]
    [InlineData("rnn-direct:8,tanh", 4, Calibration.MinMax, MissingPolicy.Error)]
    [InlineData("rnn-indirect:8o4,tanh", 4, Calibration.Mse, MissingPolicy.Mean)]
    public void Quantize_and_evaluate_from_the_store_equal_them_from_row_arrays_and_copy_nothing(string layers, int window, Calibration calibration, MissingPolicy missing)
    {
        string path = WriteSessions(missing != MissingPolicy.Error);
        Dataset memory = Load(path, missing, long.MaxValue), stored = Load(path, missing, 0);
        Assert.False(memory.IsStored);
        Assert.True(stored.IsStored, "the streaming loader was not used");
        if (missing != MissingPolicy.Error)
        {
            MissingValues a = MissingValues.Fit(memory, missing), b = MissingValues.Fit(stored, missing);
            Assert.Equal(a.Fill.Select(BitConverter.SingleToInt32Bits), b.Fill.Select(BitConverter.SingleToInt32Bits));
            int filled = a.Apply(memory);
            Assert.True(filled > 0);
            Assert.Equal(filled, b.Apply(stored));
            Assert.Equal(0, MissingValues.Count(stored));
        }
        for (int r = 0; r < memory.Count; r++)
            Assert.Equal(memory.Rows[r].Select(BitConverter.SingleToInt32Bits), stored.Features.Row(r).ToArray().Select(BitConverter.SingleToInt32Bits));

        Network net = EdgeNet.Trainer.Training.Trainer.Train(memory, new TrainOptions { Layers = layers, Window = window, Epochs = 2, Seed = 5, SessionColumn = "s" }).Network;
        var options = new QuantizeOptions { Calibration = calibration, SessionColumn = "s", ErrorRows = 300 };
        QuantizeResult qm = PrecisionChoice.Quantize(net, memory, options, PrecisionMode.Auto, out PrecisionReport rm);
        QuantizeResult qs = PrecisionChoice.Quantize(net, stored, options, PrecisionMode.Auto, out PrecisionReport rs);
        Assert.Equal(ModelWriter.Write(qm.Model), ModelWriter.Write(qs.Model));
        Assert.Equal(rm.Agreement, rs.Agreement);
        Assert.Equal(rm.Precisions, rs.Precisions);
        Assert.Equal(qm.Errors.Select(e => e.ToString() + e.MaxAbsError.ToString("R") + e.AddedMaxAbsError.ToString("R")),
                     qs.Errors.Select(e => e.ToString() + e.MaxAbsError.ToString("R") + e.AddedMaxAbsError.ToString("R")));

        const string split = "rows:1-1100/1101-1500";
        var (trainM, testM) = Splits.Apply(memory, split, null);
        var (trainS, testS) = Splits.Apply(stored, split, null);
        Comparison cm = Comparison.Compute(net, qm.Model, trainM, testM, "s"), cs = Comparison.Compute(net, qs.Model, trainS, testS, "s");
        Assert.Equal(Json.Text(EvaluateCommand.ToJson(cm, "m", null)), Json.Text(EvaluateCommand.ToJson(cs, "m", null)));
        Assert.Equal(cm.FloatPredictions, cs.FloatPredictions);
        Assert.Equal(cm.Int8Predictions, cs.Int8Predictions);
        Assert.Equal(Predictions.ForEvaluate(net, qm.Model, testM, cm), Predictions.ForEvaluate(net, qs.Model, testS, cs));

        // Dataset.Rows copies a store into arrays on first use (and the rows are those arrays from then on).
        Assert.True(stored.IsStored && trainS.IsStored && testS.IsStored, "quantize or evaluate copied the store into row arrays");
    }

    /// <summary>The whole command line: train, quantize and evaluate with the store give the files they give without it.</summary>
    [Fact]
    public void The_commands_write_the_same_files_from_the_store_as_from_row_arrays()
    {
        string folder = CliRunner.TempFolder();
        string data = Path.Combine(folder, "data.csv");
        File.Copy(WriteSessions(missing: true), data);
        string[] common = ["--drop", "s", "--split", "rows:1-1100/1101-1500", "--missing", "mean"];
        var files = new Dictionary<string, byte[]>[2];
        for (int i = 0; i < 2; i++)
        {
            // The same output names both times (the evaluation names the model file), read before the next run.
            string store = i == 0 ? "1G" : "0";
            string model = Path.Combine(folder, "m.float.json"), enet = Path.Combine(folder, "m.enet");
            string json = Path.Combine(folder, "eval.json"), predictions = Path.Combine(folder, "predictions.csv");
            CliRunner.Result r = CliRunner.Run(["train", data, .. common, "--store-above", store, "--layers", "dense:6,relu", "--window", "3", "--session-column", "s", "--epochs", "3", "--out", model]);
            Assert.True(r.ExitCode == 0, r.Error + r.Out);
            r = CliRunner.Run(["quantize", "-m", model, data, "--store-above", store, "--out", enet]);
            Assert.True(r.ExitCode == 0, r.Error + r.Out);
            r = CliRunner.Run(["evaluate", "-m", model, data, "--store-above", store, "--json", json, "--predictions", predictions]);
            Assert.True(r.ExitCode == 0, r.Error + r.Out);
            Assert.Equal(i == 1, Directory.GetFiles(folder, "data.csv.edgenet-*.store").Length > 0);
            files[i] = new Dictionary<string, byte[]>
            {
                ["model"] = File.ReadAllBytes(model), ["enet"] = File.ReadAllBytes(enet),
                ["evaluation"] = File.ReadAllBytes(json), ["predictions"] = File.ReadAllBytes(predictions),
            };
        }
        foreach (string what in files[0].Keys) Assert.True(files[0][what].AsSpan().SequenceEqual(files[1][what]), $"the {what} file differs with the store");
    }
}
