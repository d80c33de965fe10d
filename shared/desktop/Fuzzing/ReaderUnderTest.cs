using System;
using EdgeNet.Engine;

namespace EdgeNet.Fuzzing
{
    /// <summary>
    /// One build of the model reader and inference engine, reached through DeviceProbe's plain-array entry
    /// points, so the desktop build and the nanoFramework-compiled assembly (loaded into CoreCLR) are
    /// driven the same way.
    /// </summary>
    public sealed class ReaderUnderTest
    {
        public ReaderUnderTest(string name, Func<byte[], int, string> check, Func<byte[], int, int, string> checkPrefix,
            Func<byte[], int[], int, sbyte[]> trace)
        {
            Name = name;
            Check = check;
            CheckPrefix = checkPrefix;
            Trace = trace;
        }

        public string Name { get; }

        /// <summary>DeviceProbe.Check: null when the model is accepted, else the reader's reason.</summary>
        public Func<byte[], int, string> Check { get; }

        /// <summary>DeviceProbe.CheckPrefix: the verdict on data[0..length), whatever follows it.</summary>
        public Func<byte[], int, int, string> CheckPrefix { get; }

        /// <summary>DeviceProbe.Trace: every layer's int8 output for each reading; null when rejected.</summary>
        public Func<byte[], int[], int, sbyte[]> Trace { get; }

        /// <summary>The net10 build this assembly was compiled into.</summary>
        public static ReaderUnderTest Desktop { get; } = new ReaderUnderTest("net10", DeviceProbe.Check, DeviceProbe.CheckPrefix, DeviceProbe.Trace);

        /// <summary>The same entry points taken from another build of DeviceProbe (EdgeNet.Probe, the nanoFramework build).</summary>
        public static ReaderUnderTest FromAssembly(string name, System.Reflection.Assembly probeAssembly)
        {
            Type probe = probeAssembly.GetType("EdgeNet.Engine.DeviceProbe", throwOnError: true);
            return new ReaderUnderTest(name,
                probe.GetMethod("Check").CreateDelegate<Func<byte[], int, string>>(),
                probe.GetMethod("CheckPrefix").CreateDelegate<Func<byte[], int, int, string>>(),
                probe.GetMethod("Trace").CreateDelegate<Func<byte[], int[], int, sbyte[]>>());
        }
    }
}
