using System.Diagnostics;
using EdgeNet.Trainer.Commands;

namespace EdgeNet.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) or SIGTERM while a command writes its outputs: nothing half-written is left behind.</summary>
public class InterruptTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public void Ctrl_C_or_SIGTERM_during_the_demo_leaves_no_partial_report()
    {
        if (OperatingSystem.IsWindows())
        {
            log.WriteLine("not run: the signals are sent with kill(1), which Windows does not have");
            return;
        }
        Interrupt("TERM");
        // A process started from a background job inherits SIGINT ignored (POSIX), and .NET then leaves it ignored:
        // Ctrl+C can only be tried when this test process receives it.
        if (SigIntIgnored()) log.WriteLine("SIGINT not sent: this test process ignores it (started from a background job), so edgenet would too");
        else Interrupt("INT");
    }

    /// <summary>A temporary output file exists: the command is between its first write and its commit.</summary>
    private static bool Writing(string dir) =>
        Directory.EnumerateFiles(dir, "*.tmp", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Any();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static bool SigIntIgnored()
    {
        string line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:"));
        return line != null && (Convert.ToUInt64(line[7..].Trim(), 16) & 2) != 0; // bit 1 = signal 2
    }

    private void Interrupt(string signal)
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string report = Path.Combine(dir, "out", "demo");
            using Process p = Edgenet.Start(dir, "demo", "--data", CliRunner.SatelliteCsv, "--epochs", "3", "-o", report);
            var clock = Stopwatch.StartNew();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            Task stdoutTask = p.StandardOutput.ReadToEndAsync();
            Task stdout = stdoutTask;
            // The report folder appears when the first report file is being written; interrupt right then.
            while (!Writing(dir) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(4)) Thread.Sleep(2);
            Assert.False(p.HasExited, "the demo ended before it wrote anything: " + stderr.Result);
            Assert.Equal(0, Kill(p.Id, signal == "INT" ? 2 : 15));
            Assert.True(p.WaitForExit(120_000), "the demo did not stop on SIG" + signal);
            stdout.Wait();
            log.WriteLine(p.ExitCode != 0 ? $"SIG{signal} ended the demo while it was writing (exit {p.ExitCode})" : $"SIG{signal} came after the last rename (exit 0)");
            // Either the whole report (the signal came after the last rename) or nothing at all; never a part.
            if (p.ExitCode == 0 || Directory.Exists(Path.Combine(dir, "out")))
            {
                string[] files = Directory.GetFiles(report).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
                Assert.Equal(DemoCommand.ReportFiles.Order(StringComparer.Ordinal).ToArray(), files);
            }
            Assert.Equal(Array.Empty<string>(), Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".tmp")).ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }
}
