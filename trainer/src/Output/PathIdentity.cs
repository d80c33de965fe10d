namespace EdgeNet.Trainer.Output;

/// <summary>
/// Which file a path names on this machine: the full path with every symbolic link resolved and every
/// existing component spelled as the file system stores it. Two paths name the same file when their
/// identities are equal (ordinal), so <c>./a/../data.csv</c>, a link to data.csv and, on a case-insensitive
/// file system, <c>DATA.CSV</c> all collide with <c>data.csv</c>. Hard links are not detected.
/// </summary>
public static class PathIdentity
{
    private const int MaxLinks = 40; // as the kernel's ELOOP limit: a link cycle ends here

    public static string Of(string path) => Resolve(Path.GetFullPath(path), 0);

    /// <summary>True when both paths name the same file (or folder).</summary>
    public static bool Same(string a, string b) => string.Equals(Of(a), Of(b), StringComparison.Ordinal);

    private static string Resolve(string full, int links)
    {
        string root = Path.GetPathRoot(full) ?? "";
        string[] parts = full[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        string current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Combine(current, parts[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget != null && links < MaxLinks)
            {
                // A relative link target is relative to the link's folder; the rest of the path follows it.
                string target = Path.GetFullPath(info.LinkTarget, current);
                string rest = string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]);
                return Resolve(rest.Length == 0 ? target : Path.Combine(target, rest), links + 1);
            }
            if (!info.Exists && !Directory.Exists(next))
                return Path.Combine(current, string.Join(Path.DirectorySeparatorChar, parts[i..])); // the rest does not exist yet
            current = Path.Combine(current, StoredName(current, parts[i]));
        }
        return current;
    }

    /// <summary>
    /// The name of an existing entry as its folder lists it: the given spelling when the folder holds it,
    /// else the one entry that matches ignoring case (the file system found it, so it ignores case).
    /// </summary>
    private static string StoredName(string folder, string name)
    {
        if (name.IndexOfAny(['*', '?']) >= 0) return name; // would be read as a pattern; keep as typed
        try
        {
            string match = null;
            var options = new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive, AttributesToSkip = 0, IgnoreInaccessible = true };
            foreach (string entry in Directory.EnumerateFileSystemEntries(folder, name, options))
            {
                string stored = Path.GetFileName(entry);
                if (stored == name) return name;
                match ??= stored;
            }
            return match ?? name;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return name;
        }
    }
}
