using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace EdgeNet.Tests.Reliability;

/// <summary>
/// Serial model updates under randomized fault schedules (UpdateFaultInjection). CI runs 200 schedules;
/// the recorded 1,000-schedule figures come from the same test with
/// EDGENET_FAULT_SCHEDULES=1000 EDGENET_FAULT_REPORT=benchmarks/results/faults.md.
/// </summary>
public class UpdateFaultTests(ITestOutputHelper output)
{
    [Fact]
    public void Randomized_fault_schedules_never_leave_no_working_model_or_a_corrupt_one_and_every_abort_is_reported()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("EDGENET_FAULT_SCHEDULES"), out int n) && n > 0 ? n : 200;
        var clock = Stopwatch.StartNew();
        var outcomes = new List<FaultOutcome>();
        for (int seed = 1; seed <= count; seed++) outcomes.Add(UpdateFaultInjection.Run(FaultSchedule.Random(seed)));
        TimeSpan elapsed = clock.Elapsed;

        string report = Report(outcomes, elapsed);
        output.WriteLine(report);
        string? path = Environment.GetEnvironmentVariable("EDGENET_FAULT_REPORT");
        if (!string.IsNullOrEmpty(path)) File.WriteAllText(Path.IsPathRooted(path) ? path : Path.Combine(DeviceBuild.RepoRoot, path), report);

        var violations = outcomes.Where(o => o.Violation != null).ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(10).Select(o => $"{o.Schedule}: {o.Violation} (host: {o.HostMessage})\n{o.DeviceLog}")));
        // The schedules must really have hurt: every fault kind occurred, updates failed and succeeded.
        Assert.Contains(outcomes, o => o.Resets);
        Assert.Contains(outcomes, o => o.Cut);
        Assert.Contains(outcomes, o => o.Stalled);
        Assert.True(outcomes.Sum(o => o.Dropped) > 0 && outcomes.Sum(o => o.Flipped) > 0 && outcomes.Sum(o => o.Duplicated) > 0 && outcomes.Sum(o => o.Reordered) > 0);
        Assert.Contains(outcomes, o => o.HostSucceeded);
        Assert.Contains(outcomes, o => !o.HostSucceeded && o.TransferStarted);
        // The fault kinds of issue 12 item 15 occurred too, and dumps ran through the faulty line.
        Assert.True(outcomes.Sum(o => o.LostReplies) > 0 && outcomes.Sum(o => o.StaleNaks) > 0 && outcomes.Sum(o => o.LateDuplicates) > 0);
        Assert.Contains(outcomes, o => o.NoiseBytes >= 2048 && o.HostSucceeded);
        Assert.Contains(outcomes, o => o.MemoryRefused && o.ActiveModel != "model-b");
        Assert.Contains(outcomes, o => o.DumpResult == "identical");
    }

    [Fact]
    public void A_clean_line_completes_the_update()
    {
        var o = UpdateFaultInjection.Run(new FaultSchedule(0, 0, 0, 0, 0, -1, 0, -1, -1));
        Assert.Null(o.Violation);
        Assert.True(o.HostSucceeded, o.HostMessage);
        Assert.Equal("model-b", o.ActiveModel);
    }

    [Fact]
    public void A_reset_during_the_flash_write_keeps_the_old_model_and_the_boot_reports_it()
    {
        var o = UpdateFaultInjection.Run(new FaultSchedule(0, 0, 0, 0, 0, -1, 0, -1, 3));
        Assert.Null(o.Violation);
        Assert.True(o.Resets);
        Assert.False(o.HostSucceeded);
        Assert.Equal(TestModelsName, o.ActiveModel);
        Assert.True(o.AbortReported);
    }

    private static string Commit()
    {
        try
        {
            var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", DeviceBuild.RepoRoot, "rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true })!;
            string head = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            var dirty = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", DeviceBuild.RepoRoot, "status", "--porcelain", "--untracked-files=no"]) { RedirectStandardOutput = true })!;
            bool changed = dirty.StandardOutput.ReadToEnd().Trim().Length > 0;
            dirty.WaitForExit();
            return head + (changed ? " (with uncommitted changes)" : "");
        }
        catch (System.ComponentModel.Win32Exception) { return "unknown (no git)"; }
    }

    private static string TestModelsName => EdgeNet.Tests.Firmware.TestModels.ModelA.Name;

    private static string Report(List<FaultOutcome> outcomes, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        int total = outcomes.Count;
        int ok = outcomes.Count(o => o.HostSucceeded);
        int newActive = outcomes.Count(o => o.ActiveModel == "model-b");
        int oldKept = outcomes.Count(o => o.ActiveModel != "model-b" && o.Violation == null);
        int hostFailedNewActive = outcomes.Count(o => !o.HostSucceeded && !o.HostUnknown && o.ActiveModel == "model-b");
        int aborted = outcomes.Count(o => o.TransferStarted && o.ActiveModel != "model-b");
        int abortedReported = outcomes.Count(o => o.TransferStarted && o.ActiveModel != "model-b" && o.AbortReported);
        s.AppendLine("# Serial model update under fault injection");
        s.AppendLine();
        s.AppendLine(inv, $"Test: `tests/EdgeNet.Tests/Reliability/UpdateFaultTests.cs` with EDGENET_FAULT_SCHEDULES={total}  ");
        s.AppendLine(inv, $"Device: the nanoFramework-compiled firmware core (EdgeNet.Firmware.Core from artifacts/nf) on CoreCLR, in-memory UART and flash, virtual time.  ");
        s.AppendLine(inv, $"Commit: `{Commit()}`  ");
        s.AppendLine(inv, $"Host: the trainer's own ModelDeployer and DeviceLink in virtual time (600 ms timeout, 8 retries, Naks matched to sequence numbers with back-off, Abort on giving up, status check after a lost Commit answer); model A ({EdgeNet.Tests.Firmware.TestModels.A.Length} bytes) active, model B ({EdgeNet.Tests.Firmware.TestModels.B.Length} bytes) sent in 256-byte chunks.  ");
        s.AppendLine(inv, $"Each schedule: 1-4 of 12 fault kinds at random strength (drop, bit flip, duplicate, reorder, stall, cut, reset at a flash write, lost replies, stale Naks, a noise burst of 512-4,096 bytes, late duplicates of host frames 0.5-5 s after, a heap too small for the new model); then 12 s of quiet, a reboot, a classification check and, on a line that is not cut or stalled, `edgenet dump`'s comparison of three rows.");
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("| --- | ---: |");
        s.AppendLine(inv, $"| fault schedules | {total:N0} |");
        s.AppendLine(inv, $"| **ended with no working model** | **{outcomes.Count(o => o.Violation == "no working model")}** |");
        s.AppendLine(inv, $"| **ended with a corrupt or unexpected active model** | **{outcomes.Count(o => o.Violation != null && o.Violation.Contains("model") && o.Violation != "no working model")}** |");
        s.AppendLine(inv, $"| **aborted updates not reported by the device** | **{outcomes.Count(o => o.Violation != null && o.Violation.Contains("reported"))}** |");
        s.AppendLine(inv, $"| other violations (reboot changed the model, stopped classifying, Done without the new model) | {outcomes.Count(o => o.Violation != null) - outcomes.Count(o => o.Violation != null && (o.Violation.Contains("model") || o.Violation.Contains("reported")))} |");
        s.AppendLine(inv, $"| updates completed (host got Done, new model active) | {ok:N0} |");
        s.AppendLine(inv, $"| updates that did not complete, old model kept | {oldKept:N0} |");
        s.AppendLine(inv, $"| of those, begun on the device and reported by it (E line, abort line or boot report) | {abortedReported:N0} of {aborted:N0} |");
        s.AppendLine(inv, $"| of those, reported by the host only (a reset struck between deleting one partial file and creating the next) | {outcomes.Count(o => o.HostOnlyReport):N0} |");
        s.AppendLine(inv, $"| **host's verdict differs from the device's state (Done but old model, or failure but new model)** | **{hostFailedNewActive + outcomes.Count(o => o.HostSucceeded && o.ActiveModel != "model-b")}** |");
        s.AppendLine(inv, $"| host said the outcome is unknown (Commit sent, then the line was cut or stalled past every retry) | {outcomes.Count(o => o.HostUnknown):N0} (new model active in {outcomes.Count(o => o.HostUnknown && o.ActiveModel == "model-b")}) |");
        s.AppendLine(inv, $"| updates refused for lack of free memory (old model kept) | {outcomes.Count(o => o.MemoryRefused):N0} |");
        s.AppendLine(inv, $"| replies lost / stale Naks injected / late duplicates / noise bytes | {outcomes.Sum(o => o.LostReplies):N0} / {outcomes.Sum(o => o.StaleNaks):N0} / {outcomes.Sum(o => o.LateDuplicates):N0} / {outcomes.Sum(o => (long)o.NoiseBytes):N0} |");
        s.AppendLine(inv, $"| dumps after the update: identical / link gave up / differing | {outcomes.Count(o => o.DumpResult == "identical"):N0} / {outcomes.Count(o => o.DumpResult != null && o.DumpResult.StartsWith("link", StringComparison.Ordinal)):N0} / {outcomes.Count(o => o.DumpResult != null && o.DumpResult.StartsWith("differs", StringComparison.Ordinal)):N0} |");
        s.AppendLine(inv, $"| schedules with a device reset during the update | {outcomes.Count(o => o.Resets):N0} |");
        s.AppendLine(inv, $"| schedules with a cut line / a stall | {outcomes.Count(o => o.Cut):N0} / {outcomes.Count(o => o.Stalled):N0} |");
        s.AppendLine(inv, $"| frames dropped / bit-flipped / duplicated / delayed out of order | {outcomes.Sum(o => o.Dropped):N0} / {outcomes.Sum(o => o.Flipped):N0} / {outcomes.Sum(o => o.Duplicated):N0} / {outcomes.Sum(o => o.Reordered):N0} |");
        s.AppendLine(inv, $"| virtual time simulated | {outcomes.Sum(o => o.VirtualMs) / 1000.0:N0} s |");
        s.AppendLine(inv, $"| wall time | {elapsed.TotalSeconds:0.0} s |");
        s.AppendLine();
        s.AppendLine("## How updates that did not complete ended (host's message, numbers generalized)");
        s.AppendLine();
        s.AppendLine("| host message | schedules |");
        s.AppendLine("| --- | ---: |");
        foreach (var g in outcomes.Where(o => !o.HostSucceeded)
                     .GroupBy(o => System.Text.RegularExpressions.Regex.Replace(o.HostMessage, @"\d+", "N"))
                     .OrderByDescending(g => g.Count()).Take(15))
        {
            s.AppendLine(inv, $"| {g.Key.Replace("|", "\\|")} | {g.Count()} |");
        }
        var bad = outcomes.Where(o => o.Violation != null).Take(20).ToList();
        if (bad.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Violations");
            s.AppendLine();
            foreach (var o in bad) s.AppendLine($"- {o.Schedule}: {o.Violation}");
        }
        return s.ToString();
    }
}
