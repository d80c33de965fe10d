using System;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Kernels;

namespace EdgeNet.Bench.Device
{
    /// <summary>
    /// The demo model through the engine on both kernel backends, on the runtime it runs on: the managed kernels,
    /// then the given native backend (EdgeNet.Native's interop kernels on a firmware built with them); then the same
    /// for the demo with 16-bit activations (both layers run their 16x8 kernels) and with 16-bit weights as well. Two lines per model, key=value like
    /// <see cref="DeviceBenchmark"/>:
    ///   case=backend.managed shape=36-32-6 macs=1344 reps=297 ticks=23456 us_per_inference=78.9 check=123
    ///   case=backend.native shape=36-32-6 macs=1344 reps=297 ticks=345 us_per_inference=1.1 check=123 kernels=native identical=true speedup=67.98
    ///   case=backend16.managed ... and case=backend16.native ... (the 16x8 model), then case=backend16x16.* (16-bit
    ///   weights too: both layers on the 16x16 kernel, the C one on the native line)
    /// or, where the probe fails (a stock firmware, CoreCLR): case=backend.native available=false kernels=managed.
    /// identical compares every output of every inference of both runs (same model, same readings).
    /// </summary>
    public static class BackendBenchmark
    {
        public static string Run(int macBudget, KernelBackend native)
        {
            string report = "edgenet-backend-bench 2 mac_budget=" + macBudget.ToString() + "\n";
            report += Pair("backend", 0, macBudget, native);
            report += Pair("backend16", 1, macBudget, native);
            report += Pair("backend16x16", 2, macBudget, native);
            return report;
        }

        private static string Pair(string name, int width, int macBudget, KernelBackend native)
        {
            uint seed = 4242;
            Model managedModel = Demo(ref seed, width);
            seed = 4242;
            Model nativeModel = Demo(ref seed, width);
            int[] reading = new int[DeviceBenchmark.DemoFeatures];
            for (int f = 0; f < reading.Length; f++) reading[f] = (int)((seed = seed * 1664525 + 1013904223) >> 24);

            InferenceEngine managed = new InferenceEngine(managedModel, false, null);
            int macs = managedModel.MacCount;
            int reps = macBudget / macs < 1 ? 1 : macBudget / macs;
            long managedTicks = Time(managed, reading, reps, out int managedCheck);
            string report = Line(name + ".managed", macs, reps, managedTicks, managedCheck) + "\n";

            InferenceEngine fast = new InferenceEngine(nativeModel, false, native);
            if (fast.Kernels == "managed") return report + "case=" + name + ".native available=false kernels=managed\n";
            bool identical = Identical(managed, fast, reading, 50);
            long nativeTicks = Time(fast, reading, reps, out int nativeCheck);
            long hundredths = nativeTicks > 0 ? managedTicks * 100 / nativeTicks : 0;
            return report + Line(name + ".native", macs, reps, nativeTicks, nativeCheck) + " kernels=" + (fast.Kernels == "native" ? "native" : "mixed")
                + " identical=" + (identical && nativeCheck == managedCheck ? "true" : "false")
                + " speedup=" + (hundredths / 100).ToString() + "." + (hundredths % 100 < 10 ? "0" : "") + (hundredths % 100).ToString() + "\n";
        }

        /// <summary>
        /// The demo model at a width: 0 int8; 1 its hidden layer has a 16-bit output (ReLU on [0, 32767], zero point
        /// 0), so the model input is int16 too (its shift 8 smaller, to use the range) and both layers run their 16x8
        /// kernels; 2 that, with both layers' weights int16 (each int8 weight times 256, bias times 256, shift 8 larger:
        /// the same real values), on the int16x16 kernel the automatic precision choice gives the demo.
        /// </summary>
        private static Model Demo(ref uint seed, int width)
        {
            Model m = DeviceBenchmark.Demo(ref seed);
            if (width == 0) return m;
            for (int f = 0; f < m.Input.Shift.Length; f++) m.Input.Shift[f] = (byte)(m.Input.Shift[f] - 8);
            Layer hidden = m.Layers[0];
            hidden.Precision = ModelFormat.PrecisionInt16;
            hidden.RequantZeroPoint = 0;
            hidden.OutputZeroPoint = 0;
            hidden.ClampMin = 0;
            hidden.ClampMax = 32767;
            m.Layers[1].InputZeroPoint = 0;
            if (width == 2)
            {
                for (int l = 0; l < m.Layers.Length; l++)
                {
                    DenseLayer d = (DenseLayer)m.Layers[l];
                    d.Weights16 = new short[d.Weights.Length];
                    for (int i = 0; i < d.Weights.Length; i++) d.Weights16[i] = (short)(d.Weights[i] * 256);
                    d.Weights = null;
                    for (int o = 0; o < d.Bias.Length; o++)
                    {
                        long b = (long)d.Bias[o] * 256;
                        d.Bias[o] = b > int.MaxValue ? int.MaxValue : b < int.MinValue ? int.MinValue : (int)b;
                        d.Shift[o] = (byte)(d.Shift[o] + 8 > FixedPoint.MaxShift ? FixedPoint.MaxShift : d.Shift[o] + 8);
                    }
                }
            }
            return m;
        }

        private static long Time(InferenceEngine engine, int[] reading, int reps, out int check)
        {
            check = 0;
            long best = long.MaxValue;
            for (int round = 0; round < DeviceBenchmark.Rounds; round++)
            {
                engine.Reset();
                int sink = 0;
                long start = DateTime.UtcNow.Ticks;
                for (int r = 0; r < reps; r++)
                {
                    engine.PushReading(reading);
                    sink += engine.Invoke();
                }
                long t = DateTime.UtcNow.Ticks - start;
                if (t < best) best = t;
                check = sink;
            }
            return best < 1 ? 1 : best;
        }

        private static bool Identical(InferenceEngine a, InferenceEngine b, int[] reading, int steps)
        {
            a.Reset();
            b.Reset();
            int[] r = new int[reading.Length];
            for (int s = 0; s < steps; s++)
            {
                for (int f = 0; f < r.Length; f++) r[f] = reading[f] + s * (f + 1) - 3 * f;
                a.PushReading(r);
                b.PushReading(r);
                if (a.Invoke() != b.Invoke()) return false;
                int last = a.Model.Layers.Length - 1, n = a.Model.Layers[last].OutputLength;
                for (int i = 0; i < n; i++) if (a.TensorValue(last, i) != b.TensorValue(last, i)) return false;
            }
            return true;
        }

        private static string Line(string name, int macs, int reps, long ticks, int check)
        {
            long tenthsUs = ticks / reps; // one tick is 100 ns
            return "case=" + name + " shape=" + DeviceBenchmark.DemoFeatures.ToString() + "-" + DeviceBenchmark.DemoHidden.ToString() + "-"
                + DeviceBenchmark.DemoClasses.ToString() + " macs=" + macs.ToString() + " reps=" + reps.ToString() + " ticks=" + ticks.ToString()
                + " us_per_inference=" + (tenthsUs / 10).ToString() + "." + (tenthsUs % 10).ToString() + " check=" + check.ToString();
        }
    }
}
