using System.Text.RegularExpressions;
using EdgeNet.Format;
using EdgeNet.Golden;

namespace EdgeNet.Tests;

/// <summary>The worked examples in docs/ are the real bytes and integers, so the docs cannot drift from the code.</summary>
public class DocsTests
{
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
