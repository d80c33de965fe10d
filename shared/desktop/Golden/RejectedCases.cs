using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;
using EdgeNet.Quantization;

namespace EdgeNet.Golden
{
    /// <summary>
    /// Files the reader must refuse, each with the reader's exact reason. Structural lies are re-signed
    /// (length and CRC fixed up) so that only the check under test can catch them.
    /// </summary>
    public static class RejectedCases
    {
        public static IEnumerable<GoldenCase> All()
        {
            Model sample = Sample();
            byte[] good = ModelWriter.Write(sample);
            byte[] goodV1 = ModelWriter.Write(sample, 1);

            yield return GoldenCase.ForRejected("empty file", Array.Empty<byte>(), "shorter than the 16-byte header");
            yield return GoldenCase.ForRejected("truncated header", good[..10], "shorter than the 16-byte header");
            yield return GoldenCase.ForRejected("wrong magic", Patch(good, 0, (byte)'X', resign: false), "magic is not ENET");
            yield return GoldenCase.ForRejected("format version 4 (newer than this reader)", Patch(good, ModelFormat.OffsetVersion, 4, resign: false), "format version 4 is not supported (this reader reads versions 1 to 3; the file was written by a newer EdgeNet");
            yield return GoldenCase.ForRejected("format version 0", Patch(good, ModelFormat.OffsetVersion, 0, resign: false), "format version 0 is not supported (this reader reads versions 1 to 3)");
            yield return GoldenCase.ForRejected("unknown flags", Patch(good, ModelFormat.OffsetFlags, 1, resign: false), "unknown flags");
            yield return GoldenCase.ForRejected("one byte too many", Append(good, 0), "header says");
            yield return GoldenCase.ForRejected("truncated content", good[..^1], "header says");
            yield return GoldenCase.ForRejected("content bit flip (CRC)", Patch(good, good.Length - 1, (byte)(good[^1] ^ 0x10), resign: false), "CRC-32 mismatch");

            // Format v1 record header: kind u8, units u16, activation u8, zero point, clamp min, clamp max, ...
            int v1At = FirstLayerOffset(sample, 1);
            yield return GoldenCase.ForRejected("v1: unknown layer kind", Patch(goodV1, v1At, 0xEE, resign: true), "unknown layer kind 238");
            yield return GoldenCase.ForRejected("v1: zero units", Patch(Patch(goodV1, v1At + 1, 0, resign: false), v1At + 2, 0, resign: true), "units 0 outside");
            yield return GoldenCase.ForRejected("v1: unknown activation", Patch(goodV1, v1At + 3, 9, resign: true), "unknown activation code 9");
            yield return GoldenCase.ForRejected("v1: clamp minimum above maximum", Patch(Patch(goodV1, v1At + 5, 100, resign: false), v1At + 6, 0xF6, resign: true), "clamp minimum 100 above maximum -10");

            // Format v2 record header: code (kind | precision << 4 | clamp 0x40 | scale 0x80), units word, zero point.
            int layerAt = FirstLayerOffset(sample);
            yield return GoldenCase.ForRejected("unknown layer kind", Patch(good, layerAt, good[layerAt] & 0xF0 | 0x0E, resign: true), "unknown layer kind 14");
            // Precision code 1 (16-bit) is read since 16-bit activations; a 16-bit tensor is symmetric, and the sample's zero point is not 0.
            yield return GoldenCase.ForRejected("16-bit layer with a zero point", Patch(good, layerAt, good[layerAt] | 0x10, resign: true), "a 16-bit layer's zero point must be 0");
            yield return GoldenCase.ForRejected("unknown precision", Patch(good, layerAt, good[layerAt] | 0x20, resign: true), "unknown precision code 2");
            // Bit 15 of the units word (int16 dense weights) exists from format v3; the sample is written as v2.
            yield return GoldenCase.ForRejected("units-word bit 15 (int16 weights) in a v2 file", Patch(good, layerAt + 2, good[layerAt + 2] | 0x80, resign: true), "bit 15 of the units word (int16 weights) is set in a format v2 file; it needs format v3");
            yield return GoldenCase.ForRejected("unknown activation", Patch(good, layerAt + 2, good[layerAt + 2] & 0x8F | 0x70, resign: true), "unknown activation code 7");
            yield return GoldenCase.ForRejected("unknown input flags", Patch(good, layerAt - 2 - 10 * sample.FeatureCount, 0x02, resign: true), "unknown input flags 0x02");
            Model clamped = Sample();
            clamped.Layers[0].ClampMin = -10;
            clamped.Layers[0].ClampMax = 100;
            byte[] explicitClamp = ModelWriter.Write(clamped);
            yield return GoldenCase.ForRejected("clamp minimum above maximum", Patch(Patch(explicitClamp, layerAt + 4, 100, resign: false), layerAt + 5, 0xF6, resign: true), "clamp minimum 100 above maximum -10");
            yield return GoldenCase.ForRejected("last layer without its output scale", WithoutLastScale(good), "the last layer must store its output scale");
            yield return GoldenCase.ForRejected("trailing bytes after the last layer", Resign(Append(good, 1, 2, 3)), "unexpected bytes after the last layer");

            Model m = Sample();
            ((DenseLayer)m.Layers[0]).Shift[1] = 63;
            yield return GoldenCase.ForRejected("shift 63", ModelWriter.Write(m), "shift 63 above 62");

            m = Sample();
            ((DenseLayer)m.Layers[0]).Multiplier[0] = -1;
            yield return GoldenCase.ForRejected("negative multiplier", ModelWriter.Write(m), "negative multiplier");

            m = Sample();
            ((DenseLayer)m.Layers[1]).Bias[0] = int.MaxValue;
            yield return GoldenCase.ForRejected("accumulator could overflow", ModelWriter.Write(m), "overflow its int32 accumulator");

            m = Sample();
            m.ClassLabels = new[] { "a", "b" };
            yield return GoldenCase.ForRejected("classes do not match the outputs", ModelWriter.Write(m), "last layer has 3 outputs for 2 classes");

            m = Sample();
            m.Input.RawExponent[0] = 10;
            yield return GoldenCase.ForRejected("raw exponent 10", ModelWriter.Write(m), "raw exponent 10 outside -9..9");

            m = Sample();
            m.Input.Shift[1] = 70;
            yield return GoldenCase.ForRejected("input shift 70", ModelWriter.Write(m), "shift 70 above 62");

            m = Sample();
            m.Layers[^1].OutputScale = float.PositiveInfinity; // v2 stores the last layer's scale only
            yield return GoldenCase.ForRejected("infinite output scale", ModelWriter.Write(m), "output scale must be a positive finite number");

            // NaN (both encodings the fuzzer found), infinities, zero and a negative number in every float
            // field. On the interpreter a NaN compares as greater, so only a bit-pattern check rejects these.
            // Where the reader finds them (v2 stores the output scale of the last layer only).
            var fields = ByteReader.RecordFields(() => ModelReader.Read(good, good.Length, int.MaxValue, out _));
            int inputScaleAt = fields.Find(f => f.What == "input scale").Position;
            int outputScaleAt = fields.FindLast(f => f.What == "output scale").Position;
            int last = sample.Layers.Length - 1;
            foreach (var (field, at) in new[] { ("input scale", inputScaleAt), ("output scale", outputScaleAt) })
            {
                foreach (var (what, bits) in SpecialFloats)
                {
                    string reason = (field == "output scale" ? $"layer {last}: " : "") + field + " must be a positive finite number";
                    yield return GoldenCase.ForRejected($"{field} {what}", PatchF32(good, at, bits), reason);
                }
            }

            // The name "cafe" (length byte at 16, text at 17..20) with its last letter made 0xE9.
            byte[] nonAscii = ModelWriter.Write(WithName(Sample(), "cafe"));
            yield return GoldenCase.ForRejected("model name not printable ASCII", Patch(nonAscii, ModelFormat.HeaderBytes + 4, 0xE9, resign: true), "not printable ASCII");

            yield return GoldenCase.ForRejected("arena budget exceeded", good, "more than the", maxArena: sample.ArenaBytes - 1);
        }

        /// <summary>Float bit patterns no scale may have, with a name for each.</summary>
        public static readonly (string Name, uint Bits)[] SpecialFloats =
        {
            ("NaN 0xFFC00000", 0xFFC00000u),  // the default quiet NaN (x86 "real indefinite"), sign set
            ("NaN 0x7FFFFFFF", 0x7FFFFFFFu),  // positive NaN, every fraction bit set
            ("signalling NaN 0x7F800001", 0x7F800001u),
            ("+infinity", 0x7F800000u),
            ("-infinity", 0xFF800000u),
            ("+0", 0x00000000u),
            ("-0", 0x80000000u),
            ("-1", 0xBF800000u),
        };

        /// <summary>A re-signed copy with the four bytes at <paramref name="at"/> set to a float's bit pattern.</summary>
        public static byte[] PatchF32(byte[] file, int at, uint bits)
        {
            byte[] copy = (byte[])file.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), bits);
            return Resign(copy);
        }

        /// <summary>A small valid model: 3 features, window 2, dense 6 relu -> 3 identity.</summary>
        public static Model Sample()
        {
            var rng = new Random(77);
            Model m = RandomModels.Dense(rng, 3, new[] { 6, 3 }, window: 2);
            m.Name = "rejected-sample";
            m.Layers[0].Activation = Activation.Relu;
            m.Layers[0].Table = null;
            m.Layers[0].OutputZeroPoint = m.Layers[0].RequantZeroPoint;
            m.Layers[0].ClampMin = m.Layers[0].RequantZeroPoint;
            m.Layers[1].Activation = Activation.Identity;
            m.Layers[1].Table = null;
            m.Layers[1].OutputZeroPoint = m.Layers[1].RequantZeroPoint;
            m.Layers[1].ClampMin = -128;
            return m;
        }

        private static byte[] Append(byte[] file, params byte[] extra)
        {
            var longer = new byte[file.Length + extra.Length];
            file.CopyTo(longer, 0);
            extra.CopyTo(longer, file.Length);
            return longer;
        }

        private static Model WithName(Model m, string name)
        {
            m.Name = name;
            return m;
        }

        /// <summary>Byte offset of the first layer record (docs/model-format.md, section "Content").</summary>
        public static int FirstLayerOffset(Model m, int version = ModelFormat.Version)
        {
            int at = ModelFormat.HeaderBytes + 1 + m.Name.Length + 1;
            foreach (string label in m.ClassLabels) at += 1 + label.Length;
            at += 2;
            foreach (string feature in m.FeatureNames) at += 1 + feature.Length;
            at += 2 + 4 + 1 + 10 * m.FeatureCount + 1;
            if (version >= 2) at += 1 + (m.Input.FillRaw == null ? 0 : 4 * m.FeatureCount); // input flags, fill
            return at;
        }

        /// <summary>A v2 file with the last layer's output scale taken out (code bit 7 cleared, its 4 bytes removed), re-signed.</summary>
        public static byte[] WithoutLastScale(byte[] file)
        {
            var fields = ByteReader.RecordFields(() => ModelReader.Read(file, file.Length, int.MaxValue, out _));
            FieldSpan code = fields.FindLast(f => f.What == "layer code");
            FieldSpan scale = fields.FindLast(f => f.What == "output scale");
            if (scale.Position < code.Position) throw new InvalidOperationException("the last layer stores no output scale");
            var bytes = new List<byte>(file);
            bytes.RemoveRange(scale.Position, 4);
            bytes[code.Position] = (byte)(bytes[code.Position] & ~ModelFormat.CodeHasScale);
            return Resign(bytes.ToArray());
        }

        /// <summary>A copy with one byte replaced; resign recomputes length and CRC so the header stays valid.</summary>
        public static byte[] Patch(byte[] file, int at, int value, bool resign)
        {
            byte[] copy = (byte[])file.Clone();
            copy[at] = (byte)value;
            return resign ? Resign(copy) : copy;
        }

        /// <summary>Writes the true total length and the CRC-32 of the content into the header.</summary>
        public static byte[] Resign(byte[] file)
        {
            byte[] copy = (byte[])file.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(ModelFormat.OffsetLength), (uint)copy.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(ModelFormat.OffsetCrc), Crc32.Compute(copy, ModelFormat.HeaderBytes, copy.Length - ModelFormat.HeaderBytes));
            return copy;
        }
    }
}
