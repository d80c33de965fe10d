using System.Text.RegularExpressions;
using EdgeNet.Format;
using EdgeNet.Golden;
using EdgeNet.Trainer.Benchmarks;

namespace EdgeNet.Tests;

/// <summary>
/// The worked examples in docs/ are the real bytes and integers, and every figure table in README.md and docs/*.md
/// is the one its results JSON generates, so the docs cannot drift from the code or the measurements.
/// </summary>
public class DocsTests
{
    [Fact]
    public void Every_generated_figure_table_matches_the_results_file_it_cites()
    {
        var blocks = new Dictionary<string, List<string>>();
        foreach (string path in DocFigures.Documents(DeviceBuild.RepoRoot))
        {
            string name = Path.GetRelativePath(DeviceBuild.RepoRoot, path);
            string text = File.ReadAllText(path);
            var found = new List<string>();
            string regenerated = DocFigures.Regenerate(text, DeviceBuild.RepoRoot, name, found);
            blocks[name] = found;
            Assert.True(regenerated == text, $"{name}: a generated table differs from its results file; run `edgenet bench report` " +
                                             $"(first difference near: {FirstDifference(text, regenerated)})");
        }
        // The figures the README and docs show are all generated.
        Assert.Equal(["timeseries", "accuracy", "training", "inference", "memory", "scale", "verified", "device-il"], blocks["README.md"]);
        Assert.Contains("accuracy", blocks[Path.Combine("docs", "training.md")]);
        Assert.Contains("training", blocks[Path.Combine("docs", "benchmarks.md")]);
    }

    [Fact]
    public void A_changed_figure_in_a_generated_table_is_caught()
    {
        string readme = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "README.md"));
        int block = readme.IndexOf("<!-- generated: training", StringComparison.Ordinal);
        Assert.True(block >= 0, "README.md has no generated training table");
        int digit = readme.IndexOfAny("0123456789".ToCharArray(), readme.IndexOf("\n|", block, StringComparison.Ordinal) + 200);
        string tampered = readme[..digit] + (readme[digit] == '9' ? '1' : (char)(readme[digit] + 1)) + readme[(digit + 1)..];
        Assert.NotEqual(tampered, DocFigures.Regenerate(tampered, DeviceBuild.RepoRoot, "README.md"));
        Assert.Equal(readme, DocFigures.Regenerate(tampered, DeviceBuild.RepoRoot, "README.md"));
    }

    [Fact]
    public void A_marker_naming_the_wrong_results_file_or_table_is_refused()
    {
        string wrongFile = "<!-- generated: training from benchmarks/results/inference.json -->\nx\n" + DocFigures.End + "\n";
        Assert.Contains("is generated from benchmarks/results/training.json",
            Assert.Throws<InvalidDataException>(() => DocFigures.Regenerate(wrongFile, DeviceBuild.RepoRoot, "t.md")).Message);
        string unknown = "<!-- generated: speed from benchmarks/results/training.json -->\nx\n" + DocFigures.End + "\n";
        Assert.Contains("unknown generated table 'speed'", Assert.Throws<InvalidDataException>(() => DocFigures.Regenerate(unknown, DeviceBuild.RepoRoot, "t.md")).Message);
        string open = "<!-- generated: training from benchmarks/results/training.json -->\nx\n";
        Assert.Contains("has no", Assert.Throws<InvalidDataException>(() => DocFigures.Regenerate(open, DeviceBuild.RepoRoot, "t.md")).Message);
    }

    private static string FirstDifference(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        int from = Math.Max(0, a.LastIndexOf('\n', Math.Max(0, Math.Min(i, a.Length - 1))));
        return a.Substring(from, Math.Min(160, a.Length - from)).Trim();
    }

    [Fact]
    public void Model_format_example_is_the_seed_neuron_file_byte_for_byte()
    {
        string doc = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "docs", "model-format.md"));
        string example = doc[doc.IndexOf("## Example: the seed article's neuron", StringComparison.Ordinal)..];
        example = example[(example.IndexOf("```", StringComparison.Ordinal) + 3)..];
        example = example[..example.IndexOf("```", StringComparison.Ordinal)];
        var bytes = new List<byte>();
        foreach (string line in example.Split('\n'))
        {
            string data = Regex.Split(line.Trim(), @"\s{3,}")[0]; // the annotation follows a wide gap
            foreach (Match token in Regex.Matches(data, "\"([^\"]*)\"|\\b([0-9A-F]{2})\\b"))
            {
                if (token.Groups[1].Success) bytes.AddRange(token.Groups[1].Value.Select(c => (byte)c));
                else bytes.Add(Convert.ToByte(token.Groups[2].Value, 16));
            }
        }
        Assert.Equal(ModelWriter.Write(DenseCases.SeedArticleNeuron()), bytes.ToArray());
    }

    [Fact]
    public void Quantization_example_states_the_pinned_integers()
    {
        string doc = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "docs", "quantization.md"));
        var m = DenseCases.SeedArticleNeuron();
        var layer = (EdgeNet.Layers.DenseLayer)m.Layers[0];
        foreach (string pinned in new[]
        {
            $"**{layer.Weights[0]}, {layer.Weights[1]}**", $"**{layer.Bias[0]}**", $"**{layer.Multiplier[0]}, {layer.Shift[0]}**",
            $"**{m.Input.Multiplier[0]}, {m.Input.Shift[0]}**", $"**{m.Input.RawExponent[0]}**", "`-1, 50, 53`",
        })
        {
            Assert.Contains(pinned, doc);
        }
    }
}
