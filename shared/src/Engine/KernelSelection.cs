using EdgeNet.Kernels;
using EdgeNet.Layers;

namespace EdgeNet.Engine
{
    /// <summary>
    /// Which kernels a model's layers run: the managed ones (shared/src/Kernels) or a <see cref="KernelBackend"/>
    /// (the C kernels). Decided at load, per layer, and stored in <see cref="Layer.Backend"/>, so inference
    /// makes one null test per kernel call and never probes or allocates. The firmware installs the native
    /// backend once at start (<see cref="Install"/>); every engine created afterwards uses it for the layers it
    /// runs. Both choices give the same bits (tests/EdgeNet.Tests/Native).
    /// </summary>
    public static class KernelSelection
    {
        private static KernelBackend _installed;

        /// <summary>The backend new engines use when none is given (null: managed kernels only).</summary>
        public static KernelBackend Installed { get { return _installed; } }

        /// <summary>
        /// Probes the backend once and, when it answers, makes it the default for engines created afterwards.
        /// Returns false (and keeps the managed kernels) on a firmware without the interop module. Null uninstalls.
        /// </summary>
        public static bool Install(KernelBackend native)
        {
            _installed = Usable(native) ? native : null;
            return _installed != null;
        }

        /// <summary>The probe, with whatever it raises (a stock firmware has no native methods) counted as "no".</summary>
        public static bool Usable(KernelBackend native)
        {
            if (native == null) return false;
            try
            {
                return native.Probe();
            }
            catch (System.Exception)
            {
                return false;
            }
        }

        /// <summary>Points every layer at the backend if it runs that layer, at the managed kernels otherwise (null).</summary>
        public static void Apply(Model model, KernelBackend native)
        {
            Layer[] layers = model.Layers;
            for (int i = 0; i < layers.Length; i++) Assign(layers[i], native);
        }

        private static void Assign(Layer layer, KernelBackend native)
        {
            IndirectRecurrentLayer block = layer as IndirectRecurrentLayer;
            if (block != null)
            {
                // The block runs its two inner layers' kernels; it counts as native when both are.
                Assign(block.Hidden, native);
                Assign(block.Output, native);
                layer.Backend = block.Hidden.Backend != null && block.Output.Backend != null ? native : null;
                return;
            }
            // int8 and 16-bit layers alike: the backend says what it runs (the C kernels run all). A dense layer with
            // int16 weights goes native only on a backend with its own 16x16 kernel (KernelBackend.RunsDense16x16).
            DenseLayer dense = layer as DenseLayer;
            bool managedOnly = dense != null && dense.WideWeights && native != null && !native.RunsDense16x16;
            layer.Backend = native != null && !managedOnly && native.Runs(layer) ? native : null;
        }

        /// <summary>
        /// "managed", "native", or per kind when they differ: "native: dense, conv1d; managed: maxpool1d".
        /// For the model summary and the device status line (allocates; never on the inference path).
        /// </summary>
        public static string Describe(Model model)
        {
            string native = "", managed = "", name = null;
            Layer[] layers = model.Layers;
            for (int kind = (int)LayerKind.Dense; kind <= (int)LayerKind.IndirectRecurrent; kind++)
            {
                bool onNative = false, onManaged = false;
                for (int i = 0; i < layers.Length; i++)
                {
                    if ((int)layers[i].Kind != kind) continue;
                    if (layers[i].Backend == null) { onManaged = true; continue; }
                    onNative = true;
                    name = layers[i].Backend.Name;
                }
                if (onNative) native = Join(native, KindName((LayerKind)kind));
                if (onManaged) managed = Join(managed, KindName((LayerKind)kind));
            }
            if (native.Length == 0) return "managed";
            if (managed.Length == 0) return name;
            return name + ": " + native + "; managed: " + managed;
        }

        private static string Join(string list, string item)
        {
            return list.Length == 0 ? item : list + ", " + item;
        }

        /// <summary>The kind's lower-case name, as the trainer's layer specs spell it.</summary>
        public static string KindName(LayerKind kind)
        {
            switch (kind)
            {
                case LayerKind.Dense: return "dense";
                case LayerKind.Conv1D: return "conv1d";
                case LayerKind.MaxPool1D: return "maxpool1d";
                case LayerKind.AvgPool1D: return "avgpool1d";
                case LayerKind.Recurrent: return "recurrent";
                case LayerKind.IndirectRecurrent: return "indirectrecurrent";
                default: return "unknown";
            }
        }
    }
}
