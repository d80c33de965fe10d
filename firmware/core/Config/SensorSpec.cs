namespace EdgeNet.Firmware.Config
{
    /// <summary>
    /// One sensor channel of the board configuration: its name, the kind the board layer knows
    /// ("adc", "i2c", ...), the kind's settings as key=value pairs, and the decimal exponent of its readings.
    /// </summary>
    public sealed class SensorSpec
    {
        public string Name;
        public string Kind;
        public string[] Keys;
        public string[] Values;

        /// <summary>A reading v means the real value v x 10^-Exponent (v = real x 10^Exponent).</summary>
        public int Exponent;

        /// <summary>Line of the configuration that defined it, for error messages.</summary>
        public int Line;

        public string Get(string key)
        {
            for (int i = 0; i < Keys.Length; i++)
            {
                if (Keys[i] == key) return Values[i];
            }
            return null;
        }

        /// <summary>An integer setting (decimal or 0x hex), or fallback when absent or not a number.</summary>
        public int Int(string key, int fallback)
        {
            string v = Get(key);
            int result;
            return v != null && BoardConfig.TryParseInt(v, out result) ? result : fallback;
        }
    }
}
