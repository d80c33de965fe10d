using System;
using System.Collections.Generic;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Layers;

namespace EdgeNet.Fuzzing
{
    /// <summary>A valid model the mutations start from: its bytes, the reader's field map and the model.</summary>
    public sealed class FuzzSeed
    {
        public FuzzSeed(Model model) : this(model, ModelWriter.VersionFor(model)) { }

        /// <param name="version">The format version the seed file is written in.</param>
        public FuzzSeed(Model model, int version)
        {
            Model = model;
            File = ModelWriter.Write(model, version);
            string error = null;
            Fields = ByteReader.RecordFields(() => ModelReader.Read(File, File.Length, int.MaxValue, out error));
            if (error != null) throw new ArgumentException("seed model is not valid: " + error);
        }

        public Model Model { get; }
        public byte[] File { get; }

        /// <summary>Every field the reader read from <see cref="File"/>, in file order.</summary>
        public List<FieldSpan> Fields { get; }
    }

    /// <summary>
    /// Mutations of valid model files: blind byte damage, and lies aimed at the fields the reader uses
    /// (counts, lengths, shapes, parameters), most of them re-signed (header length and CRC-32 fixed) so
    /// that the structural checks behind the CRC are what gets exercised.
    /// </summary>
    public static class ModelMutator
    {
        /// <summary>Mutation names, in the order <see cref="Mutate"/> picks them (see the weights there).</summary>
        public static readonly string[] Kinds =
        {
            "bit flips", "byte changes", "truncation", "extension", "insertion", "deletion",
            "count/length lie", "parameter lie", "float lie", "header lie", "shape break", "layer splice", "seed splice",
        };

        private static readonly int[] Weights = { 10, 8, 6, 5, 4, 4, 20, 12, 5, 4, 10, 6, 6 };

        /// <summary>Returns a mutated copy of a seed and the index of the mutation kind used.</summary>
        public static byte[] Mutate(FuzzSeed seed, FuzzSeed other, Random rng, out int kind)
        {
            kind = Pick(rng);
            switch (kind)
            {
                case 0: return MaybeResign(BitFlips(seed.File, rng), rng);
                case 1: return MaybeResign(ByteChanges(seed.File, rng), rng);
                case 2: return MaybeResign(Truncate(seed.File, rng), rng);
                case 3: return MaybeResign(Extend(seed.File, rng), rng);
                case 4: return Resign(Insert(seed.File, rng));
                case 5: return Resign(Delete(seed.File, rng));
                case 6: return Resign(FieldLie(seed, rng, IsCountField));
                case 7: return Resign(FieldLie(seed, rng, f => !IsCountField(f) && f.Width <= 4));
                case 8: return Resign(FloatLie(seed, rng));
                case 9: return HeaderLie(seed.File, rng);
                case 10: return ThroughWriter(() => ShapeBreak(seed.Model, rng), seed, rng);
                case 11: return ThroughWriter(() => LayerSplice(seed.Model, rng), seed, rng);
                default: return Resign(SeedSplice(seed.File, other.File, rng));
            }
        }

        // Model-level mutations go through ModelWriter, which refuses some impossible shapes outright;
        // such a case falls back to a count lie so every case still feeds the reader something.
        private static byte[] ThroughWriter(Func<byte[]> write, FuzzSeed seed, Random rng)
        {
            try { return write(); }
            catch (Exception) { return Resign(FieldLie(seed, rng, IsCountField)); }
        }

        private static int Pick(Random rng)
        {
            int total = 0;
            foreach (int w in Weights) total += w;
            int x = rng.Next(total);
            for (int i = 0; i < Weights.Length; i++)
            {
                if (x < Weights[i]) return i;
                x -= Weights[i];
            }
            return Weights.Length - 1;
        }

        /// <summary>Fields whose value says how much follows or how big a tensor is.</summary>
        public static bool IsCountField(FieldSpan f) =>
            f.Width <= 4 && (f.What.Contains("count") || f.What.Contains("length") || f.What.Contains("units") || f.What == "layer kind");

        /// <summary>Sets the header's length field to the file's length and the CRC-32 to its content's.</summary>
        public static byte[] Resign(byte[] data)
        {
            if (data.Length < ModelFormat.HeaderBytes) return data;
            WriteU32(data, ModelFormat.OffsetLength, (uint)data.Length);
            WriteU32(data, ModelFormat.OffsetCrc, Crc32.Compute(data, ModelFormat.HeaderBytes, data.Length - ModelFormat.HeaderBytes));
            return data;
        }

        private static byte[] MaybeResign(byte[] data, Random rng) => rng.Next(4) == 0 ? data : Resign(data);

        private static byte[] BitFlips(byte[] file, Random rng)
        {
            byte[] d = (byte[])file.Clone();
            int n = rng.Next(1, 5);
            for (int i = 0; i < n; i++) d[rng.Next(d.Length)] ^= (byte)(1 << rng.Next(8));
            return d;
        }

        private static readonly byte[] Interesting = { 0x00, 0x01, 0x02, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x10, 0x40 };

        private static byte[] ByteChanges(byte[] file, Random rng)
        {
            byte[] d = (byte[])file.Clone();
            int n = rng.Next(1, 4);
            for (int i = 0; i < n; i++)
            {
                d[rng.Next(d.Length)] = rng.Next(2) == 0 ? Interesting[rng.Next(Interesting.Length)] : (byte)rng.Next(256);
            }
            return d;
        }

        private static byte[] Truncate(byte[] file, Random rng)
        {
            // Favour cuts near the end and inside the header as well as anywhere.
            int length = rng.Next(3) switch
            {
                0 => rng.Next(0, Math.Min(file.Length, ModelFormat.HeaderBytes + 8)),
                1 => Math.Max(0, file.Length - rng.Next(1, 9)),
                _ => rng.Next(0, file.Length),
            };
            return file.AsSpan(0, length).ToArray();
        }

        private static byte[] Extend(byte[] file, Random rng)
        {
            int extra = rng.Next(3) == 0 ? rng.Next(1, 4096) : rng.Next(1, 16);
            byte[] d = new byte[file.Length + extra];
            Array.Copy(file, d, file.Length);
            bool zeros = rng.Next(2) == 0;
            for (int i = file.Length; i < d.Length; i++) d[i] = zeros ? (byte)0 : (byte)rng.Next(256);
            return d;
        }

        private static byte[] Insert(byte[] file, Random rng)
        {
            int at = rng.Next(ModelFormat.HeaderBytes, file.Length + 1);
            int n = rng.Next(1, 9);
            byte[] d = new byte[file.Length + n];
            Array.Copy(file, d, at);
            for (int i = 0; i < n; i++) d[at + i] = (byte)rng.Next(256);
            Array.Copy(file, at, d, at + n, file.Length - at);
            return d;
        }

        private static byte[] Delete(byte[] file, Random rng)
        {
            if (file.Length <= ModelFormat.HeaderBytes + 1) return (byte[])file.Clone();
            int at = rng.Next(ModelFormat.HeaderBytes, file.Length - 1);
            int n = Math.Min(rng.Next(1, 9), file.Length - at);
            byte[] d = new byte[file.Length - n];
            Array.Copy(file, d, at);
            Array.Copy(file, at + n, d, at, file.Length - at - n);
            return d;
        }

        /// <summary>Sets one mapped field (chosen by filter) to a lie: 0, 1, its maximum, off by one, doubled, random.</summary>
        private static byte[] FieldLie(FuzzSeed seed, Random rng, Func<FieldSpan, bool> filter)
        {
            byte[] d = (byte[])seed.File.Clone();
            FieldSpan f = PickField(seed, rng, filter);
            if (f.Width == 0) return BitFlips(seed.File, rng);
            long value = ReadField(d, f);
            long max = f.Width >= 4 ? uint.MaxValue : (1L << (8 * f.Width)) - 1;
            long lie = rng.Next(9) switch
            {
                0 => 0,
                1 => 1,
                2 => max,
                3 => max / 2,           // int8 127, int16 32767, int32 2^31-1
                4 => max / 2 + 1,       // int8 -128, int32 int.MinValue
                5 => value + 1,
                6 => value - 1,
                7 => value * 2 + rng.Next(2),
                _ => rng.NextInt64(0, max + 1),
            };
            WriteField(d, f, lie);
            return d;
        }

        private static readonly float[] FloatLies =
        {
            float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -1f, float.MaxValue, 1e-30f, 1e30f,
        };

        private static byte[] FloatLie(FuzzSeed seed, Random rng)
        {
            FieldSpan f = PickField(seed, rng, s => s.What.Contains("scale"));
            if (f.Width != 4) return FieldLie(seed, rng, IsCountField);
            byte[] d = (byte[])seed.File.Clone();
            byte[] bits = BitConverter.GetBytes(FloatLies[rng.Next(FloatLies.Length)]);
            Array.Copy(bits, 0, d, f.Position, 4);
            return d;
        }

        /// <summary>Lies in the header: version, flags, length and CRC fields (not re-signed, except for the version and flags).</summary>
        private static byte[] HeaderLie(byte[] file, Random rng)
        {
            byte[] d = (byte[])file.Clone();
            switch (rng.Next(5))
            {
                case 0: d[ModelFormat.OffsetVersion] = (byte)rng.Next(256); d[ModelFormat.OffsetVersion + 1] = (byte)(rng.Next(3) == 0 ? rng.Next(256) : 0); return Resign(d);
                case 1: d[ModelFormat.OffsetFlags + rng.Next(2)] = (byte)(1 << rng.Next(8)); return Resign(d);
                case 2: WriteU32(d, ModelFormat.OffsetLength, (uint)(file.Length + rng.Next(-3, 4))); return d;
                case 3: WriteU32(d, ModelFormat.OffsetLength, rng.Next(2) == 0 ? uint.MaxValue : 0x80000000u); return d;
                default: d[rng.Next(4)] ^= (byte)(1 << rng.Next(8)); return Resign(d); // magic
            }
        }

        /// <summary>A layer's unit count changed while its arrays keep their size: shapes that do not chain.</summary>
        private static byte[] ShapeBreak(Model model, Random rng)
        {
            Model m = ShallowCopy(model);
            int i = rng.Next(m.Layers.Length);
            Layer layer = CloneLayer(m.Layers[i]);
            int units = layer.OutputChannels;
            int changed = rng.Next(4) switch
            {
                0 => units + 1,
                1 => units - 1,
                2 => units * 2,
                _ => rng.Next(1, ModelFormat.MaxUnits + 1),
            };
            layer.OutputChannels = Math.Clamp(changed, 1, ModelFormat.MaxUnits);
            m.Layers[i] = layer;
            return ModelWriter.Write(m);
        }

        /// <summary>Layers dropped, repeated or swapped (each layer's own arrays intact).</summary>
        private static byte[] LayerSplice(Model model, Random rng)
        {
            var layers = new List<Layer>(model.Layers);
            int i = rng.Next(layers.Count);
            switch (rng.Next(3))
            {
                case 0 when layers.Count > 1: layers.RemoveAt(i); break;
                case 1: layers.Insert(i, layers[i]); break;
                default:
                    int j = rng.Next(layers.Count);
                    (layers[i], layers[j]) = (layers[j], layers[i]);
                    if (i == j) layers.Add(layers[i]);
                    break;
            }
            if (layers.Count > ModelFormat.MaxLayers) layers.RemoveAt(0);
            Model m = ShallowCopy(model);
            m.Layers = layers.ToArray();
            return ModelWriter.Write(m);
        }

        /// <summary>The head of one valid file on the tail of another, cut at field boundaries or anywhere.</summary>
        private static byte[] SeedSplice(byte[] a, byte[] b, Random rng)
        {
            int cutA = rng.Next(ModelFormat.HeaderBytes, a.Length + 1);
            int cutB = rng.Next(2) == 0 ? Math.Min(cutA, b.Length) : rng.Next(ModelFormat.HeaderBytes, b.Length + 1);
            byte[] d = new byte[cutA + b.Length - cutB];
            Array.Copy(a, d, cutA);
            Array.Copy(b, cutB, d, cutA, b.Length - cutB);
            return d;
        }

        private static FieldSpan PickField(FuzzSeed seed, Random rng, Func<FieldSpan, bool> filter)
        {
            // A few tries at random, then a scan, so rare field kinds are still found.
            for (int t = 0; t < 8; t++)
            {
                FieldSpan f = seed.Fields[rng.Next(seed.Fields.Count)];
                if (filter(f) && f.Position >= ModelFormat.HeaderBytes) return f;
            }
            int start = rng.Next(seed.Fields.Count);
            for (int k = 0; k < seed.Fields.Count; k++)
            {
                FieldSpan f = seed.Fields[(start + k) % seed.Fields.Count];
                if (filter(f) && f.Position >= ModelFormat.HeaderBytes) return f;
            }
            return default;
        }

        private static long ReadField(byte[] d, FieldSpan f)
        {
            long v = 0;
            for (int i = 0; i < f.Width; i++) v |= (long)d[f.Position + i] << (8 * i);
            return v;
        }

        private static void WriteField(byte[] d, FieldSpan f, long v)
        {
            for (int i = 0; i < f.Width; i++) d[f.Position + i] = (byte)(v >> (8 * i));
        }

        private static void WriteU32(byte[] d, int at, uint v)
        {
            d[at] = (byte)v; d[at + 1] = (byte)(v >> 8); d[at + 2] = (byte)(v >> 16); d[at + 3] = (byte)(v >> 24);
        }

        private static Model ShallowCopy(Model m) => new Model
        {
            Name = m.Name, ClassLabels = m.ClassLabels, FeatureNames = m.FeatureNames, WindowLength = m.WindowLength,
            Input = m.Input, Layers = (Layer[])m.Layers.Clone(),
        };

        private static Layer CloneLayer(Layer layer) => (Layer)typeof(object)
            .GetMethod("MemberwiseClone", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
            .Invoke(layer, null);
    }
}
