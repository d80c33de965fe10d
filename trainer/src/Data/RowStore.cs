using System.Buffers.Binary;
using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// The rows of a large data file as a binary cache file, memory-mapped: float32 features row-major (a
/// shuffled mini-batch reads whole rows, so one row is one contiguous 4 x features bytes), then the class index
/// and source line of each row (int32), the value indices of the other text columns, and a JSON block of
/// names, classes and notices. The file names what it was built from (size, modification time and
/// XxHash128 of the data file's bytes, and a hash of the load options) and ends with an XxHash128 of
/// everything before it: a stale or damaged store is rebuilt, never read. It is written to a temporary file
/// and renamed into place, and it is a new file: the data file is never written.
/// Layout (little-endian): a 128-byte header (magic "ENSTORE1", version, features, rows, source size, mtime
/// ticks, source hash, options hash, other-column count, metadata length), the blocks, the 16-byte checksum
/// (of the blocks, then the header).
/// </summary>
public sealed unsafe class RowStore : IFeatureRows
{
    public const int Version = 1;
    internal const int HeaderBytes = 128;
    private const int ChecksumBytes = 16;
    private static ReadOnlySpan<byte> Magic => "ENSTORE1"u8;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly float* _features;

    public int Count { get; }
    public int FeatureCount { get; }

    /// <summary>The store file.</summary>
    public string FilePath { get; }

    private RowStore(string path, int rows, int features)
    {
        FilePath = path;
        Count = rows;
        FeatureCount = features;
        long bytes = (long)rows * features * sizeof(float);
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(0, HeaderBytes + bytes, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p;
        _features = (float*)(p + _view.PointerOffset + HeaderBytes);
    }

    ~RowStore()
    {
        if (_base != null) _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    public ReadOnlySpan<float> Row(int r)
    {
        if ((uint)r >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(r));
        return new ReadOnlySpan<float>(_features + (long)r * FeatureCount, FeatureCount);
    }

    /// <summary>What a store was built from: the data file (size, time, content hash) and the load options.</summary>
    internal readonly record struct Key(long Size, long ModifiedTicks, UInt128 Content, UInt128 Options);

    /// <summary>The key of a data file loaded with these options (reads the whole file to hash it).</summary>
    internal static Key KeyOf(string path, LoadOptions o)
    {
        var info = new FileInfo(path);
        var hash = new XxHash128();
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = f.Read(buffer, 0, buffer.Length)) > 0) hash.Append(buffer.AsSpan(0, n));
        }
        return new Key(info.Length, info.LastWriteTimeUtc.Ticks, hash.GetCurrentHashAsUInt128(), OptionsHash(o));
    }

    /// <summary>Everything in the options that changes the rows, classes or notices (not the dataset name).</summary>
    private static UInt128 OptionsHash(LoadOptions o)
    {
        static string List(string[] a) => a == null ? "-" : string.Join("\u0001", a);
        string fill = o.Fill == null ? "-" : o.Fill.Strategy + ":" + string.Join(",", o.Fill.Fill.Select(v => BitConverter.SingleToInt32Bits(v)));
        string text = string.Join("\u0002", "loader 1", o.LabelColumn ?? "-", List(o.FeatureColumns), List(o.DropColumns), List(o.ClassLabels),
            o.Unlabeled, o.Missing, fill, o.MaxClasses, o.TestSide);
        return XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// The cache folder used when the data's own folder is not writable: $EDGENET_CACHE, else
    /// $XDG_CACHE_HOME/edgenet, else ~/.cache/edgenet.
    /// </summary>
    public static string DefaultCacheFolder
    {
        get
        {
            string env = Environment.GetEnvironmentVariable("EDGENET_CACHE");
            if (!string.IsNullOrEmpty(env)) return env;
            string xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "edgenet");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "edgenet");
        }
    }

    /// <summary>
    /// Where the store of a data file may be: beside it (DATA.edgenet-OPTIONS.store), else in the cache folder
    /// (DATA.PATHHASH-OPTIONS.store, so two data files of one name do not share a store).
    /// </summary>
    internal static string[] Places(string dataPath, Key key, string cacheFolder)
    {
        string full = Path.GetFullPath(dataPath);
        string name = Path.GetFileName(full);
        string options = ((ulong)key.Options).ToString("x16");
        string beside = Path.Combine(Path.GetDirectoryName(full) ?? ".", $"{name}.edgenet-{options}.store");
        ulong where = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(full));
        string cached = Path.Combine(Path.GetFullPath(cacheFolder ?? DefaultCacheFolder), $"{name}.{where:x16}-{options}.store");
        return [beside, cached];
    }

    /// <summary>True when the file starts as a store does (so it is ours to replace when stale).</summary>
    internal static bool IsStoreFile(string path)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Span<byte> head = stackalloc byte[8];
            return f.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(Magic);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>What a store holds besides the features.</summary>
    internal sealed class Contents
    {
        public string[] FeatureNames { get; set; }
        public string[] ClassLabels { get; set; }
        public string LabelColumn { get; set; }
        public int[] ClassesWithoutRows { get; set; }
        public string[] Notices { get; set; }
        public string[] OtherColumns { get; set; }
        public string[][] OtherValues { get; set; }

        // Not in the JSON block: read from the int32 blocks (the lines only when asked, ReadLines).
        [System.Text.Json.Serialization.JsonIgnore] public int[] Labels;
        [System.Text.Json.Serialization.JsonIgnore] public int[][] OtherIndices;
    }

    /// <summary>
    /// Opens a store and checks it against the key and its checksum; null with the reason when it is stale
    /// (built from another version of the data or other options) or damaged.
    /// </summary>
    internal static (RowStore Store, Contents Contents) Open(string path, Key key, bool verify, out string problem)
    {
        problem = null;
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            var header = new byte[HeaderBytes];
            if (f.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) != HeaderBytes || !header.AsSpan(0, 8).SequenceEqual(Magic))
                return Fail("it is not a row store", out problem);
            if (BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)) != Version) return Fail("it was written by another version", out problem);
            int features = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
            long rows = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(16));
            var stored = new Key(BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24)), BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(32)),
                BinaryPrimitives.ReadUInt128LittleEndian(header.AsSpan(40)), BinaryPrimitives.ReadUInt128LittleEndian(header.AsSpan(56)));
            int others = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(72));
            long metaBytes = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(76));
            if (stored.Options != key.Options) return Fail("it was built with other load options", out problem);
            if (stored != key) return Fail("the data file changed since it was built", out problem);
            if (features <= 0 || rows <= 0 || rows > int.MaxValue || others < 0 || others > 4096 || metaBytes < 0 || metaBytes > int.MaxValue)
                return Fail("its header is damaged", out problem);
            long featureBytes = rows * features * sizeof(float), intBytes = rows * sizeof(int) * (2L + others);
            if (f.Length != HeaderBytes + featureBytes + intBytes + metaBytes + ChecksumBytes) return Fail($"it is {f.Length:N0} bytes, not the {HeaderBytes + featureBytes + intBytes + metaBytes + ChecksumBytes:N0} its header says (cut short?)", out problem);
            if (verify)
            {
                var hash = new XxHash128();
                var buffer = new byte[1 << 20];
                long left = f.Length - HeaderBytes - ChecksumBytes;
                while (left > 0)
                {
                    int n = f.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (n <= 0) return Fail("it ends early", out problem);
                    hash.Append(buffer.AsSpan(0, n));
                    left -= n;
                }
                hash.Append(header);
                var sum = new byte[ChecksumBytes];
                f.ReadExactly(sum);
                if (!sum.AsSpan().SequenceEqual(hash.GetCurrentHash())) return Fail("its checksum does not match (the file is damaged)", out problem);
            }
            int n32 = (int)rows;
            long at = HeaderBytes + featureBytes;
            int[] ReadInts()
            {
                var v = new int[n32];
                RandomAccess.Read(f.SafeFileHandle, MemoryMarshal.AsBytes(v.AsSpan()), at);
                at += (long)n32 * sizeof(int);
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the row store is little-endian");
                return v;
            }
            int[] labels = ReadInts();
            at += (long)n32 * sizeof(int); // the lines are read when asked (ReadLines)
            var otherIndices = new int[others][];
            for (int c = 0; c < others; c++) otherIndices[c] = ReadInts();
            var meta = new byte[metaBytes];
            RandomAccess.Read(f.SafeFileHandle, meta, at);
            Contents contents = JsonSerializer.Deserialize<Contents>(meta);
            if (contents?.FeatureNames?.Length != features || contents.OtherColumns?.Length != others || contents.OtherValues?.Length != others)
                return Fail("its metadata is damaged", out problem);
            contents.Labels = labels;
            contents.OtherIndices = otherIndices;
            return (new RowStore(path, n32, features), contents);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException)
        {
            return Fail("it cannot be read: " + e.Message, out problem);
        }
    }

    private static (RowStore, Contents) Fail(string why, out string problem)
    {
        problem = why;
        return (null, null);
    }

    /// <summary>Writes a store: features row by row while the data file streams, the rest at the end; then renames it into place.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly FileStream _out;
        private readonly XxHash128 _hash = new();
        private readonly byte[] _buffer = new byte[1 << 20];
        private readonly string _temp;
        private readonly int _features;
        private int _used;
        private bool _done;

        public long Rows { get; private set; }

        /// <summary>Starts a store in a temporary file in the folder of <paramref name="target"/> (throws when the folder is not writable).</summary>
        public Writer(string target, int features)
        {
            _features = features;
            _temp = Path.Combine(Path.GetDirectoryName(target) ?? ".", $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            _out = new FileStream(_temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            _out.Position = HeaderBytes;
        }

        public void AddRow(ReadOnlySpan<float> row)
        {
            Append(MemoryMarshal.AsBytes(row[.._features]));
            Rows++;
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                int n = Math.Min(bytes.Length, _buffer.Length - _used);
                bytes[..n].CopyTo(_buffer.AsSpan(_used));
                _used += n;
                bytes = bytes[n..];
                if (_used == _buffer.Length) Flush();
            }
        }

        private void Flush()
        {
            _out.Write(_buffer, 0, _used);
            _hash.Append(_buffer.AsSpan(0, _used));
            _used = 0;
        }

        /// <summary>Writes the rest, checks the row count, and renames the file to <paramref name="target"/> (replacing a stale store there).</summary>
        public void Commit(string target, Key key, Contents contents, ReadOnlySpan<int> labels, ReadOnlySpan<int> lines, int[][] otherIndices)
        {
            if (labels.Length != Rows || lines.Length != Rows) throw new InvalidOperationException("one label and one line per row");
            Append(MemoryMarshal.AsBytes(labels));
            Append(MemoryMarshal.AsBytes(lines));
            foreach (int[] column in otherIndices) Append(MemoryMarshal.AsBytes(column.AsSpan(0, (int)Rows)));
            byte[] meta = JsonSerializer.SerializeToUtf8Bytes(contents);
            Append(meta);
            Flush();
            var header = new byte[HeaderBytes];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), Version);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), _features);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), Rows);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), key.Size);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(32), key.ModifiedTicks);
            BinaryPrimitives.WriteUInt128LittleEndian(header.AsSpan(40), key.Content);
            BinaryPrimitives.WriteUInt128LittleEndian(header.AsSpan(56), key.Options);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(72), otherIndices.Length);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(76), meta.Length);
            _hash.Append(header);
            _out.Write(_hash.GetCurrentHash());
            _out.Position = 0;
            _out.Write(header);
            _out.Flush(flushToDisk: true);
            _out.Dispose();
            File.Move(_temp, target, overwrite: true);
            _done = true;
        }

        public void Dispose()
        {
            _out.Dispose();
            if (!_done)
            {
                try
                {
                    File.Delete(_temp);
                }
                catch (IOException)
                {
                    // a temporary file left behind is harmless (its name says what it is)
                }
            }
        }
    }

    /// <summary>The source line of each row (the block after the labels).</summary>
    public int[] ReadLines()
    {
        var lines = new int[Count];
        using var f = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        RandomAccess.Read(f.SafeFileHandle, MemoryMarshal.AsBytes(lines.AsSpan()), HeaderBytes + (long)Count * FeatureCount * sizeof(float) + (long)Count * sizeof(int));
        return lines;
    }

    /// <summary>Maps the store just written (its checksum was computed while writing it; its other blocks are in memory still).</summary>
    internal static RowStore MapWritten(string path, int rows, int features) => new(path, rows, features);
}
