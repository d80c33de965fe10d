using System;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Firmware.Hal;
using EdgeNet.Link;

namespace EdgeNet.Firmware.Store
{
    /// <summary>
    /// The active model lives in a file; a model embedded in the firmware is the fallback. An update is
    /// written to a temporary file, verified (length, CRC-32 of what was read back from flash, full parse,
    /// RAM budget) and only then made active by renames: active -> backup, temporary -> active, delete
    /// backup. A reset at any point leaves either the old or the new model loadable, and boot repairs
    /// the half-done swap. A file is only ever loaded after ModelReader accepted it, so a corrupt model
    /// can never become active.
    /// </summary>
    public sealed class ModelStore
    {
        public const string ActiveFile = "model.enet";
        public const string TempFile = "model.new";
        public const string BackupFile = "model.old";

        private readonly IStorage _storage;
        private readonly byte[] _builtin;
        private readonly int _maxModelBytes;
        private readonly int _maxRamBytes;

        private readonly FileTransfer _transfer;

        /// <summary>
        /// Heap kept free beyond what a model needs: object headers, names and labels, the pipeline's tables
        /// and whatever the board layer allocates while the update runs.
        /// </summary>
        public const int ReserveBytes = 4096;

        public ModelStore(IStorage storage, byte[] builtinModel, int maxModelBytes, int maxRamBytes)
        {
            _storage = storage;
            _builtin = builtinModel;
            _maxModelBytes = maxModelBytes;
            _maxRamBytes = maxRamBytes;
            _transfer = new FileTransfer(storage);
        }

        /// <summary>The board's free-heap report; null when the board cannot tell (then no check is made).</summary>
        public IMemory Memory;

        /// <summary>CRC-32 of the running model's file (what a Begin announced for it).</summary>
        public uint ActiveCrc;

        /// <summary>Length of the running model's file in bytes.</summary>
        public int ActiveLength;

        /// <summary>The running model.</summary>
        public Model Active;

        /// <summary>"flash", "backup" or "built-in".</summary>
        public string Source;

        /// <summary>What boot found, one sentence per problem (empty when the active file was fine).</summary>
        public string BootReport = "";

        /// <summary>The file arriving over the link (length, CRC and progress of the transfer in progress).</summary>
        public FileTransfer Transfer { get { return _transfer; } }

        /// <summary>Loads the active model, repairing an interrupted swap; falls back to the built-in model.</summary>
        public void Boot()
        {
            BootReport = "";
            string error;
            // A temporary file means an update was cut by a reset before it became active: say so (the
            // host may never learn it), then drop it.
            int partial = Length(TempFile);
            if (partial >= 0) Note("an update was interrupted by a reset (" + partial.ToString() + " bytes in " + TempFile + "); discarded it");
            DeleteQuietly(TempFile);
            // Reset between "active -> backup" and "temporary -> active": the backup is the old model.
            try
            {
                if (FileSwap.RestoreInterrupted(_storage, ActiveFile, BackupFile)) Note("update was interrupted during the swap; restored the previous model");
            }
            catch (Exception e) { Note("update was interrupted during the swap; restoring the previous model failed: " + e.Message); }
            Model m = Load(ActiveFile, out error);
            if (m != null)
            {
                Active = m;
                Source = "flash";
                DeleteQuietly(BackupFile);
                return;
            }
            if (error != null) Note(ActiveFile + ": " + error);
            m = Load(BackupFile, out error);
            if (m != null)
            {
                Active = m;
                Source = "backup";
                return;
            }
            m = ReadBuiltin(out error);
            if (m == null) Note("built-in model: " + error);
            Active = m;
            Source = m == null ? "none" : "built-in";
            ActiveCrc = m == null ? 0 : Crc32.Compute(_builtin, 0, _builtin.Length);
            ActiveLength = m == null ? 0 : _builtin.Length;
        }

        /// <summary>The model compiled into the firmware, parsed (Active does not change); null with the reason.</summary>
        public Model ReadBuiltin(out string error)
        {
            error = "none";
            if (_builtin == null) return null;
            return ModelReader.Read(_builtin, _builtin.Length, _maxRamBytes, out error);
        }

        /// <summary>Starts receiving a model of total bytes with the given CRC-32. 0 or a LinkError code.</summary>
        public int Begin(int total, uint crc, out string message)
        {
            message = null;
            Abort();
            if (total < ModelFormat.HeaderBytes)
            {
                message = "announced length " + total.ToString() + " is shorter than a model header";
                return LinkError.BadRequest;
            }
            if (total > _maxModelBytes)
            {
                message = "model is " + total.ToString() + " bytes, this device accepts at most " + _maxModelBytes.ToString();
                return LinkError.TooLarge;
            }
            return _transfer.Begin(TempFile, total, crc, out message);
        }

        /// <summary>Appends the next chunk to the temporary file. 0 or a LinkError code.</summary>
        public int Write(byte[] data, int offset, int count, out string message)
        {
            return _transfer.Write(data, offset, count, out message);
        }

        /// <summary>
        /// Checks the received file: every byte arrived, the CRC of the stream and of the file read back
        /// from flash match the announced one, the model parses and fits the RAM budget. The model is not
        /// active yet (see <see cref="Activate"/>). On failure the transfer is discarded.
        /// </summary>
        public Model Verify(out int code, out string message)
        {
            code = 0;
            message = null;
            // The file is read back whole and parsed beside the running model: about its length twice
            // (the bytes, then parameters that are at most as large) must be free first.
            int expected = _transfer.Expected;
            if (_transfer.Active && _transfer.Received == expected && !Fits(2 * expected + ReserveBytes, "reading and parsing the " + expected.ToString() + "-byte model", out message))
            {
                code = LinkError.NoMemory;
                _transfer.Abort();
                return null;
            }
            byte[] file = _transfer.ReadBack(out code, out message);
            if (file == null) return null;
            string error;
            Model m = ModelReader.Read(file, file.Length, _maxRamBytes, out error);
            if (m == null)
            {
                code = LinkError.InvalidModel;
                message = error;
            }
            else if (m.ParameterBytes + m.ArenaBytes > _maxRamBytes)
            {
                code = LinkError.DoesNotFit;
                message = "model needs " + (m.ParameterBytes + m.ArenaBytes).ToString() + " bytes of RAM (parameters " + m.ParameterBytes.ToString() + " + arena " + m.ArenaBytes.ToString() + "), the budget is " + _maxRamBytes.ToString();
                m = null;
            }
            else
            {
                // The bytes are garbage now; the engine still has to allocate the arena (and the pipeline
                // its score table) beside the old model.
                file = null;
                if (!Fits(m.ArenaBytes + 256 * 4 + ReserveBytes, "the " + m.ArenaBytes.ToString() + "-byte arena of model " + m.Name, out message))
                {
                    code = LinkError.NoMemory;
                    m = null;
                }
            }
            if (m == null) _transfer.Abort();
            return m;
        }

        /// <summary>True when the board reports at least need free bytes (or cannot tell); else false and why.</summary>
        private bool Fits(int need, string what, out string message)
        {
            message = null;
            if (Memory == null) return true;
            int free = Memory.FreeBytes();
            if (free < 0 || free >= need) return true;
            message = "not enough free memory for " + what + ": needs " + need.ToString() + " bytes, " + free.ToString() + " free while model " + (Active == null ? "(none)" : Active.Name) + " is loaded";
            return false;
        }

        /// <summary>Makes the verified temporary file the active model. False with a reason on storage failure.</summary>
        public bool Activate(Model verified, out string message)
        {
            message = FileSwap.Replace(_storage, TempFile, ActiveFile, BackupFile);
            if (message != null)
            {
                Abort();
                return false;
            }
            ActiveCrc = _transfer.ExpectedCrc;
            ActiveLength = _transfer.Expected;
            _transfer.Finish();
            Active = verified;
            Source = "flash";
            return true;
        }

        /// <summary>Discards a transfer in progress (the temporary file is deleted).</summary>
        public void Abort()
        {
            _transfer.Abort();
        }

        /// <summary>
        /// Copies up to count bytes of the running model's file from position into buffer (for `config
        /// pull`-style reads of the model); returns how many, 0 past the end, -1 when there is no file.
        /// </summary>
        public int ReadActive(int position, byte[] buffer, int offset, int count)
        {
            if (Active == null) return -1;
            if (Source == "built-in")
            {
                if (position >= _builtin.Length) return 0;
                int n = count < _builtin.Length - position ? count : _builtin.Length - position;
                Array.Copy(_builtin, position, buffer, offset, n);
                return n;
            }
            return _storage.ReadAt(Source == "backup" ? BackupFile : ActiveFile, position, buffer, offset, count);
        }

        private Model Load(string name, out string error)
        {
            error = null;
            int length = Length(name);
            if (length < 0) return null;
            if (length > _maxModelBytes)
            {
                error = "file is " + length.ToString() + " bytes, above the limit of " + _maxModelBytes.ToString();
                return null;
            }
            byte[] data = new byte[length];
            int read;
            try { read = _storage.Read(name, data, 0, length); }
            catch (Exception e)
            {
                error = "read failed: " + e.Message;
                return null;
            }
            Model m = ModelReader.Read(data, read, _maxRamBytes, out error);
            if (m != null && m.ParameterBytes + m.ArenaBytes > _maxRamBytes)
            {
                error = "model needs " + (m.ParameterBytes + m.ArenaBytes).ToString() + " bytes of RAM, the budget is " + _maxRamBytes.ToString();
                return null;
            }
            if (m != null)
            {
                ActiveCrc = Crc32.Compute(data, 0, read);
                ActiveLength = read;
            }
            return m;
        }

        private int Length(string name)
        {
            try { return _storage.Length(name); }
            catch (Exception) { return -1; }
        }

        private void DeleteQuietly(string name)
        {
            try { _storage.Delete(name); }
            catch (Exception) { }
        }

        private void Note(string sentence)
        {
            BootReport = BootReport.Length == 0 ? sentence : BootReport + "; " + sentence;
        }
    }
}
