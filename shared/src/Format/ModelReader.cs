using EdgeNet.Engine;
using EdgeNet.Kernels;
using EdgeNet.Layers;

namespace EdgeNet.Format
{
    /// <summary>
    /// Parses and validates a .enet model. Every field is checked before it is used: magic, version,
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

        /// <summary>Checks the 16-byte header: magic, version, flags, length, CRC of the content.</summary>
        public static bool ReadHeader(ByteReader r, byte[] data, int length)
        {
            if (length < ModelFormat.HeaderBytes) return r.Fail("file is " + length.ToString() + " bytes, shorter than the 16-byte header");
            if (data[0] != ModelFormat.Magic0 || data[1] != ModelFormat.Magic1 || data[2] != ModelFormat.Magic2 || data[3] != ModelFormat.Magic3)
            {
                return r.Fail("not an EdgeNet model (magic is not ENET)");
            }
            r.U32("magic");
            int version = r.U16("format version");
            if (version != ModelFormat.Version)
            {
                return r.FailAt(ModelFormat.OffsetVersion, "format version " + version.ToString() + " is not supported (this reader reads version " + ModelFormat.Version.ToString() + ")");
            }
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
            int steps = window, channels = features, zeroPoint = m.Input.ZeroPoint;
            for (int i = 0; i < layers; i++)
            {
                Layer layer = ReadLayer(r, i, steps, channels, zeroPoint);
                if (layer == null) return null;
                m.Layers[i] = layer;
                steps = layer.OutputSteps;
                channels = layer.OutputChannels;
                zeroPoint = layer.OutputZeroPoint;
            }
            int outputs = m.OutputLayer.OutputLength;
            if (outputs != classes && !(classes == 2 && outputs == 1))
            {
                r.Fail("last layer has " + outputs.ToString() + " outputs for " + classes.ToString() + " classes");
                return null;
            }
            return m;
        }

        private static bool ReadInput(ByteReader r, Model m, int features)
        {
            InputQuantizer q = new InputQuantizer();
            int at = r.Position;
            q.Scale = r.F32("input scale", out int scaleBits);
            q.ZeroPoint = r.I8("input zero point");
            if (r.Failed) return false;
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
            m.Input = q;
            return !r.Failed;
        }

        private static Layer ReadLayer(ByteReader r, int index, int steps, int channels, int zeroPoint)
        {
            // Every reason found inside the record names the layer ("byte N: layer i: ...").
            r.Context = "layer " + index.ToString() + ": ";
            Layer layer = ReadLayerRecord(r, steps, channels, zeroPoint);
            r.Context = null;
            return layer;
        }

        private static Layer ReadLayerRecord(ByteReader r, int steps, int channels, int zeroPoint)
        {
            int start = r.Position;
            int kind = r.U8("layer kind");
            int units = r.U16("layer units");
            if (r.Failed) return null;
            Layer layer = ModelFormat.CreateLayer(kind);
            if (layer == null) { r.FailAt(start, "unknown layer kind " + kind.ToString()); return null; }
            if (units < 1 || units > ModelFormat.MaxUnits) { r.FailAt(start + 1, "units " + units.ToString() + " outside 1.." + ModelFormat.MaxUnits.ToString()); return null; }
            layer.InputSteps = steps;
            layer.InputChannels = channels;
            layer.InputZeroPoint = zeroPoint;
            layer.OutputSteps = 1;
            layer.OutputChannels = units;
            if (!layer.ReadCommon(r) || !layer.ReadBody(r))
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
            if (layer.WorstCaseAccumulator() > int.MaxValue)
            {
                r.FailAt(start, "an int8 input could overflow its int32 accumulator");
                return null;
            }
            return layer;
        }
    }
}
