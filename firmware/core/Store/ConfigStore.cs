using System;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Hal;
using EdgeNet.Link;

namespace EdgeNet.Firmware.Store
{
    /// <summary>
    /// The board configuration file on flash (board.cfg, I:\board.cfg on the ESP32), replaced over the link
    /// as a model is: the new text goes to board.new, is read back and checked exactly as boot checks it
    /// (<see cref="Startup.Checked"/>); only then <see cref="FileSwap"/> makes it the file the next boot reads
    /// (board.cfg -> board.old, board.new -> board.cfg, delete board.old). Any failure keeps the old file.
    /// </summary>
    public sealed class ConfigStore
    {
        public const string ActiveFile = "board.cfg";
        public const string TempFile = "board.new";
        public const string BackupFile = "board.old";

        private readonly IStorage _storage;
        private readonly FileTransfer _transfer;

        public ConfigStore(IStorage storage)
        {
            _storage = storage;
            _transfer = new FileTransfer(storage);
        }

        public bool InTransfer { get { return _transfer.Active; } }
        public int Received { get { return _transfer.Received; } }
        public int Expected { get { return _transfer.Expected; } }
        public uint ExpectedCrc { get { return _transfer.ExpectedCrc; } }

        /// <summary>
        /// Finishes a swap a reset cut between its renames (board.cfg missing, board.old present) and drops a
        /// partial board.new (and a
        /// leftover board.old). The board layer calls this before it reads board.cfg at boot.
        /// </summary>
        public static void Recover(IStorage storage)
        {
            try
            {
                if (storage.Length(TempFile) >= 0) storage.Delete(TempFile);
                // Without board.cfg the swap was cut between its renames: the backup is the last good file.
                // With it, only the backup's deletion was cut.
                if (!FileSwap.RestoreInterrupted(storage, ActiveFile, BackupFile) && storage.Length(BackupFile) >= 0) storage.Delete(BackupFile);
            }
            catch (Exception) { }
        }

        public int Begin(int total, uint crc, out string message)
        {
            message = null;
            if (total < 0 || total > LinkProtocol.MaxConfigBytes)
            {
                message = "board configuration of " + total.ToString() + " bytes; this device accepts at most " + LinkProtocol.MaxConfigBytes.ToString();
                return LinkError.TooLarge;
            }
            return _transfer.Begin(TempFile, total, crc, out message);
        }

        public int Write(byte[] data, int offset, int count, out string message)
        {
            return _transfer.Write(data, offset, count, out message);
        }

        public void Abort()
        {
            _transfer.Abort();
        }

        /// <summary>
        /// Checks the received file exactly as boot will (<see cref="Startup.Checked"/>: UTF-8, the full
        /// parse, then the chip's pin and channel rules) and only then makes it board.cfg: the parsed
        /// configuration and the module notes, or null with a code and the reason naming the line. A file
        /// that would make the board fall back to its built-in configuration at boot is never stored.
        /// </summary>
        public BoardConfig Commit(out int code, out string message, out string notes)
        {
            notes = "";
            byte[] file = _transfer.ReadBack(out code, out message);
            if (file == null) return null;
            string text = Utf8.Decode(file, file.Length, out message);
            BoardConfig checkedConfig = null;
            if (text == null) message = ActiveFile + ": " + message;
            else checkedConfig = Startup.Checked(text, ActiveFile, out message, out notes);
            if (checkedConfig == null)
            {
                code = LinkError.InvalidConfig;
                _transfer.Abort();
                return null;
            }
            message = FileSwap.Replace(_storage, TempFile, ActiveFile, BackupFile);
            if (message != null)
            {
                code = LinkError.Storage;
                _transfer.Abort();
                return null;
            }
            _transfer.Finish();
            return checkedConfig;
        }

        /// <summary>Length of board.cfg, -1 when the board runs its built-in configuration.</summary>
        public int Length()
        {
            try { return _storage.Length(ActiveFile); }
            catch (Exception) { return -1; }
        }

        public int ReadAt(int position, byte[] buffer, int offset, int count)
        {
            return _storage.ReadAt(ActiveFile, position, buffer, offset, count);
        }
    }

    /// <summary>Strict UTF-8 to string (CoreLibrary has no text encodings): null with the byte of the first bad sequence.</summary>
    public static class Utf8
    {
        public static string Decode(byte[] b, int length, out string error)
        {
            error = null;
            char[] chars = new char[length];
            int n = 0;
            int i = 0;
            if (length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) i = 3; // byte order mark
            while (i < length)
            {
                int c = b[i];
                int extra = c < 0x80 ? 0 : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2 : c >= 0xF0 && c < 0xF5 ? 3 : -1;
                if (extra < 0 || i + extra >= length)
                {
                    error = "byte " + i.ToString() + ": not valid UTF-8";
                    return null;
                }
                int v = extra == 0 ? c : extra == 1 ? c & 0x1F : extra == 2 ? c & 0x0F : c & 0x07;
                for (int k = 1; k <= extra; k++)
                {
                    int cont = b[i + k];
                    if ((cont & 0xC0) != 0x80)
                    {
                        error = "byte " + (i + k).ToString() + ": not valid UTF-8";
                        return null;
                    }
                    v = (v << 6) | (cont & 0x3F);
                }
                if ((extra == 2 && (v < 0x800 || (v >= 0xD800 && v < 0xE000))) || (extra == 3 && (v < 0x10000 || v > 0x10FFFF)))
                {
                    error = "byte " + i.ToString() + ": not valid UTF-8";
                    return null;
                }
                if (v >= 0x10000)
                {
                    // Outside the basic plane: a surrogate pair (a string may hold it; the parser never needs it).
                    if (n + 2 > chars.Length)
                    {
                        char[] more = new char[chars.Length + 16];
                        Array.Copy(chars, more, n);
                        chars = more;
                    }
                    v -= 0x10000;
                    chars[n++] = (char)(0xD800 + (v >> 10));
                    chars[n++] = (char)(0xDC00 + (v & 0x3FF));
                }
                else chars[n++] = (char)v;
                i += extra + 1;
            }
            return new string(chars, 0, n);
        }
    }
}
