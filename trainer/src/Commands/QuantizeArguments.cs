using System.CommandLine;
using EdgeNet.Trainer.Quantization;

namespace EdgeNet.Trainer.Commands;

/// <summary>Calibration options shared by quantize, evaluate and bench.</summary>
public sealed class QuantizeArguments
{
    private static readonly QuantizeOptions Defaults = new();

    public readonly Option<Calibration> Calibration = new("--calibration") { Description = "How activation ranges are calibrated on the training rows", DefaultValueFactory = _ => Defaults.Calibration };
    public readonly Option<double> Percentile = new("--percentile") { Description = "Percentile kept by --calibration percentile", DefaultValueFactory = _ => Defaults.Percentile };

    public readonly Option<PrecisionMode> Precision = new("--precision")
    {
        Description = "Width per layer: auto (per layer from the input the narrowest of int8, int16 (16-bit activations, int8 weights) and int16x16 (16-bit weights too, dense layers) with which the validation rows show, with 95 % confidence and on every class, that the model still agrees with float on >= 99.5 % of rows; the widest without validation rows), int8, int16 or int16x16 (every dense layer 16x16, other layers as int16)",
        DefaultValueFactory = _ => PrecisionMode.Auto,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Calibration);
        command.Options.Add(Percentile);
        command.Options.Add(Precision);
    }

    /// <summary>
    /// --precision; when not given and fineTuned has the ranges of a quantization-aware fine-tuning (which will be
    /// used), the mode it was fine-tuned with, so the default exports the model it trained.
    /// </summary>
    public PrecisionMode PrecisionOf(ParseResult parsed, Training.Network fineTuned = null) =>
        fineTuned?.QuantizationRanges != null && parsed.GetResult(Precision) is null or { Implicit: true }
            ? fineTuned.QuantizationPrecisionMode : parsed.GetValue(Precision);

    public QuantizeOptions Resolve(ParseResult parsed)
    {
        double p = parsed.GetValue(Percentile);
        if (!(p > 50 && p <= 100)) throw new CliException("--percentile must be in (50, 100]", ExitCodes.Usage);
        return new QuantizeOptions { Calibration = parsed.GetValue(Calibration), Percentile = p };
    }
}
