using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeNet.Fuzzing
{
    public enum FailureKind
    {
        /// <summary>An exception from a reader or an engine (IndexOutOfRange included).</summary>
        Crash,
        /// <summary>A case over its time budget.</summary>
        Hang,
        /// <summary>The builds differ in verdict, reason or inference trace.</summary>
        Disagreement,
        /// <summary>Bytes after the file's end changed the verdict (the reader looked past the end).</summary>
        OutOfRangeRead,
        /// <summary>A rejection without "byte N: reason", or naming a byte past the end.</summary>
        VagueReason,
        /// <summary>An accepted file that does not write back to the same bytes.</summary>
        NotCanonical,
    }

    /// <summary>What a fuzz run saw: verdicts, reasons by class, mutations, failures with reproducible case numbers.</summary>
    public sealed class FuzzReport
    {
        public const int MaxExamples = 20;

        public int Seed { get; set; }
        public long Cases { get; private set; }
        public long Accepted { get; private set; }
        public long Rejected => Cases - Accepted;
        public TimeSpan Elapsed { get; set; }
        public double SlowestCaseMs { get; set; }

        /// <summary>Cases over budget once but within it when timed again (the machine was busy), not hangs.</summary>
        public long Retimed { get; set; }

        /// <summary>True when a case hung so long that the run was stopped.</summary>
        public bool Aborted { get; set; }

        /// <summary>Rejections by reason class (the reason with byte offsets, layer indexes and numbers generalized).</summary>
        public Dictionary<string, long> ReasonClasses { get; } = new Dictionary<string, long>();

        public long[] MutationCases { get; } = new long[ModelMutator.Kinds.Length];
        public long[] MutationAccepted { get; } = new long[ModelMutator.Kinds.Length];

        public long[] Failures { get; } = new long[Enum.GetValues<FailureKind>().Length];
        public List<string> Examples { get; } = new List<string>();

        public long TotalFailures => Failures.Sum();
        public long Failed(FailureKind kind) => Failures[(int)kind];

        public void Count(int mutation, string reason)
        {
            Cases++;
            MutationCases[mutation]++;
            if (reason == null)
            {
                Accepted++;
                MutationAccepted[mutation]++;
                return;
            }
            string key = ReasonClass(reason);
            ReasonClasses[key] = ReasonClasses.TryGetValue(key, out long n) ? n + 1 : 1;
        }

        public void Record(FailureKind kind, long index, string mutation, string detail)
        {
            Failures[(int)kind]++;
            if (Examples.Count < MaxExamples) Examples.Add($"case {index} ({mutation}): {kind}: {detail}");
        }

        private static readonly Regex Numbers = new Regex(@"0x[0-9A-Fa-f]+|(?<![A-Za-z0-9-])-?\d+", RegexOptions.CultureInvariant);

        /// <summary>"byte 57: layer 1: units 5000 outside 1..4096" becomes "layer N: units N outside N..N".</summary>
        public static string ReasonClass(string reason)
        {
            string r = Regex.Replace(reason, @"^byte \d+: ", "");
            r = Regex.Replace(r, "\"[^\"]*\"", "\"…\"");
            return Numbers.Replace(r, "N");
        }

        public string Summary()
        {
            var s = new StringBuilder();
            s.Append(CultureInfo.InvariantCulture, $"{Cases:N0} cases in {Elapsed.TotalSeconds:0.0} s: {Accepted:N0} accepted, {Rejected:N0} rejected; ");
            s.Append(string.Join(", ", Enum.GetValues<FailureKind>().Select(k => $"{Failed(k)} {Name(k)}")));
            if (Aborted) s.Append(" (run stopped by a hang)");
            return s.ToString();
        }

        public static string Name(FailureKind k) => k switch
        {
            FailureKind.Crash => "crashes",
            FailureKind.Hang => "hangs",
            FailureKind.Disagreement => "build disagreements",
            FailureKind.OutOfRangeRead => "out-of-range reads",
            FailureKind.VagueReason => "rejections without a specific reason",
            FailureKind.NotCanonical => "accepted non-canonical files",
            _ => k.ToString(),
        };

        /// <summary>The figures as Markdown (benchmarks/results/fuzz.md).</summary>
        public string ToMarkdown(string command, string machine)
        {
            var s = new StringBuilder();
            var inv = CultureInfo.InvariantCulture;
            s.AppendLine("# Model reader fuzzing");
            s.AppendLine();
            s.AppendLine(inv, $"Command: `{command}`  ");
            s.AppendLine(inv, $"Machine: {machine}  ");
            s.AppendLine(inv, $"Readers: net10 build and nanoFramework-compiled build (on CoreCLR), both fed every case.");
            s.AppendLine();
            s.AppendLine("| figure | value |");
            s.AppendLine("| --- | ---: |");
            s.AppendLine(inv, $"| cases | {Cases:N0} |");
            s.AppendLine(inv, $"| accepted (ran inference on both builds) | {Accepted:N0} |");
            s.AppendLine(inv, $"| rejected with a reason | {Rejected:N0} |");
            foreach (FailureKind k in Enum.GetValues<FailureKind>()) s.AppendLine(inv, $"| {Name(k)} | {Failed(k):N0} |");
            s.AppendLine(inv, $"| time | {Elapsed.TotalSeconds:0.0} s ({(Cases > 0 ? Elapsed.TotalMilliseconds * 1000 / Cases : 0):0.0} µs per case) |");
            s.AppendLine(inv, $"| slowest case (after re-timing) | {SlowestCaseMs:0.0} ms |");
            s.AppendLine(inv, $"| cases over budget once, within it when re-timed (busy machine) | {Retimed:N0} |");
            s.AppendLine();
            s.AppendLine("## Cases by mutation");
            s.AppendLine();
            s.AppendLine("| mutation | cases | accepted |");
            s.AppendLine("| --- | ---: | ---: |");
            for (int i = 0; i < ModelMutator.Kinds.Length; i++) s.AppendLine(inv, $"| {ModelMutator.Kinds[i]} | {MutationCases[i]:N0} | {MutationAccepted[i]:N0} |");
            s.AppendLine();
            s.AppendLine("## Rejections by reason class");
            s.AppendLine();
            s.AppendLine("Numbers in the reasons are shown as N; every reason starts with the byte offset it concerns.");
            s.AppendLine();
            s.AppendLine("| reason | cases |");
            s.AppendLine("| --- | ---: |");
            foreach (var kv in ReasonClasses.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                s.AppendLine(inv, $"| {kv.Key.Replace("|", "\\|")} | {kv.Value:N0} |");
            }
            if (Examples.Count > 0)
            {
                s.AppendLine();
                s.AppendLine("## Failures (first " + MaxExamples + ")");
                s.AppendLine();
                foreach (string e in Examples) s.AppendLine("- " + e);
            }
            return s.ToString();
        }
    }
}
