using EdgeNet.Firmware.Hal;
using nanoFramework.Runtime.Native;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// Free managed heap on the ESP32: nanoFramework.Runtime.Native.GC.Run(false) runs a collection
    /// (without compacting the heap) and returns the free bytes. Written to the documented API of the
    /// nanoFramework.Runtime.Native package (GC.Run(bool compactHeap) returns uint); not run on a board.
    /// </summary>
    public sealed class Esp32Memory : IMemory
    {
        public int FreeBytes()
        {
            uint free = GC.Run(false);
            return free > int.MaxValue ? int.MaxValue : (int)free;
        }
    }
}
