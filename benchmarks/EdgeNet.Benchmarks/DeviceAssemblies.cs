using System.Reflection;
using System.Runtime.Loader;

namespace EdgeNet.Benchmarks;

/// <summary>The nanoFramework-compiled assemblies in artifacts/nf, loaded into CoreCLR in their own context.</summary>
public static class DeviceAssemblies
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Folder => Path.Combine(RepoRoot, "artifacts", "nf");
    public static string PathOf(string name) => Path.Combine(Folder, name + ".dll");

    private static readonly Lazy<Context> Ctx = new(() => new Context(Folder));

    public static Assembly Load(string name) => Ctx.Value.LoadFromAssemblyName(new AssemblyName(name));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeNet.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("EdgeNet.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class Context(string folder) : AssemblyLoadContext("nanoFramework build")
    {
        protected override Assembly Load(AssemblyName name)
        {
            string path = Path.Combine(folder, name.Name + ".dll");
            if (name.Name != "mscorlib" && File.Exists(path)) return LoadFromAssemblyPath(path);
            return null;
        }
    }
}
