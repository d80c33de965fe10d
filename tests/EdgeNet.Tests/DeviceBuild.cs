using System.Reflection;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests;

/// <summary>
/// The nanoFramework-compiled assemblies (artifacts/nf, the very IL that goes to the device), loaded into
/// CoreCLR in their own load context beside the desktop build of the same source. The loader itself is the
/// trainer's (<see cref="DeviceAssembly"/>), which the demo uses for its bit-exact check.
/// </summary>
public static class DeviceBuild
{
    public static string RepoRoot { get; } = DeviceAssembly.RepoRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("EdgeNet.sln not found above " + AppContext.BaseDirectory);

    public static string Folder => Path.Combine(RepoRoot, "artifacts", "nf");

    private static readonly Lazy<DeviceAssembly> Context = new(() => new DeviceAssembly(Folder));

    public static DeviceAssembly Assembly => Context.Value;

    public static System.Reflection.Assembly Load(string name) => Context.Value.Load(name);

    public static System.Reflection.Assembly Shared => Load("EdgeNet.Shared");

    /// <summary>A static method of the device build as a typed delegate (plain-array signatures only).</summary>
    public static T Method<T>(string assembly, string type, string method) where T : Delegate =>
        Context.Value.Method<T>(assembly, type, method);
}
