using System;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Firmware.Config
{
    /// <summary>
    /// Reads the board configuration file from storage as UTF-8 text: the whole file or an error naming the
    /// byte, never a silently shortened or mis-decoded text (a label such as "Wärme" must reach the
    /// parser as written).
    /// </summary>
    public static class ConfigFile
    {
        public const string Name = "board.cfg";

        /// <summary>Largest configuration accepted (a full 36-sensor file is about 2 KB).</summary>
        public const int MaxBytes = 16384;

        /// <summary>
        /// The file's text; null when the file does not exist (error null) or cannot be used (error says why,
        /// starting with the path).
        /// </summary>
        public static string Read(IStorage storage, string name, string path, out string error)
        {
            error = null;
            int length;
            try { length = storage.Length(name); }
            catch (Exception e)
            {
                error = path + ": " + Message(e);
                return null;
            }
            if (length < 0) return null;
            if (length > MaxBytes)
            {
                error = path + " is " + length.ToString() + " bytes, more than the " + MaxBytes.ToString() + " a board configuration may have";
                return null;
            }
            byte[] bytes = new byte[length];
            int read;
            try { read = storage.Read(name, bytes, 0, length); }
            catch (Exception e)
            {
                error = path + ": reading failed: " + Message(e);
                return null;
            }
            if (read != length)
            {
                error = path + ": read " + read.ToString() + " of " + length.ToString() + " bytes";
                return null;
            }
            return DecodeUtf8(bytes, length, path, out error);
        }

        /// <summary>
        /// Strict UTF-8 (a leading byte order mark is skipped): null with "path byte N: reason" on a malformed
        /// or overlong sequence, a surrogate, or a code point beyond the 16-bit chars nanoFramework strings hold.
        /// </summary>
        public static string DecodeUtf8(byte[] bytes, int count, string path, out string error)
        {
            error = null;
            char[] chars = new char[count];
            int n = 0;
            int i = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            while (i < count)
            {
                int b = bytes[i];
                int need, cp, min;
                if (b < 0x80) { chars[n++] = (char)b; i++; continue; }
                if ((b & 0xE0) == 0xC0) { need = 1; cp = b & 0x1F; min = 0x80; }
                else if ((b & 0xF0) == 0xE0) { need = 2; cp = b & 0x0F; min = 0x800; }
                else if ((b & 0xF8) == 0xF0)
                {
                    error = path + " byte " + i.ToString() + ": a 4-byte UTF-8 character (beyond U+FFFF) cannot be used in a board configuration";
                    return null;
                }
                else
                {
                    error = path + " byte " + i.ToString() + ": 0x" + b.ToString("X2") + " cannot start a UTF-8 character (save the file as UTF-8)";
                    return null;
                }
                if (i + need >= count)
                {
                    error = path + " byte " + i.ToString() + ": the file ends inside a UTF-8 character";
                    return null;
                }
                for (int k = 1; k <= need; k++)
                {
                    int c = bytes[i + k];
                    if ((c & 0xC0) != 0x80)
                    {
                        error = path + " byte " + (i + k).ToString() + ": 0x" + c.ToString("X2") + " is not a UTF-8 continuation byte (save the file as UTF-8)";
                        return null;
                    }
                    cp = (cp << 6) | (c & 0x3F);
                }
                if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF))
                {
                    error = path + " byte " + i.ToString() + ": invalid UTF-8 sequence (overlong or a surrogate)";
                    return null;
                }
                chars[n++] = (char)cp;
                i += need + 1;
            }
            return new string(chars, 0, n);
        }

        private static string Message(Exception e)
        {
            return e.Message == null || e.Message.Length == 0 ? e.GetType().FullName : e.Message;
        }
    }
}
