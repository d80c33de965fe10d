using EdgeNet.Trainer.Data;

namespace EdgeNet.Tests.Training;

public class SplitsTests
{
    [Theory]
    [InlineData("satellite", 4435, 2000, 36, 6)]
    [InlineData("shuttle", 43500, 14500, 9, 7)]
    [InlineData("room-occupancy", 7350, 2779, 16, 4)]
    [InlineData("occupancy", 8143, 2665, 5, 2)]
    [InlineData("occupancy-test2", 8143, 9752, 5, 2)]
    [InlineData("gas-drift", 3633, 2300, 32, 6)]
    [InlineData("ionosphere", 200, 151, 34, 2)]
    public void Benchmark_splits_have_the_SPLITS_md_row_counts(string id, int train, int test, int features, int classes)
    {
        var (tr, te) = Splits.Benchmark(id, TestData.DatasetsFolder);
        Assert.Equal(train, tr.Count);
        Assert.Equal(test, te.Count);
        Assert.Equal(features, tr.FeatureCount);
        Assert.Equal(tr.FeatureNames, te.FeatureNames);
        Assert.Equal(classes, tr.ClassCount);
        Assert.Same(tr.ClassLabels, te.ClassLabels);
    }

    [Fact]
    public void Room_occupancy_test_day_has_all_four_classes_and_no_leak()
    {
        var (tr, te) = Splits.Benchmark("room-occupancy", TestData.DatasetsFolder);
        Assert.All(te.OtherColumns["Date"], d => Assert.Equal("2017/12/23", d));
        Assert.DoesNotContain("2017/12/23", tr.OtherColumns["Date"]);
        Assert.All(te.ClassCounts(), c => Assert.True(c > 0));
        Assert.DoesNotContain("S1_Temp", tr.OtherColumns.Keys); // features are numbers, not text
    }

    [Fact]
    public void Gas_drift_trains_on_batches_1_to_5()
    {
        var (tr, te) = Splits.Benchmark("gas-drift-b9", TestData.DatasetsFolder);
        Assert.All(tr.OtherColumns["batch"], b => Assert.InRange(int.Parse(b), 1, 5));
        Assert.All(te.OtherColumns["batch"], b => Assert.Equal(9, int.Parse(b)));
        Assert.Equal(3633, tr.Count);
        Assert.Equal(470, te.Count);
        Assert.Equal(294, Splits.Benchmark("gas-drift-b8", TestData.DatasetsFolder).Test.Count);
    }

    [Fact]
    public void Satellite_rows_keep_file_order_and_lines()
    {
        var (tr, te) = Splits.Benchmark("satellite", TestData.DatasetsFolder);
        Assert.Equal(2, tr.SourceLines[0]);          // header is line 1
        Assert.Equal(4437, te.SourceLines[0]);       // data row 4,436
        Assert.Equal(92f, tr.Rows[0][0]);
    }

    [Fact]
    public void Absent_dataset_says_where_to_get_it()
    {
        var e = Assert.Throws<DataException>(() => Splits.Benchmark("satellite", "/nonexistent/datasets"));
        Assert.Contains("shared/datasets", e.Message);
        Assert.Contains("satellite.csv", e.Message);
    }

    [Fact]
    public void General_specs_split_rows_columns_and_files()
    {
        string path = TestData.Write("day,x,c\nmon,1,a\nmon,2,b\ntue,3,a\nwed,4,b\nwed,5,a\n");
        Dataset d = DatasetLoader.Load(path, new LoadOptions { LabelColumn = "c" });
        var (tr, te) = Splits.Apply(d, "rows:1-3/4-5", null);
        Assert.Equal(new[] { 1f, 2f, 3f }, tr.Rows.Select(r => r[0]));
        Assert.Equal(new[] { 4f, 5f }, te.Rows.Select(r => r[0]));
        (tr, te) = Splits.Apply(d, "column:day=wed", null);
        Assert.Equal((3, 2), (tr.Count, te.Count));
        (tr, te) = Splits.Apply(d, "column:day=mon/tue", null);
        Assert.Equal((2, 1), (tr.Count, te.Count));
        (tr, te) = Splits.Apply(d, "column:x=1,2/5", null);
        Assert.Equal((2, 1), (tr.Count, te.Count));

        string test = TestData.Write("day,x,c\nthu,9,b\n");
        (tr, te) = Splits.Apply(d, "file:" + Path.GetFileName(test), Path.GetDirectoryName(test), new LoadOptions { LabelColumn = "c" });
        Assert.Equal(5, tr.Count);
        Assert.Equal(new[] { 1 }, te.Labels); // "b" in the training class list
        Assert.Throws<ArgumentException>(() => Splits.Apply(d, "rows:1-3/4-9", null));
        Assert.Throws<ArgumentException>(() => Splits.Apply(d, "bogus", null));
        // The training side must have every class.
        Assert.Throws<DataException>(() => Splits.Apply(d, "rows:1-1/2-5", null));
    }

    [Fact]
    public void Validation_split_is_stratified_disjoint_and_seeded()
    {
        var (tr, _) = Splits.Benchmark("satellite", TestData.DatasetsFolder);
        var (fit, val) = Splits.Validation(tr, 0.1, 7);
        Assert.Equal(tr.Count, fit.Count + val.Count);
        Assert.Empty(fit.SourceLines.Intersect(val.SourceLines));
        int[] all = tr.ClassCounts(), v = val.ClassCounts();
        for (int c = 0; c < all.Length; c++) Assert.InRange(v[c], (int)(all[c] * 0.1) - 1, (int)(all[c] * 0.1) + 1);
        Assert.Equal(val.SourceLines, Splits.Validation(tr, 0.1, 7).Validation.SourceLines);
        Assert.NotEqual(val.SourceLines, Splits.Validation(tr, 0.1, 8).Validation.SourceLines);
    }
}
