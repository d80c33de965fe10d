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

        private bool _inTransfer;
        private int _expected;
        private uint _expectedCrc;
        private int _received;
        private uint _runningCrc;

        public ModelStore(IStorage storage, byte[] builtinModel, int maxModelBytes, int maxRamBytes)
        {
            _storage = storage;
            _builtin = builtinModel;
            _maxModelBytes = maxModelBytes;
            _maxRamBytes = maxRamBytes;
        }

        /// <summary>The running model.</summary>
        public Model Active;

        /// <summary>"flash", "backup" or "built-in".</summary>
        public string Source;

        /// <summary>What boot found, one sentence per problem (empty when the active file was fine).</summary>
        public string BootReport = "";

        public bool InTransfer { get { return _inTransfer; } }
        public int Received { get { return _received; } }
        public int Expected { get { return _expected; } }
        public uint ExpectedCrc { get { return _expectedCrc; } }

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
            if (Length(ActiveFile) < 0 && Length(BackupFile) >= 0)
            {
                // Reset between "active -> backup" and "temporary -> active": the backup is the old model.
                Note("update was interrupted during the swap; restoring the previous model");
                try { _storage.Rename(BackupFile, ActiveFile); }
                catch (Exception e) { Note("restoring failed: " + e.Message); }
            }
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
            try { _storage.Create(TempFile); }
            catch (Exception e)
            {
                message = "cannot create " + TempFile + ": " + e.Message;
                return LinkError.Storage;
            }
            _inTransfer = true;
            _expected = total;
            _expectedCrc = crc;
            _received = 0;
            _runningCrc = Crc32.Start;
            return 0;
        }

        /// <summary>Appends the next chunk to the temporary file. 0 or a LinkError code.</summary>
        public int Write(byte[] data, int offset, int count, out string message)
        {
            message = null;
            if (!_inTransfer)
            {
                message = "no update in progress";
                return LinkError.NoTransfer;
            }
            if (count > _expected - _received)
            {
                message = "chunk runs " + (count - (_expected - _received)).ToString() + " bytes past the announced length " + _expected.ToString();
                Abort();
                return LinkError.TooLarge;
            }
            try { _storage.Append(TempFile, data, offset, count); }
            catch (Exception e)
            {
                message = "writing " + TempFile + " at byte " + _received.ToString() + " failed: " + e.Message;
                Abort();
                return LinkError.Storage;
            }
            _received += count;
            _runningCrc = Crc32.Update(_runningCrc, data, offset, count);
            return 0;
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
            if (!_inTransfer)
            {
                code = LinkError.NoTransfer;
                message = "no update in progress";
                return null;
            }
            Model m = null;
            if (_received != _expected)
            {
                code = LinkError.Truncated;
                message = "received " + _received.ToString() + " of " + _expected.ToString() + " bytes";
            }
            else if (Crc32.Finish(_runningCrc) != _expectedCrc)
            {
                code = LinkError.ModelCrc;
                message = "CRC-32 of the received bytes is 0x" + Crc32.Finish(_runningCrc).ToString("X8") + ", announced 0x" + _expectedCrc.ToString("X8");
            }
            else
            {
                byte[] file = new byte[_expected];
                int read = 0;
                try
                {
                    if (_storage.Length(TempFile) == _expected) read = _storage.Read(TempFile, file, 0, _expected);
                }
                catch (Exception e) { message = e.Message; }
                if (read != _expected)
                {
                    code = LinkError.Storage;
                    message = "read back " + read.ToString() + " of " + _expected.ToString() + " bytes from " + TempFile + (message == null ? "" : ": " + message);
                }
                else if (Crc32.Compute(file, 0, read) != _expectedCrc)
                {
                    code = LinkError.Storage;
                    message = TempFile + " differs from the received bytes when read back (flash write error)";
                }
                else
                {
                    string error;
                    m = ModelReader.Read(file, read, _maxRamBytes, out error);
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
                }
            }
            if (m == null) Abort();
            return m;
        }

        /// <summary>Makes the verified temporary file the active model. False with a reason on storage failure.</summary>
        public bool Activate(Model verified, out string message)
        {
            message = null;
            try
            {
                _storage.Delete(BackupFile);
                if (_storage.Length(ActiveFile) >= 0) _storage.Rename(ActiveFile, BackupFile);
                _storage.Rename(TempFile, ActiveFile);
            }
            catch (Exception e)
            {
                message = "replacing the model file failed: " + e.Message;
                // Put the old model back if it was moved aside.
                try
                {
                    if (_storage.Length(ActiveFile) < 0 && _storage.Length(BackupFile) >= 0) _storage.Rename(BackupFile, ActiveFile);
                }
                catch (Exception) { }
                Abort();
                return false;
            }
            DeleteQuietly(BackupFile);
            _inTransfer = false;
            Active = verified;
            Source = "flash";
            return true;
        }

        /// <summary>Discards a transfer in progress (the temporary file is deleted).</summary>
        public void Abort()
        {
            if (!_inTransfer) return;
            _inTransfer = false;
            DeleteQuietly(TempFile);
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
