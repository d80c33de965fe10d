using System.Buffers.Binary;
using System.Reflection.Emit;
using System.Reflection.PortableExecutable;
using EdgeNet.Format;
using EdgeNet.Fuzzing;
using EdgeNet.Trainer.Device;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeNet.Tests.Reliability;

/// <summary>
/// Issue #19. The fuzzer compares the net10 build with the nanoFramework build loaded into CoreCLR, so it
/// cannot see the interpreter's own semantics: on nanoCLR a comparison with NaN answers "greater". 12 of
/// 2,000 fuzz cases (seed 20261203) were accepted on the interpreter and rejected on CoreCLR. Here they are
/// named regression cases, run through both builds and through an emulation of the interpreter's rule: the
/// device IL with every float comparison rewritten so that unordered operands compare as greater.
/// </summary>
public class InterpreterNaNTests
{
    public const int FuzzSeed = 20261203;

    /// <summary>The 12 cases from the interpreter run, with the field whose NaN the reader must catch.</summary>
    public static TheoryData<long, string> NaNCases => new()
    {
        { 886, "input scale" }, { 950, "input scale" }, { 1136, "input scale" }, { 1296, "input scale" }, { 1626, "input scale" },
        { 263, "output scale" }, { 280, "output scale" }, { 472, "output scale" }, { 1126, "output scale" }, { 1369, "output scale" },
        { 1449, "output scale" }, { 1744, "output scale" },
    };

    private static readonly Lazy<ModelFuzzer> Fuzzer = new(() =>
        new ModelFuzzer(ReaderUnderTest.Desktop, ReaderUnderTest.Desktop, new FuzzOptions { Seed = FuzzSeed, FormatVersion = 1 }));

    private static readonly Lazy<DeviceAssembly> NaNGreater = new(() => InterpreterComparisons.Build(DeviceBuild.Folder));

    [Theory]
    [MemberData(nameof(NaNCases))]
    public void A_fuzz_case_with_a_NaN_scale_is_rejected_by_every_build_for_the_same_reason(long index, string field)
    {
        byte[] file = Fuzzer.Value.CaseFile(index, out _, out int arena, out _);
        string? desktop = ReaderUnderTest.Desktop.Check(file, arena);
        Assert.NotNull(desktop);
        Assert.Contains(field + " must be a positive finite number", desktop);

        // The byte the reason names holds one of the two NaN encodings found on the interpreter.
        int at = int.Parse(System.Text.RegularExpressions.Regex.Match(desktop, @"^byte (\d+):").Groups[1].Value);
        uint bits = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
        Assert.True(bits is 0xFFC00000u or 0x7FFFFFFFu, $"{field} at byte {at} is 0x{bits:X8}");

        Assert.Equal(desktop, DeviceBuild.Assembly.Check(file, arena));
        Assert.Equal(desktop, NaNGreater.Value.Check(file, arena));
    }

    [Fact]
    public void Every_golden_vector_passes_with_the_interpreters_NaN_comparison()
    {
        // The golden rejected files include NaN (both encodings) and infinities in every float field.
        var assembly = NaNGreater.Value.Load("EdgeNet.GoldenVectors");
        var compareAt = assembly.GetType("EdgeNet.GoldenData.GoldenRunner", true)!.GetMethod("CompareAt")!.CreateDelegate<Func<int, string?>>();
        int count = (int)assembly.GetType("EdgeNet.GoldenData.GoldenVectorTable", true)!.GetField("Count")!.GetRawConstantValue()!;
        var failures = Enumerable.Range(0, count).Select(i => compareAt(i)).Where(d => d != null).ToList();
        Assert.Empty(failures);
        Assert.True(count >= 69, $"{count} vectors");
    }

    [Fact]
    public void The_emulation_reproduces_the_interpreter_on_the_issue_repro()
    {
        // float x = NaN; !(x > 0f) prints True on CoreCLR and False on nanoCLR (issue #19).
        const string source = """
            public static class R
            {
                public static bool NotGreater(float x) => !(x > 0f);
                public static bool Greater(float x) => x > 0f;
                public static bool AtLeast(double x) => x >= 0.0;
                public static bool Less(float x) => x < 0f;
                public static bool Equal(float x) => x == 0f;
                public static int Branch(float x) { if (x <= 0f) return 1; return 2; }
                public static bool IntLess(uint a, uint b) => a < b;
            }
            """;
        string folder = CliRunner_Temp();
        var compilation = CSharpCompilation.Create("Repro", [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        string path = Path.Combine(folder, "Repro.dll");
        using (var dll = File.Create(path)) Assert.True(compilation.Emit(dll).Success);
        InterpreterComparisons.Patch(path);
        var type = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(path).GetType("R", true)!;
        bool Call(string m, object arg) => (bool)type.GetMethod(m)!.Invoke(null, [arg])!;

        Assert.False(Call("NotGreater", float.NaN));
        Assert.True(Call("Greater", float.NaN));
        Assert.True(Call("AtLeast", double.NaN));
        Assert.False(Call("Less", float.NaN));
        Assert.False(Call("Equal", float.NaN));
        Assert.Equal(2, (int)type.GetMethod("Branch")!.Invoke(null, [float.NaN])!);
        // Ordinary numbers and unsigned integers compare as before.
        Assert.True(Call("NotGreater", -1f));
        Assert.Equal(1, (int)type.GetMethod("Branch")!.Invoke(null, [0f])!);
        Assert.True((bool)type.GetMethod("IntLess")!.Invoke(null, [1u, 0x80000000u])!);
    }

    private static string CliRunner_Temp()
    {
        string path = Path.Combine(Path.GetTempPath(), "edgenet-nan-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>
/// Rewrites a compiled assembly so that its float comparisons follow the nanoFramework interpreter: an
/// unordered comparison (a NaN operand) answers "greater". Each rewrite swaps one opcode for its same-size
/// twin: cgt and the ordered bge/bgt become their .un forms (true/taken for NaN), clt.un and ble.un/blt.un
/// become the ordered forms (false/not taken); ceq, clt, cgt.un, beq and bne.un already agree.
/// </summary>
internal static class InterpreterComparisons
{
    private static readonly Dictionary<short, short> Swap = new()
    {
        [OpCodes.Cgt.Value] = OpCodes.Cgt_Un.Value, [OpCodes.Clt_Un.Value] = OpCodes.Clt.Value,
        [OpCodes.Bge_S.Value] = OpCodes.Bge_Un_S.Value, [OpCodes.Bge.Value] = OpCodes.Bge_Un.Value,
        [OpCodes.Bgt_S.Value] = OpCodes.Bgt_Un_S.Value, [OpCodes.Bgt.Value] = OpCodes.Bgt_Un.Value,
        [OpCodes.Ble_Un_S.Value] = OpCodes.Ble_S.Value, [OpCodes.Ble_Un.Value] = OpCodes.Ble.Value,
        [OpCodes.Blt_Un_S.Value] = OpCodes.Blt_S.Value, [OpCodes.Blt_Un.Value] = OpCodes.Blt.Value,
    };

    /// <summary>A copy of the device build with every assembly rewritten, loaded in its own context.</summary>
    public static DeviceAssembly Build(string deviceFolder)
    {
        string folder = Path.Combine(Path.GetTempPath(), "edgenet-nanclr-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        foreach (string dll in Directory.GetFiles(deviceFolder, "*.dll"))
        {
            if (Path.GetFileName(dll) == "mscorlib.dll") continue;
            string copy = Path.Combine(folder, Path.GetFileName(dll));
            File.Copy(dll, copy);
            Patch(copy);
        }
        return new DeviceAssembly(folder);
    }

    /// <summary>Rewrites the file in place; returns how many comparisons changed.</summary>
    public static int Patch(string path)
    {
        byte[] image = File.ReadAllBytes(path);
        List<IlFloatComparisons.Site> sites;
        using (var pe = new PEReader(new MemoryStream(image))) sites = new IlFloatComparisons(pe).All();
        int changed = 0;
        foreach (var site in sites)
        {
            if (!Swap.TryGetValue(site.Op.Value, out short to)) continue;
            if (site.Op.Size == 2) image[site.FileOffset + 1] = (byte)(to & 0xFF);
            else image[site.FileOffset] = (byte)to;
            changed++;
        }
        File.WriteAllBytes(path, image);
        return changed;
    }
}
