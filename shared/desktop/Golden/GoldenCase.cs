using EdgeNet.Engine;

namespace EdgeNet.Golden
{
    /// <summary>What a golden case exercises; the generated source uses the same codes (GoldenVector.Kind).</summary>
    public enum GoldenKind
    {
        /// <summary>FixedPoint.MultiplyByQuantizedMultiplier(value, multiplier, shift).</summary>
        Multiply = 1,
        /// <summary>FixedPoint.SaturateToInt8(value).</summary>
        Saturate = 2,
        /// <summary>FixedPoint.Requantize(acc, multiplier, shift, zeroPoint, min, max).</summary>
        Requantize = 3,
        /// <summary>FixedPoint.SaturatingAdd(a, b).</summary>
        SaturatingAdd = 4,
        /// <summary>FixedPoint.SaturatingSubtract(a, b).</summary>
        SaturatingSubtract = 5,
        /// <summary>A model file run on raw readings: the full integer trace and the predicted classes.</summary>
        Model = 6,
        /// <summary>A model file the reader must reject, with its exact reason.</summary>
        Rejected = 7,
        /// <summary>A model with 16-bit tensors run on raw readings: the full int16 trace (DeviceProbe.TraceWide) and the classes.</summary>
        WideModel = 8,
    }

    /// <summary>
    /// One golden case as the generator holds it. Kernel cases carry many calls at once (Args is
    /// <see cref="Arity"/> integers per call, Expected one result per call); model cases carry the .enet
    /// bytes, the raw readings and what DeviceProbe.Trace / Classify must return; rejected cases carry the
    /// file and the reader's exact reason.
    /// </summary>
    public sealed class GoldenCase
    {
        public string Name;
        public GoldenKind Kind;

        public int Arity;
        public int[] Args;
        public int[] Expected;

        public byte[] File;
        public int[] Raw;
        public int Readings;
        public int MaxArena = int.MaxValue;
        public sbyte[] Trace;
        /// <summary>WideModel cases: every tensor as int16 (int8 tensors widened).</summary>
        public short[] WideTrace;
        public int[] Classes;
        public string Error;

        /// <summary>Arity of each kernel kind (arguments per call).</summary>
        public static int ArityOf(GoldenKind kind) => kind switch
        {
            GoldenKind.Multiply => 3,
            GoldenKind.Saturate => 1,
            GoldenKind.Requantize => 6,
            GoldenKind.SaturatingAdd => 2,
            GoldenKind.SaturatingSubtract => 2,
            _ => 0,
        };

        /// <summary>
        /// A model case: the expected trace and classes come from <paramref name="reference"/> (the independent
        /// evaluator of the documented rule, tests/Reference), not from the engine; the xunit suite and
        /// NFUnitTest then hold both builds (and the interpreter) to exactly these integers. The file must be
        /// accepted by the reader.
        /// </summary>
        public static GoldenCase ForModel(string name, Model model, int[] raw, int readings, IModelReference reference, int version = 0)
        {
            // version 0: the writer's choice (v2, or v3 when a dense layer has int16 weights).
            byte[] file = version == 0 ? Format.ModelWriter.Write(model) : Format.ModelWriter.Write(model, version);
            if (raw.Length != readings * model.FeatureCount) throw new System.ArgumentException($"{name}: {raw.Length} raw values for {readings} readings of {model.FeatureCount} features");
            string error = DeviceProbe.Check(file, int.MaxValue);
            if (error != null) throw new System.InvalidOperationException($"golden model '{name}' is rejected: {error}");
            return new GoldenCase
            {
                Name = name, Kind = GoldenKind.Model, File = file, Raw = raw, Readings = readings,
                Trace = reference.Trace(model, raw, readings), Classes = reference.Classes(model, raw, readings),
            };
        }

        /// <summary>
        /// A model with 16-bit tensors (or int16 weights): as <see cref="ForModel"/> with the int16 trace. Written in
        /// the writer's version (v3 when a dense layer has int16 weights).
        /// </summary>
        public static GoldenCase ForWideModel(string name, Model model, int[] raw, int readings, IModelReference reference)
        {
            byte[] file = Format.ModelWriter.Write(model);
            if (raw.Length != readings * model.FeatureCount) throw new System.ArgumentException($"{name}: {raw.Length} raw values for {readings} readings of {model.FeatureCount} features");
            string error = DeviceProbe.Check(file, int.MaxValue);
            if (error != null) throw new System.InvalidOperationException($"golden model '{name}' is rejected: {error}");
            return new GoldenCase
            {
                Name = name, Kind = GoldenKind.WideModel, File = file, Raw = raw, Readings = readings,
                WideTrace = reference.TraceWide(model, raw, readings), Classes = reference.Classes(model, raw, readings),
            };
        }

        /// <summary>
        /// A rejected file: the reason is the reader's full message; <paramref name="mustMention"/> makes sure
        /// the case fails for the reason it was built for (not some earlier check).
        /// </summary>
        public static GoldenCase ForRejected(string name, byte[] file, string mustMention, int maxArena = int.MaxValue)
        {
            string error = DeviceProbe.Check(file, maxArena);
            if (error == null || !error.Contains(mustMention, System.StringComparison.Ordinal))
                throw new System.InvalidOperationException($"golden rejection '{name}' gave \"{error}\", expected it to mention \"{mustMention}\"");
            return new GoldenCase { Name = name, Kind = GoldenKind.Rejected, File = file, MaxArena = maxArena, Error = error };
        }
    }
}
