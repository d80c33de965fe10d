using EdgeNet.Layers;

namespace EdgeNet.Engine
{
    /// <summary>
    /// A quantized network as the device runs it: what the inputs are, how raw readings become int8,
    /// the layers in order, and what the output classes are called.
    /// </summary>
    public sealed class Model
    {
        public string Name;
        public string[] ClassLabels;
        public string[] FeatureNames;

        /// <summary>How many consecutive readings form one input (1 = the current reading only).</summary>
        public int WindowLength = 1;

        /// <summary>Turns raw readings into the int8 input tensor.</summary>
        public InputQuantizer Input;

        public Layer[] Layers;

        public int FeatureCount { get { return FeatureNames.Length; } }
        public int ClassCount { get { return ClassLabels.Length; } }
        public int InputLength { get { return WindowLength * FeatureNames.Length; } }
        public Layer OutputLayer { get { return Layers[Layers.Length - 1]; } }

        /// <summary>Bytes the inference engine allocates for this model (<see cref="ArenaPlan"/>): the reader's budget check.</summary>
        public int ArenaBytes { get { return ArenaPlan.Bytes(this); } }

        /// <summary>Bytes of an engine in dump mode: input, every layer's own output, state.</summary>
        public int DumpArenaBytes { get { return ArenaPlan.DumpBytes(this); } }

        public int ParameterBytes
        {
            get
            {
                int total = Input.ParameterBytes;
                for (int i = 0; i < Layers.Length; i++) total += Layers[i].ParameterBytes;
                return total;
            }
        }

        /// <summary>
        /// Bytes of the constants the layers derive at load (folded zero points of conv1d and recurrent
        /// layers; dense layers store theirs folded in the file): RAM beside <see cref="ParameterBytes"/>.
        /// </summary>
        public int PreparedBytes
        {
            get
            {
                int total = 0;
                for (int i = 0; i < Layers.Length; i++) total += Layers[i].PreparedBytes;
                return total;
            }
        }

        public int MacCount
        {
            get
            {
                int total = 0;
                for (int i = 0; i < Layers.Length; i++) total += Layers[i].MacCount;
                return total;
            }
        }
    }
}
