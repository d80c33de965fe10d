using EdgeNet.Trainer.Commands;
using EdgeNet.Trainer.Output;

namespace EdgeNet.Tests.Cli;

/// <summary>The all-or-nothing piece itself: a failure after some outputs were written changes no target.</summary>
public class OutputSetTests
{
    [Fact]
    public void A_failure_after_the_first_output_was_written_keeps_every_target_and_leaves_nothing()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string model = Path.Combine(dir, "m.float.json"), history = Path.Combine(dir, "new", "m.history.csv");
            File.WriteAllText(model, "the working model\n");
            var before = OutputSafetyTests.Snapshot(dir);
            using (var outputs = new OutputSet())
            {
                outputs.Add("--out", model);
                outputs.Add("history", history);
                outputs.Check();
                outputs.Write(model, "a new model\n");
                Assert.Throws<InvalidOperationException>(() => outputs.Write(history, _ => throw new InvalidOperationException("the history writer failed")));
            }
            Assert.Equal(before, OutputSafetyTests.Snapshot(dir)); // old model bytes, no temporary file, no "new" folder
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void An_interrupt_between_the_writes_and_the_commit_keeps_every_target()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string model = Path.Combine(dir, "m.enet"), report = Path.Combine(dir, "report", "summary.md");
            File.WriteAllText(model, "the working model\n");
            var before = OutputSafetyTests.Snapshot(dir);
            using var outputs = new OutputSet();
            outputs.Add("--out", model);
            outputs.Add("--out", report);
            outputs.Check();
            outputs.Write(model, "new");
            outputs.Write(report, "new");
            outputs.Interrupt(); // as Ctrl+C / SIGTERM do
            Assert.Equal(before, OutputSafetyTests.Snapshot(dir));
            Assert.Throws<OperationCanceledException>(() => outputs.Commit());
            Assert.Equal(before, OutputSafetyTests.Snapshot(dir));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Commit_replaces_every_target_and_removes_the_staging_folder()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string a = Path.Combine(dir, "a.md"), b = Path.Combine(dir, "sub", "b.json");
            File.WriteAllText(a, "old");
            using (var outputs = new OutputSet())
            {
                outputs.Add("--out", a);
                outputs.Add("--out", b);
                outputs.Check();
                string staging = outputs.Staging(a);
                File.WriteAllText(Path.Combine(staging, "a.md"), "new a");
                outputs.Adopt(a, Path.Combine(staging, "a.md"));
                outputs.Write(b, "new b");
                Assert.Equal("old", File.ReadAllText(a)); // nothing replaced before the commit
                outputs.Commit();
            }
            Assert.Equal("new a", File.ReadAllText(a));
            Assert.Equal("new b", File.ReadAllText(b));
            Assert.Equal(["a.md", "sub/", "sub/b.json"], OutputSafetyTests.Snapshot(dir).Keys.Order(StringComparer.Ordinal).ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_symbolic_link_output_is_written_through_and_stays_a_link()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string real = Path.Combine(dir, "real.enet"), link = Path.Combine(dir, "current.enet");
            File.WriteAllText(real, "old");
            File.CreateSymbolicLink(link, real);
            using (var outputs = new OutputSet())
            {
                outputs.Add("--out", link);
                outputs.Check();
                outputs.Write(link, "new");
                outputs.Commit();
            }
            Assert.NotNull(new FileInfo(link).LinkTarget);
            Assert.Equal("new", File.ReadAllText(real));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Path_identity_follows_the_file_system_spelling()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string data = Path.Combine(dir, "data.csv");
            File.WriteAllText(data, "x");
            string upper = Path.Combine(dir, "DATA.CSV");
            // Same file exactly when this file system finds data.csv under the other spelling.
            Assert.Equal(File.Exists(upper), PathIdentity.Same(upper, data));
            Assert.True(PathIdentity.Same(Path.Combine(dir, ".", "x", "..", "data.csv"), data));
            Assert.False(PathIdentity.Same(Path.Combine(dir, "other.csv"), data));
            var e = Assert.Throws<CliException>(() =>
            {
                using var outputs = new OutputSet();
                outputs.Input("data", data);
                outputs.Add("--out", Path.Combine(dir, "x", "..", "data.csv"));
                outputs.Check();
            });
            Assert.Equal(ExitCodes.Usage, e.ExitCode);
        }
        finally { Directory.Delete(dir, true); }
    }
}
