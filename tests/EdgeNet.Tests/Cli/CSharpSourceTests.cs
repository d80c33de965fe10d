using System.Globalization;
using System.Text.RegularExpressions;
using EdgeNet.Format;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Export;

namespace EdgeNet.Tests.Cli;

public class CSharpSourceTests
{
    /// <summary>The bytes of the array literal in a generated source.</summary>
    public static byte[] BytesIn(string source) =>
        Regex.Matches(source, "0x([0-9A-F]{2})").Select(m => byte.Parse(m.Groups[1].Value, NumberStyles.HexNumber)).ToArray();

    [Fact]
    public void Embeds_the_model_byte_for_byte_in_nanoFramework_compatible_source()
    {
        var model = RandomModels.Dense(new Random(11), 6, [10, 4]);
        byte[] file = ModelWriter.Write(model);
        string source = CSharpSource.Write(file, model, "Firmware.Models", "Gesture");

        Assert.Equal(file, BytesIn(source));
        Assert.Contains("namespace Firmware.Models\n{", source);          // block-scoped (C# < 10 style)
        Assert.Contains("public static class Gesture", source);
        Assert.Contains($"public const int Length = {file.Length};", source);
        string code = string.Join("\n", source.Split('\n').Where(l => !l.TrimStart().StartsWith("//")));
        Assert.DoesNotContain("<", code);                                 // no generics
        Assert.DoesNotContain("\"\"\"", source);                            // no raw string literals
        Assert.DoesNotContain("using ", source);                          // nothing beyond mscorlib
    }

    [Fact]
    public void Rejects_names_that_are_not_identifiers()
    {
        var model = RandomModels.Dense(new Random(1), 2, [2]);
        byte[] file = ModelWriter.Write(model);
        Assert.Throws<ArgumentException>(() => CSharpSource.Write(file, model, "My-Models", "X"));
        Assert.Throws<ArgumentException>(() => CSharpSource.Write(file, model, "Models", "2x"));
    }
}
