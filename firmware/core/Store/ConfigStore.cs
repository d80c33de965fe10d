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

        /// <summary>The file arriving over the link (length, CRC and progress of the transfer in progress).</summary>
        public FileTransfer Transfer { get { return _transfer; } }

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
        /// Checks the received file exactly as boot will (<see cref="ConfigFile.DecodeUtf8"/>, then
        /// <see cref="Startup.Checked"/>: the full parse and the chip's pin and channel rules) and only then makes it board.cfg: the parsed
        /// configuration and the module notes, or null with a code and the reason naming the line. A file
        /// that would make the board fall back to its built-in configuration at boot is never stored.
        /// </summary>
        public BoardConfig Commit(out int code, out string message, out string notes)
        {
            notes = "";
            byte[] file = _transfer.ReadBack(out code, out message);
            if (file == null) return null;
            // Boot's decoder and boot's checks, so that what is stored is what the next boot accepts.
            string text = ConfigFile.DecodeUtf8(file, file.Length, ActiveFile, out message);
            BoardConfig checkedConfig = null;
            if (text != null) checkedConfig = Startup.Checked(text, ActiveFile, out message, out notes);
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
}
