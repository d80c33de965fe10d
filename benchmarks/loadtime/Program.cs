using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeNet.Trainer.Data;

// Times DatasetLoader.Load on the largest benchmark files and on a CSV with one long field full of doubled
// quotes. Each case: 2 warm-up loads, then 15 timed loads; the median and the 2.5/97.5 % bootstrap interval
// of the median are reported. Writes a JSON results file naming the commit.
string output = args.Length > 0 ? args[0] : "loadtime.json";
string datasets = args.Length > 1 ? args[1] : "../shared/datasets";
string commit = Git("rev-parse HEAD");
string temp = Path.Combine(Path.GetTempPath(), "edgenet-loadtime-" + Environment.ProcessId);
Directory.CreateDirectory(temp);

var cases = new List<(string Name, string Path, LoadOptions Options)>
{
    ("gas-drift (2.5 MB)", Path.Combine(datasets, "gas_sensor_drift", "gas_drift_dR_32feat.csv"), new LoadOptions { LabelColumn = "gas", DropColumns = ["concentration_ppmv", "batch"] }),
    ("shuttle (1.9 MB)", Path.Combine(datasets, "shuttle", "shuttle.csv"), new LoadOptions { LabelColumn = "Class" }),
};
foreach (int kb in new[] { 100, 200 })
{
    // A text column with one cell of kb KB holding many quotes: quoted with doubled quotes inside ("" = one
    // quote character), and unquoted with quotes inside (a"a"a"...: read literally).
    string quoted = Path.Combine(temp, $"quoted{kb}.csv");
    File.WriteAllText(quoted, "a,note,label\n1,\"" + new string('"', kb * 1024) + "\",x\n2,b,y\n3,c,x\n");
    cases.Add(($"{kb} KB quoted field of doubled quotes", quoted, new LoadOptions { LabelColumn = "label" }));
    string bare = Path.Combine(temp, $"bare{kb}.csv");
    File.WriteAllText(bare, "a,note,label\n1,b" + new StringBuilder().Insert(0, "a\"", kb * 512) + ",x\n2,b,y\n3,c,x\n");
    cases.Add(($"{kb} KB unquoted field with quotes inside", bare, new LoadOptions { LabelColumn = "label" }));
}

var results = new List<object>();
foreach (var (name, path, options) in cases)
{
    for (int i = 0; i < 2; i++) DatasetLoader.Load(path, options);
    var ms = new double[15];
    for (int i = 0; i < ms.Length; i++)
    {
        var clock = Stopwatch.StartNew();
        DatasetLoader.Load(path, options);
        ms[i] = clock.Elapsed.TotalMilliseconds;
    }
    (double median, double lo, double hi) = MedianInterval(ms);
    Console.WriteLine($"{name}: median {median:F1} ms (95 % interval {lo:F1}-{hi:F1} ms, {ms.Length} loads)");
    results.Add(new { name, file = Path.GetFileName(path), bytes = new FileInfo(path).Length, medianMs = median, lowMs = lo, highMs = hi, loads = ms });
}
Directory.Delete(temp, true);
File.WriteAllText(output, JsonSerializer.Serialize(new { commit, machine = Environment.ProcessorCount + " cores", date = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture), results }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine("Wrote " + output);

static (double, double, double) MedianInterval(double[] x)
{
    var rng = new Random(1);
    var medians = new double[2000];
    var sample = new double[x.Length];
    for (int b = 0; b < medians.Length; b++)
    {
        for (int i = 0; i < x.Length; i++) sample[i] = x[rng.Next(x.Length)];
        medians[b] = Median(sample);
    }
    Array.Sort(medians);
    return (Median(x), medians[(int)(0.025 * medians.Length)], medians[(int)(0.975 * medians.Length) - 1]);
}

static double Median(double[] x)
{
    double[] s = (double[])x.Clone();
    Array.Sort(s);
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}

static string Git(string args)
{
    var p = Process.Start(new ProcessStartInfo("git", args) { RedirectStandardOutput = true });
    string s = p.StandardOutput.ReadToEnd().Trim();
    p.WaitForExit();
    return s;
}
