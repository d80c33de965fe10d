using System.IO.Compression;
using System.Text;

namespace EdgeNet.Trainer.Data;

/// <summary>
/// A data file as a stream of strict UTF-8 text: gzip-compressed files (recognised by their magic bytes
/// 1F 8B, whatever the name) are decompressed on the fly, a UTF-8 byte order mark is skipped, and a byte
/// that is not UTF-8 is an error naming its line and offset (in the decompressed text), not a silent '?'.
/// Readers take the text through a <see cref="TextReader"/>, so nothing here holds the whole file.
/// </summary>
internal static class TextSource
{
    public static bool IsGzip(string path)
    {
        using FileStream f = File.OpenRead(path);
        return f.ReadByte() == 0x1F && f.ReadByte() == 0x8B;
    }

    /// <summary>The file name without ".gz" (so "x.arff.gz" is recognised as ARFF).</summary>
    public static string LogicalName(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;

    /// <summary>
    /// The decoded text, read incrementally; dispose it when done. A file (or, gzip-compressed, its text) above
    /// <paramref name="maxBytes"/> is refused: the sanity limit of <see cref="LoadOptions.MaxFileBytes"/>.
    /// </summary>
    public static TextReader Open(string path, long maxBytes)
    {
        long size = new FileInfo(path).Length;
        if (size > maxBytes) throw new DataException(path, 0, null, $"the file is {size:N0} bytes, above the loader's sanity limit of {LoadOptions.Describe(maxBytes)}; {LoadOptions.RaiseLimit}");
        Stream bytes = OpenBytes(path, maxBytes);
        if (!SkipByteOrderMark(bytes))
        {
            bytes.Dispose();
            bytes = OpenBytes(path, maxBytes); // a gzip stream cannot seek back: start again
        }
        return new CheckedReader(path, new StreamReader(bytes, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16));
    }

    /// <summary>Up to <paramref name="chars"/> characters from the start of the text (for format and delimiter detection).</summary>
    public static string Head(string path, int chars, long maxBytes)
    {
        using TextReader r = Open(path, maxBytes);
        var buffer = new char[chars];
        int n = 0;
        while (n < chars)
        {
            int got = r.Read(buffer, n, chars - n);
            if (got == 0) break;
            n += got;
        }
        return new string(buffer, 0, n);
    }

    /// <summary>Reads a UTF-8 byte order mark if there is one (true); false = the stream is no longer at its start.</summary>
    private static bool SkipByteOrderMark(Stream s)
    {
        var bom = new byte[3];
        int n = 0, got;
        while (n < 3 && (got = s.Read(bom, n, 3 - n)) > 0) n += got;
        if (n == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF) return true;
        if (n == 0) return true;
        if (s.CanSeek)
        {
            s.Position = 0;
            return true;
        }
        return false;
    }

    private static Stream OpenBytes(string path, long maxBytes)
    {
        Stream file = File.OpenRead(path);
        if (file.Length >= 2 && file.ReadByte() == 0x1F && file.ReadByte() == 0x8B)
        {
            file.Position = 0;
            return new LimitedStream(path, new GZipStream(file, CompressionMode.Decompress), maxBytes);
        }
        file.Position = 0;
        return file;
    }

    /// <summary>The line and byte offset of the first byte that is not UTF-8 (decoding again from the start).</summary>
    private static DataException BadUtf8(string path)
    {
        using Stream s = OpenBytes(path, long.MaxValue);
        Decoder decoder = new UTF8Encoding(false, true).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[(1 << 16) + 4];
        long offset = 0;
        int line = 1;
        bool first = true;
        int got;
        while ((got = s.Read(bytes, 0, bytes.Length)) > 0)
        {
            int start = 0;
            if (first && got >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) start = 3;
            first = false;
            for (int i = start; i < got; i++)
            {
                try
                {
                    decoder.GetChars(bytes, i, 1, chars, 0, false);
                }
                catch (DecoderFallbackException)
                {
                    return new DataException(path, line, null, $"byte {offset + i} (0x{bytes[i]:X2}) is not UTF-8; save the file as UTF-8");
                }
                if (bytes[i] == (byte)'\n') line++;
            }
            offset += got;
        }
        return new DataException(path, line, null, "the file ends inside a UTF-8 character; save the file as UTF-8");
    }

    /// <summary>Turns decoding failures into a located <see cref="DataException"/>.</summary>
    private sealed class CheckedReader(string path, StreamReader inner) : TextReader
    {
        public override int Peek() => Guard(inner.Peek);
        public override int Read() => Guard(inner.Read);
        public override int Read(char[] buffer, int index, int count) => Guard(() => inner.Read(buffer, index, count));
        public override string ReadLine()
        {
            try
            {
                return inner.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                throw BadUtf8(path);
            }
        }
        public override int Read(Span<char> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (DecoderFallbackException)
            {
                throw BadUtf8(path);
            }
        }

        private int Guard(Func<int> read)
        {
            try
            {
                return read();
            }
            catch (DecoderFallbackException)
            {
                throw BadUtf8(path);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Decompressed bytes, at most maxBytes of them (a small .gz may hold a huge file).</summary>
    private sealed class LimitedStream(string path, Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n;
            try
            {
                n = inner.Read(buffer, offset, count);
            }
            catch (InvalidDataException e)
            {
                throw new DataException(path, 0, null, "the gzip data is damaged: " + e.Message);
            }
            _read += n;
            if (_read > maxBytes) throw new DataException(path, 0, null, $"the decompressed text is above the loader's sanity limit of {LoadOptions.Describe(maxBytes)}; {LoadOptions.RaiseLimit}");
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
