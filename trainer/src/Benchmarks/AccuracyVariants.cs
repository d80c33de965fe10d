using EdgeNet.Engine;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Benchmarks;

/// <summary>
/// One quantized column of the accuracy benchmark: how the device model of a trained float network is made.
/// <see cref="Build"/> gets the trained network, the training rows (the calibration rows) and the training
/// options of that seed, and returns the device model, or null with <see cref="NotAvailable"/> saying why
/// (e.g. a precision this build does not have). A variant that trains again (QAT fine-tuning) does so inside
/// Build, from the training rows only.
/// </summary>
public sealed class QuantizedVariant
{
    /// <summary>The column's key in accuracy.json ("auto", "int8", "int16", "qat").</summary>
    public string Name { get; init; }

    /// <summary>What the column is, for the Markdown header notes.</summary>
    public string Description { get; init; }

    /// <summary>Null when the variant can run; else why its column reads "not available".</summary>
    public string NotAvailable { get; init; }

    public Func<Network, Dataset, TrainOptions, Model> Build { get; init; }
}

/// <summary>
/// The columns of <c>bench accuracy</c>, in order. The hooks of other work land here, each one entry: the 16-bit
/// precisions (issue #13 items 1 and 3) are the <see cref="Precisions"/> entries; QAT (issue #18)
/// is <see cref="Qat"/>.
/// </summary>
public static class AccuracyVariants
{
    /// <summary>
    /// What <c>edgenet quantize --precision MODE</c> exports for the network: the quantizer's defaults (the calibration
    /// the validation rows chose, see docs/training.md), the training rows as one stream per session of the network's
    /// session column (window and recurrent models), auto judged on the validation rows training held out.
    /// </summary>
    private static Model WithPrecision(Network n, Dataset train, PrecisionMode mode) =>
        PrecisionChoice.Quantize(n, train, new QuantizeOptions { SessionColumn = n.SessionColumn }, mode, out _).Model;

    /// <summary>Float vs the automatic precision choice (judged on the validation rows training held out), every layer int8, every layer 16-bit, every dense layer 16x16.</summary>
    public static IReadOnlyList<QuantizedVariant> Precisions { get; } =
    [
        new QuantizedVariant { Name = "auto", Description = "the quantizer's default: the automatic precision choice (docs/quantization.md)", Build = (n, train, _) => WithPrecision(n, train, PrecisionMode.Auto) },
        new QuantizedVariant { Name = "int8", Description = "every layer int8", Build = (n, train, _) => WithPrecision(n, train, PrecisionMode.Int8) },
        new QuantizedVariant { Name = "int16", Description = "every layer 16-bit (table activations stay int8)", Build = (n, train, _) => WithPrecision(n, train, PrecisionMode.Int16) },
        new QuantizedVariant { Name = "int16x16", Description = "every dense layer 16x16 (16-bit activations and weights, int64 sums), other layers as int16", Build = (n, train, _) => WithPrecision(n, train, PrecisionMode.Int16x16) },
    ];

    /// <summary>The QAT column (issue #18): not available until its hook is set here.</summary>
    public static QuantizedVariant Qat { get; } = new()
    {
        Name = "qat", Description = "quantization-aware fine-tuning with the precisions the automatic choice makes before it (int8, 16-bit where it picks 16), then the default quantizer (those precisions and the fine-tuned ranges)",
        Build = QatBenchmark.FineTunedModel,
    };

    /// <summary>Every quantized column: the precisions, then QAT.</summary>
    public static IReadOnlyList<QuantizedVariant> All => [.. Precisions, Qat];
}
