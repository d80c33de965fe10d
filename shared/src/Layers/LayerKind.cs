namespace EdgeNet.Layers
{
    /// <summary>Layer type codes as stored in the model file (docs/model-format.md). Values are never reused.</summary>
    public enum LayerKind : byte
    {
        Dense = 1,
    }

    /// <summary>
    /// A neuron's activation function. Identity and ReLU are clamps after requantization; sigmoid, tanh
    /// and step are 256-entry lookup tables computed at export from the real function.
    /// </summary>
    public enum Activation : byte
    {
        Identity = 0,
        Relu = 1,
        Sigmoid = 2,
        Tanh = 3,
        Step = 4,
    }

    public static class Activations
    {
        public const int Count = 5;

        /// <summary>True for activations that run as a lookup table on the device.</summary>
        public static bool UsesTable(Activation a)
        {
            return a == Activation.Sigmoid || a == Activation.Tanh || a == Activation.Step;
        }

        public static string Name(Activation a)
        {
            switch (a)
            {
                case Activation.Identity: return "identity";
                case Activation.Relu: return "relu";
                case Activation.Sigmoid: return "sigmoid";
                case Activation.Tanh: return "tanh";
                case Activation.Step: return "step";
                default: return "unknown";
            }
        }
    }
}
