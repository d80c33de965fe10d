using EdgeNet.Format;

namespace EdgeNet.Engine
{
    /// <summary>
    /// Entry points with plain-array signatures, so a test can call the nanoFramework-compiled assembly
    /// loaded into CoreCLR and the desktop build side by side and compare every integer.
    /// </summary>
    public static class DeviceProbe
    {
        /// <summary>Null when the model is accepted, else the reader's reason.</summary>
        public static string Check(byte[] model, int maxArenaBytes)
        {
            string error;
            ModelReader.Read(model, model.Length, maxArenaBytes, out error);
            return error;
        }

        /// <summary>
        /// Like <see cref="Check"/> for a model that fills only data[0..length): the bytes after it must not
        /// change the verdict (the fuzzer puts junk there to catch reads past the end).
        /// </summary>
        public static string CheckPrefix(byte[] data, int length, int maxArenaBytes)
        {
            string error;
            ModelReader.Read(data, length, maxArenaBytes, out error);
            return error;
        }

        /// <summary>
        /// Loads the model, feeds readings one at a time (raw[r * features + f]), runs an inference after
        /// each and returns, per reading, the input tensor then every layer's output, concatenated.
        /// Null when the model is rejected, and for a model with 16-bit layers (use <see cref="TraceWide"/>).
        /// </summary>
        public static sbyte[] Trace(byte[] model, int[] raw, int readings)
        {
            return TraceWith(model, raw, readings, KernelSelection.Installed);
        }

        /// <summary>
        /// <see cref="Trace"/> with the given kernel backend (null: the managed kernels). A name of its own: the
        /// device-build tests look methods up by name.
        /// </summary>
        public static sbyte[] TraceWith(byte[] model, int[] raw, int readings, EdgeNet.Kernels.KernelBackend kernels)
        {
            string error;
            Model m = ModelReader.Read(model, model.Length, int.MaxValue, out error);
            if (m == null || UsesWideKernel(m)) return null;
            InferenceEngine engine = new InferenceEngine(m, true, kernels); // dump mode: every layer's output kept
            int per = m.InputLength;
            for (int i = 0; i < m.Layers.Length; i++) per += m.Layers[i].OutputLength;
            sbyte[] trace = new sbyte[per * readings];
            int[] reading = new int[m.FeatureCount];
            int at = 0;
            for (int r = 0; r < readings; r++)
            {
                System.Array.Copy(raw, r * m.FeatureCount, reading, 0, m.FeatureCount);
                engine.PushReading(reading);
                engine.Invoke();
                System.Array.Copy(engine.Input, 0, trace, at, m.InputLength);
                at += m.InputLength;
                for (int i = 0; i < m.Layers.Length; i++)
                {
                    sbyte[] y = engine.LayerOutput(i);
                    System.Array.Copy(y, 0, trace, at, y.Length);
                    at += y.Length;
                }
            }
            return trace;
        }

        /// <summary>
        /// As <see cref="Trace"/> for any model, every value as int16 (int8 tensors widened): what the bit-exact
        /// checks compare when a model has 16-bit layers. Null when the model is rejected.
        /// </summary>
        public static short[] TraceWide(byte[] model, int[] raw, int readings)
        {
            string error;
            Model m = ModelReader.Read(model, model.Length, int.MaxValue, out error);
            if (m == null) return null;
            InferenceEngine engine = new InferenceEngine(m, true); // dump mode: every layer's output kept
            int per = m.InputLength;
            for (int i = 0; i < m.Layers.Length; i++) per += m.Layers[i].OutputLength;
            short[] trace = new short[per * readings];
            int[] reading = new int[m.FeatureCount];
            int at = 0;
            for (int r = 0; r < readings; r++)
            {
                System.Array.Copy(raw, r * m.FeatureCount, reading, 0, m.FeatureCount);
                engine.PushReading(reading);
                engine.Invoke();
                for (int t = -1; t < m.Layers.Length; t++)
                {
                    int length = t < 0 ? m.InputLength : m.Layers[t].OutputLength;
                    for (int i = 0; i < length; i++) trace[at++] = (short)engine.TensorValue(t, i);
                }
            }
            return trace;
        }

        private static bool UsesWideKernel(Model m)
        {
            for (int i = 0; i < m.Layers.Length; i++)
            {
                if (m.Layers[i].WideKernel) return true;
            }
            return false;
        }

        /// <summary>The class predicted after each reading; null when the model is rejected.</summary>
        public static int[] Classify(byte[] model, int[] raw, int readings)
        {
            string error;
            Model m = ModelReader.Read(model, model.Length, int.MaxValue, out error);
            if (m == null) return null;
            InferenceEngine engine = new InferenceEngine(m);
            int[] classes = new int[readings];
            int[] reading = new int[m.FeatureCount];
            for (int r = 0; r < readings; r++)
            {
                System.Array.Copy(raw, r * m.FeatureCount, reading, 0, m.FeatureCount);
                engine.PushReading(reading);
                classes[r] = engine.Invoke();
            }
            return classes;
        }
    }
}
