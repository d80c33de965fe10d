using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Tests;

public class ModelReaderTests
{
    private static byte[] Sample() => ModelWriter.Write(RandomModels.Dense(new Random(3), 4, [6, 3], window: 2));

    private static Model Read(byte[] file, out string error) => ModelReader.Read(file, file.Length, int.MaxValue, out error);

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        Model original = RandomModels.Dense(new Random(11), 3, [5, 2], window: 3);
        byte[] file = ModelWriter.Write(original);
        Model back = Read(file, out string error);
        Assert.Null(error);
        Assert.Equal(original.Name, back.Name);
        Assert.Equal(original.ClassLabels, back.ClassLabels);
        Assert.Equal(original.FeatureNames, back.FeatureNames);
        Assert.Equal(3, back.WindowLength);
        Assert.Equal(original.Input.Offset, back.Input.Offset);
        Assert.Equal(original.Input.Multiplier, back.Input.Multiplier);
        Assert.Equal(original.Input.Shift, back.Input.Shift);
        Assert.Equal(original.Input.RawExponent, back.Input.RawExponent);
        for (int l = 0; l < 2; l++)
        {
            var a = (DenseLayer)original.Layers[l];
            var b = (DenseLayer)back.Layers[l];
            Assert.Equal(a.Weights, b.Weights);
            Assert.Equal(a.Bias, b.Bias);
            Assert.Equal(a.Multiplier, b.Multiplier);
            Assert.Equal(a.Shift, b.Shift);
            Assert.Equal(a.Table, b.Table);
            Assert.Equal(a.Activation, b.Activation);
            // Format v2 stores the last layer's output scale only (the one the device reads).
            Assert.Equal((a.ClampMin, a.ClampMax, a.RequantZeroPoint, a.OutputZeroPoint, l == 1 ? a.OutputScale : 0f),
                         (b.ClampMin, b.ClampMax, b.RequantZeroPoint, b.OutputZeroPoint, b.OutputScale));
        }
        Assert.Equal(file, ModelWriter.Write(back));
    }

    [Fact]
    public void Every_single_byte_corruption_is_rejected_with_a_reason()
    {
        byte[] file = Sample();
        for (int i = 0; i < file.Length; i++)
        {
            foreach (int flip in new[] { 0x01, 0x80, 0xFF })
            {
                byte[] bad = (byte[])file.Clone();
                bad[i] ^= (byte)flip;
                Model m = Read(bad, out string error);
                Assert.True(m == null, $"byte {i} ^ {flip:X2} was accepted");
                Assert.StartsWith("byte ", error);
            }
        }
    }

    /// <summary>Fields whose value the reader checks on its own, and the word its reason uses.</summary>
    private static readonly Dictionary<string, string> SelfCheckedFields = new()
    {
        ["input scale"] = "input scale", ["input multiplier"] = "negative multiplier", ["input shift"] = "shift",
        ["raw exponent"] = "raw exponent", ["output scale"] = "output scale",
        ["dense multipliers"] = "negative multiplier", ["dense shifts"] = "shift",
    };

    [Fact]
    public void Every_single_byte_corruption_behind_a_valid_CRC_is_caught_by_the_field_check()
    {
        // Re-signed (length and CRC fixed up), so the CRC cannot catch the mutant: the field checks must.
        byte[] file = Sample();
        List<FieldSpan> fields = ByteReader.RecordFields(() => Read(file, out _));
        int rejected = 0, accepted = 0, aimed = 0;
        for (int i = ModelFormat.HeaderBytes; i < file.Length; i++)
        {
            FieldSpan field = fields.Last(f => f.Position <= i);
            Assert.True(i < field.Position + field.Width, $"byte {i} is in no field");
            foreach (int flip in new[] { 0x01, 0x80, 0xFF })
            {
                byte[] bad = (byte[])file.Clone();
                bad[i] ^= (byte)flip;
                bad = EdgeNet.Golden.RejectedCases.Resign(bad);
                Model m = Read(bad, out string error);
                string what = $"byte {i} ({field.What}) ^ {flip:X2}";
                if (m != null)
                {
                    // A valid model after all (a weight, a bias...): it must be exactly what the file says.
                    accepted++;
                    Assert.True(ModelWriter.Write(m).AsSpan().SequenceEqual(bad), what + " accepted but does not write back to the same bytes");
                    Assert.True(InRange(m), what + " accepted with a value outside the format's limits");
                    continue;
                }
                rejected++;
                Assert.Matches(@"^byte \d+: ", error);
                Assert.DoesNotContain("CRC-32", error);
                Assert.DoesNotContain("header says", error);
                if (SelfCheckedFields.TryGetValue(field.What, out string? word))
                {
                    aimed++;
                    int at = int.Parse(System.Text.RegularExpressions.Regex.Match(error, @"^byte (\d+):").Groups[1].Value);
                    Assert.True(at >= field.Position && at < field.Position + field.Width, $"{what}: \"{error}\" names byte {at}, outside the field {field.Position}..{field.Position + field.Width - 1}");
                    Assert.Contains(word, error);
                }
            }
        }
        Assert.True(rejected > 50 && accepted > 50 && aimed > 10, $"{rejected} rejected, {accepted} accepted, {aimed} in self-checked fields");
    }

    /// <summary>The documented limits, checked independently of the reader (docs/model-format.md).</summary>
    private static bool InRange(Model m)
    {
        static bool Positive(float x) => float.IsFinite(x) && x > 0f;
        bool ok = Positive(m.Input.Scale) && m.Input.Multiplier.All(v => v >= 0) && m.Input.Shift.All(v => v <= 62)
            && m.Input.RawExponent.All(v => v >= -9 && v <= 9);
        // Format v2 stores the output scale of the last layer only: a hidden layer read from it has scale 0.
        ok &= Positive(m.Layers[^1].OutputScale);
        foreach (var layer in m.Layers.OfType<DenseLayer>())
            ok &= (Positive(layer.OutputScale) || layer.OutputScale == 0f) && layer.Multiplier.All(v => v >= 0) && layer.Shift.All(v => v <= 62) && layer.ClampMin <= layer.ClampMax;
        return ok;
    }

    [Fact]
    public void Every_truncation_is_rejected_with_a_reason()
    {
        byte[] file = Sample();
        for (int n = 0; n < file.Length; n++)
        {
            Model m = ModelReader.Read(file, n, int.MaxValue, out string error);
            Assert.Null(m);
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void Structural_lies_with_a_valid_crc_are_rejected_precisely()
    {
        // Re-sign the content after the lie, so only the structure checks can catch it.
        Model model = RandomModels.Dense(new Random(5), 4, [6, 3]);
        ((DenseLayer)model.Layers[0]).Shift[2] = 63;
        AssertRejected(ModelWriter.Write(model), "shift 63 above 62");

        model = RandomModels.Dense(new Random(5), 4, [6, 3]);
        ((DenseLayer)model.Layers[1]).Bias[0] = int.MaxValue;
        AssertRejected(ModelWriter.Write(model), "overflow its int32 accumulator");

        model = RandomModels.Dense(new Random(5), 4, [6, 5]);
        AssertRejected(ModelWriter.Write(model), null, classes: 3);
    }

    [Fact]
    public void Header_errors_name_what_is_wrong()
    {
        byte[] file = Sample();
        byte[] v4 = (byte[])file.Clone();
        v4[4] = 4;
        Assert.Contains("format version 4 is not supported", ReadError(v4));
        byte[] magic = (byte[])file.Clone();
        magic[0] = (byte)'X';
        Assert.Contains("magic", ReadError(magic));
        Assert.Contains("CRC-32 mismatch", ReadError(Flip(file, file.Length - 1)));
        byte[] longer = [.. file, 0];
        Assert.Contains("header says", ReadError(longer));
    }

    [Fact]
    public void Arena_budget_is_enforced()
    {
        byte[] file = Sample();
        Model ok = ModelReader.Read(file, file.Length, int.MaxValue, out _);
        Assert.Null(ModelReader.Read(file, file.Length, ok.ArenaBytes - 1, out string error));
        Assert.Contains("arena", error);
        Assert.NotNull(ModelReader.Read(file, file.Length, ok.ArenaBytes, out _));
    }

    private static byte[] Flip(byte[] file, int at)
    {
        byte[] bad = (byte[])file.Clone();
        bad[at] ^= 0x10;
        return bad;
    }

    private static string ReadError(byte[] file)
    {
        Assert.Null(Read(file, out string error));
        return error;
    }

    private static void AssertRejected(byte[] file, string? reason, int classes = 0)
    {
        if (classes > 0)
        {
            // Rewrite the class count by rebuilding the model with fewer labels.
            Model m = Read(file, out _);
            m.ClassLabels = m.ClassLabels[..classes];
            file = ModelWriter.Write(m);
            reason = $"last layer has 5 outputs for {classes} classes";
        }
        Assert.Contains(reason!, ReadError(file));
    }
}
