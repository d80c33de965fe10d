using System;
using EdgeNet.Format;
using EdgeNet.Firmware.Hal;
using EdgeNet.Link;

namespace EdgeNet.Firmware.Store
{
    /// <summary>
    /// One file arriving over the link into a temporary file: announced length and CRC-32, chunks appended
    /// in order with a running CRC, then read back from flash and checked again. Used for models and for the
    /// board configuration; what the bytes mean is checked by the store that owns the transfer.
    /// </summary>
    public sealed class FileTransfer
    {
        private readonly IStorage _storage;
        private string _file;
        private bool _active;
        private int _expected;
        private uint _expectedCrc;
        private int _received;
        private uint _runningCrc;

        public FileTransfer(IStorage storage)
        {
            _storage = storage;
        }

        public bool Active { get { return _active; } }
        public int Received { get { return _received; } }
        public int Expected { get { return _expected; } }
        public uint ExpectedCrc { get { return _expectedCrc; } }

        /// <summary>Creates the temporary file (replacing one left over). 0 or a LinkError code.</summary>
        public int Begin(string file, int total, uint crc, out string message)
        {
            message = null;
            Abort();
            try { _storage.Create(file); }
            catch (Exception e)
            {
                message = "cannot create " + file + ": " + e.Message;
                return LinkError.Storage;
            }
            _file = file;
            _active = true;
            _expected = total;
            _expectedCrc = crc;
            _received = 0;
            _runningCrc = Crc32.Start;
            return 0;
        }

        /// <summary>Appends the next chunk. 0 or a LinkError code (the transfer is then discarded).</summary>
        public int Write(byte[] data, int offset, int count, out string message)
        {
            message = null;
            if (!_active)
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
            try { _storage.Append(_file, data, offset, count); }
            catch (Exception e)
            {
                message = "writing " + _file + " at byte " + _received.ToString() + " failed: " + e.Message;
                Abort();
                return LinkError.Storage;
            }
            _received += count;
            _runningCrc = Crc32.Update(_runningCrc, data, offset, count);
            return 0;
        }

        /// <summary>
        /// Every announced byte arrived, the stream's CRC matches, and the file read back from flash matches
        /// too: the file's bytes, else null with a code and reason (the transfer is then discarded). The
        /// caller checked that the bytes fit in memory.
        /// </summary>
        public byte[] ReadBack(out int code, out string message)
        {
            code = 0;
            message = null;
            byte[] file = null;
            if (!_active)
            {
                code = LinkError.NoTransfer;
                message = "no update in progress";
            }
            else if (_received != _expected)
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
                file = new byte[_expected];
                int read = 0;
                try
                {
                    if (_storage.Length(_file) == _expected) read = _storage.Read(_file, file, 0, _expected);
                }
                catch (Exception e) { message = e.Message; }
                if (read != _expected)
                {
                    code = LinkError.Storage;
                    message = "read back " + read.ToString() + " of " + _expected.ToString() + " bytes from " + _file + (message == null ? "" : ": " + message);
                    file = null;
                }
                else if (Crc32.Compute(file, 0, read) != _expectedCrc)
                {
                    code = LinkError.Storage;
                    message = _file + " differs from the received bytes when read back (flash write error)";
                    file = null;
                }
            }
            if (file == null) Abort();
            return file;
        }

        /// <summary>The transfer is over (its file was renamed into place).</summary>
        public void Finish()
        {
            _active = false;
        }

        /// <summary>Discards a transfer in progress (the temporary file is deleted).</summary>
        public void Abort()
        {
            if (!_active) return;
            _active = false;
            try { _storage.Delete(_file); }
            catch (Exception) { }
        }
    }
}
