using System.Text;
using EdgeNet.Format;
using EdgeNet.Quantization;
using EdgeNet.Tests.Cli;
using EdgeNet.Trainer.Data;

namespace EdgeNet.Tests.Reliability;

/// <summary>
/// Bad input to the trainer and the CLI, through the real command entry point (Cli.Run with the edgenet
/// root command): every kind ends with one "error:" line naming the file (and line, column or byte where
/// there is one), no stack trace, a non-zero exit code, and no output file written.
/// </summary>
public class BadInputTests
{
    private static readonly string Dir = CliRunner.TempFolder();

    private static string Csv(string name, string text)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Out(string name) => Path.Combine(Dir, name);

    /// <summary>Trains on a file and expects a clean failure naming what is given.</summary>
    private static void TrainFails(string data, int code, params string[] mentions)
    {
        string model = Out(Guid.NewGuid().ToString("N") + ".fnet");
        var r = CliRunner.Run("train", data, "--epochs", "1", "--out", model);
        CliRunner.AssertCleanError(r, code, mentions);
        Assert.False(File.Exists(model), "a model was written despite the error");
    }

    public static TheoryData<string, string, string[]> DataErrors => new()
    {
        { "missing value", "a,b,label\n1,2,x\n3,,y\n5,6,x\n", ["missing.csv", "line 3", "b"] },
        { "non-numeric cell", "a,b,label\n1,2,x\n3,abc,y\n5,6,x\n", ["non-numeric.csv", "line 3", "b"] },
        { "wrong column count", "a,b,label\n1,2,x\n3,4,5,y\n5,6,x\n", ["columns.csv", "line 3"] },
        { "NaN cell", "a,b,label\n1,2,x\nNaN,4,y\n5,6,x\n", ["nan.csv", "line 3", "a"] },
        { "infinity cell", "a,b,label\n1,2,x\n3,Infinity,y\n5,6,x\n", ["infinity.csv", "line 3", "b"] },
        { "unterminated quoted field", "a,b,label\n1,2,x\n3,\"4,y\n5,6,x\n", ["quote.csv"] },
        { "text after a closing quote", "a,b,label\n1,2,x\n3,\"4\"z,y\n5,6,x\n", ["quote2.csv", "line 3"] },
        { "header only, no rows", "a,b,label\n", ["header-only.csv"] },
        { "label column with one class", "a,b,label\n1,2,x\n3,4,x\n5,6,x\n", ["one-class.csv", "x"] },
    };

    private static readonly Dictionary<string, string> FileNames = new()
    {
        ["missing value"] = "missing.csv", ["non-numeric cell"] = "non-numeric.csv", ["wrong column count"] = "columns.csv",
        ["NaN cell"] = "nan.csv", ["infinity cell"] = "infinity.csv", ["unterminated quoted field"] = "quote.csv",
        ["text after a closing quote"] = "quote2.csv", ["header only, no rows"] = "header-only.csv", ["label column with one class"] = "one-class.csv",
    };

    [Theory]
    [MemberData(nameof(DataErrors))]
    public void Bad_data_files_stop_training_with_file_line_and_column(string kind, string text, string[] mentions)
    {
        TrainFails(Csv(FileNames[kind], text), 1, mentions);
    }

    [Fact]
    public void Empty_file() => TrainFails(Csv("empty.csv", ""), 1, "empty.csv", "empty");

    [Fact]
    public void Missing_file() => TrainFails(Path.Combine(Dir, "no-such.csv"), 1, "no-such.csv");

    [Fact]
    public void A_directory_instead_of_a_file() => TrainFails(Dir, 1, Path.GetFileName(Dir));

    [Fact]
    public void Unknown_column()
    {
        string data = CliRunner.WriteBlobs(CliRunner.TempFolder());
        var r = CliRunner.Run("train", data, "--features", "a,nosuch", "--epochs", "1", "--out", Out("unknown.fnet"));
        CliRunner.AssertCleanError(r, 1, "nosuch");
    }

    [Fact]
    public void A_declared_class_with_no_rows_is_kept_and_reported()
    {
        // Common in public ARFF files (issue #11 item 5): the class is kept in the model and named in a notice.
        string arff = Csv("noclass.arff", "@relation t\n@attribute a numeric\n@attribute b numeric\n@attribute class {x,y,z}\n@data\n1,2,x\n3,4,y\n5,6,x\n4,4,y\n");
        var r = CliRunner.Run("train", arff, "--epochs", "1", "--out", Out("noclass.fnet"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("no rows and will never be learned: z", r.Out);
    }

    [Fact]
    public void A_file_that_is_not_utf8_names_the_line_and_byte()
    {
        string path = Out("latin1.csv");
        byte[] head = Encoding.ASCII.GetBytes("a,b,label\n1,2,x\n3,4,caf");
        File.WriteAllBytes(path, [.. head, 0xE9, .. Encoding.ASCII.GetBytes("\n5,6,x\n")]);
        TrainFails(path, 1, "latin1.csv", "line 3", "UTF-8");
    }

    [Fact]
    public void A_huge_file_is_refused_before_it_is_read()
    {
        string path = Out("huge.csv");
        using (var f = File.Create(path)) f.SetLength(DatasetLoader.MaxFileBytes + 1); // sparse: no disk used
        TrainFails(path, 1, "huge.csv", "limit");
    }

    [Fact]
    public void An_unwritable_output_path()
    {
        string data = CliRunner.WriteBlobs(CliRunner.TempFolder());
        string blocker = Out("not-a-folder");
        File.WriteAllText(blocker, "a file where a folder should be");
        var r = CliRunner.Run("train", data, "--epochs", "1", "--out", Path.Combine(blocker, "m.fnet"));
        CliRunner.AssertCleanError(r, 1, "not-a-folder");
    }

    [Theory]
    [InlineData("--epochs", "-3")]
    [InlineData("--epochs", "many")]
    [InlineData("--learning-rate", "fast")]
    [InlineData("--learning-rate", "-1")]
    public void Bad_option_values(string option, string value)
    {
        string data = CliRunner.WriteBlobs(CliRunner.TempFolder());
        var r = CliRunner.Run("train", data, option, value, "--out", Out("opt.fnet"));
        Assert.NotEqual(0, r.ExitCode);
        CliRunner.AssertCleanError(r, r.ExitCode, option.TrimStart('-').Split('-')[0]);
    }

    // ---- model files ------------------------------------------------------------------------------

    private static (string Model, string Data) Enet(Action<byte[]>? damage = null, string name = "m.enet")
    {
        var model = RandomModels.Dense(new Random(3), 4, [5, 3]);
        model.FeatureNames = ["a", "b", "c", "d"];
        byte[] file = ModelWriter.Write(model);
        damage?.Invoke(file);
        string path = Out(name);
        File.WriteAllBytes(path, file);
        string data = Csv("rows-" + name + ".csv", "a,b,c,d\n1,2,3,4\n5,6,7,8\n");
        return (path, data);
    }

    [Fact]
    public void A_model_from_a_newer_format_version()
    {
        var (model, data) = Enet(f => { f[ModelFormat.OffsetVersion] = 4; }, "newer.enet");
        CliRunner.AssertCleanError(CliRunner.Run("simulate", model, data), 1, "newer.enet", "format version 4 is not supported");
    }

    [Fact]
    public void A_corrupt_enet()
    {
        var (model, data) = Enet(f => { f[^3] ^= 0x40; }, "corrupt.enet");
        CliRunner.AssertCleanError(CliRunner.Run("simulate", model, data), 1, "corrupt.enet", "byte 12: CRC-32 mismatch");
    }

    [Fact]
    public void A_truncated_enet()
    {
        var (model, data) = Enet(null, "cut.enet");
        byte[] all = File.ReadAllBytes(model);
        File.WriteAllBytes(model, all[..(all.Length / 2)]);
        CliRunner.AssertCleanError(CliRunner.Run("simulate", model, data), 1, "cut.enet", "byte 8:");
    }

    [Fact]
    public void Rows_whose_features_do_not_match_the_model()
    {
        var (model, _) = Enet(null, "features.enet");
        string data = Csv("wrong-features.csv", "a,b,x\n1,2,3\n");
        CliRunner.AssertCleanError(CliRunner.Run("simulate", model, data), 1, "wrong-features.csv", "c");
    }

    [Fact]
    public void A_truncated_float_model()
    {
        string folder = CliRunner.TempFolder();
        string data = CliRunner.WriteBlobs(folder);
        string fnet = Path.Combine(folder, "m.fnet");
        var trained = CliRunner.Run("train", data, "--epochs", "1", "--out", fnet);
        Assert.True(trained.ExitCode == 0, trained.Error);
        byte[] all = File.ReadAllBytes(fnet);
        File.WriteAllBytes(fnet, all[..(all.Length / 2)]);
        string enet = Path.Combine(folder, "q.enet");
        CliRunner.AssertCleanError(CliRunner.Run("quantize", "--model", fnet, data, "--out", enet), 1, "m.fnet");
        Assert.False(File.Exists(enet));
    }
}
