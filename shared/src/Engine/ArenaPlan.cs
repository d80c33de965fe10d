using EdgeNet.Layers;

namespace EdgeNet.Engine
{
    /// <summary>
    /// The memory plan of an inference, in the spirit of TensorFlow Lite Micro's planner: a buffer is reused
    /// when the lifetimes of the tensors in it do not overlap. In a feed-forward stack the output of hidden
    /// layer i is needed only until layer i + 1 has read it, so hidden layers alternate between two shared
    /// buffers (even layers in one, odd in the other, each as large as its largest tenant). Kept apart:
    /// the input window (it carries older readings to the next inference), the last layer's output (the
    /// result, read after the inference) and each recurrent layer's state (carried between inferences).
    /// Arrays cannot overlap in part on nanoFramework, so the plan reuses whole buffers.
    /// </summary>
    public static class ArenaPlan
    {
        /// <summary>Size of the shared buffer for the hidden layers of one parity (0 = even layers, 1 = odd).</summary>
        public static int SharedBufferBytes(Model m, int parity)
        {
            int size = 0;
            for (int i = parity; i < m.Layers.Length - 1; i += 2)
            {
                if (m.Layers[i].OutputLength > size) size = m.Layers[i].OutputLength;
            }
            return size;
        }

        /// <summary>input window + two shared buffers + the last layer's output + every layer's state.</summary>
        public static int Bytes(Model m)
        {
            return m.InputLength + SharedBufferBytes(m, 0) + SharedBufferBytes(m, 1) + m.OutputLayer.OutputLength + StateBytes(m);
        }

        /// <summary>Dump mode: input window + every layer's own output + state.</summary>
        public static int DumpBytes(Model m)
        {
            int total = m.InputLength + StateBytes(m);
            for (int i = 0; i < m.Layers.Length; i++) total += m.Layers[i].OutputLength;
            return total;
        }

        private static int StateBytes(Model m)
        {
            int total = 0;
            for (int i = 0; i < m.Layers.Length; i++) total += m.Layers[i].StateBytes;
            return total;
        }
    }
}
