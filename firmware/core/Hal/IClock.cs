namespace EdgeNet.Firmware.Hal
{
    /// <summary>Monotonic time since boot.</summary>
    public interface IClock
    {
        long Milliseconds();
    }
}
