using System;
using System.Collections;
using EdgeNet.Engine;
using EdgeNet.Kernels;
using EdgeNet.Layers;

namespace EdgeNet.Bench.Device
{
    /// <summary>
    /// Times the shared kernels on the runtime it runs on (the nanoFramework interpreter on a device, CoreCLR
    /// in CI) and, in the same run, the plain dot-product loop they are measured against. One line per case,
    /// key=value fields, so scripts and the CI test can read it:
    ///   case=fc.optimized shape=32x36 macs=1152 reps=347 ticks=12345 macs_per_s=3240000 ratio=0.912
    ///   case=model.demo shape=36-32-6 macs=1344 reps=297 ticks=23456 us_per_inference=78.9
    /// ratio is the kernel's MAC/s over the ceiling loop's MAC/s on the same number of MACs.
    /// </summary>
    public static class DeviceBenchmark
    {
        /// <summary>The demo network: 36 satellite features, one hidden layer, 6 classes.</summary>
        public const int DemoFeatures = 36, DemoHidden = 32, DemoClasses = 6;

        /// <summary>Each case is timed this many times, interleaved; the best time counts.</summary>
        public const int Rounds = 3;

        /// <summary>Runs every case with about macBudget multiply-accumulates per round; returns the report.</summary>
        public static string Run(int macBudget)
        {
            ArrayList lines = new ArrayList();
            lines.Add("edgenet-device-bench 1 mac_budget=" + macBudget.ToString() + " ticks_per_second=" + TimeSpan.TicksPerSecond.ToString() );
            uint seed = 12345;
            // Layers as units x inputs: the demo network's two layers, then larger dense layers.
            int[] units = new int[] { DemoHidden, DemoClasses, 64, 128, 256 };
            int[] inputs = new int[] { DemoFeatures, DemoHidden, 64, 128, 256 };
            for (int c = 0; c < units.Length; c++)
            {
                DenseCase(lines, units[c], inputs[c], macBudget, ref seed);
            }
            DemoModel(lines, macBudget, ref seed);
            string report = "";
            for (int k = 0; k < lines.Count; k++) report += (string)lines[k] + "\n";
            return report;
        }

        private static void DenseCase(ArrayList lines, int units, int inputs, int macBudget, ref uint seed)
        {
            int macs = units * inputs;
            int reps = Reps(macBudget, macs);
            sbyte[] weights = RandomInt8(macs, ref seed);
            sbyte[] input = RandomInt8(inputs, ref seed);
            sbyte[] tiled = new sbyte[macs];
            for (int k = 0; k < macs; k++) tiled[k] = input[k % inputs];
            int[] bias = new int[units];
            int[] multiplier = new int[units];
            byte[] shift = new byte[units];
            for (int o = 0; o < units; o++)
            {
                bias[o] = (int)(Next(ref seed) % 20001) - 10000;
                multiplier[o] = (int)(Next(ref seed) & 0x3FFFFFFF) | 0x40000000;
                shift[o] = (byte)(36 + Next(ref seed) % 4);
            }
            sbyte[] output = new sbyte[units];
            string shape = " shape=" + units.ToString() + "x" + inputs.ToString() + " macs=" + macs.ToString() + " reps=" + reps.ToString();

            // Warm-up (the JIT on CoreCLR; harmless on the interpreter).
            int sink = PlainDot.Run(weights, tiled, macs);
            FullyConnected.Reference(input, 0, inputs, weights, bias, multiplier, shift, units, 0, -128, 127, output, 0);
            FullyConnectedOptimized.Invoke(input, 0, inputs, weights, bias, multiplier, shift, units, 0, -128, 127, output, 0);

            // Three rounds, the kernels interleaved, the best time of each kept: the machine may be shared.
            long ceiling = long.MaxValue, reference = long.MaxValue, optimized = long.MaxValue;
            for (int round = 0; round < Rounds; round++)
            {
                long start = DateTime.UtcNow.Ticks;
                for (int r = 0; r < reps; r++) sink += PlainDot.Run(weights, tiled, macs);
                ceiling = Min(ceiling, Elapsed(start));

                start = DateTime.UtcNow.Ticks;
                for (int r = 0; r < reps; r++)
                {
                    FullyConnected.Reference(input, 0, inputs, weights, bias, multiplier, shift, units, 0, -128, 127, output, 0);
                }
                reference = Min(reference, Elapsed(start));
                sink += output[0];

                start = DateTime.UtcNow.Ticks;
                for (int r = 0; r < reps; r++)
                {
                    FullyConnectedOptimized.Invoke(input, 0, inputs, weights, bias, multiplier, shift, units, 0, -128, 127, output, 0);
                }
                optimized = Min(optimized, Elapsed(start));
                sink += output[0];
            }

            long total = (long)macs * reps;
            lines.Add("case=ceiling.dot" + shape + " ticks=" + ceiling.ToString() + " macs_per_s=" + PerSecond(total, ceiling).ToString() + " ratio=1.000 check=" + sink.ToString() );
            lines.Add("case=fc.reference" + shape + " ticks=" + reference.ToString() + " macs_per_s=" + PerSecond(total, reference).ToString() + " ratio=" + Ratio(ceiling, reference) );
            lines.Add("case=fc.optimized" + shape + " ticks=" + optimized.ToString() + " macs_per_s=" + PerSecond(total, optimized).ToString() + " ratio=" + Ratio(ceiling, optimized) );
        }

        /// <summary>The whole demo model through the engine: quantize a raw reading, run both layers, pick the class.</summary>
        private static void DemoModel(ArrayList lines, int macBudget, ref uint seed)
        {
            Model model = Demo(ref seed);
            InferenceEngine engine = new InferenceEngine(model);
            int macs = model.MacCount;
            int reps = Reps(macBudget, macs);
            int[] reading = new int[DemoFeatures];
            for (int f = 0; f < DemoFeatures; f++) reading[f] = (int)(Next(ref seed) % 256);
            engine.PushReading(reading);
            int sink = engine.Invoke();

            long ticks = long.MaxValue;
            for (int round = 0; round < Rounds; round++)
            {
                long start = DateTime.UtcNow.Ticks;
                for (int r = 0; r < reps; r++)
                {
                    engine.PushReading(reading);
                    sink += engine.Invoke();
                }
                ticks = Min(ticks, Elapsed(start));
            }
            // Tenths of a microsecond per inference: one tick is 100 ns.
            long tenthsUs = ticks / reps;
            lines.Add("case=model.demo shape=" + DemoFeatures.ToString() + "-" + DemoHidden.ToString() + "-" + DemoClasses.ToString()
                + " macs=" + macs.ToString() + " reps=" + reps.ToString() + " ticks=" + ticks.ToString()
                + " macs_per_s=" + PerSecond((long)macs * reps, ticks).ToString()
                + " us_per_inference=" + (tenthsUs / 10).ToString() + "." + (tenthsUs % 10).ToString()
                + " arena_bytes=" + model.ArenaBytes.ToString() + " parameter_bytes=" + model.ParameterBytes.ToString()
                + " check=" + sink.ToString() );
        }

        /// <summary>A valid demo-size model with random weights (ReLU hidden layer, identity output).</summary>
        public static Model Demo(ref uint seed)
        {
            InputQuantizer q = new InputQuantizer();
            q.Offset = new int[DemoFeatures];
            q.Multiplier = new int[DemoFeatures];
            q.Shift = new byte[DemoFeatures];
            q.RawExponent = new sbyte[DemoFeatures];
            q.Scale = 0.05f;
            q.ZeroPoint = 0;
            string[] names = new string[DemoFeatures];
            for (int f = 0; f < DemoFeatures; f++)
            {
                q.Offset[f] = 80 + (int)(Next(ref seed) % 40);
                q.Multiplier[f] = 0x40000000 | (int)(Next(ref seed) & 0x0FFFFFFF);
                q.Shift[f] = 30;
                names[f] = "x" + f.ToString();
            }
            string[] labels = new string[DemoClasses];
            for (int c = 0; c < DemoClasses; c++) labels[c] = "c" + c.ToString();
            Model m = new Model();
            m.Name = "demo";
            m.FeatureNames = names;
            m.ClassLabels = labels;
            m.Input = q;
            m.Layers = new Layer[] { Dense(DemoFeatures, DemoHidden, Activation.Relu, ref seed), Dense(DemoHidden, DemoClasses, Activation.Identity, ref seed) };
            return m;
        }

        private static DenseLayer Dense(int inputs, int units, Activation activation, ref uint seed)
        {
            DenseLayer d = new DenseLayer();
            d.InputSteps = 1;
            d.InputChannels = inputs;
            d.OutputSteps = 1;
            d.OutputChannels = units;
            d.Activation = activation;
            d.RequantZeroPoint = activation == Activation.Relu ? -128 : 0;
            d.OutputZeroPoint = d.RequantZeroPoint;
            d.ClampMin = d.RequantZeroPoint;
            d.ClampMax = 127;
            d.OutputScale = 0.1f;
            d.Weights = RandomInt8(units * inputs, ref seed);
            d.Bias = new int[units];
            d.Multiplier = new int[units];
            d.Shift = new byte[units];
            for (int o = 0; o < units; o++)
            {
                d.Bias[o] = (int)(Next(ref seed) % 2001) - 1000;
                d.Multiplier[o] = 0x40000000 | (int)(Next(ref seed) & 0x0FFFFFFF);
                d.Shift[o] = 40;
            }
            return d;
        }

        private static long Min(long a, long b)
        {
            return a < b ? a : b;
        }

        private static int Reps(int macBudget, int macs)
        {
            int reps = macBudget / macs;
            return reps < 1 ? 1 : reps;
        }

        private static long Elapsed(long start)
        {
            long t = DateTime.UtcNow.Ticks - start;
            return t < 1 ? 1 : t;
        }

        private static long PerSecond(long count, long ticks)
        {
            // count * TicksPerSecond / ticks without overflowing for large counts.
            return count / ticks * TimeSpan.TicksPerSecond + count % ticks * TimeSpan.TicksPerSecond / ticks;
        }

        /// <summary>ceilingTicks / kernelTicks (= kernel MAC/s over ceiling MAC/s) with three decimals.</summary>
        private static string Ratio(long ceilingTicks, long kernelTicks)
        {
            long milli = (ceilingTicks * 1000 + kernelTicks / 2) / kernelTicks;
            string frac = (milli % 1000).ToString();
            while (frac.Length < 3) frac = "0" + frac;
            return (milli / 1000).ToString() + "." + frac;
        }

        private static sbyte[] RandomInt8(int n, ref uint seed)
        {
            sbyte[] a = new sbyte[n];
            for (int k = 0; k < n; k++) a[k] = (sbyte)(Next(ref seed) >> 8);
            return a;
        }

        /// <summary>A 32-bit linear congruential generator: the same numbers on every runtime.</summary>
        private static uint Next(ref uint seed)
        {
            seed = seed * 1664525u + 1013904223u;
            return seed;
        }
    }
}
