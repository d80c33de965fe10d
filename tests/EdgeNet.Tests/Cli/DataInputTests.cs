using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeNet.Tests.Cli;

/// <summary>
/// Files as they come from other tools and from hand editing (issue #11 items 3, 5-7, 9-18), through the real
/// command entry point: what loads (with a notice saying what was decided) and what is refused (one error
/// naming the file and the place).
/// </summary>
public class DataInputTests
{
    private readonly string _dir = CliRunner.TempFolder();

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Out(string name) => Path.Combine(_dir, name);

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>Rows of two separable classes: "a,b,c,d,label" plus the given extra prefix per row.</summary>
    private static List<string> Rows(int n, Func<int, string>? prefix = null, int seed = 3)
    {
        var rng = new Random(seed);
        var lines = new List<string>();
        for (int i = 0; i < n; i++)
        {
            int k = i % 2;
            string cells = string.Join(",", Enumerable.Range(0, 4).Select(j => F(k * 4 + j + rng.NextDouble())));
            lines.Add((prefix != null ? prefix(i) + "," : "") + cells + "," + (k == 0 ? "x" : "y"));
        }
        return lines;
    }

    private static void Ok(CliRunner.Result r) => Assert.True(r.ExitCode == 0, r.Error + r.Out);

    private CliRunner.Result Train(string data, params string[] more) =>
        CliRunner.Run(["train", data, "--epochs", "3", "--out", Out(Guid.NewGuid().ToString("N") + ".float.json"), .. more]);

    // ---- 3: header one name shorter than the rows ------------------------------------------------------

    [Fact]
    public void A_short_header_over_rows_without_row_names_is_refused()
    {
        // The first field repeats (a measurement), so it cannot be a row name: shifting would misread every column.
        string data = Write("short.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(40, i => (i % 3).ToString())) + "\n");
        CliRunner.AssertCleanError(Train(data), 1, "short.csv", "header has 5 names, rows have 6 fields");
    }

    [Fact]
    public void R_row_names_load_with_a_notice()
    {
        string data = Write("rnames.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(40, i => $"\"{i + 1}\"")) + "\n");
        var r = Train(data);
        Ok(r);
        Assert.Contains("row name", r.Out);
        Assert.Contains("Training on 40 rows x 4 features", r.Out);
    }

    [Fact]
    public void A_pandas_to_csv_file_loads_with_a_notice()
    {
        string data = Write("pandas.csv", ",a,b,c,d,label\n" + string.Join("\n", Rows(40, i => i.ToString())) + "\n");
        var r = Train(data);
        Ok(r);
        Assert.Contains("first header cell is empty", r.Out);
        Assert.Contains("Training on 40 rows x 4 features", r.Out);
    }

    // ---- 5: ARFF classes declared without rows ---------------------------------------------------------

    [Fact]
    public void An_arff_class_without_rows_is_kept_and_reported_in_every_command()
    {
        var arff = new StringBuilder("@relation t\n@attribute a numeric\n@attribute b numeric\n@attribute c numeric\n@attribute d numeric\n@attribute class {x,y,z}\n@data\n");
        foreach (string row in Rows(60)) arff.Append(row).Append('\n');
        string data = Write("noclass.arff", arff.ToString());
        string model = Out("noclass.float.json"), enet = Out("noclass.enet");
        var train = CliRunner.Run("train", data, "--epochs", "5", "--split", "rows:1-40/41-60", "--out", model);
        Ok(train);
        Assert.Contains("no rows", train.Out);
        Assert.Contains("z", train.Out);
        Ok(CliRunner.Run("quantize", "-m", model, data, "--out", enet));
        // An evaluation subset with one class only: the others are simply absent.
        Ok(CliRunner.Run("evaluate", "-m", model, data, "--split", "rows:1-40/41-41"));
        var simulate = CliRunner.Run("simulate", enet, data, "--limit", "3");
        Ok(simulate);
        Assert.Contains("accuracy", simulate.Out);
    }

    // ---- 6: the test file's label is the training label's name -----------------------------------------

    [Fact]
    public void The_test_file_label_is_found_by_the_training_label_name()
    {
        string train = Write("train6.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(40)) + "\n");
        // The same columns, label first.
        string test = Write("test6.csv", "label,a,b,c,d\n" + string.Join("\n", Rows(10, seed: 9).Select(l => l[(l.LastIndexOf(',') + 1)..] + "," + l[..l.LastIndexOf(',')])) + "\n");
        Ok(Train(train, "--split", "file:" + test));
        // A test file whose label column has another name is refused, naming the columns it has.
        string renamed = Write("renamed6.csv", "a,b,c,d,kind\n" + string.Join("\n", Rows(10, seed: 9)) + "\n");
        CliRunner.AssertCleanError(Train(train, "--split", "file:" + renamed), 1, "renamed6.csv", "'label'", "kind");
    }

    // ---- 7: gzip ---------------------------------------------------------------------------------------

    [Fact]
    public void A_gzip_compressed_csv_is_read_transparently()
    {
        string path = Out("data.csv.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            byte[] text = Encoding.UTF8.GetBytes("a,b,c,d,label\n" + string.Join("\n", Rows(40)) + "\n");
            gz.Write(text);
        }
        var r = Train(path);
        Ok(r);
        Assert.Contains("Training on 40 rows", r.Out);
    }

    // ---- 9: missing values -----------------------------------------------------------------------------

    [Fact]
    public void Missing_values_stop_the_run_and_the_message_names_the_option()
    {
        List<string> rows = Rows(40);
        rows[5] = "?" + rows[5][rows[5].IndexOf(',')..];
        string data = Write("gaps.csv", "a,b,c,d,label\n" + string.Join("\n", rows) + "\n");
        CliRunner.AssertCleanError(Train(data), 1, "gaps.csv", "line 7", "'a'", "--missing");
        var drop = Train(data, "--missing", "drop");
        Ok(drop);
        Assert.Contains("Training on 39 rows", drop.Out);
    }

    [Fact]
    public void Mean_fill_is_fitted_on_training_rows_stored_in_the_model_and_applied_by_evaluate()
    {
        List<string> rows = Rows(60);
        rows[3] = "," + rows[3][(rows[3].IndexOf(',') + 1)..];   // training side
        rows[50] = "," + rows[50][(rows[50].IndexOf(',') + 1)..]; // test side
        rows[55] = "1000" + rows[55][rows[55].IndexOf(',')..];  // a test-side outlier the fill must not see
        string data = Write("fill.csv", "a,b,c,d,label\n" + string.Join("\n", rows) + "\n");
        string model = Out("fill.float.json");
        Ok(CliRunner.Run("train", data, "--epochs", "3", "--split", "rows:1-40/41-60", "--missing", "mean", "--out", model));

        double expected = rows.Take(40).Select(l => l.Split(',')[0]).Where(c => c.Length > 0).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).Average();
        JsonNode missing = JsonNode.Parse(File.ReadAllText(model))!["missing"]!;
        Assert.Equal("mean", (string)missing["strategy"]!);
        Assert.Equal(expected, (double)missing["fill"]![0]!, 4);

        // evaluate and quantize fill the same cells with the model's values (no --missing needed).
        var evaluate = CliRunner.Run("evaluate", "-m", model, data, "--split", "rows:1-40/41-60");
        Ok(evaluate);
        Assert.Contains("filled 2 missing values", evaluate.Out);
        Ok(CliRunner.Run("quantize", "-m", model, data, "--split", "rows:1-40/41-60", "--out", Out("fill.enet")));
    }

    // ---- 10: left-out columns --------------------------------------------------------------------------

    [Fact]
    public void Every_left_out_column_is_listed_once_with_the_reason()
    {
        string data = Write("cols.csv", "when,size,batch,a,b,c,d,label\n" + string.Join("\n", Rows(40, i => $"2020-01-{i % 28 + 1:D2},{i}.3cm,{i % 4}")) + "\n");
        var r = Train(data, "--drop", "batch");
        Ok(r);
        string note = r.Out.Split('\n').Single(l => l.Contains("left out"));
        Assert.Contains("left out 3 columns", note);
        Assert.Contains("when (text, e.g. '2020-01-01')", note);
        Assert.Contains("size (text, e.g. '0.3cm')", note);
        Assert.Contains("batch (--drop)", note);
    }

    // ---- 11: labels ------------------------------------------------------------------------------------

    [Fact]
    public void Numerically_equal_labels_are_one_class()
    {
        List<string> rows = Rows(40).Select((l, i) => l[..l.LastIndexOf(',')] + "," + (i % 2 == 0 ? new[] { "1", "1.0", "01" }[i % 3] : "2")).ToList();
        string data = Write("labels.csv", "a,b,c,d,label\n" + string.Join("\n", rows) + "\n");
        var r = Train(data);
        Ok(r);
        Assert.Contains("2 classes", r.Out);
        Assert.Contains("same number", r.Out);
    }

    [Fact]
    public void A_label_with_many_values_is_refused_as_a_measurement_unless_allowed()
    {
        var rows = Enumerable.Range(0, 100).Select(i => $"{i % 7},{i % 5},{i * 0.37:F2}");
        string data = Write("measure.csv", "a,b,temperature\n" + string.Join("\n", rows) + "\n");
        CliRunner.AssertCleanError(Train(data), 1, "measure.csv", "temperature", "100 distinct values", "measurement", "--max-classes");
        Ok(Train(data, "--max-classes", "100"));
    }

    // ---- 12: the model format's limits at load ---------------------------------------------------------

    [Fact]
    public void Names_the_model_format_cannot_hold_are_refused_at_load()
    {
        string data = Write("names.csv", "Température,b,c,d,label\n" + string.Join("\n", Rows(40)) + "\n");
        CliRunner.AssertCleanError(Train(data), 1, "names.csv", "Température", "printable ASCII");
        var longLabel = new string('q', 300);
        string data2 = Write("long.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(40).Select((l, i) => i == 0 ? l[..l.LastIndexOf(',')] + "," + longLabel : l)) + "\n");
        CliRunner.AssertCleanError(Train(data2), 1, "long.csv", "300 characters", "limit of 255");
    }

    // ---- 13: magnitudes the device cannot represent ----------------------------------------------------

    [Fact]
    public void A_feature_beyond_the_raw_reading_range_is_refused_naming_it_and_its_range()
    {
        List<string> rows = Rows(40).Select((l, i) => (i % 2 == 0 ? "1e19" : "-2e19") + l[l.IndexOf(',')..]).ToList();
        string data = Write("huge.csv", "a,b,c,d,label\n" + string.Join("\n", rows) + "\n");
        CliRunner.AssertCleanError(Train(data), 1, "huge.csv", "'a'", "-2E+19", "1E+19", "rescale");
    }

    // ---- 14: overlapping splits ------------------------------------------------------------------------

    [Fact]
    public void Overlapping_train_and_test_rows_are_refused()
    {
        string data = Write("overlap.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(40)) + "\n");
        var r = Train(data, "--split", "rows:1-30/21-40");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("overlap (rows 21-30)", r.Error);
        var same = Train(data, "--split", "file:" + data);
        Assert.NotEqual(0, same.ExitCode);
        Assert.Contains("training data file itself", same.Error);
    }

    // ---- 15: the CSV parser and what errors echo -------------------------------------------------------

    [Fact]
    public void Error_messages_cut_long_cells_and_escape_terminal_bytes()
    {
        string cell = "\u001b[2J\u001b[31m" + new string('z', 100_000);
        string data = Write("escape.csv", "a,b,label\n1,2,x\n3," + cell + ",y\n5,6,x\n");
        var r = Train(data, "--features", "a,b");
        CliRunner.AssertCleanError(r, 1, "escape.csv", "line 3", "\\x1B[2J", "100,009 characters");
        Assert.False(r.Error.Contains('\u001b'), "the escape byte reached the terminal");
        Assert.True(r.Error.Length < 400, $"the error line is {r.Error.Length} characters");
    }

    [Fact]
    public void Quotes_inside_an_unquoted_field_are_text_and_quoted_fields_unescape()
    {
        string data = Write("quotes.csv", "a,b,note,label\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i =>
            $"{i % 2 + i * 0.01:F2},{i % 2 * 3}, \"he said \"\"{i}\"\"\" ,{(i % 2 == 0 ? "x" : "y")}")) + "\n1,2,size\"big\",x\n");
        var r = Train(data);
        Ok(r);
        Assert.Contains("note (text, e.g. 'he said \"0\"')", r.Out);
        Assert.Contains("Training on 41 rows x 2 features", r.Out);
    }

    // ---- 16: one column rule; labels the model does not know -------------------------------------------

    [Fact]
    public void Evaluate_and_quantize_find_the_model_columns_like_simulate()
    {
        string data = Write("cols16.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(60)) + "\n");
        string model = Out("cols16.float.json");
        Ok(CliRunner.Run("train", data, "--epochs", "3", "--out", model));
        // Other letter case, other order, an extra column: found by name as simulate finds them.
        string other = Write("other16.csv", "EXTRA,D,C,B,A,label\n" + string.Join("\n", Rows(60).Select(l =>
        {
            string[] c = l.Split(',');
            return $"7,{c[3]},{c[2]},{c[1]},{c[0]},{c[4]}";
        })) + "\n");
        Ok(CliRunner.Run("evaluate", "-m", model, other, "--split", "rows:1-40/41-60"));
        Ok(CliRunner.Run("quantize", "-m", model, other, "--out", Out("cols16.enet")));
        var sim = CliRunner.Run("simulate", Out("cols16.enet"), other, "--label", "label", "--limit", "5");
        Ok(sim);
        Assert.Contains("accuracy", sim.Out);
    }

    [Fact]
    public void Simulate_counts_rows_whose_label_the_model_does_not_know()
    {
        string data = Write("known.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(40)) + "\n");
        string model = Out("known.float.json"), enet = Out("known.enet");
        Ok(CliRunner.Run("train", data, "--epochs", "20", "--out", model));
        Ok(CliRunner.Run("quantize", "-m", model, data, "--out", enet));
        List<string> rows = Rows(10, seed: 8);
        rows[0] = rows[0][..rows[0].LastIndexOf(',')] + ",w";
        rows[1] = rows[1][..rows[1].LastIndexOf(',')] + ",w";
        string test = Write("unknown.csv", "a,b,c,d,label\n" + string.Join("\n", rows) + "\n");
        var r = CliRunner.Run("simulate", enet, test, "--label", "label");
        Ok(r);
        Assert.Contains("2 of 10 rows have a label the model does not know", r.Out);
        Assert.Contains("'w' (2 rows)", r.Out);
        Assert.Contains("over the 8 rows whose label the model knows", r.Out);
    }

    // ---- 17: float model validation ----------------------------------------------------------------------

    [Theory]
    [InlineData("std", "0", "normalization.std[1] (feature 'b')")]
    [InlineData("std", "-2", "normalization.std[1] (feature 'b')")]
    [InlineData("mean", "1e30", "normalization.mean[1] (feature 'b')")]
    [InlineData("maxAbs", "1e25", "normalization.maxAbs[1] (feature 'b')")]
    public void A_hand_edited_float_model_is_refused_naming_file_and_field(string field, string value, string mention)
    {
        string data = Write("edit.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(40)) + "\n");
        string model = Out("edit.float.json");
        Ok(CliRunner.Run("train", data, "--epochs", "2", "--out", model));
        JsonNode root = JsonNode.Parse(File.ReadAllText(model))!;
        root["normalization"]![field]![1] = JsonNode.Parse(value);
        File.WriteAllText(model, root.ToJsonString());
        CliRunner.AssertCleanError(CliRunner.Run("quantize", "-m", model, data, "--out", Out("edit.enet")), 1, "edit.float.json", mention);
        CliRunner.AssertCleanError(CliRunner.Run("evaluate", "-m", model, data, "--split", "rows:1-20/21-40"), 1, "edit.float.json", mention);
    }

    // ---- 18: tiny validation sets ------------------------------------------------------------------------

    [Fact]
    public void A_tiny_validation_split_turns_early_stopping_off_and_the_history_names_the_selection_figure()
    {
        string data = Write("tiny.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(60)) + "\n");
        string model = Out("tiny.float.json");
        var r = CliRunner.Run("train", data, "--epochs", "12", "--out", model);
        Ok(r);
        Assert.Contains("fewer than 30 per class", r.Out);
        Assert.Contains("Best epoch", r.Out);
        string[] history = File.ReadAllLines(Out("tiny.history.csv"));
        Assert.Equal(13, history.Length); // every epoch ran
        Assert.Contains("selection_score,selected_on", history[0]);
        Assert.All(history.Skip(1), l => Assert.Contains(",last_epoch,", l));
        JsonNode json = JsonNode.Parse(File.ReadAllText(Out("tiny.history.json")))!;
        Assert.Equal("last_epoch", (string)json["selectedOn"]!);

        // A validation split big enough (30+ rows per class) still early-stops on the validation figure.
        string big = Write("big.csv", "a,b,c,d,label\n" + string.Join("\n", Rows(700)) + "\n");
        Ok(CliRunner.Run("train", big, "--epochs", "2", "--out", Out("big.float.json")));
        Assert.Contains(",validation_balanced_loss,", File.ReadAllLines(Out("big.history.csv"))[1]);
    }
}
