namespace EdgeNet.Firmware.Hal
{
    /// <summary>
    /// Flat file storage (internal flash). Operations throw on I/O failure; the model store catches and
    /// reports. Rename is the one step that makes a new model active, so it must not copy.
    /// </summary>
    public interface IStorage
    {
        /// <summary>Size of the file in bytes, or -1 when it does not exist.</summary>
        int Length(string name);

        /// <summary>Reads up to count bytes from the start of the file; returns how many were read.</summary>
        int Read(string name, byte[] buffer, int offset, int count);

        /// <summary>Creates an empty file, replacing any file of that name.</summary>
        void Create(string name);

        /// <summary>Reads up to count bytes starting at byte position of the file; returns how many were read.</summary>
        int ReadAt(string name, int position, byte[] buffer, int offset, int count);

        void Append(string name, byte[] data, int offset, int count);

        /// <summary>Deletes the file; nothing happens when it does not exist.</summary>
        void Delete(string name);

        /// <summary>Renames a file; the target must not exist.</summary>
        void Rename(string from, string to);
    }
}
