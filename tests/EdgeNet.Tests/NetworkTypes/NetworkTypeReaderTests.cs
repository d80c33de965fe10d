using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Golden;
using EdgeNet.Quantization;

namespace EdgeNet.Tests.NetworkTypes;

/// <summary>The reader's checks of conv1d, pooling and recurrent records: each bad record rejected with its reason.</summary>
public class NetworkTypeReaderTests
{
    private static string? Error(Model m)
    {
        byte[] file = ModelWriter.Write(m);
        return DeviceProbe.Check(file, int.MaxValue);
    }

    private static void Rejects(Model m, string reason)
    {
        string? error = Error(m);
        Assert.NotNull(error);
        Assert.StartsWith("byte ", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Conv1d_padding_must_be_below_the_kernel()
    {
        Model m = NetworkTypeGoldens.Conv1D().Model;
        ((Conv1DLayer)m.Layers[0]).Padding = 3;
        Rejects(m, "conv1d padding 3 not below the kernel size 3");
    }

    [Fact]
    public void Conv1d_kernel_must_fit_the_window()
    {
        Model m = NetworkTypeGoldens.Conv1D().Model;
        var c = (Conv1DLayer)m.Layers[0];
        c.KernelSize = 7;
        c.Weights = new sbyte[14];
        Rejects(m, "conv1d kernel of 7 steps does not fit 4 input steps with padding 1");
    }

    [Fact]
    public void Conv1d_stride_and_kernel_cannot_be_zero()
    {
        Model m = NetworkTypeGoldens.Conv1D().Model;
        ((Conv1DLayer)m.Layers[0]).Stride = 0;
        Rejects(m, "conv1d stride is 0");
    }

    [Fact]
    public void Conv1d_accumulator_overflow_is_rejected()
    {
        Model m = NetworkTypeGoldens.Conv1D().Model;
        ((Conv1DLayer)m.Layers[0]).Bias[1] = int.MaxValue - 100;
        Rejects(m, "layer 0: an int8 input could overflow its int32 accumulator");
    }

    [Fact]
    public void Conv1d_negative_multiplier_and_large_shift_are_rejected()
    {
        Model m = NetworkTypeGoldens.Conv1D().Model;
        ((Conv1DLayer)m.Layers[0]).Multiplier[1] = -5;
        Rejects(m, "conv1d multiplier 1 is negative");
        m = NetworkTypeGoldens.Conv1D().Model;
        ((Conv1DLayer)m.Layers[0]).Shift[0] = 63;
        Rejects(m, "conv1d shift 0 is 63, above 62");
    }

    [Fact]
    public void Pooling_must_keep_its_input_zero_point_and_channels()
    {
        Model m = NetworkTypeGoldens.AvgPool1D().Model;
        m.Layers[0].RequantZeroPoint = 5;
        m.Layers[0].OutputZeroPoint = 5;
        m.Layers[0].ClampMin = -128;
        Rejects(m, "average pool zero point 5 differs from its input's -1");

        m = NetworkTypeGoldens.MaxPool1D().Model;
        m.Layers[0].OutputChannels = 1;
        Rejects(m, "max pool has 1 channels but its input has 2");
    }

    [Fact]
    public void Pooling_window_must_fit_and_not_be_empty()
    {
        Model m = NetworkTypeGoldens.MaxPool1D().Model;
        ((Pool1DLayer)m.Layers[0]).PoolSize = 4;
        Rejects(m, "max pool of 4 steps is longer than the 3 input steps");
        m = NetworkTypeGoldens.AvgPool1D().Model;
        ((Pool1DLayer)m.Layers[0]).PoolSize = 0;
        Rejects(m, "average pool size is 0");
    }

    [Fact]
    public void Unknown_and_misplaced_feedback_kinds_are_rejected()
    {
        Model m = NetworkTypeGoldens.Complete().Model;
        ((RecurrentLayer)m.Layers[0]).Feedback = (Feedback)9;
        Rejects(m, "unknown feedback kind 9");

        m = NetworkTypeGoldens.Complete().Model;
        ((RecurrentLayer)m.Layers[0]).Feedback = Feedback.Indirect;
        Rejects(m, "indirect feedback is only allowed inside an indirect block");

        m = NetworkTypeGoldens.Indirect().Model;
        ((IndirectRecurrentLayer)m.Layers[0]).Hidden.Feedback = Feedback.Complete;
        Rejects(m, "the first layer of an indirect block must have indirect feedback");
    }

    [Fact]
    public void Recurrent_feedback_accumulator_overflow_is_rejected()
    {
        // 127 * 255 * units must fit: 70,000 units do not, but 4096 units is the cap, so use the bias path.
        Model m = NetworkTypeGoldens.Direct().Model;
        ((RecurrentLayer)m.Layers[0]).Bias[0] = int.MaxValue - 10;
        Rejects(m, "an int8 input could overflow its int32 accumulator");
    }

    [Fact]
    public void Arena_counts_recurrent_state_and_the_indirect_buffers()
    {
        Model direct = NetworkTypeGoldens.Direct().Model;   // input 1 + output 2 + state 2
        Assert.Equal(5, direct.ArenaBytes);
        Model indirect = NetworkTypeGoldens.Indirect().Model; // input 1 + output 1 + state 1 + hidden 2
        Assert.Equal(5, indirect.ArenaBytes);
        byte[] file = ModelWriter.Write(indirect);
        Assert.Null(ModelReader.Read(file, file.Length, 5, out _) == null ? "rejected" : null);
        Assert.Null(ModelReader.Read(file, file.Length, 4, out string error));
        Assert.Contains("arena of 5 bytes", error);
    }
}
