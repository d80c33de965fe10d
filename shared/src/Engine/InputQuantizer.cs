using EdgeNet.Kernels;

namespace EdgeNet.Engine
{
    /// <summary>
    /// Normalization and quantization of one reading, in integers only.
    /// A raw reading is the feature's real value times 10^RawExponent, rounded to int32 (the sensor layer
    /// produces it). Then q = clamp(ZeroPoint + round((raw - Offset) * Multiplier / 2^Shift)), which is
    /// (x - mean) / std / inputScale + zeroPoint folded into one multiplier per feature.
    /// </summary>
    public sealed class InputQuantizer
    {
        public int[] Offset;
        public int[] Multiplier;
        public byte[] Shift;
        public sbyte[] RawExponent;

        /// <summary>Quantization of the input tensor: real normalized value = Scale * (q - ZeroPoint).</summary>
        public float Scale;
        public int ZeroPoint;

        public int ParameterBytes { get { return Offset.Length * 10; } }

        /// <summary>Quantizes raw[0..features) into dest[destOffset..).</summary>
        public void Quantize(int[] raw, sbyte[] dest, int destOffset)
        {
            int n = Offset.Length;
            for (int f = 0; f < n; f++)
            {
                int centered = FixedPoint.SaturatingSubtract(raw[f], Offset[f]);
                dest[destOffset + f] = FixedPoint.Requantize(centered, Multiplier[f], Shift[f], ZeroPoint, -128, 127);
            }
        }
    }
}
