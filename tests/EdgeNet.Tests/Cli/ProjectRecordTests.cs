using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeNet.Tests.Cli;

/// <summary>
/// The float model remembers its data (path, SHA-256, split, label) so quantize and evaluate need only -m;
/// per-row predictions of evaluate and simulate; split paths and the exit-code table.
/// </summary>
public class ProjectRecordTests
{
    private const string Split = "rows:1-120/121-150";

    [Fact]
    public void Quantize_and_evaluate_take_the_data_split_and_label_from_the_model()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string data = CliRunner.WriteBlobs(dir);
            string model = Path.Combine(dir, "m.float.json"), enet = Path.Combine(dir, "m.enet");
            var t = CliRunner.Run("train", data, "--label", "kind", "--split", Split, "--epochs", "20", "-o", model);
            Assert.True(t.ExitCode == 0, t.Error);
            using (var doc = JsonDocument.Parse(File.ReadAllText(model)))
            {
                JsonElement d = doc.RootElement.GetProperty("data");
                Assert.Equal(Path.GetFullPath(data), d.GetProperty("path").GetString());
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(data))), d.GetProperty("sha256").GetString());
                Assert.Equal(Split, d.GetProperty("split").GetString());
                Assert.Equal("kind", d.GetProperty("label").GetString());
            }

            var q = CliRunner.Run("quantize", "-m", model, "-o", enet);
            Assert.True(q.ExitCode == 0, q.Error + q.Out);
            Assert.Contains("Calibrated on 120 training rows", q.Out); // the recorded split's training side
            Assert.Contains("Data from the model's record: " + Path.GetFullPath(data), q.Out);
            Assert.DoesNotContain("warning", q.Error);

            string json = Path.Combine(dir, "eval.json");
            var e = CliRunner.Run("evaluate", "-m", model, "--enet", enet, "--json", json);
            Assert.True(e.ExitCode == 0, e.Error + e.Out);
            using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
                Assert.Equal(30, doc.RootElement.GetProperty("test").GetProperty("float").GetProperty("rows").GetInt32());

            // The data file changed since training: still runs, with a warning naming the file.
            string[] lines = File.ReadAllLines(data);
            lines[5] = lines[5].Replace('1', '2');
            File.WriteAllLines(data, lines);
            q = CliRunner.Run("quantize", "-m", model, "-o", enet);
            Assert.True(q.ExitCode == 0, q.Error);
            Assert.Contains("warning: " + Path.GetFullPath(data) + " changed since the model was trained", q.Error);

            // Another data file given explicitly: its own split and label (none here), no record used.
            string other = Path.Combine(dir, "other.csv");
            File.Copy(data, other);
            e = CliRunner.Run("evaluate", "-m", model, other);
            CliRunner.AssertCleanError(e, 2, "needs test rows");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Evaluate_and_simulate_write_per_row_predictions()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string data = CliRunner.WriteBlobs(dir);
            string model = Path.Combine(dir, "m.float.json"), enet = Path.Combine(dir, "m.enet");
            Assert.Equal(0, CliRunner.Run("train", data, "--label", "kind", "--split", Split, "--epochs", "20", "-o", model).ExitCode);
            // int8 forced: the score columns then hold int8 values (auto makes this small set's model 16-bit).
            Assert.Equal(0, CliRunner.Run("quantize", "-m", model, "-o", enet, "--precision", "int8").ExitCode);

            string p = Path.Combine(dir, "p.csv"), json = Path.Combine(dir, "e.json");
            var e = CliRunner.Run("evaluate", "-m", model, "--enet", enet, "--predictions", p, "--json", json);
            Assert.True(e.ExitCode == 0, e.Error);
            string[] rows = File.ReadAllLines(p);
            Assert.Equal("row,line,label,float_class,int8_class,float_p_alpha,float_p_beta,float_p_gamma,int8_alpha,int8_beta,int8_gamma", rows[0]);
            Assert.Equal(31, rows.Length);
            string[][] cells = rows.Skip(1).Select(r => r.Split(',')).ToArray();
            Assert.Equal("1", cells[0][0]);
            Assert.Equal("122", cells[0][1]); // data row 121 is file line 122
            string[] dataLines = File.ReadAllLines(data);
            for (int r = 0; r < 30; r++)
            {
                Assert.Equal(dataLines[120 + r + 1].Split(',')[^1], cells[r][2]); // the actual label
                double sum = cells[r].Skip(5).Take(3).Sum(v => double.Parse(v, CultureInfo.InvariantCulture));
                Assert.InRange(sum, 0.999, 1.001);
                int[] int8 = cells[r].Skip(8).Select(int.Parse).ToArray();
                Assert.All(int8, v => Assert.InRange(v, -128, 127));
                Assert.Equal(new[] { "alpha", "beta", "gamma" }[Array.IndexOf(int8, int8.Max())], cells[r][4]); // int8 class = first largest score
            }
            using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
            {
                double agreement = doc.RootElement.GetProperty("agreement").GetDouble();
                Assert.Equal(agreement, cells.Count(c => c[3] == c[4]) / 30.0, 9);
                double int8Accuracy = doc.RootElement.GetProperty("test").GetProperty("int8").GetProperty("accuracy").GetDouble();
                Assert.Equal(int8Accuracy, cells.Count(c => c[2] == c[4]) / 30.0, 9);
            }

            string sp = Path.Combine(dir, "s.csv");
            var s = CliRunner.Run("simulate", enet, data, "--limit", "7", "--predictions", sp);
            Assert.True(s.ExitCode == 0, s.Error);
            string[] simulated = File.ReadAllLines(sp);
            Assert.Equal("row,line,label,int8_class,int8_alpha,int8_beta,int8_gamma", simulated[0]);
            Assert.Equal(8, simulated.Length);
            string[] printed = s.Out.Split('\n').Where(l => l.StartsWith("line ")).ToArray();
            for (int r = 0; r < 7; r++)
            {
                string[] c = simulated[r + 1].Split(',');
                Assert.StartsWith($"line {c[1]}: {c[3]} (actual {c[2]})", printed[r]);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_bad_split_spec_is_a_command_line_error()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string data = CliRunner.WriteBlobs(dir);
            CliRunner.AssertCleanError(CliRunner.Run("train", data, "--split", "rows:abc", "-o", Path.Combine(dir, "m.json")), 2, "--split", "rows:abc");
            CliRunner.AssertCleanError(CliRunner.Run("train", data, "--split", "halves", "-o", Path.Combine(dir, "m.json")), 2, "unknown split spec");
            CliRunner.AssertCleanError(CliRunner.Run("train", data, "--split", "rows:1-100/101-999", "-o", Path.Combine(dir, "m.json")), 2, "past the last data row");
            // Other option values that cannot be used are command-line errors too (docs/cli.md, exit codes).
            CliRunner.AssertCleanError(CliRunner.Run("record", "--port", "p", "--label", "a,b"), 2, "--label");
            CliRunner.AssertCleanError(CliRunner.Run("deploy", data, "--port", "p", "--chunk", "0"), 2, "--chunk");
            CliRunner.AssertCleanError(CliRunner.Run("quantize", "-m", Path.Combine(dir, "none.json"), data, "--csharp", Path.Combine(dir, "x.cs"), "--namespace", "1x"), 2, "--namespace");
            CliRunner.AssertCleanError(CliRunner.Run("simulate", data, data, "--limit", "-1"), 2, "--limit");
            Assert.Equal(["blobs.csv"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_relative_file_split_is_relative_to_the_current_folder()
    {
        // A real process, so that its working directory can differ from the data file's folder.
        string dir = CliRunner.TempFolder();
        try
        {
            string dataFolder = Path.Combine(dir, "recordings");
            Directory.CreateDirectory(dataFolder);
            string data = CliRunner.WriteBlobs(dataFolder);
            File.Copy(data, Path.Combine(dir, "test.csv")); // in the current folder, not beside the data
            var (code, _, error) = Edgenet.Run(dir, "train", data, "--label", "kind", "--split", "file:test.csv", "--epochs", "2", "-o", "m.float.json");
            Assert.True(code == 0, error);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "m.float.json")));
            Assert.Equal("file:" + Path.Combine(dir, "test.csv"), doc.RootElement.GetProperty("data").GetProperty("split").GetString());
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>The edgenet program as a separate process (the build beside the tests), for working folders and signals.</summary>
public static class Edgenet
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "edgenet.dll");

    public static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(info)!;
    }

    public static (int Code, string Out, string Error) Run(string workingDirectory, params string[] args)
    {
        using Process p = Start(workingDirectory, args);
        Task<string> output = p.StandardOutput.ReadToEndAsync(), error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(true);
            throw new TimeoutException("edgenet " + string.Join(" ", args) + " did not finish in 5 minutes");
        }
        return (p.ExitCode, output.Result, error.Result);
    }
}
