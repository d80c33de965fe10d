using System;
using System.Collections.Generic;

namespace EdgeNet.Format
{
    /// <summary>One field of a model file as the reader saw it: where it is, how wide, what it means.</summary>
    public readonly record struct FieldSpan(int Position, int Width, string What);

    public sealed partial class ByteReader
    {
        [ThreadStatic] private static List<FieldSpan> _recording;

        /// <summary>
        /// Runs read (which parses with ByteReader on this thread) and returns every field it read, in order.
        /// The fuzzer uses this map to aim its lies at real length, count and parameter fields without a
        /// second description of the format.
        /// </summary>
        public static List<FieldSpan> RecordFields(Action read)
        {
            var fields = new List<FieldSpan>();
            List<FieldSpan> outer = _recording;
            _recording = fields;
            try { read(); }
            finally { _recording = outer; }
            return fields;
        }

        partial void OnField(int position, int width, string what)
        {
            _recording?.Add(new FieldSpan(position, width, what));
        }
    }
}
