using System.Collections;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Firmware.Store
{
    /// <summary>Files kept in RAM: for the replay app, tests and boards without a file system.</summary>
    public sealed class MemoryStorage : IStorage
    {
        // Hashtable is not in CoreLibrary: a short list of named blobs is plenty for three files.
        private readonly ArrayList _files = new ArrayList();

        private Blob Find(string name)
        {
            for (int i = 0; i < _files.Count; i++)
            {
                Blob b = (Blob)_files[i];
                if (b.Name == name) return b;
            }
            return null;
        }

        public int Length(string name)
        {
            Blob b = Find(name);
            return b == null ? -1 : b.Length;
        }

        public int Read(string name, byte[] buffer, int offset, int count)
        {
            Blob b = Find(name);
            if (b == null) throw new System.IO.IOException(name + " does not exist");
            int n = count < b.Length ? count : b.Length;
            System.Array.Copy(b.Data, 0, buffer, offset, n);
            return n;
        }

        public int ReadAt(string name, int position, byte[] buffer, int offset, int count)
        {
            Blob b = Find(name);
            if (b == null) throw new System.IO.IOException(name + " does not exist");
            if (position < 0 || position >= b.Length) return 0;
            int n = count < b.Length - position ? count : b.Length - position;
            System.Array.Copy(b.Data, position, buffer, offset, n);
            return n;
        }

        public void Create(string name)
        {
            Delete(name);
            Blob b = new Blob();
            b.Name = name;
            _files.Add(b);
        }

        public void Append(string name, byte[] data, int offset, int count)
        {
            Blob b = Find(name);
            if (b == null) throw new System.IO.IOException(name + " does not exist");
            if (b.Length + count > b.Data.Length)
            {
                int size = b.Data.Length * 2;
                while (size < b.Length + count) size *= 2;
                byte[] bigger = new byte[size];
                System.Array.Copy(b.Data, bigger, b.Length);
                b.Data = bigger;
            }
            System.Array.Copy(data, offset, b.Data, b.Length, count);
            b.Length += count;
        }

        public void Delete(string name)
        {
            Blob b = Find(name);
            if (b != null) _files.Remove(b);
        }

        public void Rename(string from, string to)
        {
            Blob b = Find(from);
            if (b == null) throw new System.IO.IOException(from + " does not exist");
            if (Find(to) != null) throw new System.IO.IOException(to + " already exists");
            b.Name = to;
        }

        private sealed class Blob
        {
            public string Name;
            public byte[] Data = new byte[256];
            public int Length;
        }
    }
}
