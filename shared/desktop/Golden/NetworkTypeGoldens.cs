using System;
using System.Collections.Generic;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;

namespace EdgeNet.Golden
{
    /// <summary>A tiny hand-worked model, a stream of raw readings and how many readings it holds.</summary>
    public sealed class GoldenStream
    {
        public GoldenStream(string name, Model model, int[] raw, int readings)
        {
            Name = name;
            Model = model;
            Raw = raw;
            Readings = readings;
        }

        public string Name { get; }
        public Model Model { get; }
        public int[] Raw { get; }
        public int Readings { get; }
    }

    /// <summary>
    /// Hand-checkable golden models for conv1d, max and average pooling and each recurrent feedback kind.
    /// Multipliers are powers of two (x1 = 2^30 >> 30, x0.5 = 2^30 >> 31) and the input quantizer maps a raw
    /// reading r to q = zeroPoint + r, so every expected integer can be worked out on paper; the expected
    /// traces are pinned, with the arithmetic, in tests/EdgeNet.Tests/NetworkTypes/NetworkTypeGoldenTests.cs.
    /// </summary>
    public static class NetworkTypeGoldens
    {
        public const int One = 1 << 30;

        public static GoldenStream[] All()
        {
            return new[] { Conv1D(), MaxPool1D(), AvgPool1D(), Direct(), Lateral(), Complete(), Indirect() };
        }

        /// <summary>The golden vectors of the network types for the catalog (tests/GoldenVectors, NFUnitTest).</summary>
        public static IEnumerable<GoldenCase> Cases(IModelReference reference)
        {
            foreach (GoldenStream s in All()) yield return GoldenCase.ForModel("network type: " + s.Name, s.Model, s.Raw, s.Readings, reference);

            Model m = Conv1D().Model;
            ((Conv1DLayer)m.Layers[0]).Padding = 3;
            yield return GoldenCase.ForRejected("rejected: conv1d padding not below the kernel", ModelWriter.Write(m), "conv1d padding 3 not below the kernel size 3");
            m = AvgPool1D().Model;
            m.Layers[0].RequantZeroPoint = 5;
            m.Layers[0].OutputZeroPoint = 5;
            yield return GoldenCase.ForRejected("rejected: average pool changes the zero point", ModelWriter.Write(m), "average pool zero point 5 differs from its input's -1");
            m = Complete().Model;
            ((RecurrentLayer)m.Layers[0]).Feedback = Feedback.Indirect;
            yield return GoldenCase.ForRejected("rejected: indirect feedback outside an indirect block", ModelWriter.Write(m), "indirect feedback is only allowed inside an indirect block");
            m = Indirect().Model;
            yield return GoldenCase.ForRejected("rejected: indirect block over the arena budget", ModelWriter.Write(m), "arena of 5 bytes", 4);
        }

        /// <summary>Window of 4 readings, kernel 3, stride 1, padding 1, two filters, input zero point 3, x0.5.</summary>
        public static GoldenStream Conv1D()
        {
            var conv = new Conv1DLayer
            {
                InputSteps = 4, InputChannels = 1, InputZeroPoint = 3, OutputSteps = 4, OutputChannels = 2,
                KernelSize = 3, Stride = 1, Padding = 1,
                Weights = new sbyte[] { 1, 2, 1, -1, 0, 1 }, Bias = new[] { 0, 4 },
                Multiplier = new[] { One, One }, Shift = new byte[] { 31, 31 },
            };
            Identity(conv, 0);
            return new GoldenStream("conv1d", Wrap(1, 4, 3, conv, 8), new[] { 1, 2, 3, 4 }, 4);
        }

        /// <summary>Window of 3 readings of 2 features, pool 2, stride 1, ReLU clamp at the zero point -1.</summary>
        public static GoldenStream MaxPool1D()
        {
            var pool = new MaxPool1DLayer { PoolSize = 2, Stride = 1, InputSteps = 3, InputChannels = 2, InputZeroPoint = -1, OutputSteps = 2, OutputChannels = 2 };
            Identity(pool, -1);
            pool.Activation = Activation.Relu;
            pool.ClampMin = -1;
            return new GoldenStream("maxpool1d", Wrap(2, 3, -1, pool, 4), new[] { 1, -1, 2, -2, -4, 5 }, 3);
        }

        /// <summary>Window of 3 readings of 2 features, pool 2, stride 1, zero point -1: halves round away from zero.</summary>
        public static GoldenStream AvgPool1D()
        {
            var pool = new AvgPool1DLayer { PoolSize = 2, Stride = 1, InputSteps = 3, InputChannels = 2, InputZeroPoint = -1, OutputSteps = 2, OutputChannels = 2 };
            Identity(pool, -1);
            return new GoldenStream("avgpool1d", Wrap(2, 3, -1, pool, 4), new[] { 1, -1, 2, -2, -4, 5 }, 3);
        }

        /// <summary>Two neurons, direct feedback u = (2, -1), everything x0.5.</summary>
        public static GoldenStream Direct()
        {
            RecurrentLayer r = Recurrent(Feedback.Direct, new sbyte[] { 1, 2 }, new sbyte[] { 2, -1 }, 31);
            return new GoldenStream("recurrent-direct", Wrap(1, 1, 0, r, 2), new[] { 4, 4, 4 }, 3);
        }

        /// <summary>Three neurons, lateral feedback rows (1, 1), (-1, 0), (0, 2), everything x1.</summary>
        public static GoldenStream Lateral()
        {
            RecurrentLayer r = Recurrent(Feedback.Lateral, new sbyte[] { 1, 1, 1 }, new sbyte[] { 1, 1, -1, 0, 0, 2 }, 30);
            return new GoldenStream("recurrent-lateral", Wrap(1, 1, 0, r, 3), new[] { 1, 2, 0 }, 3);
        }

        /// <summary>Two neurons, complete feedback ((1, 1), (1, -1)), x1, driven into saturation.</summary>
        public static GoldenStream Complete()
        {
            RecurrentLayer r = Recurrent(Feedback.Complete, new sbyte[] { 1, 1 }, new sbyte[] { 1, 1, 1, -1 }, 30);
            return new GoldenStream("recurrent-complete", Wrap(1, 1, 0, r, 2), new[] { 100, 100, 0 }, 3);
        }

        /// <summary>Hidden layer of two neurons fed by the input and the block's previous output (v = (1, -1)); output = h0 + h1.</summary>
        public static GoldenStream Indirect()
        {
            RecurrentLayer h = Recurrent(Feedback.Indirect, new sbyte[] { 1, 1 }, new sbyte[] { 1, -1 }, 30);
            h.FeedbackLength = 1;
            var o = new DenseLayer
            {
                InputSteps = 1, InputChannels = 2, OutputSteps = 1, OutputChannels = 1,
                Weights = new sbyte[] { 1, 1 }, Bias = new[] { 0 }, Multiplier = new[] { One }, Shift = new byte[] { 30 },
            };
            var block = new IndirectRecurrentLayer { InputSteps = 1, InputChannels = 1, OutputSteps = 1, OutputChannels = 1, Hidden = h, Output = o };
            Identity(block, 0);
            block.Prepare();
            return new GoldenStream("recurrent-indirect", Wrap(1, 1, 0, block, 2), new[] { 3, 1, 0 }, 3);
        }

        private static RecurrentLayer Recurrent(Feedback feedback, sbyte[] weights, sbyte[] feedbackWeights, byte shift)
        {
            int units = weights.Length;
            var r = new RecurrentLayer
            {
                Feedback = feedback, InputSteps = 1, InputChannels = 1, OutputSteps = 1, OutputChannels = units,
                Weights = weights, FeedbackWeights = feedbackWeights, Bias = new int[units],
                InputMultiplier = Fill(units, One), InputShift = FillBytes(units, shift),
                FeedbackMultiplier = Fill(units, One), FeedbackShift = FillBytes(units, shift),
            };
            Identity(r, 0);
            if (feedback != Feedback.Indirect) r.Prepare();
            return r;
        }

        private static void Identity(Layer layer, int zeroPoint)
        {
            layer.Activation = Activation.Identity;
            layer.RequantZeroPoint = zeroPoint;
            layer.OutputZeroPoint = zeroPoint;
            layer.ClampMin = -128;
            layer.ClampMax = 127;
            layer.OutputScale = 1f;
        }

        /// <summary>A model whose input quantizer maps raw r to q = zeroPoint + r (offset 0, x1).</summary>
        private static Model Wrap(int features, int window, int zeroPoint, Layer layer, int classes)
        {
            var q = new InputQuantizer
            {
                Offset = new int[features], Multiplier = Fill(features, One), Shift = FillBytes(features, 30),
                RawExponent = new sbyte[features], Scale = 1f, ZeroPoint = zeroPoint,
            };
            var labels = new string[classes];
            for (int c = 0; c < classes; c++) labels[c] = "c" + c;
            var names = new string[features];
            for (int f = 0; f < features; f++) names[f] = "x" + f;
            return new Model { Name = "golden " + layer.Kind, ClassLabels = labels, FeatureNames = names, WindowLength = window, Input = q, Layers = new[] { layer } };
        }

        private static int[] Fill(int n, int v) { var a = new int[n]; Array.Fill(a, v); return a; }
        private static byte[] FillBytes(int n, byte v) { var a = new byte[n]; Array.Fill(a, v); return a; }
    }
}
