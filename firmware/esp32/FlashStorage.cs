using System.IO;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// Files on the ESP32's internal flash (drive I:, nanoFramework System.IO.FileSystem). Rename maps to
    /// File.Move, a rename within the volume, which is what makes a verified model active in one step.
    /// </summary>
    public sealed class FlashStorage : IStorage
    {
        public const string Root = "I:\\";

        public int Length(string name)
        {
            string path = Root + name;
            if (!File.Exists(path)) return -1;
            using (FileStream f = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                return (int)f.Length;
            }
        }

        public int Read(string name, byte[] buffer, int offset, int count)
        {
            return ReadAt(name, 0, buffer, offset, count);
        }

        public int ReadAt(string name, int position, byte[] buffer, int offset, int count)
        {
            using (FileStream f = new FileStream(Root + name, FileMode.Open, FileAccess.Read))
            {
                if (position >= f.Length) return 0;
                if (position > 0) f.Seek(position, SeekOrigin.Begin);
                int total = 0;
                while (total < count)
                {
                    int n = f.Read(buffer, offset + total, count - total);
                    if (n <= 0) break;
                    total += n;
                }
                return total;
            }
        }

        public void Create(string name)
        {
            using (FileStream f = new FileStream(Root + name, FileMode.Create, FileAccess.Write))
            {
                f.Flush();
            }
        }

        public void Append(string name, byte[] data, int offset, int count)
        {
            using (FileStream f = new FileStream(Root + name, FileMode.Append, FileAccess.Write))
            {
                f.Write(data, offset, count);
                f.Flush();
            }
        }

        public void Delete(string name)
        {
            File.Delete(Root + name);
        }

        public void Rename(string from, string to)
        {
            File.Move(Root + from, Root + to);
        }
    }
}
