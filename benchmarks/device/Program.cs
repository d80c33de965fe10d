namespace EdgeNet.Bench.Device
{
    public static class Program
    {
        /// <summary>Multiply-accumulates each case runs; sized for a few seconds per case on an ESP32 interpreter.</summary>
        public const int DeviceMacBudget = 400000;

        public static void Main()
        {
            System.Console.WriteLine(DeviceBenchmark.Run(DeviceMacBudget));
            // Both kernel backends; the native one only where the firmware has the EdgeNet.Native interop module.
            System.Console.WriteLine(BackendBenchmark.Run(DeviceMacBudget, new EdgeNet.Native.NativeBackend()));
        }
    }
}
