namespace EdgeNet.Firmware.Hal
{
    /// <summary>
    /// How much managed heap is free. The update service asks before it allocates a new model beside the
    /// running one, so an update that cannot fit is refused instead of stopping the board with an
    /// out-of-memory exception.
    /// </summary>
    public interface IMemory
    {
        /// <summary>Free heap bytes after a garbage collection, or -1 when the board cannot tell.</summary>
        int FreeBytes();
    }
}
