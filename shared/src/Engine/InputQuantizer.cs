using EdgeNet.Kernels;

namespace EdgeNet.Engine
{
    /// <summary>
    /// Normalization and quantization of one reading, in integers only (into an int8 or an int16 input tensor).
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

        /// <summary>
        /// Precision of the input tensor (ModelFormat.PrecisionInt8 or PrecisionInt16): the first layer's, not
        /// stored in the input spec. An int16 input is symmetric (ZeroPoint 0) and fills [-32768, 32767].
        /// </summary>
        public int Precision;

        /// <summary>
        /// Optional (format v2): per feature, the raw reading that stands in for a missing one (null = none
        /// stored). Filled from the trainer's missing-value strategy; the sensor layer substitutes it.
        /// </summary>
        public int[] FillRaw;

        public int ParameterBytes { get { return Offset.Length * 10 + (FillRaw == null ? 0 : FillRaw.Length * 4); } }

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

        /// <summary>The same into an int16 input tensor (the same multipliers, computed for the int16 scale).</summary>
        public void Quantize(int[] raw, short[] dest, int destOffset)
        {
            int n = Offset.Length;
            for (int f = 0; f < n; f++)
            {
                int centered = FixedPoint.SaturatingSubtract(raw[f], Offset[f]);
                dest[destOffset + f] = FixedPoint.Requantize16(centered, Multiplier[f], Shift[f], ZeroPoint, -32768, 32767);
            }
        }
    }
}
