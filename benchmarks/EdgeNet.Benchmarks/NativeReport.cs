using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeNet.Kernels;
using EdgeNet.Native.Desktop;

namespace EdgeNet.Benchmarks;

/// <summary>
/// The C kernels (firmware/native, gcc -O2 through P/Invoke) against the managed kernels (the same source as the
/// device build, JIT-compiled by CoreCLR) per layer kind, int8 and 16x8 (both sum widths), and the 16x16 dense kernel, as paired repeats: each repeat times a batch of calls of
/// both, the order alternating, and the speed-up is managed time / native time (<see cref="PairedRatio"/>). Also the
/// IL-level cost of crossing into native code on the device (the interop wrapper's and the layer's dispatch IL,
/// counted in the nanoFramework build), and the CoreCLR cost of one P/Invoke call on a 1x1 layer. Writes
/// results/native.md and native.json. Both sides' outputs are compared on every case before timing.
/// </summary>
public static class NativeReport
{
    private const int Repeats = 21;
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(25);

    private sealed record Case(string Kind, string Shape, long Macs, Action Managed, Action Native, Func<bool> Identical);

    public static void Run()
    {
        var machine = Results.Machine();
        var cases = Cases(new Random(17));
        var rows = new List<string[]>();
        var json = new JsonArray();
        foreach (Case c in cases)
        {
            c.Managed();
            c.Native();
            if (!c.Identical()) throw new InvalidOperationException(c.Kind + ": native and managed outputs differ");
            int calls = Calibrate(c.Managed);
            var managed = new List<double>();
            var native = new List<double>();
            for (int r = 0; r < Repeats; r++)
            {
                if (r % 2 == 0) { managed.Add(Time(c.Managed, calls)); native.Add(Time(c.Native, calls)); }
                else { native.Add(Time(c.Native, calls)); managed.Add(Time(c.Managed, calls)); }
            }
            PairedRatio speedup = PairedRatio.Of(managed, native);
            double managedNs = PairedRatio.MedianOf(managed) / calls * 1e9, nativeNs = PairedRatio.MedianOf(native) / calls * 1e9;
            rows.Add([c.Kind, c.Shape, c.Macs.ToString("N0", CultureInfo.InvariantCulture), F(managedNs), F(nativeNs),
                c.Macs == 0 ? "-" : F(c.Macs / managedNs * 1e3), c.Macs == 0 ? "-" : F(c.Macs / nativeNs * 1e3), speedup.Text]);
            json.Add(new JsonObject
            {
                ["kind"] = c.Kind, ["shape"] = c.Shape, ["macs"] = c.Macs, ["calls_per_batch"] = calls,
                ["managed_ns_per_call"] = Math.Round(managedNs, 1), ["native_ns_per_call"] = Math.Round(nativeNs, 1),
                ["speedup_managed_over_native"] = speedup.ToJson(),
            });
            Console.WriteLine($"{c.Kind,-22} {c.Shape,-40} managed {managedNs,10:0.0} ns  native {nativeNs,10:0.0} ns  speed-up {speedup.Text}");
        }

        // The boundary on the device, in IL instructions the interpreter executes per layer call: the layer's
        // dispatch (load Backend, test, callvirt) plus the wrapper NativeBackend.Dense (argument loads and the
        // InternalCall); against the managed dense kernel's IL per multiply-accumulate.
        string backend = DeviceAssemblies.PathOf("EdgeNet.Native.Backend");
        string shared = DeviceAssemblies.PathOf("EdgeNet.Shared");
        var wrapper = IlCount.Analyze(backend, "EdgeNet.Native.NativeBackend", "Dense");
        var kernel = IlCount.Analyze(shared, "EdgeNet.Kernels.FullyConnectedOptimized", "Invoke");
        const int dispatch = 4; // ldarg.0, ldfld Backend, brfalse, and the callvirt's receiver load
        int boundaryIl = wrapper.BodyInstructions + dispatch;
        double perMac = kernel.Main.PerMac;
        // The same for a 16x8 layer with an int64 sum (its InvokeWide tests LongAccumulator first, on either backend).
        var wrapper16 = IlCount.Analyze(backend, "EdgeNet.Native.NativeBackend", "Dense16Long");
        var kernel16 = IlCount.Analyze(shared, "EdgeNet.Kernels.FullyConnected16Optimized", "InvokeLong");
        int boundaryIl16 = wrapper16.BodyInstructions + dispatch;
        double perMac16 = kernel16.Main.PerMac;
        // And for a dense layer with int16 weights (the 16x16 kernel, always an int64 sum).
        var wrapper16x16 = IlCount.Analyze(backend, "EdgeNet.Native.NativeBackend", "Dense16x16");
        var kernel16x16 = IlCount.Analyze(shared, "EdgeNet.Kernels.FullyConnected16x16Optimized", "Invoke");
        int boundaryIl16x16 = wrapper16x16.BodyInstructions + dispatch;
        double perMac16x16 = kernel16x16.Main.PerMac;
        Results.Finish(machine);

        var md = new StringBuilder();
        md.Append("# Native (C) kernels against the managed kernels\n\n");
        md.Append(Results.MachineLine(machine)).Append("\n\n");
        md.Append("Command: `bash benchmarks/run.sh native`. Measured on CoreCLR: the C kernels of firmware/native built by ")
          .Append("firmware/native/build.sh (system cc, -std=c99 -O2, scalar) and called through P/Invoke, against the managed kernels ")
          .Append("of shared/src/Kernels JIT-compiled by CoreCLR (not the nanoFramework interpreter, and not an ESP32: nothing here ran on a board). ")
          .Append($"Each case: outputs compared first (identical), then {Repeats} paired repeats of a ~{Batch.TotalMilliseconds:0} ms batch; ")
          .Append("speed-up = managed time / native time, median with 95 % bootstrap interval. The machine is shared, so absolute ns are noisy; the paired ratio is the figure.\n\n");
        md.Append(Results.Table(["layer kind", "shape", "MACs", "managed ns/call", "native ns/call", "managed MMAC/s", "native MMAC/s", "speed-up (managed/native)"], rows));
        md.Append("\n## The call boundary on the device (IL, nanoFramework build)\n\n");
        md.Append($"A layer that runs native pays, per call, its dispatch ({dispatch} IL instructions: load `Backend`, test it, call) plus the wrapper ")
          .Append($"`NativeBackend.Dense` ({wrapper.BodyInstructions} IL instructions: argument loads, the InternalCall, return), {boundaryIl} in all, counted in artifacts/nf/EdgeNet.Native.Backend.dll; ")
          .Append($"then the interop glue's argument and bounds checks run as native code. The managed dense kernel spends {perMac:0.0} IL instructions per multiply-accumulate ")
          .Append($"in its main loop (FullyConnectedOptimized.Invoke), so the boundary costs about as much interpreter work as {boundaryIl / perMac:0.0} MACs: ")
          .Append("every real layer (a dense layer of 16 inputs and 8 units is 128 MACs) is far past that break-even. ")
          .Append($"A 16x8 dense layer with an int64 sum pays the same dispatch plus `NativeBackend.Dense16Long` ")
          .Append($"({wrapper16.BodyInstructions}), {boundaryIl16} in all, against {perMac16:0.0} IL instructions per MAC in FullyConnected16Optimized.InvokeLong's main loop: ")
          .Append($"break-even at {boundaryIl16 / perMac16:0.0} MACs. A dense layer with int16 weights pays the dispatch plus `NativeBackend.Dense16x16` ")
          .Append($"({wrapper16x16.BodyInstructions}), {boundaryIl16x16} in all, against {perMac16x16:0.0} IL instructions per MAC in FullyConnected16x16Optimized.Invoke's main loop: ")
          .Append($"break-even at {boundaryIl16x16 / perMac16x16:0.0} MACs. The interpreter's own cost per InternalCall is not counted here; it is measured on the interpreter outside this repository.\n");
        var result = new JsonObject
        {
            ["machine"] = machine,
            ["cases"] = json,
            ["boundary"] = new JsonObject
            {
                ["dispatch_il"] = dispatch, ["wrapper_il"] = wrapper.BodyInstructions, ["boundary_il"] = boundaryIl,
                ["managed_dense_il_per_mac"] = Math.Round(perMac, 2), ["break_even_macs"] = Math.Round(boundaryIl / perMac, 1),
                ["wrapper16_long_il"] = wrapper16.BodyInstructions, ["boundary16_il"] = boundaryIl16,
                ["managed_dense16_long_il_per_mac"] = Math.Round(perMac16, 2), ["break_even16_macs"] = Math.Round(boundaryIl16 / perMac16, 1),
                ["wrapper16x16_il"] = wrapper16x16.BodyInstructions, ["boundary16x16_il"] = boundaryIl16x16,
                ["managed_dense16x16_il_per_mac"] = Math.Round(perMac16x16, 2), ["break_even16x16_macs"] = Math.Round(boundaryIl16x16 / perMac16x16, 1),
            },
            ["compiler"] = "cc -std=c99 -O2 (firmware/native/build.sh)",
        };
        Results.Write("native", md.ToString(), result);
    }

    private static int Calibrate(Action a)
    {
        int calls = 1;
        while (true)
        {
            double t = Time(a, calls);
            if (t >= Batch.TotalSeconds / 4 || calls >= 1 << 26) return Math.Max(1, (int)(calls * Batch.TotalSeconds / Math.Max(t, 1e-9)));
            calls *= 4;
        }
    }

    private static double Time(Action a, int calls)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) a();
        return sw.Elapsed.TotalSeconds;
    }

    private static string F(double v) => v.ToString(v >= 100 ? "N0" : "0.0", CultureInfo.InvariantCulture);

    private static bool Same<T>(T[] a, T[] b) where T : IEquatable<T> => a.AsSpan().SequenceEqual(b);

    private static short[] Int16s(Random rng, int n) { var a = new short[n]; for (int i = 0; i < n; i++) a[i] = (short)rng.Next(-32768, 32768); return a; }

    private static sbyte[] Int8s(Random rng, int n) { var a = new sbyte[n]; for (int i = 0; i < n; i++) a[i] = (sbyte)rng.Next(-128, 128); return a; }

    private static (int[] Bias, int[] Multiplier, byte[] Shift) Requant(Random rng, int n)
    {
        var b = new int[n]; var m = new int[n]; var s = new byte[n];
        for (int i = 0; i < n; i++) { b[i] = rng.Next(-100000, 100000); m[i] = rng.Next(1 << 30, int.MaxValue); s[i] = (byte)rng.Next(36, 44); }
        return (b, m, s);
    }

    private static List<Case> Cases(Random rng)
    {
        var list = new List<Case>();
        foreach (var (inputs, units) in new[] { (1, 1), (64, 32), (256, 64) })
        {
            var x = Int8s(rng, inputs); var w = Int8s(rng, inputs * units); var (b, m, s) = Requant(rng, units);
            var ym = new sbyte[units]; var yn = new sbyte[units];
            list.Add(new Case("dense", $"{inputs} inputs x {units} units", (long)inputs * units,
                () => FullyConnectedOptimized.Invoke(x, 0, inputs, w, b, m, s, units, 3, -128, 127, ym, 0),
                () => CKernels.Dense(x, 0, inputs, w, b, m, s, units, 3, -128, 127, yn, 0), () => Same(ym, yn)));
        }
        {
            int steps = 32, ch = 6, filters = 16, k = 5, pad = 2, stride = 1;
            int outSteps = Conv1D.OutputSteps(steps, k, stride, pad);
            var x = Int8s(rng, steps * ch); var w = Int8s(rng, filters * k * ch); var (b, m, s) = Requant(rng, filters);
            int[] folded = ZeroPointFold.Fold(b, w, filters, k * ch, -5);
            int[] taps = ZeroPointFold.RowSums(w, filters * k, ch);
            var ym = new sbyte[outSteps * filters]; var yn = new sbyte[outSteps * filters];
            long macs = 0;
            for (int t = 0; t < outSteps; t++) for (int kk = 0; kk < k; kk++) { int at = t * stride - pad + kk; if (at >= 0 && at < steps) macs += ch * filters; }
            list.Add(new Case("conv1d", $"{steps} steps x {ch} ch, {filters} filters of {k}, padding {pad}", macs,
                () => Conv1DOptimized.Invoke(x, steps, ch, -5, w, folded, taps, m, s, filters, k, stride, pad, 1, -128, 127, ym, outSteps),
                () => CKernels.Conv1D(x, steps, ch, -5, w, folded, taps, m, s, filters, k, stride, pad, 1, -128, 127, yn, outSteps), () => Same(ym, yn)));
        }
        {
            int steps = 64, ch = 16, pool = 2, stride = 2, outSteps = (steps - pool) / stride + 1;
            var x = Int8s(rng, steps * ch);
            var ym = new sbyte[outSteps * ch]; var yn = new sbyte[outSteps * ch];
            list.Add(new Case("maxpool1d", $"{steps} steps x {ch} ch, pool {pool} stride {stride}", 0,
                () => MaxPool1D.Invoke(x, ch, pool, stride, -128, 127, ym, outSteps),
                () => CKernels.MaxPool1D(x, ch, pool, stride, -128, 127, yn, outSteps), () => Same(ym, yn)));
            var am = new sbyte[outSteps * ch]; var an = new sbyte[outSteps * ch];
            list.Add(new Case("avgpool1d", $"{steps} steps x {ch} ch, pool {pool} stride {stride}", 0,
                () => AvgPool1D.Invoke(x, ch, pool, stride, -7, -128, 127, am, outSteps),
                () => CKernels.AvgPool1D(x, ch, pool, stride, -7, -128, 127, an, outSteps), () => Same(am, an)));
        }
        foreach (string kind in new[] { "direct", "lateral", "complete" })
        {
            int inputs = 16, units = 32;
            int row = kind == "direct" ? 1 : kind == "lateral" ? units - 1 : units;
            var x = Int8s(rng, inputs); var w = Int8s(rng, inputs * units); var u = Int8s(rng, units * row); var state = Int8s(rng, units);
            var (b, m, s) = Requant(rng, units); var (_, fm, fs) = Requant(rng, units);
            int[] ib = ZeroPointFold.Fold(b, w, units, inputs, 4);
            int[] fb = ZeroPointFold.Fold(null, u, units, row, -9);
            var ym = new sbyte[units]; var yn = new sbyte[units];
            Action managed = kind switch
            {
                "direct" => () => RecurrentOptimized.Direct(x, inputs, w, ib, m, s, state, u, fb, fm, fs, units, 0, -128, 127, ym),
                "lateral" => () => RecurrentOptimized.Lateral(x, inputs, w, ib, m, s, state, u, fb, fm, fs, units, 0, -128, 127, ym),
                _ => () => RecurrentOptimized.Complete(x, inputs, w, ib, m, s, state, units, u, fb, fm, fs, units, 0, -128, 127, ym),
            };
            Action native = kind switch
            {
                "direct" => () => CKernels.RecurrentDirect(x, inputs, w, ib, m, s, state, u, fb, fm, fs, units, 0, -128, 127, yn),
                "lateral" => () => CKernels.RecurrentLateral(x, inputs, w, ib, m, s, state, u, fb, fm, fs, units, 0, -128, 127, yn),
                _ => () => CKernels.RecurrentComplete(x, inputs, w, ib, m, s, state, units, u, fb, fm, fs, units, 0, -128, 127, yn),
            };
            list.Add(new Case("recurrent " + kind, $"{inputs} inputs, {units} units", (long)inputs * units + (long)units * row, managed, native, () => Same(ym, yn)));
        }
        // The 16x8 kernels (docs/quantization.md, "16-bit activations"): int16 tensors, int8 weights, both sum widths.
        foreach (var (inputs, units, longSum) in new[] { (64, 32, false), (256, 64, false), (256, 64, true), (1024, 32, true) })
        {
            var x = Int16s(rng, inputs); var w = Int8s(rng, inputs * units); var (b, m, s) = Requant(rng, units);
            for (int i = 0; i < units; i++) s[i] = (byte)(s[i] + 8); // int16 inputs: 2^8 larger sums
            var ym = new short[units]; var yn = new short[units];
            Action managed = longSum
                ? () => FullyConnected16Optimized.InvokeLong(x, inputs, w, b, m, s, units, 0, -32768, 32767, ym)
                : () => FullyConnected16Optimized.Invoke(x, inputs, w, b, m, s, units, 0, -32768, 32767, ym);
            Action native = longSum
                ? () => CKernels.Dense16Long(x, inputs, w, b, m, s, units, 0, -32768, 32767, yn)
                : () => CKernels.Dense16(x, inputs, w, b, m, s, units, 0, -32768, 32767, yn);
            list.Add(new Case(longSum ? "dense 16x8, int64 sum" : "dense 16x8, int32 sum", $"{inputs} inputs x {units} units", (long)inputs * units, managed, native, () => Same(ym, yn)));
        }
        // The 16x16 dense kernel (docs/quantization.md, "16-bit weights"): int16 weights too, always an int64 sum; the 16x8 shapes.
        foreach (var (inputs, units) in new[] { (64, 32), (256, 64), (1024, 32) })
        {
            var x = Int16s(rng, inputs); var w = Int16s(rng, inputs * units); var (b, m, s) = Requant(rng, units);
            for (int i = 0; i < units; i++) s[i] = (byte)(s[i] + 16); // int16 inputs and weights: 2^16 larger sums
            var ym = new short[units]; var yn = new short[units];
            list.Add(new Case("dense 16x16, int64 sum", $"{inputs} inputs x {units} units", (long)inputs * units,
                () => FullyConnected16x16Optimized.Invoke(x, inputs, w, b, m, s, units, 0, -32768, 32767, ym),
                () => CKernels.Dense16x16(x, inputs, w, b, m, s, units, 0, -32768, 32767, yn), () => Same(ym, yn)));
        }
        foreach (bool longSum in new[] { false, true })
        {
            int steps = 32, ch = 6, filters = 16, k = 5, pad = 2, stride = 1;
            int outSteps = Conv1D.OutputSteps(steps, k, stride, pad);
            var x = Int16s(rng, steps * ch); var w = Int8s(rng, filters * k * ch); var (b, m, s) = Requant(rng, filters);
            for (int i = 0; i < filters; i++) s[i] = (byte)(s[i] + 8);
            int[] folded = ZeroPointFold.Fold(b, w, filters, k * ch, 0);
            long[] foldedLong = ZeroPointFold.FoldLong(b, w, filters, k * ch, 0);
            int[] taps = ZeroPointFold.RowSums(w, filters * k, ch);
            var ym = new short[outSteps * filters]; var yn = new short[outSteps * filters];
            long macs = 0;
            for (int t = 0; t < outSteps; t++) for (int kk = 0; kk < k; kk++) { int at = t * stride - pad + kk; if (at >= 0 && at < steps) macs += ch * filters; }
            Action managed = longSum
                ? () => Conv1D16Optimized.InvokeLong(x, steps, ch, 0, w, foldedLong, taps, m, s, filters, k, stride, pad, 0, -32768, 32767, ym, outSteps)
                : () => Conv1D16Optimized.Invoke(x, steps, ch, 0, w, folded, taps, m, s, filters, k, stride, pad, 0, -32768, 32767, ym, outSteps);
            Action native = longSum
                ? () => CKernels.Conv1D16Long(x, steps, ch, 0, w, foldedLong, taps, m, s, filters, k, stride, pad, 0, -32768, 32767, yn, outSteps)
                : () => CKernels.Conv1D16(x, steps, ch, 0, w, folded, taps, m, s, filters, k, stride, pad, 0, -32768, 32767, yn, outSteps);
            list.Add(new Case(longSum ? "conv1d 16x8, int64 sum" : "conv1d 16x8, int32 sum", $"{steps} steps x {ch} ch, {filters} filters of {k}, padding {pad}", macs, managed, native, () => Same(ym, yn)));
        }
        {
            int steps = 64, ch = 16, pool = 2, stride = 2, outSteps = (steps - pool) / stride + 1;
            var x = Int16s(rng, steps * ch);
            var ym = new short[outSteps * ch]; var yn = new short[outSteps * ch];
            list.Add(new Case("maxpool1d int16", $"{steps} steps x {ch} ch, pool {pool} stride {stride}", 0,
                () => MaxPool1D16.Invoke(x, ch, pool, stride, -32768, 32767, ym, outSteps),
                () => CKernels.MaxPool1D16(x, ch, pool, stride, -32768, 32767, yn, outSteps), () => Same(ym, yn)));
            var am = new short[outSteps * ch]; var an = new short[outSteps * ch];
            list.Add(new Case("avgpool1d int16", $"{steps} steps x {ch} ch, pool {pool} stride {stride}", 0,
                () => AvgPool1D16.Invoke(x, ch, pool, stride, 0, -32768, 32767, am, outSteps),
                () => CKernels.AvgPool1D16(x, ch, pool, stride, 0, -32768, 32767, an, outSteps), () => Same(am, an)));
        }
        foreach (string kind in new[] { "direct", "lateral", "complete" })
        {
            int inputs = 16, units = 32;
            int row = kind == "direct" ? 1 : kind == "lateral" ? units - 1 : units;
            var x = Int16s(rng, inputs); var w = Int8s(rng, inputs * units); var u = Int8s(rng, units * row); var state = Int16s(rng, units);
            var (b, m, s) = Requant(rng, units); var (_, fm, fs) = Requant(rng, units);
            for (int i = 0; i < units; i++) { s[i] = (byte)(s[i] + 8); fs[i] = (byte)(fs[i] + 8); }
            long[] ib = ZeroPointFold.FoldLong(b, w, units, inputs, 0);
            long[] fb = ZeroPointFold.FoldLong(null, u, units, row, 0);
            var ym = new short[units]; var yn = new short[units];
            Action managed = kind switch
            {
                "direct" => () => Recurrent16Optimized.Direct(x, inputs, w, ib, m, s, state, u, fb, fm, fs, units, 0, -32768, 32767, ym),
                "lateral" => () => Recurrent16Optimized.Lateral(x, inputs, w, ib, m, s, state, u, fb, fm, fs, units, 0, -32768, 32767, ym),
                _ => () => Recurrent16Optimized.Complete(x, inputs, w, ib, m, s, state, units, u, fb, fm, fs, units, 0, -32768, 32767, ym),
            };
            Action native = kind switch
            {
                "direct" => () => CKernels.Recurrent16Direct(x, inputs, w, ib, m, s, state, u, fb, fm, fs, units, 0, -32768, 32767, yn),
                "lateral" => () => CKernels.Recurrent16Lateral(x, inputs, w, ib, m, s, state, u, fb, fm, fs, units, 0, -32768, 32767, yn),
                _ => () => CKernels.Recurrent16Complete(x, inputs, w, ib, m, s, state, units, u, fb, fm, fs, units, 0, -32768, 32767, yn),
            };
            list.Add(new Case("recurrent " + kind + " 16x8", $"{inputs} inputs, {units} units", (long)inputs * units + (long)units * row, managed, native, () => Same(ym, yn)));
        }
        return list;
    }
}
