using System.Security.Cryptography;

namespace EdgeNet.Tests.Cli;

/// <summary>
/// Users' files are never lost: through the real command entry point, every command x every output x
/// {a folder, an unwritable place, the same file as an input} fails with a non-zero exit code, names the
/// output, leaves every file that existed byte-identical and adds nothing (no temporary file, no folder).
/// </summary>
public class OutputSafetyTests
{
    public enum Kind { Folder, Unwritable, SameAsInput }

    /// <summary>The files of one case's folder: blobs.csv (data), m.float.json (float model), m.enet, and stand-ins for other inputs.</summary>
    public sealed class Env
    {
        public required string Folder;
        public string Data => Path.Combine(Folder, "blobs.csv");
        public string Model => Path.Combine(Folder, "m.float.json");
        public string Enet => Path.Combine(Folder, "m.enet");
        public string Sklearn => Path.Combine(Folder, "ref.json");
        public string Iris => Path.Combine(Folder, "iris.json");
        public string Datasets => Path.Combine(Folder, "datasets");
        public string At(string name) => Path.Combine(Folder, name);
    }

    /// <summary>One output of one command: its arguments given the output's value, the file the value names (value + suffix), and an input it can collide with.</summary>
    public sealed record Case(string Name, Func<Env, string, string[]> Args, string Suffix, Func<Env, string>? SameAs)
    {
        public override string ToString() => Name;
    }

    private const string Split = "rows:1-120/121-150";

    public static readonly Case[] Cases =
    [
        new("train --out", (e, v) => ["train", e.Data, "--label", "kind", "--epochs", "1", "-o", v], "", e => e.Data),
        new("train --history", (e, v) => ["train", e.Data, "--label", "kind", "--epochs", "1", "-o", e.At("new.float.json"), "--history", v], ".csv", e => e.Data),
        new("train (history beside the model)", (e, v) => ["train", e.At("x.history.csv"), "--label", "kind", "--epochs", "1", "-o", v + ".float.json"], ".history.csv", e => e.At("x.history.csv")),
        new("quantize --out", (e, v) => ["quantize", "-m", e.Model, e.Data, "--label", "kind", "-o", v], "", e => e.Model),
        new("quantize --csharp", (e, v) => ["quantize", "-m", e.Model, e.Data, "--label", "kind", "-o", e.At("new.enet"), "--csharp", v], "", e => e.Data),
        new("evaluate --json", (e, v) => ["evaluate", "-m", e.Model, e.Data, "--label", "kind", "--split", Split, "--json", v], "", e => e.Data),
        new("evaluate --predictions", (e, v) => ["evaluate", "-m", e.Model, e.Data, "--label", "kind", "--split", Split, "--predictions", v], "", e => e.Model),
        new("evaluate --predictions (= --enet)", (e, v) => ["evaluate", "-m", e.Model, "--enet", e.Enet, e.Data, "--label", "kind", "--split", Split, "--predictions", v], "", e => e.Enet),
        new("simulate --predictions", (e, v) => ["simulate", e.Enet, e.Data, "--predictions", v], "", e => e.Enet),
        new("demo --out", (e, v) => ["demo", "--data", e.At("report/history.csv"), "--rows", "30", "-o", v], "/history.csv", e => e.At("report/history.csv")),
        new("export-replay --out", (e, v) => ["export-replay", e.Enet, e.Data, "-o", v], "", e => e.Data),
        new("golden --out", (e, v) => ["golden", "-o", v], "", null),
        new("fuzz --save", (e, v) => ["fuzz", "--case", "1", "--save", v], "", null),
        new("fuzz --report", (e, v) => ["fuzz", "--cases", "3", "--report", v], "", null),
        new("bench accuracy --out", (e, v) => ["bench", "accuracy", "--datasets", e.Datasets, "--seeds", "1", "--only", "satellite", "--sklearn", e.Sklearn, "-o", v], ".json", e => e.Sklearn),
        new("bench perceptron --out", (e, v) => ["bench", "perceptron", "--iris", e.Iris, "--epochs", "5", "-o", v], ".json", e => e.Iris),
        new("bench timeseries --out", (e, v) => ["bench", "timeseries", "--datasets", e.Datasets, "--only", "mlp-current", "--seeds", "1", "--epochs", "1", "-o", v], ".md", null),
        new("bench timeseries --models", (e, v) => ["bench", "timeseries", "--datasets", e.Datasets, "--only", "mlp-current", "--seeds", "1", "--epochs", "1", "-o", e.At("ts"), "--models", v], "/mlp-current.enet", null),
        new("record --out", (e, v) => ["record", "--port", e.At("no-such-port"), "--label", "a", "-o", v], "", null),
    ];

    public static TheoryData<Case, Kind> Matrix()
    {
        var data = new TheoryData<Case, Kind>();
        foreach (Case c in Cases)
        {
            data.Add(c, Kind.Folder);
            if (c.Name != "record --out") data.Add(c, Kind.Unwritable); // record opens the port first; it appends in place
            if (c.SameAs != null) data.Add(c, Kind.SameAsInput);
        }
        return data;
    }

    private static readonly Lazy<(byte[] Model, byte[] Enet)> Trained = new(() =>
    {
        string dir = CliRunner.TempFolder();
        try
        {
            string data = CliRunner.WriteBlobs(dir);
            var t = CliRunner.Run("train", data, "--label", "kind", "--epochs", "5", "-o", Path.Combine(dir, "m.float.json"));
            Assert.True(t.ExitCode == 0, t.Error);
            var q = CliRunner.Run("quantize", "-m", Path.Combine(dir, "m.float.json"), data, "--label", "kind", "-o", Path.Combine(dir, "m.enet"));
            Assert.True(q.ExitCode == 0, q.Error);
            return (File.ReadAllBytes(Path.Combine(dir, "m.float.json")), File.ReadAllBytes(Path.Combine(dir, "m.enet")));
        }
        finally { Directory.Delete(dir, true); }
    });

    public static Env NewEnv()
    {
        var e = new Env { Folder = CliRunner.TempFolder() };
        CliRunner.WriteBlobs(e.Folder);
        File.WriteAllBytes(e.Model, Trained.Value.Model);
        File.WriteAllBytes(e.Enet, Trained.Value.Enet);
        File.WriteAllText(e.Sklearn, "{}\n");
        File.WriteAllText(e.Iris, "not read\n");
        Directory.CreateDirectory(e.Datasets);
        File.WriteAllText(e.At("old.float.json"), "a model the user keeps\n");
        Copy(e.Data, e.At("x.history.csv"));          // data named like a model's history file
        Copy(e.Data, e.At("report/history.csv"));     // data inside a report folder
        return e;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void A_bad_output_fails_before_any_file_changes(Case c, Kind kind)
    {
        Env env = NewEnv();
        try
        {
            string value, target;
            switch (kind)
            {
                case Kind.Folder:
                    value = env.At("out");
                    target = value + c.Suffix;
                    Directory.CreateDirectory(target);
                    File.WriteAllText(Path.Combine(target, "keep.txt"), "inside the folder\n");
                    break;
                case Kind.Unwritable:
                    value = "/proc/edgenet-no-such-folder/out";
                    target = value + c.Suffix;
                    break;
                default:
                    target = c.SameAs!(env);
                    Assert.EndsWith(c.Suffix, target);
                    value = target[..^c.Suffix.Length];
                    break;
            }
            Dictionary<string, string> before = Snapshot(env.Folder);
            var r = CliRunner.Run(c.Args(env, value));

            Assert.NotEqual(0, r.ExitCode);
            Assert.StartsWith("error: ", r.Error);
            switch (kind)
            {
                case Kind.Folder:
                    Assert.Equal(2, r.ExitCode);
                    Assert.Contains("is a folder", r.Error);
                    break;
                case Kind.Unwritable:
                    Assert.Equal(1, r.ExitCode);
                    Assert.Contains("cannot write /proc/edgenet-no-such-folder/out", r.Error);
                    break;
                default:
                    Assert.Equal(2, r.ExitCode);
                    Assert.Contains("is the same file as", r.Error);
                    Assert.Contains(Path.GetFileName(target), r.Error);
                    break;
            }
            Assert.Equal(before, Snapshot(env.Folder)); // every file byte-identical, nothing added or removed
        }
        finally { Directory.Delete(env.Folder, true); }
    }

    [Fact]
    public void The_issue_repros_are_refused_naming_both_paths()
    {
        Env env = NewEnv();
        try
        {
            var before = Snapshot(env.Folder);
            string victim = env.Data;
            var r = CliRunner.Run("train", victim, "--label", "kind", "--epochs", "1", "-o", victim);
            CliRunner.AssertCleanError(r, 2, "--out " + victim, "is the same file as the input data " + victim);

            r = CliRunner.Run("quantize", "-m", env.Model, env.Data, "--label", "kind", "-o", env.Model);
            CliRunner.AssertCleanError(r, 2, "--out " + env.Model, "--model " + env.Model);

            r = CliRunner.Run("evaluate", "-m", env.Model, env.Data, "--label", "kind", "--split", Split, "--json", env.Model);
            CliRunner.AssertCleanError(r, 2, "--json " + env.Model, "--model " + env.Model);

            // Two outputs of one command are one file.
            r = CliRunner.Run("quantize", "-m", env.Model, env.Data, "--label", "kind", "-o", env.At("a.enet"), "--csharp", env.At("a.enet"));
            CliRunner.AssertCleanError(r, 2, "--csharp " + env.At("a.enet"), "the output --out");

            // The same file by another spelling: a relative detour and a symbolic link.
            string detour = Path.Combine(env.Folder, "datasets", "..", "blobs.csv");
            r = CliRunner.Run("train", env.Data, "--label", "kind", "--epochs", "1", "-o", detour);
            CliRunner.AssertCleanError(r, 2, "is the same file as");
            string link = env.At("link.csv");
            File.CreateSymbolicLink(link, env.Data);
            before = Snapshot(env.Folder);
            r = CliRunner.Run("train", env.Data, "--label", "kind", "--epochs", "1", "-o", link);
            CliRunner.AssertCleanError(r, 2, "--out " + link, "data " + env.Data);
            // A link to a folder on the way to the input.
            string folderLink = env.At("here");
            Directory.CreateSymbolicLink(folderLink, env.Folder);
            before = Snapshot(env.Folder);
            r = CliRunner.Run("quantize", "-m", Path.Combine(folderLink, "m.float.json"), env.Data, "--label", "kind", "-o", env.Model);
            CliRunner.AssertCleanError(r, 2, "is the same file as");
            Assert.Equal(before, Snapshot(env.Folder));
        }
        finally { Directory.Delete(env.Folder, true); }
    }

    [Fact]
    public void Output_paths_naming_new_folders_are_refused_without_creating_them()
    {
        Env env = NewEnv();
        try
        {
            var before = Snapshot(env.Folder);
            string sub = Path.Combine(env.Folder, "newdir", "sub") + "/";
            var r = CliRunner.Run("train", env.Data, "--label", "kind", "--epochs", "1", "-o", sub);
            CliRunner.AssertCleanError(r, 2, sub, "is a folder; give a file name");
            Assert.False(Directory.Exists(Path.Combine(env.Folder, "newdir")));
            // A path under a file.
            r = CliRunner.Run("train", env.Data, "--label", "kind", "--epochs", "1", "-o", Path.Combine(env.Data, "m.float.json"));
            CliRunner.AssertCleanError(r, 1, "cannot write", "is a file, not a folder");
            Assert.Equal(before, Snapshot(env.Folder));

            // A new folder for a good output is made, and only then.
            string fresh = Path.Combine(env.Folder, "models", "v1", "m.float.json");
            r = CliRunner.Run("train", env.Data, "--label", "kind", "--epochs", "1", "-o", fresh);
            Assert.True(r.ExitCode == 0, r.Error);
            Assert.Equal(new[] { "m.float.json", "m.history.csv", "m.history.json" }, Directory.GetFiles(Path.GetDirectoryName(fresh)!).Select(f => Path.GetFileName(f)!).Order().ToArray());
        }
        finally { Directory.Delete(env.Folder, true); }
    }

    private static string Copy(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
        return to;
    }

    /// <summary>Every file (relative path -> SHA-256), folder (relative path + "/") and link under a folder; links are not followed.</summary>
    public static Dictionary<string, string> Snapshot(string folder)
    {
        var s = new Dictionary<string, string>();
        void Walk(string dir)
        {
            foreach (string path in Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { AttributesToSkip = 0 }))
            {
                string rel = Path.GetRelativePath(folder, path);
                var info = new FileInfo(path);
                if (info.LinkTarget != null) s[rel] = "link " + info.LinkTarget;
                else if (Directory.Exists(path))
                {
                    s[rel + "/"] = "folder";
                    Walk(path);
                }
                else s[rel] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
            }
        }
        Walk(folder);
        return s;
    }
}
