using System;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Firmware.Store
{
    /// <summary>
    /// The one way a verified temporary file replaces a file on flash, for models and the board
    /// configuration alike: active -> backup, temporary -> active, delete backup. Renames only, so a reset
    /// at any point leaves the old file or the new one, and <see cref="RestoreInterrupted"/> at boot puts
    /// the old one back when the reset fell between the two renames.
    /// </summary>
    public static class FileSwap
    {
        /// <summary>
        /// Makes temp the active file. Null on success, else the reason; the old file is then put back
        /// (the temporary file stays for the caller to discard).
        /// </summary>
        public static string Replace(IStorage storage, string temp, string active, string backup)
        {
            try
            {
                if (storage.Length(backup) >= 0) storage.Delete(backup);
                if (storage.Length(active) >= 0) storage.Rename(active, backup);
                storage.Rename(temp, active);
            }
            catch (Exception e)
            {
                try { RestoreInterrupted(storage, active, backup); }
                catch (Exception) { }
                return "replacing " + active + " failed: " + e.Message;
            }
            try { storage.Delete(backup); }
            catch (Exception) { }
            return null;
        }

        /// <summary>
        /// After a reset between "active -> backup" and "temporary -> active" (no active file, a backup):
        /// renames the backup back. True when it did. Throws when the rename fails.
        /// </summary>
        public static bool RestoreInterrupted(IStorage storage, string active, string backup)
        {
            if (storage.Length(active) >= 0 || storage.Length(backup) < 0) return false;
            storage.Rename(backup, active);
            return true;
        }
    }
}
