namespace EdgeNet.Kernels
{
    /// <summary>
    /// Table activation (sigmoid, tanh, step): out[i] = table[in[i] + 128]. The 256-entry table is computed
    /// at export from the real function and the input/output quantization, so the device needs no float.
    /// </summary>
    public static class Lookup
    {
        public static void Apply(sbyte[] table, sbyte[] data, int offset, int length)
        {
            for (int i = offset, end = offset + length; i < end; i++)
            {
                data[i] = table[data[i] + 128];
            }
        }

        /// <summary>
        /// The same on the int16 buffer of a 16-bit kernel whose output tensor is int8 (a table activation
        /// always has an int8 output): every value is already clamped to [-128, 127].
        /// </summary>
        public static void Apply(sbyte[] table, short[] data, int offset, int length)
        {
            for (int i = offset, end = offset + length; i < end; i++)
            {
                data[i] = table[data[i] + 128];
            }
        }
    }
}
