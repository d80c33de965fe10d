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
        /// <summary>
        /// The model in the oldest format that holds it: v3 when a dense layer has int16 weights, v2 otherwise
        /// (so older readers keep reading every model that does not use them).
        /// </summary>
        public static byte[] Write(Model m)
        {
            return Write(m, VersionFor(m));
        }

        /// <summary>The version <see cref="Write(Model)"/> picks: v3 when some dense layer has int16 weights, else v2.</summary>
        public static int VersionFor(Model m)
        {
            for (int i = 0; i < m.Layers.Length; i++)
            {
                DenseLayer d = m.Layers[i] as DenseLayer;
                if (d != null && d.WideWeights) return ModelFormat.VersionWideWeights;
            }
            return ModelFormat.VersionWithoutWideWeights;
        }

        /// <summary>
        /// The model in format version 1, 2 or 3. v1 exists for older readers (and the tests that keep reading
        /// it): it stores every layer's output scale and cannot hold a missing-value fill. Only v3 holds int16
        /// dense weights; v3 is otherwise v2's layout.
        /// </summary>
        public static byte[] Write(Model m, int version)
        {
            Require(version >= ModelFormat.OldestVersion && version <= ModelFormat.Version, "format version " + version.ToString() + " is not one this writer knows");
            Require(version >= ModelFormat.VersionWideWeights || VersionFor(m) < ModelFormat.VersionWideWeights, "a dense layer has int16 weights, which need format v" + ModelFormat.VersionWideWeights.ToString() + " (asked for v" + version.ToString() + ")");
            // One version per model: the reader refuses v3 without int16 weights (a changed version byte is caught).
            Require(version < ModelFormat.VersionWideWeights || VersionFor(m) >= ModelFormat.VersionWideWeights, "format v" + version.ToString() + " is only for models with int16 dense weights; this one is written as v" + ModelFormat.VersionWithoutWideWeights.ToString());
            ByteWriter w = new ByteWriter();
            w.U8(ModelFormat.Magic0); w.U8(ModelFormat.Magic1); w.U8(ModelFormat.Magic2); w.U8(ModelFormat.Magic3);
            w.U16(version);
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
            Require(q.FillRaw == null || q.FillRaw.Length == m.FeatureNames.Length, "one missing-value fill per feature");
            Require(q.FillRaw == null || version >= 2, "a missing-value fill needs format v2");
            if (version >= 2) w.U8(q.FillRaw == null ? 0 : ModelFormat.InputHasFill);
            for (int f = 0; f < m.FeatureNames.Length; f++)
            {
                w.I32(q.Offset[f]);
                w.I32(q.Multiplier[f]);
                w.U8(q.Shift[f]);
                w.I8(q.RawExponent[f]);
            }
            if (q.FillRaw != null) w.Int32Array(q.FillRaw);

            Require(m.Layers.Length >= 1 && m.Layers.Length <= ModelFormat.MaxLayers, "layer count");
            w.U8(m.Layers.Length);
            for (int i = 0; i < m.Layers.Length; i++)
            {
                Layer layer = m.Layers[i];
                Require(layer.OutputChannels >= 1 && layer.OutputChannels <= ModelFormat.MaxUnits, "layer units");
                if (version >= 2)
                {
                    // The device reads only the last layer's output scale (binary threshold, reported score).
                    WritePackedHeader(w, layer, i == m.Layers.Length - 1);
                }
                else
                {
                    w.U8((int)layer.Kind);
                    w.U16(layer.OutputChannels);
                    WriteCommon(w, layer);
                }
                WriteBody(w, layer, version);
            }

            w.PatchU32(ModelFormat.OffsetLength, (uint)w.Length);
            w.PatchU32(ModelFormat.OffsetCrc, Crc32.Compute(w.Buffer, ModelFormat.HeaderBytes, w.Length - ModelFormat.HeaderBytes));
            return w.ToArray();
        }

        /// <summary>
        /// v2 record header: code (kind, precision int8 or int16, clamp stored, scale stored), units word (units - 1,
        /// activation), requantization zero point; then the clamp when it is not the activation's default, the
        /// output scale when asked, and the output zero point and table for table activations.
        /// </summary>
        private static void WritePackedHeader(ByteWriter w, Layer layer, bool storeScale)
        {
            bool table = Activations.UsesTable(layer.Activation);
            bool wide = layer.Precision == ModelFormat.PrecisionInt16;
            Require(table || layer.OutputZeroPoint == layer.RequantZeroPoint, "zero points differ but the activation has no table");
            Require(!wide || (layer.RequantZeroPoint == 0 && !table), "a 16-bit layer has zero point 0 and no table activation");
            Require(layer.Precision == ModelFormat.PrecisionInt8 || wide, "unknown precision " + layer.Precision.ToString());
            int defaultMin = layer.Activation == Activation.Relu ? layer.RequantZeroPoint : ModelFormat.TensorMin(layer.Precision);
            int defaultMax = ModelFormat.TensorMax(layer.Precision);
            Require(layer.ClampMin >= ModelFormat.TensorMin(layer.Precision) && layer.ClampMax <= defaultMax, "clamp outside the tensor's range");
            bool clamp = layer.ClampMin != defaultMin || layer.ClampMax != defaultMax;
            int code = (int)layer.Kind | (layer.Precision << ModelFormat.CodePrecisionShift)
                | (clamp ? ModelFormat.CodeHasClamp : 0) | (storeScale ? ModelFormat.CodeHasScale : 0);
            w.U8(code);
            DenseLayer dense = layer as DenseLayer;
            bool wideWeights = dense != null && dense.WideWeights;
            w.U16((layer.OutputChannels - 1) | ((int)layer.Activation << ModelFormat.ActivationShift) | (wideWeights ? ModelFormat.UnitsWideWeights : 0));
            w.I8(layer.RequantZeroPoint);
            if (clamp && wide)
            {
                w.I16(layer.ClampMin);
                w.I16(layer.ClampMax);
            }
            else if (clamp)
            {
                w.I8(layer.ClampMin);
                w.I8(layer.ClampMax);
            }
            if (storeScale) w.F32(layer.OutputScale);
            if (table)
            {
                w.I8(layer.OutputZeroPoint);
                w.Int8Array(layer.Table);
            }
        }

        /// <summary>v1 common part: activation, requant zero point, clamp, output scale and zero point, table.</summary>
        private static void WriteCommon(ByteWriter w, Layer layer)
        {
            Require(layer.Precision == ModelFormat.PrecisionInt8, "format v1 has no 16-bit layers");
            Require(layer.OutputScale != 0f, "format v1 stores every layer's output scale, and this model has none for a hidden layer");
            w.U8((int)layer.Activation);
            w.I8(layer.RequantZeroPoint);
            w.I8(layer.ClampMin);
            w.I8(layer.ClampMax);
            w.F32(layer.OutputScale);
            w.I8(layer.OutputZeroPoint);
            if (Activations.UsesTable(layer.Activation)) w.Int8Array(layer.Table);
        }

        /// <summary>Per output neuron (dense) or filter (conv1d): bias, multiplier and shift, then the weights.</summary>
        private static void WriteNeurons(ByteWriter w, int[] bias, int[] multiplier, byte[] shift, sbyte[] weights)
        {
            w.Int32Array(bias);
            w.Int32Array(multiplier);
            w.UInt8Array(shift);
            w.Int8Array(weights);
        }

        /// <summary>The kind-specific part of a layer record, after the common part.</summary>
        private static void WriteBody(ByteWriter w, Layer layer, int version)
        {
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    DenseLayer d = (DenseLayer)layer;
                    if (d.WideWeights)
                    {
                        Require(version >= ModelFormat.VersionWideWeights, "a dense layer has int16 weights, which need format v" + ModelFormat.VersionWideWeights.ToString() + " (this file is v" + version.ToString() + ")");
                        Require(d.Weights == null, "a dense layer holds both int8 and int16 weights");
                        Require(d.WideKernel, "a dense layer has int16 weights but int8 input and output (int16 weights need the 16-bit kernel)");
                        w.Int32Array(d.Bias);
                        w.Int32Array(d.Multiplier);
                        w.UInt8Array(d.Shift);
                        w.Int16Array(d.Weights16);
                    }
                    else
                    {
                        WriteNeurons(w, d.Bias, d.Multiplier, d.Shift, d.Weights);
                    }
                    break;
                case LayerKind.Conv1D:
                    Conv1DLayer c = (Conv1DLayer)layer;
                    w.U8(c.KernelSize);
                    w.U8(c.Stride);
                    w.U8(c.Padding);
                    WriteNeurons(w, c.Bias, c.Multiplier, c.Shift, c.Weights);
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
                    if (version >= 2)
                    {
                        WritePackedHeader(w, b.Hidden, false);
                    }
                    else
                    {
                        w.U16(b.Hidden.OutputChannels);
                        WriteCommon(w, b.Hidden);
                    }
                    WriteRecurrentBody(w, b.Hidden);
                    WriteBody(w, b.Output, version);
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
