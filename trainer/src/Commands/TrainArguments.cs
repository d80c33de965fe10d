using System.CommandLine;
using EdgeNet.Layers;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.Commands;

/// <summary>The hyperparameter options; each defaults to <see cref="TrainOptions"/>'s own default.</summary>
public sealed class TrainArguments
{
    private static readonly TrainOptions Defaults = new();

    public readonly Option<string> Hidden = new("--hidden") { Description = "Hidden dense layer sizes, comma-separated (after the --network layers): shorthand for --layers dense:N,ACTIVATION,...", DefaultValueFactory = _ => string.Join(",", Defaults.Hidden) };
    public readonly Option<Activation> HiddenActivation = new("--activation") { Description = "Hidden layer activation", DefaultValueFactory = _ => Defaults.HiddenActivation };
    public readonly Option<Loss> Loss = new("--loss") { Description = "Loss function", DefaultValueFactory = _ => Defaults.Loss };
    public readonly Option<OptimizerKind> Optimizer = new("--optimizer") { Description = "Optimizer", DefaultValueFactory = _ => Defaults.Optimizer };
    public readonly Option<float> LearningRate = new("--learning-rate", "--lr") { Description = "Learning rate (0 = the optimizer's usual default)", DefaultValueFactory = _ => Defaults.LearningRate };
    public readonly Option<float> Momentum = new("--momentum") { Description = "Momentum (SGD with momentum)", DefaultValueFactory = _ => Defaults.Momentum };
    public readonly Option<int> Epochs = new("--epochs") { Description = "Most epochs to train", DefaultValueFactory = _ => Defaults.Epochs };
    public readonly Option<int> BatchSize = new("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => Defaults.BatchSize };
    public readonly Option<int> Seed = new("--seed") { Description = "Random seed (initialization, shuffling, validation split)", DefaultValueFactory = _ => Defaults.Seed };
    public readonly Option<InitKind> Init = new("--init") { Description = "Weight initialization", DefaultValueFactory = _ => Defaults.Init };
    public readonly Option<float> L2 = new("--l2") { Description = "L2 weight penalty", DefaultValueFactory = _ => Defaults.L2 };
    public readonly Option<int> Patience = new("--patience") { Description = "Early stopping: epochs without validation improvement (0 = off)", DefaultValueFactory = _ => Defaults.Patience };
    public readonly Option<StoppingCriterion> Stopping = new("--stopping") { Description = "Early stopping minimizes the validation loss or its class-balanced form (mean of per-class losses)", DefaultValueFactory = _ => Defaults.Stopping };
    public readonly Option<bool> ClassWeights = new("--class-weights") { Description = "Weight classes inversely to their frequency", DefaultValueFactory = _ => Defaults.ClassWeights };
    public readonly Option<double> Validation = new("--validation") { Description = "Share of training rows held out for validation / early stopping", DefaultValueFactory = _ => Defaults.ValidationFraction };
    public readonly Option<double> InputClip = new("--input-clip") { Description = "Clamp each feature's raw value to its [Q, 1-Q] quantiles over the fit rows, in training, float inference and the quantized input range (window-1, non-recurrent networks; 0 = off)", DefaultValueFactory = _ => Defaults.InputClip };
    public readonly Option<int> QatEpochs = new("--qat-epochs") { Description = "Quantization-aware fine-tuning epochs after the float training (the exported quantized model in the forward pass; 0 = none)", DefaultValueFactory = _ => Defaults.QatEpochs };
    public readonly Option<float> QatLearningRateFactor = new("--qat-lr-factor") { Description = "The fine-tuning's learning rate as a share of the training's", DefaultValueFactory = _ => Defaults.QatLearningRateFactor };
    public readonly Option<PrecisionMode> Precision = new("--precision")
    {
        Description = "With --qat-epochs: the activation precision per layer the fine-tuning trains and quantize exports: auto (chosen on the validation rows before fine-tuning, as quantize chooses), int8, int16 or int16x16 (16-bit weights in the dense layers)",
        DefaultValueFactory = _ => Defaults.QatPrecision,
    };

    // The old flag trained with fake quantization from scratch; it is refused with a pointer to the replacement
    // rather than silently meaning something else.
    private readonly Option<bool> _removedQat = new("--qat") { Hidden = true };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Hidden, HiddenActivation, Loss, Optimizer, LearningRate, Momentum, Epochs, BatchSize, Seed, Init, L2, Patience, Stopping, ClassWeights, Validation, InputClip, QatEpochs, QatLearningRateFactor, Precision, _removedQat })
            command.Options.Add(o);
    }

    public TrainOptions Resolve(ParseResult parsed)
    {
        var o = new TrainOptions
        {
            Hidden = ParseHidden(parsed.GetValue(Hidden)),
            HiddenActivation = parsed.GetValue(HiddenActivation),
            Loss = parsed.GetValue(Loss),
            Optimizer = parsed.GetValue(Optimizer),
            LearningRate = parsed.GetValue(LearningRate),
            Momentum = parsed.GetValue(Momentum),
            Epochs = parsed.GetValue(Epochs),
            BatchSize = parsed.GetValue(BatchSize),
            Seed = parsed.GetValue(Seed),
            Init = parsed.GetValue(Init),
            L2 = parsed.GetValue(L2),
            Patience = parsed.GetValue(Patience),
            Stopping = parsed.GetValue(Stopping),
            ClassWeights = parsed.GetValue(ClassWeights),
            ValidationFraction = parsed.GetValue(Validation),
            InputClip = parsed.GetValue(InputClip),
            QatEpochs = parsed.GetValue(QatEpochs),
            QatLearningRateFactor = parsed.GetValue(QatLearningRateFactor),
            QatPrecision = parsed.GetValue(Precision),
        };
        if (parsed.GetValue(_removedQat))
            throw new CliException("--qat was replaced by --qat-epochs N: quantization-aware fine-tuning of the trained float network (see docs/training.md)", ExitCodes.Usage);
        if (o.QatEpochs < 0) throw new CliException("--qat-epochs must be 0 (none) or positive", ExitCodes.Usage);
        if (!(o.QatLearningRateFactor > 0)) throw new CliException("--qat-lr-factor must be positive", ExitCodes.Usage);
        if (o.Epochs < 1) throw new CliException("--epochs must be at least 1", ExitCodes.Usage);
        if (o.BatchSize < 1) throw new CliException("--batch-size must be at least 1", ExitCodes.Usage);
        if (!(o.LearningRate >= 0)) throw new CliException("--learning-rate must be 0 (default) or positive", ExitCodes.Usage);
        if (o.ValidationFraction < 0 || o.ValidationFraction >= 1) throw new CliException("--validation must be in [0, 1)", ExitCodes.Usage);
        if (!(o.InputClip >= 0 && o.InputClip < 0.5)) throw new CliException("--input-clip must be in [0, 0.5)", ExitCodes.Usage);
        return o;
    }

    public static int[] ParseHidden(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out sizes[i]) || sizes[i] < 1 || sizes[i] > 4096)
                throw new CliException($"--hidden: '{parts[i]}' is not a layer size (1-4096)", ExitCodes.Usage);
        }
        return sizes;
    }
}
