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
}

/// <summary>
/// The training loop, for every network type: mini-batch backpropagation (through time, for a recurrent first
/// layer) over the network's samples (<see cref="SequenceSet"/>: an MLP's sample is one row, a window model's
/// the last N rows of the session), with a stratified validation split, early stopping, the capped L2, class
/// weights and quantization-aware training alike for all. Deterministic for a seed: the validation split, the initial
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

        // The validation rows are held out by row (stratified); every row's sample is its window of the
        // stream, so a window may read rows of the other side as context, but no row is trained on and
        // validated on.
        int[] fitRows = Enumerable.Range(0, train.Count).ToArray(), validationRows = null;
        if (options.ValidationFraction > 0)
        {
            (fitRows, validationRows) = Splits.ValidationRows(train, options.ValidationFraction, options.Seed);
            if (validationRows.Length == 0) validationRows = null;
        }
        string tooSmall = validationRows == null ? null : ValidationRule.TooSmall(train.Subset(validationRows), train, options);
        if (tooSmall != null) (fitRows, validationRows) = (Enumerable.Range(0, train.Count).ToArray(), null);
        Dataset fit = validationRows != null ? train.Subset(fitRows) : train;

        var net = Build(train, Normalization.Fit(fit), options);
        net.SessionColumn = options.SessionColumn;
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
            bool fake = options.QuantizationAware && epoch > options.QuantizationDelayEpochs;
            var stats = session.RunEpoch(epoch, rng, fake);
            if (validationRows != null) session.Evaluate(fake, stats);
            stats.Seconds = clock.Elapsed.TotalSeconds;
            result.History.Add(stats);
            onEpoch?.Invoke(stats);

            double score = validationRows == null ? 0
                : options.Stopping == StoppingCriterion.BalancedLoss ? stats.ValidationBalancedLoss : stats.ValidationLoss;
            stats.SelectionScore = score;
            // With QAT, only epochs trained with fake quantization may become the final model.
            bool eligible = !options.QuantizationAware || fake || options.QuantizationDelayEpochs >= options.Epochs;
            if (double.IsNaN(stats.TrainLoss)) throw new InvalidOperationException($"training diverged at epoch {epoch} (loss is NaN); lower the learning rate");
            // Without validation rows there is nothing to choose an epoch by: the last (eligible) one is kept.
            if (eligible && (validationRows == null || score < bestLoss - 1e-7))
            {
                bestLoss = score;
                result.BestEpoch = epoch;
                for (int i = 0; i < best.Length; i++) Array.Copy(net.Layers[i].Parameters, best[i], best[i].Length);
                sinceBest = 0;
            }
            else if (eligible && options.Patience > 0 && validationRows != null && ++sinceBest >= options.Patience)
            {
                break;
            }
        }
        for (int i = 0; i < best.Length; i++) Array.Copy(best[i], net.Layers[i].Parameters, best[i].Length);
        return result;
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
        if (o.Layers == null && o.HiddenActivation == Activation.Step) throw new ArgumentException("step has no gradient; backpropagation cannot train it");
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
        private readonly Optimizer _optimizer;
        private readonly SequenceSet _samples; // every row's sample, made batch by batch from the rows
        private readonly int[] _fit, _validation; // the samples trained on and validated on (null without validation)
        private readonly int[] _y;
        private readonly int[] _vy;
        private readonly float[] _classWeight;
        private readonly int[] _order;
        private readonly int _batch;
        private readonly float[][] _act;    // _act[0] = input batch, _act[l + 1] = layer l output
        private readonly float[][] _grad;   // _grad[l + 1] = dL/d(layer l output); _grad[0] unused (null)
        private readonly float[][] _master; // QAT: the float parameters while the layers hold fake-quantized ones
        private readonly QuantParams _inputRange;
        private readonly float[] _inputShift, _inputHalf, _inputScratch;
        private readonly double[] _outMin, _outMax; // QAT: running output ranges
        private readonly double[] _classLoss;       // validation: per-class loss sums, correct rows, rows
        private readonly int[] _classCorrect, _classRows;
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
            _master = _layers.Select(l => new float[l.Parameters.Length]).ToArray();
            // Per-feature input grids, as post-training quantization builds them (each feature's min..max
            // mapped onto [-1, 1], one int8 scale for the tensor).
            _inputShift = new float[f];
            _inputHalf = new float[f];
            if (o.QuantizationAware) InputGrids(f);
            _inputRange = QuantizationRule.ForRange(-1, 1);
            _inputScratch = new float[f];
            _outMin = new double[_layers.Length];
            _outMax = new double[_layers.Length];
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

        /// <summary>Each input position's min..max over the training samples (one pass), for the fake-quantized input.</summary>
        private void InputGrids(int f)
        {
            var min = new float[f];
            var max = new float[f];
            Array.Fill(min, float.PositiveInfinity);
            Array.Fill(max, float.NegativeInfinity);
            var x = new float[f];
            foreach (int r in _fit)
            {
                _samples.CopySample(r, x);
                for (int j = 0; j < f; j++) { min[j] = Math.Min(min[j], x[j]); max[j] = Math.Max(max[j], x[j]); }
            }
            for (int j = 0; j < f; j++)
            {
                _inputShift[j] = (min[j] + max[j]) / 2;
                _inputHalf[j] = (max[j] - min[j]) / 2 > 1e-6f ? (max[j] - min[j]) / 2 : 1f;
            }
        }

        public EpochStats RunEpoch(int epoch, Random rng, bool fake)
        {
            BatchOrder.Shuffle(_order, rng); // the run's generator: the same seed gives the same batches
            int f = _net.InputLength;
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < _order.Length; start += _batch)
            {
                int batch = Math.Min(_batch, _order.Length - start);
                for (int b = 0; b < batch; b++) _samples.CopySample(_fit[_order[start + b]], _act[0].AsSpan(b * f, f));
                if (fake) BeginFakeQuantization(batch);
                Forward(batch, fake);
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
                if (batch == 1 && !fake && _optimizer.PlainDescent(1f, _l2, out float step) && BackwardDescend(step)) continue;
                for (int l = _layers.Length - 1; l >= 0; l--)
                {
                    _layers[l].Backward(_act[l], _act[l + 1], _grad[l + 1], l == 0 ? null : _grad[l], batch);
                }
                if (fake) EndFakeQuantization();
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

        private void Forward(int batch, bool fake)
        {
            if (fake) FakeQuantizeInput(batch);
            for (int l = 0; l < _layers.Length; l++)
            {
                _layers[l].Forward(_act[l], _act[l + 1], batch);
                if (fake) FakeQuantizeOutput(l, _act[l + 1].AsSpan(0, batch * _layers[l].OutputLength));
            }
        }

        private void FakeQuantizeInput(int batch)
        {
            int f = _net.InputLength;
            for (int b = 0; b < batch; b++)
            {
                var x = _act[0].AsSpan(b * f, f);
                for (int j = 0; j < f; j++) _inputScratch[j] = (x[j] - _inputShift[j]) / _inputHalf[j];
                FakeQuantization.Apply(_inputScratch, _inputRange);
                for (int j = 0; j < f; j++) x[j] = _inputScratch[j] * _inputHalf[j] + _inputShift[j];
            }
        }

        // Straight-through estimator: the forward pass uses rounded weights and activations, the backward
        // pass treats the rounding as identity, and the optimizer updates the kept float weights.
        private void BeginFakeQuantization(int batch)
        {
            for (int l = 0; l < _layers.Length; l++)
            {
                Array.Copy(_layers[l].Parameters, _master[l], _master[l].Length);
                FakeQuantization.ApplyToWeights(_layers[l].Parameters, _layers[l].WeightGroups);
            }
        }

        private void EndFakeQuantization()
        {
            for (int l = 0; l < _layers.Length; l++) Array.Copy(_master[l], _layers[l].Parameters, _master[l].Length);
        }

        private void FakeQuantizeOutput(int l, Span<float> y)
        {
            Activation a = _layers[l].Activation;
            if (Activations.UsesTable(a))
            {
                FakeQuantization.Apply(y, QuantizationRule.ForActivationOutput(a));
                return;
            }
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (float v in y) { min = Math.Min(min, v); max = Math.Max(max, v); }
            // Running range: an exponential average of batch extremes (the first batch sets it).
            if (_outMin[l] == 0 && _outMax[l] == 0) { _outMin[l] = min; _outMax[l] = max; }
            else { _outMin[l] = 0.99 * _outMin[l] + 0.01 * min; _outMax[l] = 0.99 * _outMax[l] + 0.01 * max; }
            FakeQuantization.Apply(y, QuantizationRule.ForRange(a == Activation.Relu ? 0 : _outMin[l], _outMax[l]));
        }

        /// <summary>
        /// Validation figures of the current parameters: mean loss and accuracy over the rows, and their
        /// class-balanced forms (mean over the classes present of each class's mean loss / recall).
        /// Batched; parameters unchanged.
        /// </summary>
        public void Evaluate(bool fake, EpochStats stats)
        {
            int f = _net.InputLength, outs = _net.OutputLength, max = _act[0].Length / f, count = _vy.Length;
            double lossSum = 0;
            int correct = 0;
            Array.Clear(_classLoss);
            Array.Clear(_classCorrect);
            Array.Clear(_classRows);
            float[] scratch = _grad[^1];
            for (int start = 0; start < count; start += max)
            {
                int batch = Math.Min(max, count - start);
                for (int b = 0; b < batch; b++) _samples.CopySample(_validation[start + b], _act[0].AsSpan(b * f, f));
                if (fake) BeginFakeQuantization(batch);
                for (int l = 0; l < _layers.Length; l++) _layers[l].Forward(_act[l], _act[l + 1], batch);
                if (fake) EndFakeQuantization();
                for (int b = 0; b < batch; b++)
                {
                    int label = _vy[start + b];
                    var yb = _act[^1].AsSpan(b * outs, outs);
                    bool hit = Network.ArgMax(yb) == label;
                    if (hit) { correct++; _classCorrect[label]++; }
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
        }
    }
}
