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
            Assert.Equal((a.ClampMin, a.ClampMax, a.RequantZeroPoint, a.OutputZeroPoint, a.OutputScale),
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
        byte[] v2 = (byte[])file.Clone();
        v2[4] = 2;
        Assert.Contains("format version 2 is not supported", ReadError(v2));
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
