using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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

    [Fact]
    public void Generated_source_compiles_against_the_nanoFramework_mscorlib_with_CSharp_10_and_returns_the_model()
    {
        var model = RandomModels.Dense(new Random(5), 3, [4, 2]);
        byte[] file = ModelWriter.Write(model);
        string source = CSharpSource.Write(file, model, "Firmware.Models", "BuiltIn");

        var compilation = CSharpCompilation.Create("BuiltInModel",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp10))],
            [MetadataReference.CreateFromFile(NanoFrameworkMscorlib())],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var dll = new MemoryStream();
        var emitted = compilation.Emit(dll);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        // Run it as the device build is run in tests: its mscorlib reference resolves to CoreCLR's.
        var context = new AssemblyLoadContext("generated model source", isCollectible: true);
        try
        {
            dll.Position = 0;
            Type type = context.LoadFromStream(dll).GetType("Firmware.Models.BuiltIn", throwOnError: true)!;
            var bytes = (byte[])type.GetMethod("Bytes", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
            Assert.Equal(file, bytes);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>mscorlib.dll of the nanoFramework.CoreLibrary package the device projects compile against.</summary>
    private static string NanoFrameworkMscorlib()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(root, "nanoframework.corelibrary", "1.17.11", "lib", "mscorlib.dll");
        Assert.True(File.Exists(path), "nanoFramework mscorlib not found at " + path + " (restored by shared/nf)");
        return path;
    }
}
