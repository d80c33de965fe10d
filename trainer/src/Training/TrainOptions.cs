using EdgeNet.Layers;

namespace EdgeNet.Trainer.Training;

public enum Loss { CrossEntropy, Quadratic }
public enum OptimizerKind { Adam, Sgd, Momentum }
public enum InitKind { He, Xavier, Uniform }

/// <summary>
/// What early stopping minimizes on the validation rows. Loss: the mean loss over rows. BalancedLoss: the mean
/// over classes of each class's mean loss, so a rare class counts as much as a frequent one (with plain loss a
/// 78 % class decides the epoch and rare classes are lost; balanced accuracy itself is too coarse when a class
/// has one validation row). Equal to Loss when the classes are balanced.
/// </summary>
public enum StoppingCriterion { Loss, BalancedLoss }

/// <summary>How to train. The defaults are the "default MLP" every benchmark figure uses.</summary>
public sealed class TrainOptions
{
    /// <summary>The window a spec whose first layer reads a sequence gets when <see cref="Window"/> is 0.</summary>
    public const int DefaultWindow = 8;

    /// <summary>Units of each hidden layer (the dense stack used when <see cref="Layers"/> is null).</summary>
    public int[] Hidden = { 32 };
    public Activation HiddenActivation = Activation.Relu;

    /// <summary>
    /// The layers before the output layer as a <see cref="LayerSpec"/> ("conv1d:8k3,relu,maxpool:2,dense:32,relu");
    /// null = dense layers of <see cref="Hidden"/> units with <see cref="HiddenActivation"/>.
    /// </summary>
    public string Layers;

    /// <summary>
    /// Readings per sample (the first layer's input steps; for a recurrent first layer, the BPTT length).
    /// 0 = 1 when the first layer is dense (an MLP on the current reading), else <see cref="DefaultWindow"/>.
    /// </summary>
    public int Window;

    /// <summary>
    /// A column (neither feature nor label) whose value changes where a new recording starts: windows and
    /// recurrent state reset there (<see cref="Data.Dataset.SessionStarts"/>). Null = the rows are one stream.
    /// </summary>
    public string SessionColumn;

    /// <summary>The layer spec in effect: <see cref="Layers"/>, or the dense stack of <see cref="Hidden"/>.</summary>
    public string EffectiveLayers => Layers ?? LayerSpec.Dense(Hidden, HiddenActivation);

    /// <summary>The window in effect (see <see cref="Window"/>).</summary>
    public int EffectiveWindow => Window > 0 ? Window : LayerSpec.FirstLayerNeedsWindow(EffectiveLayers) ? DefaultWindow : 1;

    /// <summary>Softmax cross-entropy (output layer identity = logits) or quadratic error (seed article).</summary>
    public Loss Loss = Loss.CrossEntropy;

    /// <summary>The output layer's activation; null = identity for cross-entropy, sigmoid for quadratic error.</summary>
    public Activation? OutputActivation;

    public OptimizerKind Optimizer = OptimizerKind.Adam;

    /// <summary>Step size; 0 = the optimizer's usual default (Adam 0.003, SGD 0.05, momentum 0.02).</summary>
    public float LearningRate;

    /// <summary>Momentum coefficient (SGD with momentum; also Adam's beta1 is fixed at 0.9).</summary>
    public float Momentum = 0.9f;

    public int Epochs = 200;
    public int BatchSize = 32;
    public int Seed = 1;

    /// <summary>Initialization of the weights; biases start at 0. He suits ReLU, Xavier sigmoid/tanh.</summary>
    public InitKind Init = InitKind.He;

    /// <summary>
    /// L2 penalty on weights (not biases): adds L2 * w to each weight's gradient. This default, the cap, the
    /// stopping criterion and the patience are the candidate that 3-fold cross-validation on the training rows
    /// chose (`edgenet bench hyperparameters`, benchmarks/results/hyperparameters.md; test rows never read).
    /// </summary>
    public float L2 = 1e-4f;

    /// <summary>
    /// Caps the L2 penalty at this factor times the rarest class's share of the training rows, so weight
    /// decay cannot erase a rare class (see <see cref="Trainer.EffectiveL2"/>); 0 = no cap.
    /// </summary>
    public float MaxL2PerRarestShare = 0.1f;

    /// <summary>
    /// Stop after this many epochs without a better validation score (0 = never stop early). 50, not 25, by
    /// cross-validation on the training rows (see <see cref="L2"/>): with a class of one or two validation rows
    /// the balanced loss is noisy, and shuttle's rare classes are learned late.
    /// </summary>
    public int Patience = 50;

    /// <summary>The validation figure early stopping (and the choice of the returned epoch) minimizes.</summary>
    public StoppingCriterion Stopping = StoppingCriterion.BalancedLoss;

    /// <summary>Weight each class by rows / (classes * rows of the class) in the loss (imbalanced data).</summary>
    public bool ClassWeights;

    /// <summary>Share of the training rows held out (stratified) for early stopping; 0 = none.</summary>
    public double ValidationFraction = 0.1;

    /// <summary>
    /// Train-time input clipping: each feature's raw value is clamped to its [q, 1 - q] quantiles over the fit
    /// rows, in training and in every float inference, and the quantized input range is exactly that range, so
    /// the device's input saturation reproduces the clamp. Only where the device can (window 1, not streaming,
    /// a first layer that absorbs the per-feature fold); 0 = off. q = 1e-3 was chosen on validation rows
    /// (docs/training.md, "Input clipping").
    /// </summary>
    public double InputClip = 1e-3;

    /// <summary>
    /// Fewest validation rows per class early stopping needs; below it there is no validation split and no
    /// early stopping (<see cref="ValidationRule"/>). 0 = always use the validation split.
    /// </summary>
    public int MinValidationRowsPerClass = ValidationRule.MinRowsPerClass;

    /// <summary>
    /// Quantization-aware fine-tuning epochs after the float training (0 = none): the kept float network is
    /// trained further with the exported int8 model in the forward pass (<see cref="Quantization.QuantizedForward"/>)
    /// and straight-through gradients, at <see cref="QatLearningRateFactor"/> times the learning rate.
    /// </summary>
    public int QatEpochs;

    /// <summary>
    /// The fine-tuning's learning rate as a share of <see cref="EffectiveLearningRate"/>. 0.01 was chosen on validation rows
    /// (shuttle, gas-drift-b9, satellite, 2 seeds, 10 epochs: int8 validation balanced accuracy +0.31 pt over PTQ on
    /// average, against +0.06 with 0.03 and -0.01 with 0.003; benchmarks/results/qat-tuning-lr*.md).
    /// </summary>
    public float QatLearningRateFactor = 0.01f;

    /// <summary>
    /// The per-layer activation precision the fine-tuning trains with and the export then uses (`--precision`, as
    /// quantize takes it): Auto = <see cref="Quantization.PrecisionChoice"/> on the validation rows, decided once on
    /// the float network before the first fine-tuning epoch and kept (the model stores it).
    /// </summary>
    public Quantization.PrecisionMode QatPrecision = Quantization.PrecisionMode.Auto;

    public float EffectiveLearningRate => LearningRate > 0 ? LearningRate : Optimizer switch
    {
        OptimizerKind.Adam => 0.003f,
        OptimizerKind.Momentum => 0.02f,
        _ => 0.05f,
    };

    /// <summary>Epochs of the fine-tuning whose ranges are recalibrated first; the later ones keep them frozen (half, rounded up).</summary>
    public int QatCalibratedEpochs => (QatEpochs + 1) / 2;

    public TrainOptions Clone()
    {
        var o = (TrainOptions)MemberwiseClone();
        o.Hidden = (int[])Hidden.Clone();
        return o;
    }
}

/// <summary>Figures of one training epoch.</summary>
public sealed class EpochStats
{
    public int Epoch;
    public double TrainLoss;
    public double TrainAccuracy;
    /// <summary>NaN when there is no validation split.</summary>
    public double ValidationLoss = double.NaN;
    public double ValidationAccuracy = double.NaN;
    /// <summary>Mean over classes of each class's mean validation loss; NaN without validation.</summary>
    public double ValidationBalancedLoss = double.NaN;
    /// <summary>Mean per-class recall on the validation rows; NaN without validation.</summary>
    public double ValidationBalancedAccuracy = double.NaN;
    /// <summary>Fine-tuning epochs: share of the validation rows where the quantized model predicts the float network's (before fine-tuning) class; NaN otherwise.</summary>
    public double ValidationAgreement = double.NaN;
    /// <summary>The figure the best epoch is chosen on (lowest wins; <see cref="TrainResult.SelectedOn"/> names it).</summary>
    public double SelectionScore = double.NaN;
    /// <summary>Wall time of the epoch.</summary>
    public double Seconds;
    /// <summary>True for a quantization-aware fine-tuning epoch (its figures are the int8 model's).</summary>
    public bool Quantized;
}
