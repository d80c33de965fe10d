using System.Reflection.Emit;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeNet.Tests;

/// <summary>
/// Issue #19: on the nanoFramework interpreter a comparison with NaN answers "greater" (NaN &gt; 0f is true,
/// !(NaN &lt;= 0f) is false...), so a float comparison is no guard. Device code classifies floats by bit pattern
/// (EdgeNet.Format.FloatBits) and compares floats only where the values are known to be ordinary numbers.
/// This test finds every float/double comparison instruction in every device assembly; each must be listed
/// here with the reason its operands cannot be NaN.
/// </summary>
public class FloatComparisonRulesTests
{
    /// <summary>Methods allowed to compare floats, per assembly, with the proof that no operand is NaN.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Allowed = new()
    {
        ["EdgeNet.Shared"] = new(),
        ["EdgeNet.GoldenVectors"] = new(),
        ["EdgeNet.Firmware.Core"] = new()
        {
            ["EdgeNet.Firmware.Pipeline.SensorPipeline.Bind"] =
                "load time, on a model the reader accepted: OutputScale passed FloatBits.IsPositiveFinite, so scale x (q - zp) x 1000 is finite or +/-infinity, never NaN",
        },
        ["EdgeNet.Firmware.Replay"] = new(),
        ["EdgeNet.Bench.Device"] = new(),
    };

    public static TheoryData<string> DeviceAssemblies => new(Allowed.Keys);

    [Theory]
    [MemberData(nameof(DeviceAssemblies))]
    public void Device_assemblies_compare_floats_only_where_listed(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(DeviceBuild.Folder, assembly + ".dll")));
        var found = new IlFloatComparisons(pe).All();
        var allowed = Allowed[assembly];
        var unlisted = found.Where(s => !allowed.ContainsKey(s.Method)).Select(s => $"{s.Method} IL_{s.IlOffset:X4}: {s.Op.Name}").ToList();
        Assert.True(unlisted.Count == 0, "float comparisons a NaN can fool on the interpreter (use EdgeNet.Format.FloatBits, or list them with a reason):\n" + string.Join("\n", unlisted));
        // No stale entries: every listed method still compares floats.
        foreach (string method in allowed.Keys) Assert.Contains(found, s => s.Method == method);
    }

    [Fact]
    public void The_scanner_finds_float_comparisons_and_only_those()
    {
        // Every way C# compiles a comparison: branches (bge/ble.un/...), values (cgt/clt.un/ceq), double,
        // a field, a call result, an array element, a ternary merge; and the same shapes on int and long.
        const string source = """
            public class C
            {
                public float F; public static double D;
                static float Get() => 1f;
                public static bool A(float x) => !(x > 0f);
                public static bool B(float x) => x >= 1f;
                public static int Branch(float x) { if (x < 2f) return 1; if (!(x <= 3f)) return 2; return 0; }
                public static bool E(double x) => x == D;
                public bool Field(float y) => F < y;
                public static bool Call() => Get() != 0f;
                public static bool Element(float[] a) => a[0] > a[1];
                public static bool Merge(bool c, float a, float b) => (c ? a : b) > 0f;
                public static bool Ints(int i, long l, uint u) => i > 0 && !(l <= 3) && u < 7u && i == 3;
                public static int IntBranch(int i) { if (i < 2) return 1; return i >= 9 ? 2 : 0; }
                public static bool AfterTry(float x) { try { x += 1f; } catch (System.Exception) { x = 0f; } return x > 1f; }
            }
            """;
        var compilation = CSharpCompilation.Create("FloatSample",
            [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        var dll = new MemoryStream();
        var emitted = compilation.Emit(dll);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        dll.Position = 0;
        using var pe = new PEReader(dll);
        var found = new IlFloatComparisons(pe).All().GroupBy(s => s.Method.Split('.')[^1]).ToDictionary(g => g.Key, g => g.Count());

        foreach (string m in new[] { "A", "B", "E", "Field", "Call", "Element", "Merge", "AfterTry" }) Assert.Equal(1, found.GetValueOrDefault(m));
        Assert.Equal(2, found.GetValueOrDefault("Branch"));
        Assert.False(found.ContainsKey("Ints"));
        Assert.False(found.ContainsKey("IntBranch"));
    }

    [Fact]
    public void Float_helper_classifies_and_orders_like_IEEE_754()
    {
        var rng = new Random(19);
        var values = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -float.Epsilon,
            float.MaxValue, float.MinValue, 1f, -1f, 255f, BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00000)), BitConverter.Int32BitsToSingle(0x7FFFFFFF) };
        for (int i = 0; i < 2000; i++) values.Add(BitConverter.Int32BitsToSingle(rng.Next() ^ (rng.Next(2) << 31)));
        foreach (float a in values)
        {
            int x = EdgeNet.Format.FloatBits.Bits(a);
            Assert.Equal(BitConverter.SingleToInt32Bits(a), x);
            Assert.Equal(float.IsNaN(a), EdgeNet.Format.FloatBits.IsNaN(x));
            Assert.Equal(float.IsInfinity(a), EdgeNet.Format.FloatBits.IsInfinity(x));
            Assert.Equal(float.IsFinite(a), EdgeNet.Format.FloatBits.IsFinite(x));
            Assert.Equal(a > 0f && float.IsFinite(a), EdgeNet.Format.FloatBits.IsPositiveFinite(x));
            float b = values[rng.Next(values.Count)];
            Assert.Equal(a >= b, EdgeNet.Format.FloatBits.AtLeast(a, b)); // CoreCLR: false for NaN, like the helper
        }
    }

    [Fact]
    public void Float_helper_uses_integer_arithmetic_only()
    {
        // The helper answers for NaN, so it must not itself compare or compute in float.
        using var pe = new PEReader(File.OpenRead(Path.Combine(DeviceBuild.Folder, "EdgeNet.Shared.dll")));
        var il = new NanoFrameworkRulesTests.IlScanner(pe);
        foreach (string method in new[] { "IsNaN", "IsInfinity", "IsFinite", "IsPositiveFinite", "Order" })
        {
            var ops = il.Instructions("EdgeNet.Format.FloatBits." + method);
            Assert.NotEmpty(ops);
            Assert.DoesNotContain(ops, i => i.Op.Name!.Contains(".r4") || i.Op.Name!.Contains(".r8"));
        }
    }
}
