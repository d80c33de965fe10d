namespace EdgeNet.Firmware.Hal
{
    /// <summary>
    /// The sensor channels of the board configuration, by index. A reading is an integer in the channel's
    /// units: real value x 10^exponent (exponent from the configuration).
    /// </summary>
    public interface ISensors
    {
        /// <summary>False when the read failed or produced no number (NaN, bus error, timeout).</summary>
        bool Read(int sensor, out int value);
    }
}
