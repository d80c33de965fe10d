using EdgeNet.Format;

namespace EdgeNet.Quantization
{
    /// <summary>
    /// Affine quantization of a tensor: real = Scale * (q - ZeroPoint). int8 tensors are asymmetric;
    /// int16 tensors (<see cref="Precision"/> = ModelFormat.PrecisionInt16) are symmetric with zero point 0.
    /// </summary>
    public readonly struct QuantParams
    {
        public QuantParams(double scale, int zeroPoint) : this(scale, zeroPoint, ModelFormat.PrecisionInt8) { }

        public QuantParams(double scale, int zeroPoint, int precision)
        {
            Scale = scale;
            ZeroPoint = zeroPoint;
            Precision = precision;
        }

        public double Scale { get; }
        public int ZeroPoint { get; }

        /// <summary>ModelFormat.PrecisionInt8 or PrecisionInt16.</summary>
        public int Precision { get; }

        public bool Wide => Precision == ModelFormat.PrecisionInt16;

        /// <summary>The int8 value of a real (an int8 tensor only; <see cref="QuantizeValue"/> for either width).</summary>
        public sbyte Quantize(double real) => QuantizationRule.SaturateInt8(QuantizationRule.RoundToInt(real / Scale) + (long)ZeroPoint);

        /// <summary>The quantized value in the tensor's own range ([-128, 127] or [-32768, 32767]).</summary>
        public int QuantizeValue(double real) => (int)System.Math.Clamp(QuantizationRule.RoundToInt(real / Scale) + (long)ZeroPoint,
            ModelFormat.TensorMin(Precision), ModelFormat.TensorMax(Precision));

        public double Dequantize(int q) => Scale * (q - ZeroPoint);

        public override string ToString() => $"{(Wide ? "int16" : "int8")} scale {Scale:G6}, zero point {ZeroPoint}";
    }
}
