using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EdgeNet.Tests.Firmware;

/// <summary>
/// The nanoFramework project plumbing that cannot build here: the solution deploys the device projects on F5
/// (Deploy.0, as nanoFramework's own solutions carry), the unit test settings follow the ones
/// nanoFramework.TestFramework ships, and the ESP32 app's packages are one consistent 1.x set.
/// </summary>
public class NanoProjectFilesTests
{
    private static string Root(params string[] parts) => Path.Combine([DeviceBuild.RepoRoot, .. parts]);

    [Fact]
    public void Every_nfproj_in_the_solution_deploys_in_every_configuration()
    {
        string sln = File.ReadAllText(Root("EdgeNet.sln"));
        var nfproj = Regex.Matches(sln, "Project\\(\"\\{[^}]+\\}\"\\) = \"([^\"]+)\", \"([^\"]+\\.nfproj)\", \"(\\{[^}]+\\})\"").ToList();
        Assert.Equal(2, nfproj.Count);
        foreach (Match p in nfproj)
        {
            string guid = p.Groups[3].Value;
            var builds = Regex.Matches(sln, Regex.Escape(guid) + "\\.([^.\\r\\n]+)\\.Build\\.0 = ").Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(builds);
            foreach (string cfg in builds) Assert.Contains($"{guid}.{cfg}.Deploy.0 = ", sln);
        }
    }

    [Fact]
    public void NFUnitTest_runsettings_are_TestFramework_s_own_net48_x64()
    {
        var run = XDocument.Load(Root("tests", "NFUnitTest", "nano.runsettings")).Root!.Element("RunConfiguration")!;
        Assert.Equal("net48", run.Element("TargetFrameworkVersion")!.Value);
        Assert.Equal("x64", run.Element("TargetPlatform")!.Value);
        Assert.Equal("1", run.Element("MaxCpuCount")!.Value);
    }

    [Fact]
    public void The_ESP32_packages_are_the_1x_set_for_CoreLibrary_1_17_11_and_the_project_references_them()
    {
        var packages = XDocument.Load(Root("firmware", "esp32", "packages.config")).Root!.Elements("package")
            .ToDictionary(p => p.Attribute("id")!.Value, p => p.Attribute("version")!.Value);
        Assert.Equal("1.17.11", packages["nanoFramework.CoreLibrary"]);
        Assert.Equal("1.6.42", packages["nanoFramework.Hardware.Esp32"]);
        Assert.Equal("1.11.37", packages["nanoFramework.Runtime.Events"]);
        Assert.Equal("1.1.62", packages["nanoFramework.System.Device.Gpio"]);
        Assert.Equal("1.1.93", packages["nanoFramework.System.IO.FileSystem"]);
        Assert.Equal("1.1.139", packages["nanoFramework.System.IO.Ports"]);
        // The last 1.x release (after it the GC API moved into mscorlib 2.x); Esp32Memory calls its GC.Run.
        Assert.Equal("1.7.11", packages["nanoFramework.Runtime.Native"]);
        // M2Mqtt numbers its own releases 5.x; it targets mscorlib 1.x like the rest (issue #16).
        Assert.All(packages.Where(p => p.Key != "nanoFramework.M2Mqtt").Select(p => p.Value), v => Assert.StartsWith("1.", v));
        // Every HintPath of the .nfproj points at the version packages.config restores.
        string nfproj = File.ReadAllText(Root("firmware", "esp32", "EdgeNet.Esp32.nfproj"));
        var hints = Regex.Matches(nfproj, @"packages\\([A-Za-z0-9.]+?)\.(\d+\.\d+\.\d+)\\lib").Select(m => (Id: m.Groups[1].Value, Version: m.Groups[2].Value)).ToList();
        Assert.Equal(packages.Count, hints.Count);
        foreach (var (id, version) in hints) Assert.Equal(packages[id], version);
    }

    [Fact]
    public void Every_nanoFramework_namespace_the_ESP32_app_uses_comes_from_a_package_it_references()
    {
        // Namespaces that are not in mscorlib, and the package that carries each.
        var carriers = new Dictionary<string, string>
        {
            ["nanoFramework.Hardware.Esp32"] = "nanoFramework.Hardware.Esp32",
            ["nanoFramework.Runtime.Native"] = "nanoFramework.Runtime.Native",
            ["nanoFramework.Runtime.Events"] = "nanoFramework.Runtime.Events",
            ["System.Device.Adc"] = "nanoFramework.System.Device.Adc",
            ["System.Device.Gpio"] = "nanoFramework.System.Device.Gpio",
            ["System.Device.I2c"] = "nanoFramework.System.Device.I2c",
            ["System.IO.Ports"] = "nanoFramework.System.IO.Ports",
        };
        var packages = XDocument.Load(Root("firmware", "esp32", "packages.config")).Root!.Elements("package")
            .Select(p => p.Attribute("id")!.Value).ToHashSet();
        string nfproj = File.ReadAllText(Root("firmware", "esp32", "EdgeNet.Esp32.nfproj"));
        var used = Directory.GetFiles(Root("firmware", "esp32"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\b(nanoFramework\.[A-Za-z0-9]+\.[A-Za-z0-9]+|System\.Device\.[A-Za-z0-9]+|System\.IO\.Ports)\b").Select(m => (File: Path.GetFileName(f), Namespace: m.Groups[1].Value)))
            .Where(u => carriers.ContainsKey(u.Namespace)).ToList();
        Assert.Contains(used, u => u.Namespace == "nanoFramework.Runtime.Native"); // Esp32Memory's GC.Run
        foreach (var (file, ns) in used)
        {
            Assert.True(packages.Contains(carriers[ns]), $"{file} uses {ns}, but packages.config has no {carriers[ns]}");
            Assert.Contains($"<Reference Include=\"{ns}\">", nfproj.Replace("nanoFramework.System.", "System."));
        }
    }
}
