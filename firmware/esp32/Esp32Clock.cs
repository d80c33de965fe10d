using EdgeNet.Firmware.Hal;
using nanoFramework.Hardware.Esp32;

namespace EdgeNet.Esp32
{
    /// <summary>Milliseconds since boot from the ESP32 high-resolution timer (monotonic, unlike the RTC).</summary>
    public sealed class Esp32Clock : IClock
    {
        public long Milliseconds()
        {
            return (long)(HighResTimer.GetCurrent() / 1000UL);
        }
    }
}
