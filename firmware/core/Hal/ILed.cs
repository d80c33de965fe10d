namespace EdgeNet.Firmware.Hal
{
    /// <summary>The status LED.</summary>
    public interface ILed
    {
        void Set(bool on);
    }
}
