using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Quantization;

namespace EdgeNet.Tests;

/// <summary>
/// The nanoFramework-compiled EdgeNet.Shared (device IL, run on CoreCLR) against the desktop build of the
/// same source: identical integers required at every layer, on thousands of random networks and inputs.
/// </summary>
public class DeviceExactTests
{
    private static readonly Func<byte[], int[], int, sbyte[]> DeviceTrace =
        DeviceBuild.Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");

    private static readonly Func<byte[], int, string> DeviceCheck =
        DeviceBuild.Method<Func<byte[], int, string>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Check");

    [Fact]
    public void Device_assembly_is_the_nanoFramework_build()
    {
        var references = DeviceBuild.Shared.GetReferencedAssemblies();
        var mscorlib = Assert.Single(references, r => r.Name == "mscorlib");
        Assert.Equal(1, mscorlib.Version!.Major); // nanoFramework's mscorlib 1.x, not .NET's 4.0 facade
        Assert.DoesNotContain(references, r => r.Name == "System.Runtime" || r.Name == "System.Private.CoreLib");
    }

    [Fact]
    public void Random_dense_networks_match_bit_for_bit_at_every_layer()
    {
        var rng = new Random(20261126);
        int compared = 0;
        for (int n = 0; n < 2000; n++)
        {
            int features = rng.Next(1, 12);
            int window = rng.Next(4) == 0 ? rng.Next(2, 5) : 1;
            int depth = rng.Next(1, 4);
            var units = new int[depth];
            for (int l = 0; l < depth; l++) units[l] = rng.Next(1, 16);
            Model model = RandomModels.Dense(rng, features, units, window);
            byte[] file = ModelWriter.Write(model);
            int readings = rng.Next(1, 6);
            int[] raw = RandomModels.Readings(rng, readings * features);

            sbyte[] desktop = DeviceProbe.Trace(file, raw, readings);
            sbyte[] device = DeviceTrace(file, raw, readings);
            Assert.NotNull(desktop);
            Assert.Equal(desktop, device);
            compared += desktop.Length;
        }
        Assert.True(compared > 50_000, $"compared only {compared} values");
    }

    [Fact]
    public void Both_builds_reject_the_same_files_with_the_same_reason()
    {
        var rng = new Random(7);
        byte[] file = ModelWriter.Write(RandomModels.Dense(rng, 5, [8, 3]));
        int crc = 0, fields = 0, accepted = 0;
        for (int i = 0; i < 600; i++)
        {
            byte[] bad = (byte[])file.Clone();
            bad[rng.Next(bad.Length)] ^= (byte)(1 << rng.Next(8));
            // Half the mutants are re-signed (length and CRC fixed up) so the field checks, not the CRC, decide.
            if (i % 2 == 1) bad = EdgeNet.Golden.RejectedCases.Resign(bad);
            string? desktop = DeviceProbe.Check(bad, int.MaxValue);
            Assert.Equal(desktop, DeviceCheck(bad, int.MaxValue));
            if (desktop == null) accepted++;
            else if (desktop.Contains("CRC-32")) crc++;
            else fields++;
        }
        // Without re-signing nearly every case would be the CRC's: make sure the field checks were reached.
        Assert.True(fields >= 20 && accepted > 100, $"{fields} field rejections, {crc} CRC, {accepted} accepted");
    }
}
