using System.Text;
using EdgeNet.Trainer.Data;

namespace EdgeNet.Tests.Training;

public class DataLoaderTests
{
    [Fact]
    public void Reads_quoted_fields_semicolons_crlf_and_bom()
    {
        string text = "\uFEFF\"temp;C\";\"hum\";label\r\n1,5;2;\"a;b\"\r\n\r\n3;4,25;\"c \"\"x\"\"\"\r\n";
        string path = TestData.Write("");
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Dataset d = DatasetLoader.Load(path);
        Assert.Equal(new[] { "temp;C", "hum" }, d.FeatureNames);
        Assert.Equal(new[] { "a;b", "c \"x\"" }, d.ClassLabels);
        Assert.Equal(new[] { 1.5f, 2f }, d.Rows[0]);
        Assert.Equal(new[] { 3f, 4.25f }, d.Rows[1]);
        Assert.Equal(new[] { 2, 4 }, d.SourceLines); // the blank line 3 is skipped, lines still counted
    }

    [Fact]
    public void Chooses_label_and_features_by_name_and_skips_text_columns()
    {
        string path = TestData.Write("date,x,y,class,z\n2020-01-01,1,2,b,3\n2020-01-02,4,5,a,6\n");
        Dataset d = DatasetLoader.Load(path, new LoadOptions { LabelColumn = "class", DropColumns = new[] { "z" } });
        Assert.Equal(new[] { "x", "y" }, d.FeatureNames);
        Assert.Equal(new[] { "a", "b" }, d.ClassLabels);
        Assert.Equal(new[] { 1, 0 }, d.Labels);
        Assert.Equal(new[] { "2020-01-01", "2020-01-02" }, d.OtherColumns["date"]);

        Dataset e = DatasetLoader.Load(path, new LoadOptions { LabelColumn = "class", FeatureColumns = new[] { "z", "x" } });
        Assert.Equal(new[] { 3f, 1f }, e.Rows[0]);
    }

    [Fact]
    public void Numeric_labels_sort_as_numbers()
    {
        string path = TestData.Write("x,n\n1,10\n2,2\n3,1\n");
        Assert.Equal(new[] { "1", "2", "10" }, DatasetLoader.Load(path).ClassLabels);
    }

    [Fact]
    public void Reads_arff_with_declared_classes()
    {
        string path = TestData.Write("% comment\n@relation t\n@attribute 'a b' numeric\n@attribute c {no, yes}\n@data\n1.5,yes\n% skip\n2,no\n", ".arff");
        Dataset d = DatasetLoader.Load(path);
        Assert.Equal(new[] { "a b" }, d.FeatureNames);
        Assert.Equal(new[] { "no", "yes" }, d.ClassLabels);
        Assert.Equal(new[] { 1, 0 }, d.Labels);
        Assert.Equal(new[] { 6, 8 }, d.SourceLines);
    }

    [Fact]
    public void Reads_the_bundled_layouts()
    {
        Dataset iris = TestData.Iris(); // scikit-learn layout: "150,4,setosa,versicolor,virginica"
        Assert.Equal(150, iris.Count);
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, iris.ClassLabels);
        Assert.Equal(new[] { 50, 50, 50 }, iris.ClassCounts());
        Assert.Equal(178, TestData.Wine().Count);
        Assert.Equal(150, DatasetLoader.Load(TestData.Dataset("iris/iris.arff")).Count);
        Dataset seeds = DatasetLoader.Load(TestData.Dataset("seeds/seeds_dataset.txt")); // tabs, no header
        Assert.Equal(210, seeds.Count);
        Assert.Equal(7, seeds.FeatureCount);
        // R's write.table layout: the header lacks the row-name column.
        Dataset occ = DatasetLoader.Load(TestData.Dataset("occupancy/datatraining.txt"), new LoadOptions { LabelColumn = "Occupancy" });
        Assert.Equal(new[] { "Temperature", "Humidity", "Light", "CO2", "HumidityRatio" }, occ.FeatureNames);
    }

    public static TheoryData<string, string, int, string?, string> BadFiles => new()
    {
        // text, extension, expected line, expected column, a word the message must contain
        { "x,y,c\n1,2,a\n3,,b\n", ".csv", 3, "y", "missing" },
        { "x,y,c\n1,2,a\n3,?,b\n", ".csv", 3, "y", "missing" },
        { "x,y,c\n1,2,a\n3,4x,b\n", ".csv", 3, "y", "not a number" },
        { "x,y,c\n1,2,a\n3,4,5,b\n", ".csv", 3, null, "fields" },
        { "x,y,c\n1,2,a\n3,b\n", ".csv", 3, null, "fields" },
        { "x,y,c\n1,2,a\nNaN,4,b\n", ".csv", 3, "x", "NaN" },
        { "x,y,c\n1,2,a\n1e39,4,b\n", ".csv", 3, "x", "infinite" },
        { "x,y,c\n1,2,a\n-Infinity,4,b\n", ".csv", 3, "x", "infinite" },
        { "x,y,c\n1,2,a\n2,3,\n", ".csv", 3, "c", "missing class" },
        { "x,c\n1,\"two\nlines\"\n2,b\nq,a\n", ".csv", 5, "x", "not a number" }, // a quoted newline still counts
        { "x;y;c\r\n1,5;2;a\r\n3;4,x;b\r\n", ".csv", 3, "y", "not a number" },
        { "", ".csv", 0, null, "empty" },
        { "x,y,c\n", ".csv", 1, null, "no data rows" },
        { "x,y,c\n1,2,\"a\n", ".csv", 2, null, "never closed" },
        { "@relation r\n@attribute x numeric\n@attribute c {a,b}\n@data\n1,a\n2,q\n", ".arff", 6, "c", "not one of" },
        { "@relation r\n@attribute x numeric\n@attribute c {a,b}\n@data\n1,a\n2\n", ".arff", 6, null, "values" },
        { "@relation r\n@attribute x numeric\n@attribute c {a,b}\n@data\n?,a\n2,b\n", ".arff", 5, "x", "missing" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_input_names_file_line_and_column(string text, string extension, int line, string? column, string word)
    {
        string path = TestData.Write(text, extension);
        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(path));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(word, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void Unknown_column_is_named_with_the_header_line()
    {
        string path = TestData.Write("x,y,c\n1,2,a\n3,4,b\n");
        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(path, new LoadOptions { LabelColumn = "class" }));
        Assert.Equal((1, "class"), (e.Line, e.Column));
        Assert.Contains("x, y, c", e.Message);
        e = Assert.Throws<DataException>(() => DatasetLoader.Load(path, new LoadOptions { FeatureColumns = new[] { "x", "w" } }));
        Assert.Equal("w", e.Column);
    }

    [Fact]
    public void A_listed_class_without_rows_is_kept()
    {
        string path = TestData.Write("x,c\n1,a\n2,b\n");
        Dataset d = DatasetLoader.Load(path, new LoadOptions { ClassLabels = new[] { "a", "b", "c" } });
        Assert.Equal(new[] { 1, 1, 0 }, d.ClassCounts());
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var e = Assert.Throws<DataException>(() => DatasetLoader.Load("/nonexistent/data.csv"));
        Assert.Contains("does not exist", e.Message);
    }
}
