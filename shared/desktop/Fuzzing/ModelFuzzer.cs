using System;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Quantization;

namespace EdgeNet.Fuzzing
{
    public sealed class FuzzOptions
    {
        public long Cases { get; set; } = 10_000;
        public int Seed { get; set; } = 1;

        /// <summary>A case (both readers, and inference when accepted) slower than this counts as a hang.</summary>
        public TimeSpan CaseBudget { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>How many valid seed models the mutations start from.</summary>
        public int SeedModels { get; set; } = 48;

        /// <summary>Makes one valid seed model; the default draws random dense networks of varied shape.</summary>
        public Func<Random, Model> SeedModel { get; set; } = ModelFuzzer.RandomSeedModel;

        /// <summary>
        /// The format version the seed models are written in (accepted mutants must write back in it). Runs
        /// before format v2 wrote version 1 files: <c>--format-version 1</c> reproduces their cases.
        /// </summary>
        public int FormatVersion { get; set; } = EdgeNet.Format.ModelFormat.VersionWithoutWideWeights;

        /// <summary>Called about every 10,000 cases with the report so far.</summary>
        public Action<FuzzReport> Progress { get; set; }
    }

    /// <summary>
    /// Feeds mutated model files to two builds of the reader and engine (net10 and the nanoFramework build)
    /// and checks, for every case: no exception (crash), no case over its time budget (hang), both builds
    /// give the same verdict and the same reason, a rejection names its byte ("byte N: ..."), the reader
    /// never looks past the file's end (bytes after it cannot change the verdict), and an accepted file
    /// is canonical (writes back to the same bytes) and runs inference identically on both builds.
    /// Every case is reproducible from (seed, case number).
    /// </summary>
    public sealed class ModelFuzzer
    {
        private readonly ReaderUnderTest _desktop;
        private readonly ReaderUnderTest _device;
        private readonly FuzzOptions _options;
        private readonly FuzzSeed[] _seeds;

        public ModelFuzzer(ReaderUnderTest desktop, ReaderUnderTest device, FuzzOptions options)
        {
            _desktop = desktop;
            _device = device;
            _options = options;
            var rng = new Random(options.Seed);
            _seeds = new FuzzSeed[options.SeedModels];
            for (int i = 0; i < _seeds.Length; i++) _seeds[i] = new FuzzSeed(options.SeedModel(rng), options.FormatVersion);
        }

        private static readonly string[] NetworkFamilies = { "cnn", "direct", "lateral", "complete", "indirect" };

        /// <summary>
        /// One in three: a conv1d/pooling or recurrent model (RandomLayers). Otherwise a dense network of 1-15 features, an optional window, 1-4 layers of 1-16 units; one in eight has
        /// 256-300 features or a first layer of 256-300 units (two-byte counts), kept to a few thousand weights.
        /// </summary>
        public static Model RandomSeedModel(Random rng)
        {
            // A third of the seeds are the other network types: conv/pool stacks and recurrent layers.
            if (rng.Next(3) == 0) return RandomLayers.Model(rng, NetworkFamilies[rng.Next(NetworkFamilies.Length)]);

            int features = rng.Next(1, 16);
            int window = rng.Next(4) == 0 ? rng.Next(2, 5) : 1;
            var units = new int[rng.Next(1, 5)];
            for (int l = 0; l < units.Length; l++) units[l] = rng.Next(1, 17);
            switch (rng.Next(16))
            {
                case 0: features = rng.Next(256, 301); window = 1; units[0] = rng.Next(1, 9); break;
                case 1: features = rng.Next(1, 5); if (units.Length > 1) units[0] = rng.Next(256, 301); units[^1] = rng.Next(1, 5); break;
            }
            return RandomModels.Dense(rng, features, units, window);
        }

        // Shared between the worker and the watchdog.
        private long _caseStartTicks;
        private long _currentCase = -1;

        /// <summary>Runs options.Cases cases; a case stuck past 5x its budget stops the run (reported as a hang).</summary>
        public FuzzReport Run()
        {
            var report = new FuzzReport { Seed = _options.Seed };
            var clock = Stopwatch.StartNew();
            Exception workerError = null;
            var worker = new Thread(() =>
            {
                try
                {
                    for (long i = 0; i < _options.Cases; i++)
                    {
                        Volatile.Write(ref _caseStartTicks, clock.ElapsedTicks);
                        Volatile.Write(ref _currentCase, i);
                        RunCase(i, report);
                        if ((i + 1) % 10_000 == 0)
                        {
                            report.Elapsed = clock.Elapsed;
                            _options.Progress?.Invoke(report);
                        }
                    }
                }
                catch (Exception e) { workerError = e; }
                Volatile.Write(ref _currentCase, -1);
            }, 16 * 1024 * 1024) { IsBackground = true, Name = "fuzz worker" };
            worker.Start();
            long stuckTicks = (long)(_options.CaseBudget.TotalSeconds * 5 * Stopwatch.Frequency);
            while (!worker.Join(100))
            {
                long current = Volatile.Read(ref _currentCase);
                if (current >= 0 && clock.ElapsedTicks - Volatile.Read(ref _caseStartTicks) > stuckTicks)
                {
                    // The worker cannot be stopped safely; report and leave it (a background thread).
                    report.Record(FailureKind.Hang, current, "?", "still running after " + (5 * _options.CaseBudget.TotalSeconds).ToString("0.#") + " s");
                    report.Aborted = true;
                    break;
                }
            }
            if (workerError != null) throw new InvalidOperationException("fuzzer failed (a bug in the fuzzer itself)", workerError);
            report.Elapsed = clock.Elapsed;
            return report;
        }

        /// <summary>Runs one case (reproducing a reported failure); the report receives its outcome.</summary>
        public void RunCase(long index, FuzzReport report)
        {
            byte[] file = CaseFile(index, out int kind, out int arena, out Random rng);
            string mutation = ModelMutator.Kinds[kind];

            long start = Stopwatch.GetTimestamp();
            string desktop, device;
            try { desktop = _desktop.Check(file, arena); }
            catch (Exception e) { report.Record(FailureKind.Crash, index, mutation, _desktop.Name + " reader: " + Describe(e)); return; }
            try { device = _device.Check(file, arena); }
            catch (Exception e) { report.Record(FailureKind.Crash, index, mutation, _device.Name + " reader: " + Describe(e)); return; }

            report.Count(kind, desktop);
            if (desktop != device)
            {
                report.Record(FailureKind.Disagreement, index, mutation, _desktop.Name + " \"" + (desktop ?? "accepted") + "\" vs " + _device.Name + " \"" + (device ?? "accepted") + "\"");
            }
            else if (!BeyondTheEndIsIgnored(_desktop, file, arena, desktop, rng, out string beyond)
                || !BeyondTheEndIsIgnored(_device, file, arena, desktop, rng, out beyond))
            {
                report.Record(FailureKind.OutOfRangeRead, index, mutation, beyond);
            }
            else if (desktop != null)
            {
                if (!SpecificReason.IsMatch(desktop) || ReasonByte(desktop) > file.Length)
                {
                    report.Record(FailureKind.VagueReason, index, mutation, desktop);
                }
            }
            else
            {
                RunAccepted(index, mutation, file, arena, rng, report);
            }

            double ms = (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
            if (ms > _options.CaseBudget.TotalMilliseconds)
            {
                // Wall time also counts moments when a shared machine ran something else: time the case's
                // work again, and call it a hang only when it is slow twice.
                double again = Retime(file, arena, desktop == null);
                if (again > _options.CaseBudget.TotalMilliseconds)
                {
                    report.Record(FailureKind.Hang, index, mutation, "took " + ms.ToString("0") + " ms, then " + again.ToString("0") + " ms");
                }
                else
                {
                    report.Retimed++;
                    ms = again;
                }
            }
            if (ms > report.SlowestCaseMs) report.SlowestCaseMs = ms;
        }

        private double Retime(byte[] file, int arena, bool accepted)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                _desktop.Check(file, arena);
                _device.Check(file, arena);
                if (accepted)
                {
                    Model model = ModelReader.Read(file, file.Length, arena, out _);
                    int[] raw = new int[3 * model.FeatureCount];
                    _desktop.Trace(file, raw, 3);
                    _device.Trace(file, raw, 3);
                }
            }
            catch (Exception) { } // an exception was already recorded as a crash
            return (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
        }

        /// <summary>The mutated file of a case, its mutation kind and arena budget (to reproduce or save a case).</summary>
        public byte[] CaseFile(long index, out int kind, out int arena, out Random rng)
        {
            rng = new Random(CaseSeed(_options.Seed, index));
            FuzzSeed seed = _seeds[rng.Next(_seeds.Length)];
            FuzzSeed other = _seeds[rng.Next(_seeds.Length)];
            byte[] file = ModelMutator.Mutate(seed, other, rng, out kind);
            arena = rng.Next(8) == 0 ? rng.Next(0, 2048) : int.MaxValue;
            return file;
        }

        private void RunAccepted(long index, string mutation, byte[] file, int arena, Random rng, FuzzReport report)
        {
            Model model = ModelReader.Read(file, file.Length, arena, out _);
            byte[] again;
            try { again = ModelWriter.Write(model, _options.FormatVersion); }
            catch (Exception e) { report.Record(FailureKind.NotCanonical, index, mutation, "accepted model cannot be written back: " + Describe(e)); return; }
            if (!again.AsSpan().SequenceEqual(file))
            {
                report.Record(FailureKind.NotCanonical, index, mutation, "accepted file does not write back to the same bytes");
                return;
            }

            int readings = rng.Next(1, 4);
            int[] raw = RandomModels.Readings(rng, readings * model.FeatureCount);
            sbyte[] a, b;
            try { a = _desktop.Trace(file, raw, readings); }
            catch (Exception e) { report.Record(FailureKind.Crash, index, mutation, _desktop.Name + " engine: " + Describe(e)); return; }
            try { b = _device.Trace(file, raw, readings); }
            catch (Exception e) { report.Record(FailureKind.Crash, index, mutation, _device.Name + " engine: " + Describe(e)); return; }
            if (a == null || b == null || !a.AsSpan().SequenceEqual(b))
            {
                report.Record(FailureKind.Disagreement, index, mutation, "inference traces differ between " + _desktop.Name + " and " + _device.Name);
            }
        }

        /// <summary>
        /// The same file inside a longer buffer, followed by random bytes: a reader that honours the length
        /// gives the same verdict; one that looks past the end sees the junk (an out-of-range read that an
        /// exact-size array would turn into an exception, or worse on a device, into reading other memory).
        /// </summary>
        private static bool BeyondTheEndIsIgnored(ReaderUnderTest reader, byte[] file, int arena, string expected, Random rng, out string detail)
        {
            byte[] padded = new byte[file.Length + 64];
            Array.Copy(file, padded, file.Length);
            for (int i = file.Length; i < padded.Length; i++) padded[i] = (byte)rng.Next(256);
            string error;
            try { error = reader.CheckPrefix(padded, file.Length, arena); }
            catch (Exception e) { detail = reader.Name + " with bytes after the end: " + Describe(e); return false; }
            detail = reader.Name + ": verdict changes when bytes follow the end: \"" + (expected ?? "accepted") + "\" vs \"" + (error ?? "accepted") + "\"";
            return error == expected;
        }

        private static readonly Regex SpecificReason = new Regex(@"^byte (\d+): \S.*$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        private static long ReasonByte(string reason) => long.Parse(SpecificReason.Match(reason).Groups[1].Value);

        private static string Describe(Exception e) => e.GetType().Name + ": " + e.Message;

        /// <summary>A 32-bit seed for case index of a run (SplitMix64 finalizer), so cases are independent.</summary>
        public static int CaseSeed(int seed, long index)
        {
            ulong z = ((ulong)(uint)seed << 32) + (ulong)index + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)z;
        }
    }
}
