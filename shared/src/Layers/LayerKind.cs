namespace EdgeNet.Layers
{
    /// <summary>Layer type codes as stored in the model file (docs/model-format.md). Values are never reused.</summary>
    public enum LayerKind : byte
    {
        Dense = 1,
        Conv1D = 2,
        MaxPool1D = 3,
        AvgPool1D = 4,
        /// <summary>A layer fed back on itself (direct, lateral or complete feedback; see <see cref="Feedback"/>).</summary>
        Recurrent = 5,
        /// <summary>Two layers where the second one's output is fed back into the first one's input (indirect feedback).</summary>
        IndirectRecurrent = 6,
    }

    /// <summary>Feedback kinds of a recurrent layer (stored in its record). Values are never reused.</summary>
    public enum Feedback : byte
    {
        /// <summary>Each neuron's previous output back to itself (diagonal recurrent weights).</summary>
        Direct = 1,
        /// <summary>Between neurons of the same layer, excluding self (recurrent matrix without its diagonal).</summary>
        Lateral = 2,
        /// <summary>Every neuron to every neuron of the layer, self included (full recurrent matrix).</summary>
        Complete = 3,
        /// <summary>The next layer's previous output back into this layer (only inside an indirect block).</summary>
        Indirect = 4,
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
