using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EdgeNet.Tests;

/// <summary>
/// The library that goes to the device (artifacts/nf/EdgeNet.Shared.dll) holds what the device runs and
/// nothing else: no model writer, no test harness, no reference kernels (issue #14 item 5). They live in
/// shared/desktop and are compiled for nanoFramework only into the harness (EdgeNet.Probe) and the
/// benchmark app (EdgeNet.Bench.Device), which is where the device-exact tests take them from.
/// </summary>
public class LeanDeviceBuildTests
{
    private static (HashSet<string> Types, HashSet<string> Methods) Contents(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(DeviceBuild.Folder, assembly + ".dll")));
        MetadataReader md = pe.GetMetadataReader();
        var types = new HashSet<string>();
        var methods = new HashSet<string>();
        foreach (TypeDefinitionHandle th in md.TypeDefinitions)
        {
            TypeDefinition t = md.GetTypeDefinition(th);
            string full = md.GetString(t.Namespace) + "." + md.GetString(t.Name);
            types.Add(full);
            foreach (MethodDefinitionHandle mh in t.GetMethods()) methods.Add(full + "." + md.GetString(md.GetMethodDefinition(mh).Name));
        }
        return (types, methods);
    }

    [Fact]
    public void Device_library_carries_no_writer_no_probe_and_no_reference_kernels()
    {
        var (types, methods) = Contents("EdgeNet.Shared");
        Assert.Contains("EdgeNet.Format.ModelReader", types); // the scan sees the assembly
        Assert.Contains("EdgeNet.Kernels.FullyConnectedOptimized.Invoke", methods);
        foreach (string desktopOnly in new[] { "EdgeNet.Format.ModelWriter", "EdgeNet.Format.ByteWriter", "EdgeNet.Engine.DeviceProbe", "EdgeNet.Kernels.FullyConnected" })
            Assert.DoesNotContain(desktopOnly, types);
        Assert.DoesNotContain(methods, m => m.EndsWith(".WriteBody") || m.EndsWith(".WriteCommon") || m.EndsWith(".Reference"));
    }

    [Fact]
    public void Harness_and_reference_kernels_are_still_nanoFramework_compiled_beside_it()
    {
        Assert.Contains("EdgeNet.Engine.DeviceProbe.Trace", Contents("EdgeNet.Probe").Methods);
        Assert.Contains("EdgeNet.Kernels.FullyConnected.Reference", Contents("EdgeNet.Bench.Device").Methods);
    }
}
