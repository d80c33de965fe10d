#nullable disable
using EdgeNet.Engine;
using EdgeNet.Kernels;

namespace EdgeNet.GoldenData
{
    /// <summary>
    /// Runs golden vectors through the EdgeNet.Shared build it is compiled with. The same source runs in
    /// NFUnitTest on the nanoFramework interpreter and, in CI, from the nanoFramework-compiled assembly and
    /// the desktop build inside xunit. nanoFramework-compatible: no generics, plain arrays.
    /// </summary>
    public static class GoldenRunner
    {
        /// <summary>The kernel's result for each call of a kernel vector.</summary>
        public static int[] RunKernel(GoldenVector v)
        {
            int calls = v.Args.Length / v.Arity;
            int[] actual = new int[calls];
            int[] a = v.Args;
            for (int c = 0; c < calls; c++)
            {
                int at = c * v.Arity;
                switch (v.Kind)
                {
                    case GoldenVector.Multiply: actual[c] = FixedPoint.MultiplyByQuantizedMultiplier(a[at], a[at + 1], a[at + 2]); break;
                    case GoldenVector.Saturate: actual[c] = FixedPoint.SaturateToInt8(a[at]); break;
                    case GoldenVector.Requantize: actual[c] = FixedPoint.Requantize(a[at], a[at + 1], a[at + 2], a[at + 3], a[at + 4], a[at + 5]); break;
                    case GoldenVector.SaturatingAdd: actual[c] = FixedPoint.SaturatingAdd(a[at], a[at + 1]); break;
                    case GoldenVector.SaturatingSubtract: actual[c] = FixedPoint.SaturatingSubtract(a[at], a[at + 1]); break;
                    default: return null;
                }
            }
            return actual;
        }

        public static sbyte[] RunTrace(GoldenVector v) { return DeviceProbe.Trace(v.File, v.Raw, v.Readings); }

        public static short[] RunWideTrace(GoldenVector v) { return DeviceProbe.TraceWide(v.File, v.Raw, v.Readings); }

        public static int[] RunClasses(GoldenVector v) { return DeviceProbe.Classify(v.File, v.Raw, v.Readings); }

        public static string RunCheck(GoldenVector v) { return DeviceProbe.Check(v.File, v.MaxArena); }

        /// <summary>Null when the vector passes, else what differs first.</summary>
        public static string Compare(GoldenVector v)
        {
            switch (v.Kind)
            {
                case GoldenVector.Model:
                    string trace = CompareSBytes("trace", v.Trace, RunTrace(v));
                    return trace != null ? v.Name + ": " + trace : Prefix(v, CompareInts("class", v.Classes, RunClasses(v)));
                case GoldenVector.WideModel:
                    string wide = CompareShorts("trace", v.WideTrace, RunWideTrace(v));
                    return wide != null ? v.Name + ": " + wide : Prefix(v, CompareInts("class", v.Classes, RunClasses(v)));
                case GoldenVector.Rejected:
                    string error = RunCheck(v);
                    if (error == v.Error) return null;
                    return v.Name + ": expected \"" + v.Error + "\", got " + (error == null ? "acceptance" : "\"" + error + "\"");
                default:
                    int[] actual = RunKernel(v);
                    if (actual == null) return v.Name + ": unknown kind " + v.Kind.ToString();
                    string diff = CompareInts("call", v.Expected, actual);
                    if (diff == null) return null;
                    return v.Name + ": " + diff;
            }
        }

        /// <summary>Compares every vector; null when all pass, else one line per failing vector.</summary>
        public static string CompareAll()
        {
            string failures = null;
            for (int i = 0; i < GoldenVectorTable.Count; i++)
            {
                string diff = Compare(GoldenVectorTable.Get(i));
                if (diff != null) failures = failures == null ? diff : failures + "\n" + diff;
            }
            return failures;
        }

        /// <summary>Compare(Get(index)), for callers that only pass integers across (tests of the device build).</summary>
        public static string CompareAt(int index) { return Compare(GoldenVectorTable.Get(index)); }

        private static string Prefix(GoldenVector v, string diff) { return diff == null ? null : v.Name + ": " + diff; }

        private static string CompareInts(string what, int[] expected, int[] actual)
        {
            if (actual == null) return "the model was rejected";
            if (actual.Length != expected.Length) return what + " count " + actual.Length.ToString() + ", expected " + expected.Length.ToString();
            for (int i = 0; i < expected.Length; i++)
            {
                if (actual[i] != expected[i]) return what + " " + i.ToString() + " is " + actual[i].ToString() + ", expected " + expected[i].ToString();
            }
            return null;
        }

        private static string CompareShorts(string what, short[] expected, short[] actual)
        {
            if (actual == null) return "the model was rejected";
            if (actual.Length != expected.Length) return what + " length " + actual.Length.ToString() + ", expected " + expected.Length.ToString();
            for (int i = 0; i < expected.Length; i++)
            {
                if (actual[i] != expected[i]) return what + " value " + i.ToString() + " is " + actual[i].ToString() + ", expected " + expected[i].ToString();
            }
            return null;
        }

        private static string CompareSBytes(string what, sbyte[] expected, sbyte[] actual)
        {
            if (actual == null) return "the model was rejected";
            if (actual.Length != expected.Length) return what + " length " + actual.Length.ToString() + ", expected " + expected.Length.ToString();
            for (int i = 0; i < expected.Length; i++)
            {
                if (actual[i] != expected[i]) return what + " value " + i.ToString() + " is " + actual[i].ToString() + ", expected " + expected[i].ToString();
            }
            return null;
        }
    }
}
