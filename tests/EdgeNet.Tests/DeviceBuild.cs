using System.Reflection;
using System.Runtime.Loader;

namespace EdgeNet.Tests;

/// <summary>
/// The nanoFramework-compiled assemblies (artifacts/nf, the very IL that goes to the device), loaded into
/// CoreCLR in their own load context beside the desktop build of the same source.
/// </summary>
public static class DeviceBuild
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Folder => Path.Combine(RepoRoot, "artifacts", "nf");

    private static readonly Lazy<DeviceContext> Context = new(() => new DeviceContext(Folder));

    public static Assembly Load(string name) => Context.Value.LoadFromAssemblyName(new AssemblyName(name));

    public static Assembly Shared => Load("EdgeNet.Shared");

    /// <summary>A static method of the device build as a typed delegate (plain-array signatures only).</summary>
    public static T Method<T>(string assembly, string type, string method) where T : Delegate
    {
        Type t = Load(assembly).GetType(type, throwOnError: true)!;
        MethodInfo m = t.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(type, method);
        return m.CreateDelegate<T>();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeNet.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("EdgeNet.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class DeviceContext(string folder) : AssemblyLoadContext("nanoFramework build")
    {
        protected override Assembly? Load(AssemblyName name)
        {
            // mscorlib (the nanoFramework one is referenced) resolves to CoreCLR's; our own assemblies
            // come from the device build folder, never from the desktop build.
            string path = Path.Combine(folder, name.Name + ".dll");
            if (name.Name != "mscorlib" && File.Exists(path)) return LoadFromAssemblyPath(path);
            return null;
        }
    }
}
