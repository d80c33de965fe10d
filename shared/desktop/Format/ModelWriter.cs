using EdgeNet.Engine;
using EdgeNet.Layers;

namespace EdgeNet.Format
{
    /// <summary>
    /// Serializes a <see cref="Model"/> to the .enet format (docs/model-format.md). Desktop only: the device
    /// build reads models and never writes them, so the writer and every layer's record layout for writing
    /// live here, one switch on <see cref="LayerKind"/>, beside the reader's checks in shared/src.
    /// </summary>
    public static class ModelWriter
    {
        public static byte[] Write(Model m)
        {
            ByteWriter w = new ByteWriter();
            w.U8(ModelFormat.Magic0); w.U8(ModelFormat.Magic1); w.U8(ModelFormat.Magic2); w.U8(ModelFormat.Magic3);
            w.U16(ModelFormat.Version);
            w.U16(0);
            w.U32(0); // total length, patched below
            w.U32(0); // CRC-32, patched below

            WriteText(w, m.Name, "model name");
            Require(m.ClassLabels.Length >= 1 && m.ClassLabels.Length <= ModelFormat.MaxClasses, "class count");
            w.U8(m.ClassLabels.Length);
            for (int i = 0; i < m.ClassLabels.Length; i++) WriteText(w, m.ClassLabels[i], "class label");
            Require(m.FeatureNames.Length >= 1 && m.FeatureNames.Length <= ModelFormat.MaxFeatures, "feature count");
            w.U16(m.FeatureNames.Length);
            for (int i = 0; i < m.FeatureNames.Length; i++) WriteText(w, m.FeatureNames[i], "feature name");
            Require(m.WindowLength >= 1 && m.WindowLength <= ModelFormat.MaxWindow, "window length");
            w.U16(m.WindowLength);

            InputQuantizer q = m.Input;
            w.F32(q.Scale);
            w.I8(q.ZeroPoint);
            for (int f = 0; f < m.FeatureNames.Length; f++)
            {
                w.I32(q.Offset[f]);
                w.I32(q.Multiplier[f]);
                w.U8(q.Shift[f]);
                w.I8(q.RawExponent[f]);
            }

            Require(m.Layers.Length >= 1 && m.Layers.Length <= ModelFormat.MaxLayers, "layer count");
            w.U8(m.Layers.Length);
            for (int i = 0; i < m.Layers.Length; i++)
            {
                Layer layer = m.Layers[i];
                Require(layer.OutputChannels >= 1 && layer.OutputChannels <= ModelFormat.MaxUnits, "layer units");
                w.U8((int)layer.Kind);
                w.U16(layer.OutputChannels);
                WriteCommon(w, layer);
                WriteBody(w, layer);
            }

            w.PatchU32(ModelFormat.OffsetLength, (uint)w.Length);
            w.PatchU32(ModelFormat.OffsetCrc, Crc32.Compute(w.Buffer, ModelFormat.HeaderBytes, w.Length - ModelFormat.HeaderBytes));
            return w.ToArray();
        }

        /// <summary>Common part: activation, requant zero point, clamp, output scale and zero point, table.</summary>
        private static void WriteCommon(ByteWriter w, Layer layer)
        {
            w.U8((int)layer.Activation);
            w.I8(layer.RequantZeroPoint);
            w.I8(layer.ClampMin);
            w.I8(layer.ClampMax);
            w.F32(layer.OutputScale);
            w.I8(layer.OutputZeroPoint);
            if (Activations.UsesTable(layer.Activation)) w.Int8Array(layer.Table);
        }

        /// <summary>The kind-specific part of a layer record, after the common part.</summary>
        private static void WriteBody(ByteWriter w, Layer layer)
        {
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    DenseLayer d = (DenseLayer)layer;
                    w.Int32Array(d.Bias);
                    w.Int32Array(d.Multiplier);
                    w.UInt8Array(d.Shift);
                    w.Int8Array(d.Weights);
                    break;
                case LayerKind.Conv1D:
                    Conv1DLayer c = (Conv1DLayer)layer;
                    w.U8(c.KernelSize);
                    w.U8(c.Stride);
                    w.U8(c.Padding);
                    w.Int32Array(c.Bias);
                    w.Int32Array(c.Multiplier);
                    w.UInt8Array(c.Shift);
                    w.Int8Array(c.Weights);
                    break;
                case LayerKind.MaxPool1D:
                case LayerKind.AvgPool1D:
                    Pool1DLayer p = (Pool1DLayer)layer;
                    w.U8(p.PoolSize);
                    w.U8(p.Stride);
                    break;
                case LayerKind.Recurrent:
                    WriteRecurrentBody(w, (RecurrentLayer)layer);
                    break;
                case LayerKind.IndirectRecurrent:
                    IndirectRecurrentLayer b = (IndirectRecurrentLayer)layer;
                    w.U16(b.Hidden.OutputChannels);
                    WriteCommon(w, b.Hidden);
                    WriteRecurrentBody(w, b.Hidden);
                    WriteBody(w, b.Output);
                    break;
                default:
                    throw new System.ArgumentException("cannot write model: unknown layer kind " + ((int)layer.Kind).ToString());
            }
        }

        private static void WriteRecurrentBody(ByteWriter w, RecurrentLayer r)
        {
            w.U8((int)r.Feedback);
            w.Int32Array(r.Bias);
            w.Int32Array(r.InputMultiplier);
            w.UInt8Array(r.InputShift);
            w.Int32Array(r.FeedbackMultiplier);
            w.UInt8Array(r.FeedbackShift);
            w.Int8Array(r.Weights);
            w.Int8Array(r.FeedbackWeights);
        }

        private static void WriteText(ByteWriter w, string s, string what)
        {
            Require(s != null && s.Length <= 255, what + " must be at most 255 characters");
            for (int i = 0; i < s.Length; i++)
            {
                Require(s[i] >= ' ' && s[i] <= '~', what + " \"" + s + "\" must be printable ASCII");
            }
            w.Ascii(s);
        }

        private static void Require(bool ok, string what)
        {
            if (!ok) throw new System.ArgumentException("cannot write model: " + what);
        }
    }
}
