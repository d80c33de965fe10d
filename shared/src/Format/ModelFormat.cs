using EdgeNet.Layers;

namespace EdgeNet.Format
{
    /// <summary>Constants of the .enet model format v1 (docs/model-format.md).</summary>
    public static class ModelFormat
    {
        /// <summary>"ENET" in file order.</summary>
        public const byte Magic0 = (byte)'E', Magic1 = (byte)'N', Magic2 = (byte)'E', Magic3 = (byte)'T';
        public const int Version = 1;
        public const int HeaderBytes = 16;

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
