using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace EdgeNet.Tests;

/// <summary>
/// The nanoFramework rules for device code, checked on the compiled device IL (artifacts/nf) rather than by
/// reading source: only mscorlib referenced, no generics anywhere, and an inference path (everything
/// InferenceEngine.PushReading / Invoke / Reset can reach) that never allocates, boxes, touches float or
/// divides except where a nonzero divisor is proven.
/// </summary>
public class NanoFrameworkRulesTests
{
    /// <summary>Divisions on the inference path, each with the reason it cannot fault.</summary>
    private static readonly Dictionary<string, string> AllowedDivisions = new()
    {
        ["EdgeNet.Kernels.AvgPool1D.RoundedDivide"] = "count is the pool size, >= 1 (checked at load); |sum| <= 255 * 255",
    };

    /// <summary>Framework methods the inference path may call: none of them allocates.</summary>
    private static readonly HashSet<string> AllowedExternalCalls = new()
    {
        "System.Array.Copy",
        "System.Array.Clear",
    };

    [Theory]
    [InlineData("EdgeNet.Shared", new string[] { "mscorlib" })]
    [InlineData("EdgeNet.Probe", new[] { "mscorlib", "EdgeNet.Shared" })]
    [InlineData("EdgeNet.GoldenVectors", new[] { "mscorlib", "EdgeNet.Shared", "EdgeNet.Probe" })]
    [InlineData("EdgeNet.Firmware.Core", new[] { "mscorlib", "EdgeNet.Shared" })]
    [InlineData("EdgeNet.Firmware.Replay", new[] { "mscorlib", "EdgeNet.Shared", "EdgeNet.Firmware.Core" })]
    [InlineData("EdgeNet.Bench.Device", new[] { "mscorlib", "EdgeNet.Shared", "EdgeNet.Native.Backend" })]
    [InlineData("EdgeNet.Native", new[] { "mscorlib" })]
    [InlineData("EdgeNet.Native.Backend", new[] { "mscorlib", "EdgeNet.Shared", "EdgeNet.Native" })]
    public void Device_assemblies_reference_only_mscorlib_and_each_other(string assembly, string[] allowed)
    {
        using var pe = Open(assembly);
        MetadataReader md = pe.GetMetadataReader();
        var references = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).OrderBy(n => n).ToArray();
        Assert.Equal(allowed.OrderBy(n => n).ToArray(), references);
        var mscorlib = md.AssemblyReferences.Select(md.GetAssemblyReference).Single(r => md.GetString(r.Name) == "mscorlib");
        Assert.Equal(1, mscorlib.Version.Major); // nanoFramework's mscorlib 1.x
    }

    [Theory]
    [InlineData("EdgeNet.Shared")]
    [InlineData("EdgeNet.Probe")]
    [InlineData("EdgeNet.GoldenVectors")]
    [InlineData("EdgeNet.Firmware.Core")]
    [InlineData("EdgeNet.Firmware.Replay")]
    [InlineData("EdgeNet.Bench.Device")]
    public void Device_assemblies_use_no_generics(string assembly)
    {
        using var pe = Open(assembly);
        MetadataReader md = pe.GetMetadataReader();
        Assert.Equal(0, md.GetTableRowCount(TableIndex.GenericParam));   // no generic types or methods defined
        Assert.Equal(0, md.GetTableRowCount(TableIndex.MethodSpec));     // no generic methods called
        foreach (TypeSpecificationHandle h in TypeSpecs(md))
        {
            BlobReader blob = md.GetBlobReader(md.GetTypeSpecification(h).Signature);
            Assert.NotEqual(SignatureTypeCode.GenericTypeInstance, blob.ReadSignatureTypeCode()); // no List<T> etc.
        }
    }

    [Fact]
    public void Inference_path_neither_allocates_nor_uses_float_nor_divides_unchecked()
    {
        using var pe = Open("EdgeNet.Shared");
        var il = new IlScanner(pe);
        var reached = il.Reachable(
            "EdgeNet.Engine.InferenceEngine.PushReading",
            "EdgeNet.Engine.InferenceEngine.Invoke",
            "EdgeNet.Engine.InferenceEngine.Reset");
        // The walk must see the kernels, or it proves nothing.
        Assert.Contains("EdgeNet.Kernels.FixedPoint.MultiplyByQuantizedMultiplier", reached);
        Assert.Contains("EdgeNet.Engine.InputQuantizer.Quantize", reached);
        Assert.Contains("EdgeNet.Layers.DenseLayer.Invoke", reached);
        Assert.Contains("EdgeNet.Kernels.FullyConnected16x16Optimized.Invoke", reached); // int16 weights (format v3)

        var problems = new List<string>();
        foreach (string method in reached.Order())
        {
            foreach (var (op, operand) in il.Instructions(method))
            {
                if (IlScanner.HotPathProblem(method, op, AllowedDivisions) is string problem)
                    problems.Add(problem);
                else if ((op == OpCodes.Call || op == OpCodes.Callvirt) && il.External(operand) is string external && !AllowedExternalCalls.Contains(external))
                    problems.Add($"{method}: calls {external}");
                else if ((op == OpCodes.Ldfld || op == OpCodes.Ldsfld) && il.FieldIsFloat(operand))
                    problems.Add($"{method}: reads a float field");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_scanner_sees_allocation_and_float_where_they_are()
    {
        // Model loading is allowed both; the scanner must find them there (else the test above proves nothing).
        using var pe = Open("EdgeNet.Shared");
        var il = new IlScanner(pe);
        Assert.Contains(il.Instructions("EdgeNet.Engine.InferenceEngine..ctor"), i => i.Op == OpCodes.Newarr);
        Assert.Contains(il.Instructions("EdgeNet.Engine.InferenceEngine.BinaryThreshold"), i => i.Op.Name!.Contains(".r4"));
        Assert.Contains(il.Instructions("EdgeNet.Kernels.AvgPool1D.RoundedDivide"), i => i.Op == OpCodes.Div);
    }

    private static IEnumerable<TypeSpecificationHandle> TypeSpecs(MetadataReader md)
    {
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
            yield return MetadataTokens.TypeSpecificationHandle(row);
    }

    private static PEReader Open(string assembly) =>
        new(File.OpenRead(Path.Combine(DeviceBuild.Folder, assembly + ".dll")));

    /// <summary>A minimal IL reader: method bodies by "Namespace.Type.Method", instructions, and call targets.</summary>
    internal sealed class IlScanner
    {
        /// <summary>
        /// The interpreter's rules for code that runs per inference or per sample: no allocation, no float,
        /// no division unless listed (with the proof that its divisor is nonzero and never -1 with int.MinValue).
        /// </summary>
        public static string? HotPathProblem(string method, OpCode op, IReadOnlyDictionary<string, string> allowedDivisions)
        {
            string name = op.Name!;
            if (op == OpCodes.Newarr || op == OpCodes.Newobj || op == OpCodes.Box)
                return $"{method}: allocates ({name})";
            if (name.Contains(".r4") || name.Contains(".r8") || op == OpCodes.Conv_R_Un)
                return $"{method}: floating point ({name})";
            if ((op == OpCodes.Div || op == OpCodes.Div_Un || op == OpCodes.Rem || op == OpCodes.Rem_Un) && !allowedDivisions.ContainsKey(method))
                return $"{method}: divides ({name}); prove the divisor nonzero and not -1 with int.MinValue, then list it";
            return null;
        }

        private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        private readonly PEReader _pe;
        private readonly MetadataReader _md;
        private readonly Dictionary<string, List<MethodDefinitionHandle>> _methods = new();

        public IlScanner(PEReader pe)
        {
            _pe = pe;
            _md = pe.GetMetadataReader();
            foreach (MethodDefinitionHandle h in _md.MethodDefinitions)
            {
                string name = Name(h);
                if (!_methods.TryGetValue(name, out var list)) _methods[name] = list = new();
                list.Add(h);
            }
        }

        private string Name(MethodDefinitionHandle h)
        {
            MethodDefinition m = _md.GetMethodDefinition(h);
            TypeDefinition t = _md.GetTypeDefinition(m.GetDeclaringType());
            return _md.GetString(t.Namespace) + "." + _md.GetString(t.Name) + "." + _md.GetString(m.Name);
        }

        /// <summary>All methods of this assembly reachable by calls from the entry points; a virtual call reaches every override.</summary>
        public HashSet<string> Reachable(params string[] entries)
        {
            var seen = new HashSet<string>();
            var work = new Stack<string>(entries);
            while (work.Count > 0)
            {
                string method = work.Pop();
                if (!seen.Add(method)) continue;
                Assert.True(_methods.ContainsKey(method), "no method " + method);
                foreach (var (op, operand) in Instructions(method))
                {
                    if (op != OpCodes.Call && op != OpCodes.Callvirt) continue;
                    EntityHandle target = MetadataTokens.EntityHandle(operand);
                    if (target.Kind != HandleKind.MethodDefinition) continue;
                    MethodDefinition def = _md.GetMethodDefinition((MethodDefinitionHandle)target);
                    string callee = Name((MethodDefinitionHandle)target);
                    work.Push(callee);
                    if ((def.Attributes & System.Reflection.MethodAttributes.Virtual) != 0)
                    {
                        string simple = "." + _md.GetString(def.Name);
                        foreach (string other in _methods.Keys.Where(k => k.EndsWith(simple, StringComparison.Ordinal))) work.Push(other);
                    }
                }
            }
            return seen;
        }

        public List<(OpCode Op, int Operand)> Instructions(string method)
        {
            var result = new List<(OpCode, int)>();
            foreach (MethodDefinitionHandle h in _methods[method])
            {
                int rva = _md.GetMethodDefinition(h).RelativeVirtualAddress;
                if (rva == 0) continue; // abstract
                BlobReader il = _pe.GetMethodBody(rva).GetILReader();
                while (il.RemainingBytes > 0)
                {
                    short value = il.ReadByte();
                    if (value == 0xFE) value = unchecked((short)(0xFE00 | il.ReadByte()));
                    OpCode op = Codes[value];
                    int operand = 0;
                    switch (op.OperandType)
                    {
                        case OperandType.InlineNone: break;
                        case OperandType.ShortInlineBrTarget: case OperandType.ShortInlineI: case OperandType.ShortInlineVar: operand = il.ReadByte(); break;
                        case OperandType.InlineVar: operand = il.ReadUInt16(); break;
                        case OperandType.InlineI8: case OperandType.InlineR: il.ReadInt64(); break;
                        case OperandType.InlineSwitch: int n = il.ReadInt32(); for (int i = 0; i < n; i++) il.ReadInt32(); break;
                        default: operand = il.ReadInt32(); break;
                    }
                    result.Add((op, operand));
                }
            }
            return result;
        }

        /// <summary>"Namespace.Type.Method" of a call into another assembly; null for this assembly's own methods.</summary>
        public string? External(int token)
        {
            EntityHandle h = MetadataTokens.EntityHandle(token);
            if (h.Kind != HandleKind.MemberReference) return null;
            MemberReference m = _md.GetMemberReference((MemberReferenceHandle)h);
            if (m.Parent.Kind != HandleKind.TypeReference) return "(unexpected parent) " + _md.GetString(m.Name);
            TypeReference t = _md.GetTypeReference((TypeReferenceHandle)m.Parent);
            return _md.GetString(t.Namespace) + "." + _md.GetString(t.Name) + "." + _md.GetString(m.Name);
        }

        public bool FieldIsFloat(int token)
        {
            EntityHandle h = MetadataTokens.EntityHandle(token);
            BlobHandle signature = h.Kind switch
            {
                HandleKind.FieldDefinition => _md.GetFieldDefinition((FieldDefinitionHandle)h).Signature,
                HandleKind.MemberReference => _md.GetMemberReference((MemberReferenceHandle)h).Signature,
                _ => default,
            };
            if (signature.IsNil) return false;
            BlobReader blob = _md.GetBlobReader(signature);
            blob.ReadSignatureHeader();
            SignatureTypeCode type = blob.ReadSignatureTypeCode();
            return type == SignatureTypeCode.Single || type == SignatureTypeCode.Double;
        }
    }
}

public class NanoFrameworkProjectTests
{
    /// <summary>Folders of device code and the project that compiles each (all must keep LangVersion <= 10).</summary>
    private static readonly string[] DeviceProjects =
    {
        "shared/nf/EdgeNet.Shared.nf.csproj", "shared/EdgeNet.Shared.csproj", "firmware/core/EdgeNet.Firmware.Core.csproj",
        "firmware/replay/EdgeNet.Firmware.Replay.csproj", "benchmarks/device/EdgeNet.Bench.Device.csproj",
        "tests/GoldenVectors/EdgeNet.GoldenVectors.nf.csproj", "firmware/esp32/EdgeNet.Esp32.nfproj", "firmware/esp32/native/EdgeNet.Native.nfproj", "tests/NFUnitTest/NFUnitTest.nfproj",
        "shared/probe/EdgeNet.Probe.nf.csproj",
        "firmware/native/EdgeNet.Native/EdgeNet.Native.csproj", "firmware/native/EdgeNet.Native.Backend/EdgeNet.Native.Backend.csproj",
    };

    /// <summary>
    /// Newer C# emits hidden attribute types that shift method tokens after nanoFramework's conversion, so every
    /// device project compiles as C# 10 or older: its own LangVersion, else the one of NanoFramework.props it
    /// imports; Directory.Build.* must not raise it for everyone.
    /// </summary>
    [Fact]
    public void Every_device_project_keeps_LangVersion_10_or_lower()
    {
        var found = Directory.EnumerateFiles(DeviceBuild.RepoRoot, "*.*proj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(p => Path.GetRelativePath(DeviceBuild.RepoRoot, p).Replace('\\', '/'))
            .Where(p => p.EndsWith(".nfproj") || File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, p)).Contains("NanoFramework.props"))
            .ToList();
        Assert.Subset(DeviceProjects.ToHashSet(), found.ToHashSet()); // a new device project joins the list above
        foreach (string project in DeviceProjects) Assert.True(File.Exists(Path.Combine(DeviceBuild.RepoRoot, project)), project + " is listed but missing");
        foreach (string project in DeviceProjects.Union(found))
        {
            string text = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, project));
            var versions = System.Text.RegularExpressions.Regex.Matches(text, "<LangVersion>([^<]*)</LangVersion>").Select(m => m.Groups[1].Value).ToList();
            if (versions.Count == 0)
            {
                Assert.True(text.Contains("NanoFramework.props"), $"{project} sets no LangVersion and does not import shared/nf/NanoFramework.props");
                versions = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "shared/nf/NanoFramework.props")),
                    "<LangVersion>([^<]*)</LangVersion>").Select(m => m.Groups[1].Value).ToList();
            }
            Assert.NotEmpty(versions);
            foreach (string v in versions)
                Assert.True(double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out double n) && n <= 10, $"{project}: LangVersion {v}, device code needs <= 10");
        }
        foreach (string inherited in new[] { "Directory.Build.props", "Directory.Build.targets" })
        {
            string path = Path.Combine(DeviceBuild.RepoRoot, inherited);
            if (File.Exists(path)) Assert.DoesNotContain("<LangVersion>", File.ReadAllText(path));
        }
    }

    [Fact]
    public void The_build_treats_warnings_as_errors()
    {
        string props = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "Directory.Build.props"));
        Assert.Contains("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>", props);
    }

    /// <summary>
    /// The ESP32 board layer (firmware/esp32) needs packages this machine cannot restore, so it is not compiled
    /// here and its IL cannot be checked: its source text is, for what the interpreter or C# 10 forbid.
    /// </summary>
    [Fact]
    public void Esp32_sources_use_no_forbidden_constructs()
    {
        var files = Directory.GetFiles(Path.Combine(DeviceBuild.RepoRoot, "firmware", "esp32"), "*.cs", SearchOption.AllDirectories);
        Assert.True(files.Length >= 5, $"only {files.Length} source files");
        var problems = files.SelectMany(f => ForbiddenConstructs(File.ReadAllText(f)).Select(p => $"{Path.GetFileName(f)}: {p}")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_source_scan_finds_each_forbidden_construct()
    {
        string planted = """
            using System.Linq;
            namespace X;
            class A
            {
                System.Collections.Generic.List<int> list; // generic
                float scale;
                bool B(double d) => d > 0.5;
                void C() { var n = checked(1 + 2); int k = 3 < 4 ? 1 : 2; }
            }
            record R(int A);
            """ + "class Raw { string D = " + new string('"', 3) + "raw" + new string('"', 3) + "; }";
        var found = ForbiddenConstructs(planted).ToList();
        foreach (string what in new[] { "LINQ", "file-scoped namespace", "generic", "float", "checked", "raw string", "record" })
            Assert.Contains(found, p => p.Contains(what));
        // Comments and strings do not count, nor do plain comparisons.
        Assert.Empty(ForbiddenConstructs("class A { int k = 3 < 4 ? 1 : 2; bool b = 1 < 2 && 3 > 2; } // List<int> float\n/* double */ class B { string s = \"float<T>\"; }"));
    }

    private static readonly (string Pattern, string What)[] Forbidden =
    {
        (@"\busing\s+System\.Linq\b", "LINQ (generic; not in CoreLibrary)"),
        (@"^\s*namespace\s+[\w.]+\s*;", "file-scoped namespace (C# 10 is allowed, but keep block namespaces like the rest)"),
        (@"[A-Za-z_]\s*<\s*[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*>", "generic type or method (a generic class crashes the loader)"),
        (@"\b(float|double|Single|Double)\b", "float or double (the board layer is integer-only: a NaN compares as greater on the interpreter)"),
        (@"\bchecked\s*[({]", "checked arithmetic (does not throw on the interpreter)"),
        (@"\b(stackalloc|unsafe|dynamic|async|await)\b", "stackalloc/unsafe/dynamic/async (not supported)"),
        ("\"\"\"", "raw string literal (C# 11)"),
        (@"^\s*(public\s+|internal\s+|sealed\s+)*record\b", "record (C# 9 record types need generic equality support)"),
    };

    /// <summary>Forbidden constructs in C# source text, comments and string literals removed first.</summary>
    private static IEnumerable<string> ForbiddenConstructs(string source)
    {
        // Raw strings first: the literal remover below does not understand them.
        if (source.Contains(new string('"', 3))) yield return Forbidden.Single(f => f.What.StartsWith("raw string")).What;
        string code = System.Text.RegularExpressions.Regex.Replace(source,
            @"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)+'", " ",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        foreach (var (pattern, what) in Forbidden)
        {
            if (what.StartsWith("raw string")) continue;
            var m = System.Text.RegularExpressions.Regex.Match(code, pattern, System.Text.RegularExpressions.RegexOptions.Multiline);
            if (m.Success) yield return $"{what}: '{m.Value.Trim()}'";
        }
    }

    /// <summary>
    /// `dotnet build EdgeNet.sln` must work where the nanoFramework project system is absent: every classic
    /// nanoFramework project in the solution imports the fallback that skips it with a notice.
    /// </summary>
    [Fact]
    public void Every_nfproj_in_the_solution_skips_cleanly_without_the_project_system()
    {
        string sln = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "EdgeNet.sln"));
        var nfprojs = System.Text.RegularExpressions.Regex.Matches(sln, "^Project\\(\"\\{([0-9A-F-]+)\\}\"\\) = \"[^\"]+\", \"([^\"]+\\.nfproj)\"",
            System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.Contains(nfprojs, m => m.Groups[2].Value.EndsWith("NFUnitTest.nfproj", StringComparison.Ordinal));
        foreach (System.Text.RegularExpressions.Match m in nfprojs)
        {
            string path = Path.Combine(DeviceBuild.RepoRoot, m.Groups[2].Value.Replace('\\', Path.DirectorySeparatorChar));
            Assert.Equal("11A8DD76-328B-46DF-9F39-F559912D0360", m.Groups[1].Value); // nanoFramework project type
            string project = File.ReadAllText(path);
            Assert.True(project.Contains("shared\\nf\\NoProjectSystem.targets", StringComparison.Ordinal),
                $"{m.Groups[2].Value} does not import shared/nf/NoProjectSystem.targets, so dotnet build EdgeNet.sln fails without the nanoFramework project system");
        }
    }
}
