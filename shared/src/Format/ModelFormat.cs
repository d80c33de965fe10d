using EdgeNet.Layers;

namespace EdgeNet.Format
{
    /// <summary>Constants of the .enet model format, versions 1 to 3 (docs/model-format.md).</summary>
    public static class ModelFormat
    {
        /// <summary>"ENET" in file order.</summary>
        public const byte Magic0 = (byte)'E', Magic1 = (byte)'N', Magic2 = (byte)'E', Magic3 = (byte)'T';
        /// <summary>
        /// The newest version: the reader reads every version from <see cref="OldestVersion"/> to this one. The
        /// writer produces v3 only for a model with int16 dense weights (<see cref="UnitsWideWeights"/>) and v2
        /// otherwise (<see cref="VersionWithoutWideWeights"/>), so older readers keep reading every model that does not use them.
        /// </summary>
        public const int Version = 3;
        /// <summary>The version written for a model without int16 weights.</summary>
        public const int VersionWithoutWideWeights = 2;
        /// <summary>The first version with <see cref="UnitsWideWeights"/>.</summary>
        public const int VersionWideWeights = 3;
        public const int OldestVersion = 1;
        public const int HeaderBytes = 16;

        // ---- v2: the input spec's flags byte ----
        /// <summary>Input flag: a raw int32 missing-value fill per feature follows the normalization.</summary>
        public const int InputHasFill = 0x01;

        // ---- v2: the packed layer record header (4 bytes: code, units word, requantization zero point) ----
        /// <summary>Code byte, bits 0-3: the layer kind.</summary>
        public const int CodeKindMask = 0x0F;
        /// <summary>
        /// Code byte, bits 4-5: the precision of the layer's output tensor (0 = int8; 1 = int16, symmetric, zero
        /// point 0; 2, 3 unknown). The model input has the first layer's precision. Readers before 16-bit support
        /// reject code 1 with "16-bit layers need a newer reader".
        /// </summary>
        public const int CodePrecisionShift = 4;
        public const int PrecisionInt8 = 0, PrecisionInt16 = 1;
        /// <summary>Code byte, bit 6: clamp minimum and maximum are stored (else ReLU clamps at the zero point, others at -128..127).</summary>
        public const int CodeHasClamp = 0x40;
        /// <summary>Code byte, bit 7: the output scale is stored (required on the last layer, the only one the device reads).</summary>
        public const int CodeHasScale = 0x80;
        /// <summary>Units word, bits 0-11: units - 1; bits 12-14: activation; bit 15 <see cref="UnitsWideWeights"/>.</summary>
        public const int UnitsMask = 0x0FFF;
        public const int ActivationShift = 12;
        /// <summary>
        /// Units word, bit 15 (v3, dense layers only): the weights are int16 (two bytes each, little-endian)
        /// instead of int8. Reserved (0) in v2 files and on every other kind.
        /// </summary>
        public const int UnitsWideWeights = 0x8000;

        /// <summary>Smallest value of a tensor of this precision (-128 or -32768).</summary>
        public static int TensorMin(int precision) { return precision == PrecisionInt16 ? -32768 : -128; }

        /// <summary>Largest value of a tensor of this precision (127 or 32767).</summary>
        public static int TensorMax(int precision) { return precision == PrecisionInt16 ? 32767 : 127; }

        /// <summary>Bytes per value of a tensor of this precision.</summary>
        public static int ElementBytes(int precision) { return precision == PrecisionInt16 ? 2 : 1; }

        public const int OffsetVersion = 4;
        public const int OffsetFlags = 6;
        public const int OffsetLength = 8;
        public const int OffsetCrc = 12;

        public const int MaxClasses = 255;
        public const int MaxFeatures = 4096;
        public const int MaxWindow = 4096;
        public const int MaxLayers = 64;
        public const int MaxUnits = 4096;
        /// <summary>Largest tensor (steps x channels) any layer may take or produce.</summary>
        public const int MaxTensor = 65535;

        /// <summary>A fresh, empty layer of the given kind, or null for a kind this build does not know.</summary>
        public static Layer CreateLayer(int kind)
        {
            switch (kind)
            {
                case (int)LayerKind.Dense: return new DenseLayer();
                case (int)LayerKind.Conv1D: return new Conv1DLayer();
                case (int)LayerKind.MaxPool1D: return new MaxPool1DLayer();
                case (int)LayerKind.AvgPool1D: return new AvgPool1DLayer();
                case (int)LayerKind.Recurrent: return new RecurrentLayer();
                case (int)LayerKind.IndirectRecurrent: return new IndirectRecurrentLayer();
                default: return null;
            }
        }
    }
}
