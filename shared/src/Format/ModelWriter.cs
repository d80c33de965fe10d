using EdgeNet.Engine;
using EdgeNet.Layers;

namespace EdgeNet.Format
{
    /// <summary>Serializes a <see cref="Model"/> to the .enet format v1 (docs/model-format.md).</summary>
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
                layer.WriteCommon(w);
                layer.WriteBody(w);
            }

            w.PatchU32(ModelFormat.OffsetLength, (uint)w.Length);
            w.PatchU32(ModelFormat.OffsetCrc, Crc32.Compute(w.Buffer, ModelFormat.HeaderBytes, w.Length - ModelFormat.HeaderBytes));
            return w.ToArray();
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
