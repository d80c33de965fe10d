using System.Text.RegularExpressions;

namespace EdgeNet.Tests;

/// <summary>
/// Issue #15, "Done when": `bash benchmarks/run.sh` regenerates every results file. docs/benchmarks.md ("Results
/// files") names the mode that writes each file of benchmarks/results; this checks the table against the folder and
/// against the modes `run.sh all` runs, and that a file the table calls archived says so in its own header. It reads
/// the script, it does not run it: that a mode writes the file it is listed with is the table's claim.
/// </summary>
public class ResultsFilesTests
{
    private static string Root => DeviceBuild.RepoRoot;

    [Fact]
    public void Every_results_file_is_written_by_a_mode_of_run_sh_all_or_says_it_is_archived()
    {
        string folder = Path.Combine(Root, "benchmarks", "results");
        string[] files = Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        List<string> problems = Problems(files, WriterTable(), AllModes(), f => Head(Path.Combine(folder, f)));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void An_unlisted_file_an_unknown_mode_and_an_unmarked_archive_are_caught()
    {
        var table = new Dictionary<string, string> { ["a.json"] = "inference", ["b.json"] = "archived: old", ["c.json"] = "nosuchmode", ["gone.md"] = "inference" };
        string[] files = ["a.json", "b.json", "c.json", "new.json"];
        List<string> problems = Problems(files, table, AllModes(), f => "{ \"machine\": {} }");
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("new.json:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("b.json:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("c.json:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("gone.md:", StringComparison.Ordinal));
        var archived = new Dictionary<string, string> { ["b.json"] = "archived: old" };
        Assert.Empty(Problems(["b.json"], archived, AllModes(), f => "{\n  \"archived\": \"not written by run.sh\""));
    }

    private static List<string> Problems(string[] files, Dictionary<string, string> table, HashSet<string> modes, Func<string, string> head)
    {
        var problems = new List<string>();
        foreach (string file in files)
        {
            if (!table.TryGetValue(file, out string? mode)) problems.Add($"{file}: not listed in docs/benchmarks.md \"Results files\" (which run.sh mode writes it?)");
            else if (mode.StartsWith("archived", StringComparison.Ordinal))
            {
                if (!head(file).Contains("archived", StringComparison.OrdinalIgnoreCase)) problems.Add($"{file}: listed as archived, but its header does not say so");
            }
            else if (!modes.Contains(mode)) problems.Add($"{file}: mode '{mode}' is not one `run.sh all` runs ({string.Join(" ", modes)})");
        }
        foreach (string listed in table.Keys)
            if (!files.Contains(listed)) problems.Add($"{listed}: listed in docs/benchmarks.md but not in benchmarks/results");
        return problems;
    }

    /// <summary>The modes of `run.sh all`, from the script.</summary>
    private static HashSet<string> AllModes()
    {
        string script = File.ReadAllText(Path.Combine(Root, "benchmarks", "run.sh"));
        Match m = Regex.Match(script, @"\[ ""\$\{modes\[0\]\}"" = all \] && modes=\((?<modes>[^)]*)\)");
        Assert.True(m.Success, "benchmarks/run.sh: the list of modes `all` runs was not found");
        return m.Groups["modes"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    /// <summary>File name -> mode cell of the "Results files" table of docs/benchmarks.md.</summary>
    private static Dictionary<string, string> WriterTable()
    {
        string doc = File.ReadAllText(Path.Combine(Root, "docs", "benchmarks.md"));
        int start = doc.IndexOf("\n## Results files\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/benchmarks.md has no \"Results files\" section");
        int end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? doc[start..] : doc[start..end];
        var table = new Dictionary<string, string>();
        foreach (string line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            string[] cells = line.Split('|');
            foreach (Match f in Regex.Matches(cells[1], "`([^`]+)`")) table.Add(f.Groups[1].Value, cells[2].Trim());
        }
        Assert.NotEmpty(table);
        return table;
    }

    // The header: a JSON file's first fields, a Markdown file's first paragraphs.
    private static string Head(string path)
    {
        string text = File.ReadAllText(path);
        return text[..Math.Min(text.Length, 800)];
    }
}
