using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace EdgeNet.Tests.Native;

/// <summary>
/// The C++ interop glue (firmware/native/interop) against the nanoFramework-compiled EdgeNet.Native.dll: every
/// method of NativeKernels is an InternalCall with no IL body, its metadata-processor name (name___STATIC__return__
/// parameter types) is declared in EdgeNet_Native.h, listed in the lookup table of EdgeNet_Native.cpp in method
/// order, which is also ordinal name order (so older and newer metadata processors lay the table out alike), and
/// implemented in EdgeNet_Native_EdgeNet_Native_NativeKernels.cpp, which calls the C kernel it names. The glue's
/// bodies are compiled and driven against a stand-in of the nanoCLR declarations by firmware/native/build.sh
/// --sanitize (.ci/run); the checksum comes from the metadata processor (docs/native.md).
/// </summary>
public class InteropGlueTests
{
    private const string ClassName = "Library_EdgeNet_Native_EdgeNet_Native_NativeKernels";

    private static string Glue(string file) => File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "firmware", "native", "interop", file));

    /// <summary>The metadata processor's stub names of NativeKernels' methods, in metadata order.</summary>
    private static List<(string Name, string Stub, MethodImplAttributes Impl, int Rva)> Methods()
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(DeviceBuild.Folder, "EdgeNet.Native.dll")));
        MetadataReader md = pe.GetMetadataReader();
        var result = new List<(string, string, MethodImplAttributes, int)>();
        foreach (TypeDefinitionHandle th in md.TypeDefinitions)
        {
            TypeDefinition t = md.GetTypeDefinition(th);
            if (md.GetString(t.Name) != "NativeKernels") continue;
            foreach (MethodDefinitionHandle mh in t.GetMethods())
            {
                MethodDefinition m = md.GetMethodDefinition(mh);
                MethodSignature<string> sig = m.DecodeSignature(new StubTypes(), null);
                string name = md.GetString(m.Name);
                string marker = (m.Attributes & MethodAttributes.Static) != 0 ? "___STATIC__" : "___";
                string stub = name + marker + string.Join("__", new[] { sig.ReturnType }.Concat(sig.ParameterTypes));
                result.Add((name, stub, m.ImplAttributes, m.RelativeVirtualAddress));
            }
        }
        return result;
    }

    [Fact]
    public void Every_method_is_an_internal_call_declared_in_ordinal_name_order()
    {
        var methods = Methods();
        Assert.Equal(21, methods.Count); // 10 int8 entry points, 10 for the 16x8 kernels, 1 for the 16x16 dense kernel
        foreach (var m in methods)
        {
            Assert.True((m.Impl & MethodImplAttributes.InternalCall) != 0, m.Name + " is not InternalCall");
            Assert.Equal(0, m.Rva);
        }
        var names = methods.Select(m => m.Name).ToList();
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal).ToList(), names);
    }

    [Fact]
    public void Header_lookup_table_and_bodies_match_the_compiled_assembly()
    {
        var stubs = Methods().Select(m => m.Stub).ToList();
        string header = Glue("EdgeNet_Native.h");
        var declared = Regex.Matches(header, @"NANOCLR_NATIVE_DECLARE\((\w+)\);").Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(stubs, declared);
        Assert.Contains("struct " + ClassName, header);

        string table = Glue("EdgeNet_Native.cpp");
        var listed = Regex.Matches(table, ClassName + @"::(\w+),").Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(stubs, listed);
        Assert.Contains("\"EdgeNet.Native\"", table);
        Assert.Matches(@"0x[0-9A-F]{8}, // EDGENET_NATIVE_CHECKSUM", table);
        Assert.Contains("{ 3, 0, 0, 0 }", table); // AssemblyNativeVersion("3.0.0.0")
        Assert.Contains("[assembly: AssemblyNativeVersion(\"3.0.0.0\")]",
            File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "firmware", "native", "EdgeNet.Native", "NativeKernels.cs")));

        string bodies = Glue("EdgeNet_Native_EdgeNet_Native_NativeKernels.cpp");
        var defined = Regex.Matches(bodies, @"HRESULT NativeKernels::(\w+)\(CLR_RT_StackFrame &stack\)").Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(stubs, defined);
        // Each body calls the C function of its name (snake case), declared in the kernels' header.
        string api = File.ReadAllText(Path.Combine(DeviceBuild.RepoRoot, "firmware", "native", "include", "edgenet_kernels.h"));
        foreach (var m in Methods())
        {
            string c = m.Name == "Version" ? "edgenet_api_version" : "edgenet_" + Regex.Replace(m.Name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant()
                .Replace("max_pool1_d", "max_pool1d").Replace("avg_pool1_d", "avg_pool1d").Replace("conv1_d", "conv1d");
            int at = bodies.IndexOf("NativeKernels::" + m.Stub + "(", StringComparison.Ordinal);
            int next = bodies.IndexOf("\nHRESULT ", at + 1, StringComparison.Ordinal);
            string body = next < 0 ? bodies[at..] : bodies[at..next];
            Assert.True(body.Contains(c + "("), $"{m.Name}'s body does not call {c}");
            Assert.Contains(c + "(", api);
        }
    }

    [Fact]
    public void The_cmake_module_compiles_every_kernel_source_and_both_glue_files()
    {
        string cmake = Glue("FindINTEROP-EdgeNet.Native.cmake");
        foreach (string c in Directory.GetFiles(Path.Combine(DeviceBuild.RepoRoot, "firmware", "native", "src"), "*.c"))
            Assert.Contains("src/" + Path.GetFileName(c), cmake);
        Assert.Contains("interop/EdgeNet_Native.cpp", cmake);
        Assert.Contains("interop/EdgeNet_Native_EdgeNet_Native_NativeKernels.cpp", cmake);
    }

    /// <summary>nanoCLR type names as the metadata processor spells them in stub names.</summary>
    private sealed class StubTypes : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Void => "VOID",
            PrimitiveTypeCode.Boolean => "BOOLEAN",
            PrimitiveTypeCode.SByte => "I1",
            PrimitiveTypeCode.Byte => "U1",
            PrimitiveTypeCode.Int16 => "I2",
            PrimitiveTypeCode.UInt16 => "U2",
            PrimitiveTypeCode.Int32 => "I4",
            PrimitiveTypeCode.UInt32 => "U4",
            PrimitiveTypeCode.Int64 => "I8",
            PrimitiveTypeCode.UInt64 => "U8",
            PrimitiveTypeCode.String => "STRING",
            _ => throw new NotSupportedException(typeCode.ToString()),
        };
        public string GetSZArrayType(string elementType) => "SZARRAY_" + elementType;
        public string GetArrayType(string elementType, ArrayShape shape) => throw new NotSupportedException();
        public string GetByReferenceType(string elementType) => "BYREF_" + elementType;
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => throw new NotSupportedException();
        public string GetGenericMethodParameter(object? context, int index) => throw new NotSupportedException();
        public string GetGenericTypeParameter(object? context, int index) => throw new NotSupportedException();
        public string GetFunctionPointerType(MethodSignature<string> signature) => throw new NotSupportedException();
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => throw new NotSupportedException();
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => throw new NotSupportedException();
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => throw new NotSupportedException();
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => throw new NotSupportedException();
    }
}
