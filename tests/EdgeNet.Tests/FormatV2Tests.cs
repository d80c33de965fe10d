using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Tests;

/// <summary>
/// Format v2 (issue #14 item 9): packed record headers bring the overhead to at most 64 B + 4 B per layer,
/// every v1 file still reads (and computes the same integers), the reserved precision and the missing-value
/// fill are carried or refused with a clear reason. The device build gives the same verdicts (golden vectors).
/// </summary>
public class FormatV2Tests
{
    private static Model Read(byte[] file, out string error) => ModelReader.Read(file, file.Length, int.MaxValue, out error);

    private static int Names(Model m) => 1 + m.Name.Length + m.ClassLabels.Sum(s => 1 + s.Length) + m.FeatureNames.Sum(s => 1 + s.Length);

    private static int Overhead(Model m, int version) => ModelWriter.Write(m, version).Length - m.ParameterBytes - Names(m);

    [Fact]
    public void Overhead_is_at_most_64_bytes_plus_4_per_layer_for_every_depth()
    {
        var rng = new Random(9);
        foreach (int depth in new[] { 1, 2, 5, 16, 64 })
        {
            var units = Enumerable.Repeat(4, depth).ToArray();
            Model m = RandomModels.Dense(rng, 3, units);
            foreach (Layer l in m.Layers) { l.Activation = Activation.Relu; l.Table = null; l.OutputZeroPoint = l.RequantZeroPoint; l.ClampMin = l.RequantZeroPoint; l.ClampMax = 127; }
            Assert.True(Overhead(m, 2) <= 64 + 4 * depth, $"{depth} layers: {Overhead(m, 2)} B overhead");
            // The bytes are counted, not assumed: 16 header + 12 fixed + the last layer's scale + 4 per layer.
            Assert.Equal(16 + 12 + 4 + 4 * depth, Overhead(m, 2));
            Assert.Equal(16 + 11 + 12 * depth, Overhead(m, 1));
        }
        // The case: 5 layers took 87 B in v1 against 84 B allowed.
        Model five = RandomModels.Dense(new Random(36 * 1000 + 5), 36, [32, 32, 32, 32, 6]);
        Assert.True(Overhead(five, 1) > 84);
        Assert.True(Overhead(five, 2) <= 84, $"{Overhead(five, 2)} B");
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("direct")]
    [InlineData("lateral")]
    [InlineData("complete")]
    [InlineData("indirect")]
    public void Every_v1_file_still_reads_and_computes_the_same_integers_as_its_v2_file(string family)
    {
        var rng = new Random(family.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        for (int n = 0; n < 40; n++)
        {
            Model m = RandomLayers.Model(rng, family);
            int readings = 4;
            int[] raw = RandomModels.Readings(rng, readings * m.FeatureCount);
            byte[] v1 = ModelWriter.Write(m, 1), v2 = ModelWriter.Write(m);
            Assert.Equal(1, v1[ModelFormat.OffsetVersion]);
            Assert.Equal(2, v2[ModelFormat.OffsetVersion]);
            Assert.True(v2.Length <= v1.Length);
            Assert.Null(DeviceProbe.Check(v1, int.MaxValue));
            Assert.Equal(DeviceProbe.Trace(v1, raw, readings), DeviceProbe.Trace(v2, raw, readings));
            // Reading the v1 file and writing it again gives the v2 file byte for byte.
            Assert.Equal(v2, ModelWriter.Write(Read(v1, out _)));
        }
    }

    [Fact]
    public void Clamps_other_than_the_activation_default_are_stored_and_read_back()
    {
        Model m = RandomModels.Dense(new Random(5), 2, [3, 2]);
        m.Layers[0].Activation = Activation.Identity; m.Layers[0].Table = null; m.Layers[0].OutputZeroPoint = m.Layers[0].RequantZeroPoint;
        m.Layers[0].ClampMin = -20; m.Layers[0].ClampMax = 90;
        Model back = Read(ModelWriter.Write(m), out string error);
        Assert.Null(error);
        Assert.Equal((-20, 90), (back.Layers[0].ClampMin, back.Layers[0].ClampMax));
        m.Layers[0].ClampMin = -128; m.Layers[0].ClampMax = 127;
        Assert.Equal(ModelWriter.Write(m).Length + 2, ModelWriter.Write(WithClamp(m, -1, 127)).Length);
    }

    private static Model WithClamp(Model m, int min, int max)
    {
        m.Layers[0].ClampMin = min; m.Layers[0].ClampMax = max;
        return m;
    }

    [Fact]
    public void Missing_value_fill_round_trips_in_v2_and_is_refused_by_the_v1_writer()
    {
        Model m = RandomModels.Dense(new Random(8), 3, [4, 2]);
        m.Input.FillRaw = [int.MinValue, 0, 12345];
        byte[] file = ModelWriter.Write(m);
        Model back = Read(file, out string error);
        Assert.Null(error);
        Assert.Equal(m.Input.FillRaw, back.Input.FillRaw);
        Assert.Equal(file, ModelWriter.Write(back));
        Assert.Null(Read(ModelWriter.Write(WithoutFill(m)), out _).Input.FillRaw);
        m.Input.FillRaw = [1, 2, 3];
        Assert.Contains("missing-value fill needs format v2", Assert.Throws<ArgumentException>(() => ModelWriter.Write(m, 1)).Message);
        // The fill is 4 bytes per feature after the normalization, flagged in the input flags byte.
        Assert.Equal(ModelWriter.Write(WithoutFill(m)).Length + 12, file.Length);
    }

    private static Model WithoutFill(Model m) { m.Input.FillRaw = null; return m; }

    [Fact]
    public void A_16_bit_layer_needs_zero_point_0_an_unknown_precision_is_refused_and_the_newer_version_names_the_fix()
    {
        byte[] file = ModelWriter.Write(EdgeNet.Golden.RejectedCases.Sample());
        int at = EdgeNet.Golden.RejectedCases.FirstLayerOffset(EdgeNet.Golden.RejectedCases.Sample());
        Assert.Equal(1, file[at] & ModelFormat.CodeKindMask); // the scan is at the first record's code byte
        Assert.NotEqual(0, (sbyte)file[at + 3]);                // the sample's zero point
        byte[] wide = (byte[])file.Clone();
        wide[at] |= ModelFormat.PrecisionInt16 << ModelFormat.CodePrecisionShift;
        Assert.Null(Read(EdgeNet.Golden.RejectedCases.Resign(wide), out string error));
        Assert.Equal($"byte {at + 3}: layer 0: a 16-bit layer's zero point must be 0 (int16 tensors are symmetric), not {(sbyte)file[at + 3]}", error);
        byte[] unknown = (byte[])file.Clone();
        unknown[at] |= 2 << ModelFormat.CodePrecisionShift;
        Assert.Null(Read(EdgeNet.Golden.RejectedCases.Resign(unknown), out error));
        Assert.Equal($"byte {at}: layer 0: unknown precision code 2", error);

        byte[] v4 = ModelWriter.Write(EdgeNet.Golden.RejectedCases.Sample());
        v4[ModelFormat.OffsetVersion] = 4;
        Assert.Null(Read(v4, out error));
        Assert.Equal("byte 4: format version 4 is not supported (this reader reads versions 1 to 3; the file was written by a newer EdgeNet: update this reader (firmware or edgenet))", error);
    }

    [Fact]
    public void Hidden_layers_scales_are_not_stored_and_the_last_layers_is()
    {
        Model m = RandomModels.Dense(new Random(4), 2, [3, 3, 2]);
        Model back = Read(ModelWriter.Write(m), out string error);
        Assert.Null(error);
        Assert.Equal(new[] { 0f, 0f, m.Layers[2].OutputScale }, back.Layers.Select(l => l.OutputScale).ToArray());
        // A v2 model read back cannot go to v1 (which stores every scale): the writer says so.
        Assert.Contains("format v1 stores every layer's output scale", Assert.Throws<ArgumentException>(() => ModelWriter.Write(back, 1)).Message);
    }
}
