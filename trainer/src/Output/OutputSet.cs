using System.Runtime.InteropServices;
using System.Text;
using EdgeNet.Trainer.Commands;

namespace EdgeNet.Trainer.Output;

/// <summary>
/// The files one command writes, all or nothing. A command names its inputs and outputs first and calls
/// <see cref="Check"/> before any work: an output that is the same file as an input or as another output,
/// a folder, or a path that cannot be written stops the command there. Each output is then written to a
/// temporary file beside its target; <see cref="Commit"/> renames them all once every one was written.
/// Disposing without a commit (an error, an exception) or an interrupt (Ctrl+C, SIGTERM) deletes the
/// temporary files and the folders the set created, so the targets keep their old bytes and nothing is left.
/// </summary>
public sealed class OutputSet : IDisposable
{
    private sealed class Entry
    {
        public string What;   // how the user named it: "--out", "history", ...
        public string Path;   // as given
        public string Target; // where it is written: its identity (a symbolic link is written through)
        public string Temp;   // the written bytes until Commit
    }

    private readonly List<(string What, string Path)> _inputs = [];
    private readonly List<Entry> _outputs = [];
    private readonly List<string> _createdFolders = [];
    private readonly List<string> _stagingFolders = [];
    private readonly object _gate = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private bool _finished;

    /// <summary>A file the command reads (null: not used this time).</summary>
    public void Input(string what, string path)
    {
        if (path != null) _inputs.Add((what, path));
    }

    /// <summary>A file the command writes (null: not asked for); returns the path.</summary>
    public string Add(string what, string path)
    {
        if (path != null) _outputs.Add(new Entry { What = what, Path = path });
        return path;
    }

    /// <summary>
    /// Refuses, before any work, outputs that collide with an input or with each other (exit 2, naming both),
    /// that are folders (exit 2), or whose folder cannot be written (exit 1). Creates nothing that stays.
    /// </summary>
    public void Check()
    {
        var seen = new List<(string What, string Path, string Id)>();
        foreach (var (what, path) in _inputs) seen.Add((what, path, PathIdentity.Of(path)));
        int inputs = seen.Count;
        foreach (Entry o in _outputs)
        {
            if (o.Path.Length == 0) throw new CliException($"{o.What}: empty path", ExitCodes.Usage);
            if (EndsInSeparator(o.Path) || Directory.Exists(o.Path))
                throw new CliException($"{o.What} {o.Path}: is a folder; give a file name", ExitCodes.Usage);
            o.Target = PathIdentity.Of(o.Path);
            for (int i = 0; i < seen.Count; i++)
            {
                if (seen[i].Id != o.Target) continue;
                string role = i < inputs ? "the input" : "the output";
                throw new CliException($"{o.What} {o.Path} is the same file as {role} {seen[i].What} {seen[i].Path}; choose another output path", ExitCodes.Usage);
            }
            seen.Add((o.What, o.Path, o.Target));
            if (Directory.Exists(o.Target)) throw new CliException($"{o.What} {o.Path}: is a folder; give a file name", ExitCodes.Usage);
        }
        foreach (Entry o in _outputs) Probe(o);
        Watch();
    }

    /// <summary>Writes an output's bytes to its temporary file (the target is replaced by <see cref="Commit"/>).</summary>
    public void Write(string path, byte[] bytes) => Write(path, temp => File.WriteAllBytes(temp, bytes));

    /// <summary>Writes an output's text as UTF-8 without a byte-order mark.</summary>
    public void Write(string path, string text) => Write(path, temp => File.WriteAllText(temp, text, new UTF8Encoding(false)));

    /// <summary>Lets a writer that takes a file name (a plot, a model) write the output's temporary file.</summary>
    public void Write(string path, Action<string> writeTo)
    {
        Entry o = Find(path);
        // Under the lock: an interrupt waits for this write, then deletes what it wrote.
        lock (_gate)
        {
            if (_finished) throw new OperationCanceledException("the command was interrupted");
            try
            {
                CreateFolderFor(o.Target);
                o.Temp ??= TempName(o.Target);
                writeTo(o.Temp);
                if (!File.Exists(o.Temp)) throw new IOException("the writer produced no file");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write {o.Path}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// A fresh hidden folder beside an output, for a writer that names its own files (PREFIX.md and PREFIX.json,
    /// one file per model): it writes there, then <see cref="Adopt"/> hands each file to its output. Deleted with
    /// whatever is left in it on commit or dispose.
    /// </summary>
    public string Staging(string nearOutput)
    {
        Entry o = Find(nearOutput);
        lock (_gate)
        {
            if (_finished) throw new OperationCanceledException("the command was interrupted");
            try
            {
                CreateFolderFor(o.Target);
                string folder = TempName(o.Target);
                Directory.CreateDirectory(folder);
                _stagingFolders.Add(folder);
                return folder;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write {o.Path}: {e.Message}");
            }
        }
    }

    /// <summary>A file written in a <see cref="Staging"/> folder becomes an output's new content.</summary>
    public void Adopt(string path, string writtenFile)
    {
        Entry o = Find(path);
        lock (_gate)
        {
            if (!File.Exists(writtenFile)) throw new CliException($"cannot write {o.Path}: the writer produced no file");
            o.Temp = writtenFile;
        }
    }

    /// <summary>Renames every written temporary file onto its target; the outputs not written are left alone.</summary>
    public void Commit()
    {
        lock (_gate)
        {
            if (_finished) throw new OperationCanceledException("the command was interrupted");
            foreach (Entry o in _outputs.Where(e => e.Temp != null))
            {
                try
                {
                    File.Move(o.Temp, o.Target, overwrite: true);
                    o.Temp = null;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"cannot write {o.Path}: {e.Message}");
                }
            }
            DeleteStaging();
            _createdFolders.Clear(); // they hold the outputs now
            _finished = true;
        }
    }

    /// <summary>Without a commit: deletes the temporary files and the folders this set created.</summary>
    public void Dispose()
    {
        Abort();
        foreach (PosixSignalRegistration s in _signals) s.Dispose();
        _signals.Clear();
    }

    private Entry Find(string path)
    {
        Entry o = _outputs.FirstOrDefault(e => e.Path == path) ?? throw new InvalidOperationException($"output {path} was not added to the set");
        if (o.Target == null) throw new InvalidOperationException("Check() must run before writing");
        return o;
    }

    private void DeleteStaging()
    {
        foreach (string folder in _stagingFolders)
        {
            try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* best effort */ }
        }
        _stagingFolders.Clear();
    }

    /// <summary>
    /// What an interrupt does (the signal handlers call it): waits for a write in progress, then deletes every
    /// temporary file and created folder; the targets keep their old bytes. Later writes and the commit refuse.
    /// </summary>
    public void Interrupt() => Abort();

    private void Abort()
    {
        lock (_gate)
        {
            _finished = true;
            foreach (Entry o in _outputs.Where(e => e.Temp != null))
            {
                try { File.Delete(o.Temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* best effort */ }
                o.Temp = null;
            }
            DeleteStaging();
            for (int i = _createdFolders.Count - 1; i >= 0; i--)
            {
                try
                {
                    if (Directory.Exists(_createdFolders[i]) && !Directory.EnumerateFileSystemEntries(_createdFolders[i]).Any()) Directory.Delete(_createdFolders[i]);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* best effort */ }
            }
            _createdFolders.Clear();
        }
    }

    /// <summary>Ctrl+C, SIGTERM, SIGHUP, SIGQUIT: clean up, then let the signal end the process as usual.</summary>
    private void Watch()
    {
        foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
        {
            try { _signals.Add(PosixSignalRegistration.Create(signal, _ => Interrupt())); }
            catch (PlatformNotSupportedException) { /* this signal does not exist here */ }
        }
    }

    /// <summary>
    /// The nearest existing folder of the target must be a folder we can create a file in. Tries it with a
    /// temporary file (deleted at once); missing folders are created only when the output is written.
    /// </summary>
    private static void Probe(Entry o)
    {
        string folder = Path.GetDirectoryName(o.Target);
        while (folder != null && !Directory.Exists(folder))
        {
            if (File.Exists(folder)) throw new CliException($"cannot write {o.Path}: {folder} is a file, not a folder");
            folder = Path.GetDirectoryName(folder);
        }
        if (folder == null) throw new CliException($"cannot write {o.Path}: no such folder");
        string probe = TempName(Path.Combine(folder, Path.GetFileName(o.Target)));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {o.Path}: {e.Message}");
        }
        finally
        {
            try { File.Delete(probe); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* never created */ }
        }
    }

    private void CreateFolderFor(string target)
    {
        var missing = new Stack<string>();
        for (string f = Path.GetDirectoryName(target); f != null && !Directory.Exists(f); f = Path.GetDirectoryName(f)) missing.Push(f);
        foreach (string f in missing)
        {
            Directory.CreateDirectory(f);
            _createdFolders.Add(f);
        }
    }

    /// <summary>A hidden name beside the target, unique per write: ".model.enet.edgenet-1a2b3c4d.tmp".</summary>
    private static string TempName(string target) =>
        Path.Combine(Path.GetDirectoryName(target) ?? "", "." + Path.GetFileName(target) + ".edgenet-" + Guid.NewGuid().ToString("N")[..8] + ".tmp");

    private static bool EndsInSeparator(string path) =>
        path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar) || Path.GetFileName(path) is "." or "..";
}
