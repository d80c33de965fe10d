using EdgeNet.Firmware.Hal;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// Free managed heap on the ESP32: nanoFramework.Runtime.Native.GC.Run(false) runs a collection
    /// (without compacting the heap) and returns the free bytes. Written to nanoFramework.Runtime.Native
    /// 1.7.11 (GC.Run(bool compactHeap) returns uint; see README.md, "Packages"); not run on a board.
    /// Qualified in full: mscorlib has a System.GC too, without a free-memory figure in 1.x.
    /// </summary>
    public sealed class Esp32Memory : IMemory
    {
        public int FreeBytes()
        {
            uint free = nanoFramework.Runtime.Native.GC.Run(false);
            return free > int.MaxValue ? int.MaxValue : (int)free;
        }
    }
}
