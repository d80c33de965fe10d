namespace EdgeNet.Quantization
{
    /// <summary>Affine int8 quantization of a tensor: real = Scale * (q - ZeroPoint).</summary>
    public readonly struct QuantParams
    {
        public QuantParams(double scale, int zeroPoint)
        {
            Scale = scale;
            ZeroPoint = zeroPoint;
        }

        public double Scale { get; }
        public int ZeroPoint { get; }

        public sbyte Quantize(double real) => QuantizationRule.SaturateInt8(QuantizationRule.RoundToInt(real / Scale) + (long)ZeroPoint);
        public double Dequantize(int q) => Scale * (q - ZeroPoint);

        public override string ToString() => $"scale {Scale:G6}, zero point {ZeroPoint}";
    }
}
