#nullable disable
namespace EdgeNet.GoldenData
{
    /// <summary>
    /// One golden vector, as written by the desktop generator (shared/desktop/Golden) into GoldenVectors.g.cs.
    /// Plain fields and arrays only, so the same source compiles for nanoFramework and .NET.
    /// </summary>
    public sealed class GoldenVector
    {
        // Kinds: the values of EdgeNet.Golden.GoldenKind (a test keeps them equal).
        /// <summary>FixedPoint.MultiplyByQuantizedMultiplier(value, multiplier, shift).</summary>
        public const int Multiply = 1;
        /// <summary>FixedPoint.SaturateToInt8(value).</summary>
        public const int Saturate = 2;
        /// <summary>FixedPoint.Requantize(acc, multiplier, shift, zeroPoint, min, max).</summary>
        public const int Requantize = 3;
        /// <summary>FixedPoint.SaturatingAdd(a, b).</summary>
        public const int SaturatingAdd = 4;
        /// <summary>FixedPoint.SaturatingSubtract(a, b).</summary>
        public const int SaturatingSubtract = 5;
        /// <summary>A model run on raw readings: DeviceProbe.Trace and DeviceProbe.Classify.</summary>
        public const int Model = 6;
        /// <summary>A file the reader rejects: DeviceProbe.Check gives exactly Error.</summary>
        public const int Rejected = 7;
        /// <summary>A model with 16-bit tensors: DeviceProbe.TraceWide and DeviceProbe.Classify.</summary>
        public const int WideModel = 8;

        public string Name;
        public int Kind;

        /// <summary>Kernel vectors: Arity arguments per call, Args holds the calls back to back.</summary>
        public int Arity;
        public int[] Args;
        /// <summary>Kernel vectors: the result of each call.</summary>
        public int[] Expected;

        /// <summary>Model and rejected vectors: the .enet file.</summary>
        public byte[] File;
        /// <summary>Raw readings, reading r's feature f at r * features + f.</summary>
        public int[] Raw;
        public int Readings;
        /// <summary>Per reading: the int8 input tensor, then every layer's output (DeviceProbe.Trace).</summary>
        public sbyte[] Trace;
        /// <summary>WideModel vectors: per reading, every tensor as int16 (DeviceProbe.TraceWide).</summary>
        public short[] WideTrace;
        /// <summary>The predicted class after each reading.</summary>
        public int[] Classes;

        /// <summary>Rejected vectors: the arena budget given to the reader, and its exact reason.</summary>
        public int MaxArena;
        public string Error;
    }
}
