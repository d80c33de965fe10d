using System.Reflection;
using System.Runtime.Loader;

namespace EdgeNet.Trainer.Device;

/// <summary>
/// The nanoFramework-compiled EdgeNet assemblies (the very IL that goes to the device) loaded into CoreCLR
/// in their own load context, beside the desktop build of the same source, so the trainer and the tests
/// can run the device's kernels on a PC and compare every integer.
/// </summary>
public sealed class DeviceAssembly
{
    private static readonly Lazy<DeviceAssembly> Located = new(() => new DeviceAssembly(Locate()));

    private readonly DeviceContext _context;

    public DeviceAssembly(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "EdgeNet.Shared.dll")))
            throw new FileNotFoundException("nanoFramework build of EdgeNet.Shared not found in " + folder, Path.Combine(folder, "EdgeNet.Shared.dll"));
        Folder = folder;
        _context = new DeviceContext(folder);
    }

    /// <summary>The device build found next to the trainer (nf/) or in the repository (artifacts/nf/).</summary>
    public static DeviceAssembly Default => Located.Value;

    public string Folder { get; }

    public Assembly Load(string name) => _context.LoadFromAssemblyName(new AssemblyName(name));

    public Assembly Shared => Load("EdgeNet.Shared");

    /// <summary>A public static method of the device build as a typed delegate (plain-array signatures only).</summary>
    public T Method<T>(string assembly, string type, string method) where T : Delegate
    {
        Type t = Load(assembly).GetType(type, throwOnError: true);
        MethodInfo m = t.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(type, method);
        return m.CreateDelegate<T>();
    }

    /// <summary>DeviceProbe.Trace of the device build: input tensor and every layer's output per reading.</summary>
    public Func<byte[], int[], int, sbyte[]> Trace => Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");

    /// <summary>DeviceProbe.TraceWide of the device build: the same for any model, every value as int16.</summary>
    public Func<byte[], int[], int, short[]> TraceWide => Method<Func<byte[], int[], int, short[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "TraceWide");

    /// <summary>DeviceProbe.Classify of the device build: the predicted class per reading.</summary>
    public Func<byte[], int[], int, int[]> Classify => Method<Func<byte[], int[], int, int[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Classify");

    /// <summary>DeviceProbe.Check of the device build: null when the model file is accepted, else the reason.</summary>
    public Func<byte[], int, string> Check => Method<Func<byte[], int, string>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Check");

    /// <summary>
    /// The folder holding the device build: nf/ beside the running program (copied there at build time),
    /// else artifacts/nf/ of the repository above it or above the current directory.
    /// </summary>
    public static string Locate()
    {
        var tried = new List<string>();
        string beside = Path.Combine(AppContext.BaseDirectory, "nf");
        if (Has(beside)) return beside;
        tried.Add(beside);
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            string root = RepoRoot(start);
            if (root == null) continue;
            string folder = Path.Combine(root, "artifacts", "nf");
            if (Has(folder)) return folder;
            tried.Add(folder);
        }
        throw new FileNotFoundException(
            "nanoFramework build of EdgeNet.Shared not found (looked in " + string.Join(", ", tried) +
            "); build the repository first: dotnet build EdgeNet.ci.slnf", "EdgeNet.Shared.dll");
    }

    /// <summary>The nearest folder at or above start that holds EdgeNet.sln, or null.</summary>
    public static string RepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeNet.sln"))) return dir.FullName;
        }
        return null;
    }

    private static bool Has(string folder) => File.Exists(Path.Combine(folder, "EdgeNet.Shared.dll"));

    private sealed class DeviceContext(string folder) : AssemblyLoadContext("nanoFramework build " + folder)
    {
        protected override Assembly Load(AssemblyName name)
        {
            // mscorlib (the nanoFramework one is referenced) resolves to CoreCLR's; our own assemblies come
            // from the device build folder, never from the desktop build.
            string path = Path.Combine(folder, name.Name + ".dll");
            if (name.Name != "mscorlib" && File.Exists(path)) return LoadFromAssemblyPath(path);
            return null;
        }
    }
}
