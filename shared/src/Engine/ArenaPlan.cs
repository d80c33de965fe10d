using EdgeNet.Format;
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
    /// 16-bit activations: a layer whose input or output tensor is int16 runs its 16x8 kernel on int16
    /// buffers (2 bytes a value), so its output lives in an int16 buffer (a pair of shared int16 buffers
    /// for hidden layers, beside the int8 pair). Where a layer's kernel takes the other width than its
    /// producer wrote, the layer gets a conversion buffer of its input's length in its own width (a widened
    /// int8 tensor, or an int8 tensor a 16x8 kernel wrote into int16).
    /// </summary>
    public static class ArenaPlan
    {
        /// <summary>Bytes of the shared int8 buffer for the hidden layers of one parity (0 = even layers, 1 = odd).</summary>
        public static int SharedBufferBytes(Model m, int parity)
        {
            return SharedLength(m, parity, false);
        }

        /// <summary>Values of the shared int16 buffer for the hidden 16x8 layers of one parity (2 bytes each).</summary>
        public static int SharedWideBufferLength(Model m, int parity)
        {
            return SharedLength(m, parity, true);
        }

        private static int SharedLength(Model m, int parity, bool wide)
        {
            int size = 0;
            for (int i = parity; i < m.Layers.Length - 1; i += 2)
            {
                if (m.Layers[i].WideKernel == wide && m.Layers[i].OutputLength > size) size = m.Layers[i].OutputLength;
            }
            return size;
        }

        /// <summary>
        /// True when layer i reads its input from a conversion buffer: its kernel's width differs from the
        /// buffer its producer wrote (the model input is written in the first layer's width, so never for i = 0).
        /// </summary>
        public static bool NeedsConversion(Model m, int i)
        {
            return i > 0 && m.Layers[i - 1].WideKernel != m.Layers[i].WideKernel;
        }

        /// <summary>Bytes of layer i's output buffer: 2 per value for a 16x8 kernel, else 1.</summary>
        public static int OutputBytes(Layer layer)
        {
            return layer.WideKernel ? 2 * layer.OutputLength : layer.OutputLength;
        }

        /// <summary>Bytes of the input window: 1 or 2 per value (the first layer's precision).</summary>
        public static int InputBytes(Model m)
        {
            return m.InputLength * ModelFormat.ElementBytes(m.Layers[0].Precision);
        }

        /// <summary>input window + two shared buffers of each width + the last layer's output + conversions + every layer's state.</summary>
        public static int Bytes(Model m)
        {
            return InputBytes(m) + SharedBufferBytes(m, 0) + SharedBufferBytes(m, 1)
                + 2 * (SharedWideBufferLength(m, 0) + SharedWideBufferLength(m, 1))
                + OutputBytes(m.OutputLayer) + ConversionBytes(m) + StateBytes(m);
        }

        /// <summary>Dump mode: input window + every layer's own output + conversions + state.</summary>
        public static int DumpBytes(Model m)
        {
            int total = InputBytes(m) + ConversionBytes(m) + StateBytes(m);
            for (int i = 0; i < m.Layers.Length; i++) total += OutputBytes(m.Layers[i]);
            return total;
        }

        private static int ConversionBytes(Model m)
        {
            int total = 0;
            for (int i = 0; i < m.Layers.Length; i++)
            {
                if (NeedsConversion(m, i)) total += m.Layers[i].InputLength * (m.Layers[i].WideKernel ? 2 : 1);
            }
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
