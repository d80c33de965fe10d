using System.Diagnostics;
using EdgeNet.Layers;
using EdgeNet.Quantization;
using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Quantization;
using EdgeNet.Trainer.Training.Layers;
using EdgeNet.Trainer.Training.Optimizers;

namespace EdgeNet.Trainer.Training;

/// <summary>What training produced: the network (at its best validation epoch), the history, that epoch.</summary>
public sealed class TrainResult
{
    public Network Network;
    public List<EpochStats> History = new();

    /// <summary>The epoch whose parameters the network holds (the best on validation; the last one without a validation split).</summary>
    public int BestEpoch;

    /// <summary>Rows trained on and rows held out for validation.</summary>
    public int TrainRows, ValidationRows;

    /// <summary>The L2 penalty applied: the option, capped by <see cref="Trainer.EffectiveL2"/>.</summary>
    public float L2;

    /// <summary>The quantity the best epoch was chosen on (<see cref="ValidationRule.SelectedOn"/>).</summary>
    public string SelectedOn;

    /// <summary>Why the validation split was not used (too few rows per class), or null.</summary>
    public string SelectionNotice;

    /// <summary>
    /// With quantization-aware fine-tuning: the training file's row index of each validation sample and the
    /// quantized outputs (the output layer's integers, int8 or int16, flat, OutputLength per row) the fine-tuning's
    /// forward pass gave them at the kept epoch. Null otherwise.
    /// </summary>
    public int[] ValidationRowIndices;
    public int[] QuantizedValidationOutputs;

    /// <summary>With fine-tuning: the per-layer precisions it trained with, chosen before it (<see cref="TrainOptions.QatPrecision"/>).</summary>
    public PrecisionReport Precision;

    /// <summary>With fine-tuning: the float network before it (the one post-training quantization would export).</summary>
    public Network FloatNetwork;

    /// <summary>With fine-tuning: the int8 validation figures of the float network quantized before fine-tuning (its epoch 0).</summary>
    public EpochStats QuantizedBaseline;
}

/// <summary>
/// The training loop, for every network type: mini-batch backpropagation (through time, for a recurrent first
/// layer) over the network's samples (<see cref="SequenceSet"/>: an MLP's sample is one row, a window model's
/// the last N rows of the session), with a stratified validation split, early stopping, the capped L2 and class
/// weights alike for all, then optionally quantization-aware fine-tuning (<see cref="FineTune"/>). Deterministic for a seed: the validation split, the initial
/// weights and every epoch's shuffle come from generators seeded by it, and the arithmetic runs on one
/// thread. All buffers are allocated before the first epoch; a training step allocates nothing.
/// </summary>
public static class Trainer
{
    public static TrainResult Train(Dataset train, TrainOptions options, Action<EpochStats> onEpoch = null)
    {
        options ??= new TrainOptions();
        Validate(options);
        if (train.Count == 0) throw new DataException(train.SourceFile, 0, null, "no training rows");
        train.RequireEveryClass("training data");
        bool[] sessions = train.SessionStarts(options.SessionColumn);

        var (fitRows, validationRows, tooSmall) = HoldOut(train, options);
        Dataset fit = validationRows != null ? train.Subset(fitRows) : train;

        var net = Build(train, null, options);
        net.Normalization = ClipsInput(net) ? Normalization.FitClipped(fit, options.InputClip) : Normalization.Fit(fit);
        net.SessionColumn = options.SessionColumn;
        if (options.QatEpochs > 0 && net.Streaming) throw new ArgumentException(QuantizedForward.Unsupported);
        // Recorded so quantize --precision auto can judge on the same held-out rows.
        if (validationRows != null) (net.ValidationFraction, net.ValidationSeed) = (options.ValidationFraction, options.Seed);
        var rng = new Random(options.Seed);
        foreach (FloatLayer l in net.Layers) l.Initialize(rng, options.Init);
        SequenceSet samples = SequenceSet.Over(train, net.Normalization, net.Window, sessions); // batches read the rows (a store) in place

        float l2 = EffectiveL2(options, fit.ClassCounts());
        var session = new Session(net, samples, fitRows, validationRows, fit.ClassCounts(), options, l2);
        var result = new TrainResult
        {
            Network = net, TrainRows = fitRows.Length, ValidationRows = validationRows?.Length ?? 0, L2 = l2,
            SelectedOn = ValidationRule.SelectedOn(validationRows != null, options.Stopping), SelectionNotice = tooSmall,
        };
        double bestLoss = double.PositiveInfinity;
        float[][] best = net.Layers.Select(l => (float[])l.Parameters.Clone()).ToArray();
        int sinceBest = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var stats = session.RunEpoch(epoch, rng, null);
            if (validationRows != null) session.Evaluate(null, stats);
            stats.Seconds = clock.Elapsed.TotalSeconds;
            result.History.Add(stats);
            onEpoch?.Invoke(stats);

            double score = validationRows == null ? 0
                : options.Stopping == StoppingCriterion.BalancedLoss ? stats.ValidationBalancedLoss : stats.ValidationLoss;
            stats.SelectionScore = score;
            if (double.IsNaN(stats.TrainLoss)) throw new InvalidOperationException($"training diverged at epoch {epoch} (loss is NaN); lower the learning rate");
            // Without validation rows there is nothing to choose an epoch by: the last one is kept.
            if (validationRows == null || score < bestLoss - 1e-7)
            {
                bestLoss = score;
                result.BestEpoch = epoch;
                for (int i = 0; i < best.Length; i++) Array.Copy(net.Layers[i].Parameters, best[i], best[i].Length);
                sinceBest = 0;
            }
            else if (options.Patience > 0 && validationRows != null && ++sinceBest >= options.Patience)
            {
                break;
            }
        }
        for (int i = 0; i < best.Length; i++) Array.Copy(best[i], net.Layers[i].Parameters, best[i].Length);
        if (options.QatEpochs > 0)
        {
            result.FloatNetwork = net.Copy();
            FineTuneInPlace(net, train, sessions, fitRows, validationRows, options, result, onEpoch);
        }
        return result;
    }

    /// <summary>
    /// The validation rows, held out by row (stratified), and the rows trained on; no validation rows (and the
    /// reason) when there are too few per class. Every row's sample is its window of the stream, so a window may
    /// read rows of the other side as context, but no row is trained on and validated on.
    /// </summary>
    private static (int[] Fit, int[] Validation, string TooSmall) HoldOut(Dataset train, TrainOptions options)
    {
        int[] fitRows = Enumerable.Range(0, train.Count).ToArray(), validationRows = null;
        if (options.ValidationFraction > 0)
        {
            (fitRows, validationRows) = Splits.ValidationRows(train, options.ValidationFraction, options.Seed);
            if (validationRows.Length == 0) validationRows = null;
        }
        string tooSmall = validationRows == null ? null : ValidationRule.TooSmall(train.Subset(validationRows), train, options);
        if (tooSmall != null) (fitRows, validationRows) = (Enumerable.Range(0, train.Count).ToArray(), null);
        return (fitRows, validationRows, tooSmall);
    }

    /// <summary>
    /// Quantization-aware fine-tuning of an already trained float network (a copy; the given one is unchanged) on
    /// the rows it was trained on, with the options it was trained with (the same validation rows for the seed):
    /// what <see cref="Train"/> does after the float epochs when <see cref="TrainOptions.QatEpochs"/> is positive.
    /// Epochs are numbered from 1; <see cref="TrainResult.BestEpoch"/> 0 means the network quantized as is was kept.
    /// </summary>
    public static TrainResult FineTune(Network trained, Dataset train, TrainOptions options, Action<EpochStats> onEpoch = null)
    {
        Validate(options);
        if (options.QatEpochs <= 0) throw new ArgumentException("fine-tuning needs QatEpochs > 0");
        if (trained.Streaming) throw new ArgumentException(QuantizedForward.Unsupported);
        PostTraining.CheckFeatures(trained, train);
        bool[] sessions = train.SessionStarts(options.SessionColumn);
        var (fitRows, validationRows, tooSmall) = HoldOut(train, options);
        Network net = trained.Copy();
        (net.QuantizationRanges, net.QuantizationPrecisions, net.QuantizationWideWeights) = (null, null, null);
        Dataset fit = validationRows != null ? train.Subset(fitRows) : train;
        var result = new TrainResult
        {
            Network = net, FloatNetwork = trained, TrainRows = fitRows.Length, ValidationRows = validationRows?.Length ?? 0,
            L2 = EffectiveL2(options, fit.ClassCounts()), SelectedOn = ValidationRule.SelectedOn(validationRows != null, options.Stopping),
            SelectionNotice = tooSmall,
        };
        FineTuneInPlace(net, train, sessions, fitRows, validationRows, options, result, onEpoch);
        return result;
    }

    /// <summary>
    /// Quantization-aware fine-tuning of the kept float network, the usual practice (not training from scratch):
    /// <see cref="TrainOptions.QatEpochs"/> epochs at <see cref="TrainOptions.QatLearningRateFactor"/> times the
    /// learning rate (a fresh optimizer), each batch's forward pass the quantized model the export rule builds from
    /// the current weights (<see cref="QuantizedForward"/>), gradients straight through. Each layer's precision is
    /// what the export will use: <see cref="TrainOptions.QatPrecision"/>, with Auto the precision choice
    /// (<see cref="PrecisionChoice"/>, judged on the validation rows against the float network) made once, before
    /// the first epoch, and kept: re-deciding later would export precisions the fine-tuning never ran, and epoch 0
    /// stays exactly the post-training model `quantize` would export. The ranges are calibrated
    /// by the export rule on the training rows before each of the first <see cref="TrainOptions.QatCalibratedEpochs"/>
    /// epochs and frozen after, so the last epochs fit the ranges they will be exported with. Candidates are the
    /// float network quantized as is (epoch 0, post-training quantization) and every fine-tuned epoch; the kept one
    /// has the best quantized validation score (the last one without validation rows), and its ranges go into the
    /// network (<see cref="Network.QuantizationRanges"/>, with the precisions), so `quantize` exports exactly the model chosen here.
    /// A fine-tuned epoch is a candidate only if its quantized model agrees with the float network on the validation
    /// rows at least as often as epoch 0 does: the fine-tuning is there to keep the exported model close to the
    /// float one (the target, agreement at least post-training quantization's), and the validation loss alone
    /// may trade agreement for fitting the labels.
    /// </summary>
    private static void FineTuneInPlace(Network net, Dataset train, bool[] sessions, int[] fitRows, int[] validationRows, TrainOptions options, TrainResult result, Action<EpochStats> onEpoch)
    {
        // Its own session and generator (seeded from the seed): the same fine-tuning whether it follows the float
        // epochs in Train or starts from a saved network.
        var session = new Session(net, SequenceSet.Over(train, net.Normalization, net.Window, sessions), fitRows, validationRows,
            (validationRows != null ? train.Subset(fitRows) : train).ClassCounts(), options, result.L2);
        var rng = new Random(unchecked(options.Seed * 31 + 18));
        var forward = new QuantizedForward(net, train, sessions);
        var calibration = new QuantizeOptions { SessionColumn = options.SessionColumn, UseTrainedRanges = false };
        PrecisionChoice.Quantize(net, train, validationRows, calibration, options.QatPrecision, out PrecisionReport precision);
        precision.JudgedOn = validationRows != null ? "validation rows held out in training" : "training rows (no validation split)";
        result.Precision = precision;
        (forward.Precisions, calibration.LayerPrecisions) = (precision.Precisions, precision.Precisions);
        (forward.WideWeights, calibration.WideWeights) = (precision.WideWeights, precision.WideWeights);
        (net.QuantizationPrecisions, net.QuantizationWideWeights, net.QuantizationPrecisionMode) = (precision.Precisions, precision.WideWeights, options.QatPrecision);
        bool validation = result.ValidationRows > 0;
        session.StartFineTuning(options);
        float[][] best = net.Layers.Select(l => (float[])l.Parameters.Clone()).ToArray();
        int first = result.History.Count == 0 ? 0 : result.History[^1].Epoch;
        double bestScore = double.PositiveInfinity, baselineAgreement = double.NaN;
        if (validation) session.RecordFloatClasses();
        for (int e = 0; e <= options.QatEpochs; e++)
        {
            var clock = Stopwatch.StartNew();
            if (e <= options.QatCalibratedEpochs) forward.Ranges = PostTraining.Calibrate(net, train, sessions, calibration);
            EpochStats stats = e == 0 ? new EpochStats { Epoch = first } : session.RunEpoch(first + e, rng, forward);
            stats.Quantized = true;
            if (double.IsNaN(stats.TrainLoss)) throw new InvalidOperationException($"quantization-aware fine-tuning diverged at epoch {first + e} (loss is NaN); lower --qat-lr-factor");
            forward.Rebuild();
            if (validation) session.Evaluate(forward, stats);
            stats.Seconds = clock.Elapsed.TotalSeconds;
            if (e > 0)
            {
                result.History.Add(stats);
                onEpoch?.Invoke(stats);
            }
            else result.QuantizedBaseline = stats;
            double score = !validation ? 0 : options.Stopping == StoppingCriterion.BalancedLoss ? stats.ValidationBalancedLoss : stats.ValidationLoss;
            if (e > 0) stats.SelectionScore = score;
            else baselineAgreement = stats.ValidationAgreement;
            if (!validation || score < bestScore - 1e-7 && (e == 0 || stats.ValidationAgreement >= baselineAgreement))
            {
                bestScore = score;
                if (e > 0) result.BestEpoch = first + e; // epoch 0 keeps the float training's best epoch
                for (int i = 0; i < best.Length; i++) Array.Copy(net.Layers[i].Parameters, best[i], best[i].Length);
                net.QuantizationRanges = forward.Ranges.Clone();
                (result.ValidationRowIndices, result.QuantizedValidationOutputs) = session.LastQuantizedValidation();
            }
        }
        for (int i = 0; i < best.Length; i++) Array.Copy(best[i], net.Layers[i].Parameters, best[i].Length);
    }

    /// <summary>
    /// The L2 penalty to train with: <see cref="TrainOptions.L2"/>, but at most
    /// <see cref="TrainOptions.MaxL2PerRarestShare"/> times the rarest class's share of the rows (0 = no cap).
    /// The gradient is a mean over rows, so a class pulls on the weights with about its share of the rows,
    /// while weight decay pulls every weight towards 0 with strength L2: a class rarer than L2 (shuttle: 5 of
    /// 39,150 rows = 1.3e-4 against L2 1e-3) is decayed away and never predicted. With classes of at least
    /// 1 % of the rows and the default factor 0.1 the cap is not reached.
    /// </summary>
    public static float EffectiveL2(TrainOptions o, int[] classCounts)
    {
        if (o.MaxL2PerRarestShare <= 0 || o.L2 <= 0) return o.L2;
        long rows = 0;
        int rarest = int.MaxValue;
        foreach (int n in classCounts)
        {
            rows += n;
            if (n > 0) rarest = Math.Min(rarest, n);
        }
        if (rows == 0) return o.L2;
        return (float)Math.Min(o.L2, o.MaxL2PerRarestShare * rarest / rows);
    }

    private static void Validate(TrainOptions o)
    {
        if (o.Layers == null && (o.Hidden == null || o.Hidden.Any(h => h <= 0))) throw new ArgumentException("hidden layer sizes must be positive");
        if (o.Window < 0) throw new ArgumentException("the window must be 0 (automatic) or positive");
        if (o.Epochs <= 0) throw new ArgumentException("epochs must be positive");
        if (o.BatchSize <= 0) throw new ArgumentException("batch size must be positive");
        if (o.L2 < 0) throw new ArgumentException("L2 must be >= 0");
        if (o.MaxL2PerRarestShare < 0) throw new ArgumentException("the L2 cap factor must be >= 0");
        if (o.ValidationFraction < 0 || o.ValidationFraction >= 1) throw new ArgumentException("validation fraction must be in [0, 1)");
        if (!(o.InputClip >= 0 && o.InputClip < 0.5)) throw new ArgumentException("the input clip quantile must be in [0, 0.5)");
        if (o.Layers == null && o.HiddenActivation == Activation.Step) throw new ArgumentException("step has no gradient; backpropagation cannot train it");
        if (o.QatEpochs < 0) throw new ArgumentException("quantization-aware epochs must be >= 0");
        if (!(o.QatLearningRateFactor > 0)) throw new ArgumentException("the quantization-aware learning rate factor must be positive");
    }

    /// <summary>
    /// True when the device reproduces a per-feature input clamp for this network: its input is one reading
    /// (window 1, not streaming) and the first layer absorbs the per-feature input fold, so each feature gets
    /// its own quantized range and saturates at its bounds. A window or streaming model's input is not folded.
    /// </summary>
    public static bool ClipsInput(Network net)
    {
        if (net.Window != 1 || net.Streaming) return false;
        int f = net.Layers[0].InputChannels;
        var one = new float[f];
        Array.Fill(one, 1f);
        return net.Layers[0].Clone().FoldInputAffine(one, new float[f]);
    }

    /// <summary>
    /// The network of the options' layer spec (<see cref="TrainOptions.EffectiveLayers"/>) over windows of
    /// <see cref="TrainOptions.EffectiveWindow"/> readings, then one output unit per class.
    /// </summary>
    public static Network Build(Dataset data, Normalization normalization, TrainOptions o)
    {
        Activation output = o.OutputActivation ?? (o.Loss == Loss.CrossEntropy ? Activation.Identity : Activation.Sigmoid);
        FloatLayer[] layers = LayerSpec.Build(o.EffectiveLayers, o.EffectiveWindow, data.FeatureCount, data.ClassCount, output);
        return new Network
        {
            Name = data.Name, Normalization = normalization, Layers = layers,
            FeatureNames = data.FeatureNames, ClassLabels = data.ClassLabels, Loss = o.Loss,
        };
    }

    /// <summary>The buffers and state of one training run.</summary>
    private sealed class Session
    {
        private readonly Network _net;
        private readonly FloatLayer[] _layers;
        private readonly TrainOptions _o;
        private readonly float _l2;
        private readonly LossFunction _loss;
        private Optimizer _optimizer;
        private readonly SequenceSet _samples; // every row's sample, made batch by batch from the rows
        private readonly int[] _fit, _validation; // the samples trained on and validated on (null without validation)
        private readonly int[] _y;
        private readonly int[] _vy;
        private readonly float[] _classWeight;
        private readonly int[] _order;
        private readonly int _batch;
        private readonly float[][] _act;    // _act[0] = input batch, _act[l + 1] = layer l output
        private readonly float[][] _grad;   // _grad[l + 1] = dL/d(layer l output); _grad[0] unused (null)
        private readonly int[] _batchRows;                 // fine-tuning: the batch's rows (the quantized forward reads raw rows)
        private readonly float[][] _saturated;              // fine-tuning: 1 where a layer's quantized output hit its grid's limit
        private readonly int[] _validationQuantized;       // fine-tuning: the last quantized validation outputs
        private readonly int[] _quantizedScratch;
        private readonly double[] _classLoss;       // validation: per-class loss sums, correct rows, rows
        private readonly int[] _classCorrect, _classRows;
        private int[] _floatClasses;                // fine-tuning: the float network's validation classes before it
        private bool _recordingFloat;
        private readonly bool _allDescend;          // every layer has a fused backward-and-step (FloatLayer.BackwardDescend)

        public Session(Network net, SequenceSet samples, int[] fitRows, int[] validationRows, int[] counts, TrainOptions o, float l2)
        {
            _l2 = l2;
            _net = net;
            _layers = net.Layers;
            _o = o;
            _loss = LossFunction.For(o.Loss);
            _optimizer = Optimizer.Create(o);
            int f = net.InputLength;
            (_samples, _fit, _validation) = (samples, fitRows, validationRows);
            _y = Labels(samples, fitRows);
            if (validationRows != null) _vy = Labels(samples, validationRows);
            int fitCount = fitRows.Length;
            _order = Enumerable.Range(0, fitCount).ToArray();
            _batch = Math.Min(o.BatchSize, fitCount);
            int maxBatch = Math.Max(_batch, 256);
            _act = new float[_layers.Length + 1][];
            _grad = new float[_layers.Length + 1][];
            _act[0] = new float[maxBatch * f];
            for (int l = 0; l < _layers.Length; l++)
            {
                _act[l + 1] = new float[maxBatch * _layers[l].OutputLength];
                _grad[l + 1] = new float[maxBatch * _layers[l].OutputLength];
            }
            _classWeight = new float[net.ClassLabels.Length];
            for (int c = 0; c < counts.Length; c++)
                _classWeight[c] = !o.ClassWeights ? 1f : counts[c] == 0 ? 0f : (float)fitCount / (counts.Length * counts[c]);
            _batchRows = new int[maxBatch];
            _saturated = new float[_layers.Length + 1][];
            for (int l = 0; l < _layers.Length && o.QatEpochs > 0; l++) _saturated[l + 1] = new float[maxBatch * _layers[l].OutputLength];
            if (o.QatEpochs > 0 && validationRows != null) _validationQuantized = new int[validationRows.Length * net.OutputLength];
            _quantizedScratch = new int[maxBatch * net.OutputLength];
            _classLoss = new double[net.ClassLabels.Length];
            _classCorrect = new int[net.ClassLabels.Length];
            _classRows = new int[net.ClassLabels.Length];
            _allDescend = _layers.All(l => l.HasFusedDescent);
        }

        /// <summary>The labels of the given samples.</summary>
        private static int[] Labels(SequenceSet samples, int[] rows)
        {
            var y = new int[rows.Length];
            for (int i = 0; i < rows.Length; i++) y[i] = samples.Y[rows[i]];
            return y;
        }

        /// <summary>Before fine-tuning: the float network's class of each validation row, which quantized epochs' agreement counts against.</summary>
        public void RecordFloatClasses()
        {
            _floatClasses = new int[_vy.Length];
            _recordingFloat = true;
            Evaluate(null, new EpochStats());
            _recordingFloat = false;
        }

        /// <summary>Fine-tuning starts: a fresh optimizer at the reduced learning rate.</summary>
        public void StartFineTuning(TrainOptions o)
        {
            TrainOptions fine = o.Clone();
            fine.LearningRate = o.EffectiveLearningRate * o.QatLearningRateFactor;
            _optimizer = Optimizer.Create(fine);
        }

        /// <summary>The validation rows and their quantized outputs of the last quantized <see cref="Evaluate"/> (copies).</summary>
        public (int[] Rows, int[] Outputs) LastQuantizedValidation() =>
            _validationQuantized == null ? (null, null) : ((int[])_validation.Clone(), (int[])_validationQuantized.Clone());

        /// <summary>One epoch over the shuffled fit rows; quantized null = float forward, else the quantized model's (fine-tuning).</summary>
        public EpochStats RunEpoch(int epoch, Random rng, QuantizedForward quantized)
        {
            BatchOrder.Shuffle(_order, rng); // the run's generator: the same seed gives the same batches
            int f = _net.InputLength;
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < _order.Length; start += _batch)
            {
                int batch = Math.Min(_batch, _order.Length - start);
                if (quantized == null)
                {
                    for (int b = 0; b < batch; b++) _samples.CopySample(_fit[_order[start + b]], _act[0].AsSpan(b * f, f));
                    for (int l = 0; l < _layers.Length; l++) _layers[l].Forward(_act[l], _act[l + 1], batch);
                }
                else
                {
                    // The quantized model of the current weights; straight-through: the float backward pass below
                    // takes its dequantized activations as if the rounding were the identity inside the grid,
                    // and passes no gradient where an output saturated (pushing it further changes nothing).
                    for (int b = 0; b < batch; b++) _batchRows[b] = _fit[_order[start + b]];
                    quantized.Rebuild();
                    quantized.Run(_batchRows.AsSpan(0, batch), _act, null, _saturated);
                }
                int outs = _net.OutputLength;
                float[] y = _act[^1], g = _grad[^1];
                for (int b = 0; b < batch; b++)
                {
                    int label = _y[_order[start + b]];
                    var yb = y.AsSpan(b * outs, outs);
                    if (Network.ArgMax(yb) == label) correct++;
                    lossSum += _loss.Evaluate(yb, label, _classWeight[label], g.AsSpan(b * outs, outs));
                }
                // Incremental plain descent: each layer steps inside its backward pass (no gradient arrays to fill,
                // read and clear per row; the same arithmetic). Otherwise backward for all, then the optimizer.
                if (batch == 1 && quantized == null && _optimizer.PlainDescent(1f, _l2, out float step) && BackwardDescend(step)) continue;
                for (int l = _layers.Length - 1; l >= 0; l--)
                {
                    if (quantized != null)
                    {
                        float[] gl = _grad[l + 1], sat = _saturated[l + 1];
                        for (int i = 0, n = batch * _layers[l].OutputLength; i < n; i++) if (sat[i] != 0) gl[i] = 0;
                    }
                    _layers[l].Backward(_act[l], _act[l + 1], _grad[l + 1], l == 0 ? null : _grad[l], batch);
                }
                _optimizer.Step(_layers, 1f / batch, _l2);
                foreach (FloatLayer layer in _layers) layer.ZeroGradients();
            }
            return new EpochStats { Epoch = epoch, TrainLoss = lossSum / _order.Length, TrainAccuracy = (double)correct / _order.Length };
        }

        /// <summary>Every layer's fused backward-and-step for one row, last layer first; false (nothing done) unless all have one.</summary>
        private bool BackwardDescend(float step)
        {
            if (!_allDescend) return false;
            for (int l = _layers.Length - 1; l >= 0; l--) _layers[l].BackwardDescend(_act[l], _act[l + 1], _grad[l + 1], l == 0 ? null : _grad[l], step);
            return true;
        }

        /// <summary>
        /// Validation figures of the current parameters: mean loss and accuracy over the rows, and their
        /// class-balanced forms (mean over the classes present of each class's mean loss / recall).
        /// Batched; parameters unchanged. quantized not null: of its last built quantized model (the outputs are kept).
        /// </summary>
        public void Evaluate(QuantizedForward quantized, EpochStats stats)
        {
            int f = _net.InputLength, outs = _net.OutputLength, max = _act[0].Length / f, count = _vy.Length;
            double lossSum = 0;
            int correct = 0, agree = 0;
            Array.Clear(_classLoss);
            Array.Clear(_classCorrect);
            Array.Clear(_classRows);
            float[] scratch = _grad[^1];
            for (int start = 0; start < count; start += max)
            {
                int batch = Math.Min(max, count - start);
                if (quantized == null)
                {
                    for (int b = 0; b < batch; b++) _samples.CopySample(_validation[start + b], _act[0].AsSpan(b * f, f));
                    for (int l = 0; l < _layers.Length; l++) _layers[l].Forward(_act[l], _act[l + 1], batch);
                }
                else
                {
                    quantized.Run(_validation.AsSpan(start, batch), _act, _quantizedScratch);
                    Array.Copy(_quantizedScratch, 0, _validationQuantized, start * outs, batch * outs);
                }
                for (int b = 0; b < batch; b++)
                {
                    int label = _vy[start + b];
                    var yb = _act[^1].AsSpan(b * outs, outs);
                    int predicted = Network.ArgMax(yb);
                    bool hit = predicted == label;
                    if (hit) { correct++; _classCorrect[label]++; }
                    if (_recordingFloat) _floatClasses[start + b] = predicted;
                    else if (quantized != null && _floatClasses != null && predicted == _floatClasses[start + b]) agree++;
                    double loss = _loss.Evaluate(yb, label, _classWeight[label], scratch.AsSpan(0, outs));
                    lossSum += loss;
                    _classLoss[label] += loss;
                    _classRows[label]++;
                }
            }
            double balancedLoss = 0, balancedAccuracy = 0;
            int present = 0;
            for (int c = 0; c < _classRows.Length; c++)
            {
                if (_classRows[c] == 0) continue;
                present++;
                balancedLoss += _classLoss[c] / _classRows[c];
                balancedAccuracy += (double)_classCorrect[c] / _classRows[c];
            }
            stats.ValidationLoss = lossSum / count;
            stats.ValidationAccuracy = (double)correct / count;
            stats.ValidationBalancedLoss = balancedLoss / present;
            stats.ValidationBalancedAccuracy = balancedAccuracy / present;
            if (quantized != null && _floatClasses != null) stats.ValidationAgreement = (double)agree / count;
        }
    }
}
