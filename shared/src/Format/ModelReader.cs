using EdgeNet.Engine;
using EdgeNet.Kernels;
using EdgeNet.Layers;

namespace EdgeNet.Format
{
    /// <summary>
    /// Parses and validates a .enet model, format v1, v2 (int8 and 16-bit layers) or v3 (also int16 dense weights). Every field is checked before it is used: magic, version,
    /// length, CRC, counts, shapes, parameter ranges, accumulator overflow and the arena budget. A bad file
    /// gives null and a reason naming the byte; the reader never throws, loops without bound or reads
    /// outside the array.
    /// </summary>
    public static class ModelReader
    {
        /// <summary>Reads data[0..length). Returns null with error set when the model is not acceptable.</summary>
        public static Model Read(byte[] data, int length, int maxArenaBytes, out string error)
        {
            error = null;
            if (data == null || length < 0 || length > data.Length)
            {
                error = "no model data";
                return null;
            }
            ByteReader r = new ByteReader(data, 0, length);
            if (!ReadHeader(r, data, length))
            {
                error = r.Error;
                return null;
            }
            Model m = ReadContent(r);
            if (m != null && r.Remaining != 0) r.Fail(r.Remaining.ToString() + " unexpected bytes after the last layer");
            if (m != null && !r.Failed && m.ArenaBytes > maxArenaBytes)
            {
                r.FailAt(0, "model needs an arena of " + m.ArenaBytes.ToString() + " bytes, more than the " + maxArenaBytes.ToString() + " allowed");
            }
            if (r.Failed)
            {
                error = r.Error;
                return null;
            }
            return m;
        }

        /// <summary>Checks the 16-byte header: magic, version, flags, length, CRC of the content; sets r.Version.</summary>
        public static bool ReadHeader(ByteReader r, byte[] data, int length)
        {
            if (length < ModelFormat.HeaderBytes) return r.Fail("file is " + length.ToString() + " bytes, shorter than the 16-byte header");
            if (data[0] != ModelFormat.Magic0 || data[1] != ModelFormat.Magic1 || data[2] != ModelFormat.Magic2 || data[3] != ModelFormat.Magic3)
            {
                return r.Fail("not an EdgeNet model (magic is not ENET)");
            }
            r.U32("magic");
            int version = r.U16("format version");
            if (version < ModelFormat.OldestVersion || version > ModelFormat.Version)
            {
                string newer = version > ModelFormat.Version ? "; the file was written by a newer EdgeNet: update this reader (firmware or edgenet)" : "";
                return r.FailAt(ModelFormat.OffsetVersion, "format version " + version.ToString() + " is not supported (this reader reads versions "
                    + ModelFormat.OldestVersion.ToString() + " to " + ModelFormat.Version.ToString() + newer + ")");
            }
            r.Version = version;
            int flags = r.U16("flags");
            if (flags != 0) return r.FailAt(ModelFormat.OffsetFlags, "unknown flags 0x" + flags.ToString("X4"));
            uint total = r.U32("total length");
            if (total != (uint)length)
            {
                return r.FailAt(ModelFormat.OffsetLength, "header says " + total.ToString() + " bytes but the file has " + length.ToString());
            }
            uint crc = r.U32("CRC-32");
            uint actual = Crc32.Compute(data, ModelFormat.HeaderBytes, length - ModelFormat.HeaderBytes);
            if (crc != actual)
            {
                return r.FailAt(ModelFormat.OffsetCrc, "CRC-32 mismatch (header 0x" + crc.ToString("X8") + ", content 0x" + actual.ToString("X8") + ")");
            }
            return true;
        }

        private static Model ReadContent(ByteReader r)
        {
            Model m = new Model();
            m.Name = r.Ascii("model name");

            int at = r.Position;
            int classes = r.U8("class count");
            if (!r.Failed && classes < 1) { r.FailAt(at, "class count is 0"); return null; }
            m.ClassLabels = new string[classes];
            for (int i = 0; i < classes && !r.Failed; i++) m.ClassLabels[i] = r.Ascii("class label");

            at = r.Position;
            int features = r.U16("feature count");
            if (!r.Failed && (features < 1 || features > ModelFormat.MaxFeatures)) { r.FailAt(at, "feature count " + features.ToString() + " outside 1.." + ModelFormat.MaxFeatures.ToString()); return null; }
            if (!r.Need(features, "feature names")) return null;
            m.FeatureNames = new string[features];
            for (int i = 0; i < features && !r.Failed; i++) m.FeatureNames[i] = r.Ascii("feature name");

            at = r.Position;
            int window = r.U16("window length");
            if (!r.Failed && (window < 1 || window > ModelFormat.MaxWindow)) { r.FailAt(at, "window length " + window.ToString() + " outside 1.." + ModelFormat.MaxWindow.ToString()); return null; }
            if (!r.Failed && (long)window * features > ModelFormat.MaxTensor) { r.FailAt(at, "input of " + window.ToString() + " x " + features.ToString() + " values is too large"); return null; }
            m.WindowLength = window;

            if (!ReadInput(r, m, features)) return null;

            at = r.Position;
            int layers = r.U8("layer count");
            if (r.Failed) return null;
            if (layers < 1 || layers > ModelFormat.MaxLayers) { r.FailAt(at, "layer count " + layers.ToString() + " outside 1.." + ModelFormat.MaxLayers.ToString()); return null; }
            m.Layers = new Layer[layers];
            int steps = window, channels = features, zeroPoint = m.Input.ZeroPoint, precision = -1;
            for (int i = 0; i < layers; i++)
            {
                Layer layer = ReadLayer(r, i, steps, channels, zeroPoint, precision, i == layers - 1);
                if (layer == null) return null;
                m.Layers[i] = layer;
                steps = layer.OutputSteps;
                channels = layer.OutputChannels;
                zeroPoint = layer.OutputZeroPoint;
                precision = layer.Precision;
            }
            // v3 exists for int16 dense weights only, so each model has one version and a changed version byte
            // (outside the CRC) is caught.
            if (r.Version >= ModelFormat.VersionWideWeights && !HasWideWeights(m))
            {
                r.FailAt(ModelFormat.OffsetVersion, "format version " + r.Version.ToString() + " is only for models with int16 dense weights, and this one has none (it is written as version " + ModelFormat.VersionWithoutWideWeights.ToString() + ")");
                return null;
            }
            // The model input has the first layer's precision; an int16 tensor is symmetric.
            m.Input.Precision = m.Layers[0].Precision;
            if (m.Input.Precision == ModelFormat.PrecisionInt16 && m.Input.ZeroPoint != 0)
            {
                r.Fail("the first layer is 16-bit, so the input is int16 and its zero point must be 0, not " + m.Input.ZeroPoint.ToString());
                return null;
            }
            int outputs = m.OutputLayer.OutputLength;
            if (outputs != classes && !(classes == 2 && outputs == 1))
            {
                r.Fail("last layer has " + outputs.ToString() + " outputs for " + classes.ToString() + " classes");
                return null;
            }
            return m;
        }

        private static bool HasWideWeights(Model m)
        {
            for (int i = 0; i < m.Layers.Length; i++)
            {
                DenseLayer d = m.Layers[i] as DenseLayer;
                if (d != null && d.WideWeights) return true;
            }
            return false;
        }

        private static bool ReadInput(ByteReader r, Model m, int features)
        {
            InputQuantizer q = new InputQuantizer();
            int at = r.Position;
            q.Scale = r.F32("input scale", out int scaleBits);
            q.ZeroPoint = r.I8("input zero point");
            int flagsAt = r.Position;
            int flags = r.Version >= 2 ? r.U8("input flags") : 0;
            if (r.Failed) return false;
            if ((flags & ~ModelFormat.InputHasFill) != 0) return r.FailAt(flagsAt, "unknown input flags 0x" + flags.ToString("X2"));
            if (!FloatBits.IsPositiveFinite(scaleBits)) return r.FailAt(at, "input scale must be a positive finite number");
            if (!r.Need(features * 10, "input normalization")) return false;
            q.Offset = new int[features];
            q.Multiplier = new int[features];
            q.Shift = new byte[features];
            q.RawExponent = new sbyte[features];
            for (int f = 0; f < features; f++)
            {
                q.Offset[f] = r.I32("input offset");
                at = r.Position;
                q.Multiplier[f] = r.I32("input multiplier");
                if (q.Multiplier[f] < 0) return r.FailAt(at, "feature " + f.ToString() + " has a negative multiplier");
                at = r.Position;
                int shift = r.U8("input shift");
                if (shift > FixedPoint.MaxShift) return r.FailAt(at, "feature " + f.ToString() + " shift " + shift.ToString() + " above " + FixedPoint.MaxShift.ToString());
                q.Shift[f] = (byte)shift;
                at = r.Position;
                int exponent = r.I8("raw exponent");
                if (exponent < -9 || exponent > 9) return r.FailAt(at, "feature " + f.ToString() + " raw exponent " + exponent.ToString() + " outside -9..9");
                q.RawExponent[f] = (sbyte)exponent;
            }
            // v2: the raw value that stands in for a missing reading of each feature (any int32).
            if ((flags & ModelFormat.InputHasFill) != 0)
            {
                q.FillRaw = r.Int32Array(features, "input missing-value fill");
                if (q.FillRaw == null) return false;
            }
            m.Input = q;
            return !r.Failed;
        }

        /// <summary>inputPrecision: the previous layer's precision, or -1 for the first layer (its input takes its own).</summary>
        private static Layer ReadLayer(ByteReader r, int index, int steps, int channels, int zeroPoint, int inputPrecision, bool last)
        {
            // Every reason found inside the record names the layer ("byte N: layer i: ...").
            r.Context = "layer " + index.ToString() + ": ";
            Layer layer = ReadLayerRecord(r, steps, channels, zeroPoint, inputPrecision, last);
            r.Context = null;
            return layer;
        }

        private static Layer ReadLayerRecord(ByteReader r, int steps, int channels, int zeroPoint, int inputPrecision, bool last)
        {
            int start = r.Position;
            Layer layer;
            if (r.Version >= 2)
            {
                layer = ReadPackedHeader(r, 0);
                if (layer == null) return null;
                if (last && !FloatBits.IsPositiveFinite(FloatBits.Bits(layer.OutputScale))) { r.FailAt(start, "the last layer must store its output scale"); return null; }
            }
            else
            {
                int kind = r.U8("layer kind");
                int units = r.U16("layer units");
                if (r.Failed) return null;
                layer = ModelFormat.CreateLayer(kind);
                if (layer == null) { r.FailAt(start, "unknown layer kind " + kind.ToString()); return null; }
                if ((units & ModelFormat.UnitsWideWeights) != 0) { r.FailAt(start + 1, "bit 15 of the units word (int16 weights) is set in a format v1 file; it needs format v" + ModelFormat.VersionWideWeights.ToString()); return null; }
                if (units < 1 || units > ModelFormat.MaxUnits) { r.FailAt(start + 1, "units " + units.ToString() + " outside 1.." + ModelFormat.MaxUnits.ToString()); return null; }
                layer.OutputChannels = units;
            }
            layer.InputSteps = steps;
            layer.InputChannels = channels;
            layer.InputZeroPoint = zeroPoint;
            layer.InputPrecision = inputPrecision < 0 ? layer.Precision : inputPrecision;
            layer.OutputSteps = 1;
            if ((r.Version < 2 && !layer.ReadCommon(r)) || !layer.ReadBody(r))
            {
                // A layer that returned false without a reason still gets one.
                if (!r.Failed) r.FailAt(start, "invalid layer");
                return null;
            }
            if (layer.OutputSteps < 1 || (long)layer.OutputSteps * layer.OutputChannels > ModelFormat.MaxTensor)
            {
                r.FailAt(start, "output of " + layer.OutputSteps.ToString() + " x " + layer.OutputChannels.ToString() + " values is outside the limits");
                return null;
            }
            long worst = layer.WorstCaseAccumulator();
            if (!layer.WideKernel && worst > int.MaxValue)
            {
                r.FailAt(start, "an int8 input could overflow its int32 accumulator");
                return null;
            }
            if (layer.WideKernel && worst > FixedPoint.MaxLongAccumulator)
            {
                r.FailAt(start, "a 16-bit layer's input could take its accumulator beyond 2^47");
                return null;
            }
            return layer;
        }

        /// <summary>
        /// Reads a v2 record header (docs/model-format.md, "Layer records, v2"): the code byte (kind, precision,
        /// what is stored), the units word (units - 1, activation), the requantization zero point, then the
        /// clamp, output scale and table when present. Returns a new layer of the kind with its output stage
        /// set, or null with the reason. requiredKind 0 accepts any known kind (an indirect block asks for its
        /// recurrent first layer).
        /// </summary>
        public static Layer ReadPackedHeader(ByteReader r, int requiredKind)
        {
            int start = r.Position;
            r.WideWeightsAt = -1;
            int code = r.U8("layer code");
            int word = r.U16("layer units and activation");
            int zeroPoint = r.I8("requantization zero point");
            if (r.Failed) return null;
            int kind = code & ModelFormat.CodeKindMask;
            Layer layer = ModelFormat.CreateLayer(kind);
            if (layer == null) { r.FailAt(start, "unknown layer kind " + kind.ToString()); return null; }
            if (requiredKind != 0 && kind != requiredKind) { r.FailAt(start, "layer kind " + kind.ToString() + " where kind " + requiredKind.ToString() + " is required"); return null; }
            int precision = (code >> ModelFormat.CodePrecisionShift) & 3;
            if (precision != ModelFormat.PrecisionInt8 && precision != ModelFormat.PrecisionInt16) { r.FailAt(start, "unknown precision code " + precision.ToString()); return null; }
            bool wide = precision == ModelFormat.PrecisionInt16;
            if (wide && zeroPoint != 0) { r.FailAt(start + 3, "a 16-bit layer's zero point must be 0 (int16 tensors are symmetric), not " + zeroPoint.ToString()); return null; }
            layer.Precision = precision;
            if ((word & ModelFormat.UnitsWideWeights) != 0)
            {
                // Bit 15: int16 weights, v3 and dense only (docs/model-format.md, "Format v3").
                if (r.Version < ModelFormat.VersionWideWeights) { r.FailAt(start + 1, "bit 15 of the units word (int16 weights) is set in a format v" + r.Version.ToString() + " file; it needs format v" + ModelFormat.VersionWideWeights.ToString()); return null; }
                DenseLayer dense = layer as DenseLayer;
                if (dense == null) { r.FailAt(start + 1, "bit 15 of the units word (int16 weights) is set on a layer of kind " + kind.ToString() + "; only dense layers have int16 weights"); return null; }
                r.WideWeightsAt = start + 1;
            }
            int act = (word >> ModelFormat.ActivationShift) & 7;
            if (act >= Activations.Count) { r.FailAt(start + 1, "unknown activation code " + act.ToString()); return null; }
            if (wide && Activations.UsesTable((Activation)act)) { r.FailAt(start + 1, "a table activation has an int8 output, so its layer cannot be 16-bit"); return null; }
            layer.OutputChannels = (word & ModelFormat.UnitsMask) + 1;
            layer.Activation = (Activation)act;
            layer.RequantZeroPoint = zeroPoint;
            if ((code & ModelFormat.CodeHasClamp) != 0)
            {
                // A 16-bit layer's clamp is in its int16 range, two bytes each.
                int at = r.Position;
                layer.ClampMin = wide ? r.I16("clamp minimum") : r.I8("clamp minimum");
                layer.ClampMax = wide ? r.I16("clamp maximum") : r.I8("clamp maximum");
                if (r.Failed) return null;
                if (layer.ClampMin > layer.ClampMax) { r.FailAt(at, "clamp minimum " + layer.ClampMin.ToString() + " above maximum " + layer.ClampMax.ToString()); return null; }
            }
            else
            {
                layer.ClampMin = layer.Activation == Activation.Relu ? zeroPoint : ModelFormat.TensorMin(precision);
                layer.ClampMax = ModelFormat.TensorMax(precision);
            }
            layer.OutputScale = 0f; // not stored: metadata no integer step reads
            if ((code & ModelFormat.CodeHasScale) != 0)
            {
                int at = r.Position;
                layer.OutputScale = r.F32("output scale", out int scaleBits);
                if (r.Failed) return null;
                if (!FloatBits.IsPositiveFinite(scaleBits)) { r.FailAt(at, "output scale must be a positive finite number"); return null; }
            }
            if (Activations.UsesTable(layer.Activation))
            {
                layer.OutputZeroPoint = r.I8("output zero point");
                layer.Table = r.Int8Array(256, "activation table");
                if (layer.Table == null) return null;
            }
            else
            {
                layer.OutputZeroPoint = zeroPoint;
                layer.Table = null;
            }
            return layer;
        }
    }
}
