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

        /// <summary>Bytes the inference engine allocates for this model: input, every layer's output and state.</summary>
        public int ArenaBytes
        {
            get
            {
                int total = InputLength;
                for (int i = 0; i < Layers.Length; i++) total += Layers[i].OutputLength + Layers[i].StateBytes;
                return total;
            }
        }

        public int ParameterBytes
        {
            get
            {
                int total = Input.ParameterBytes;
                for (int i = 0; i < Layers.Length; i++) total += Layers[i].ParameterBytes;
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
