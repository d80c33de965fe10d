using EdgeNet.Format;
using EdgeNet.Kernels;

namespace EdgeNet.Layers
{
    /// <summary>Reading and checking helpers shared by the layer records of conv, pooling and recurrent layers.</summary>
    public static class LayerRecords
    {
        /// <summary>Reads count int32 multipliers (each in [0, 2^31-1]); null on failure.</summary>
        public static int[] Multipliers(ByteReader r, int count, string what)
        {
            int at = r.Position;
            int[] m = r.Int32Array(count, what);
            if (m == null) return null;
            for (int i = 0; i < count; i++)
            {
                if (m[i] < 0) { r.FailAt(at + 4 * i, what + " " + i.ToString() + " is negative"); return null; }
            }
            return m;
        }

        /// <summary>Reads count shifts (each in [0, 62]); null on failure.</summary>
        public static byte[] Shifts(ByteReader r, int count, string what)
        {
            int at = r.Position;
            byte[] s = r.UInt8Array(count, what);
            if (s == null) return null;
            for (int i = 0; i < count; i++)
            {
                if (s[i] > FixedPoint.MaxShift) { r.FailAt(at + i, what + " " + i.ToString() + " is " + s[i].ToString() + ", above " + FixedPoint.MaxShift.ToString()); return null; }
            }
            return s;
        }

        /// <summary>Reads count int8 weights after checking the file holds them (count may be large); null on failure.</summary>
        public static sbyte[] Weights(ByteReader r, long count, string what)
        {
            if (r.Failed) return null;
            if (count < 0 || count > r.Remaining) { r.Fail("file ends inside " + what + " (needs " + count.ToString() + " bytes, " + r.Remaining.ToString() + " left)"); return null; }
            return r.Int8Array((int)count, what);
        }

        /// <summary>sum |w[offset .. offset + count)| as a long.</summary>
        public static long AbsSum(sbyte[] w, int offset, int count)
        {
            long sum = 0;
            for (int i = offset, end = offset + count; i < end; i++)
            {
                int v = w[i];
                sum += v < 0 ? -v : v;
            }
            return sum;
        }

        /// <summary>Reads count int16 weights (2 * count bytes) after checking the file holds them; null on failure.</summary>
        public static short[] Weights16(ByteReader r, long count, string what)
        {
            if (r.Failed) return null;
            if (count < 0 || 2 * count > r.Remaining) { r.Fail("file ends inside " + what + " (needs " + (2 * count).ToString() + " bytes, " + r.Remaining.ToString() + " left)"); return null; }
            return r.Int16Array((int)count, what);
        }

        /// <summary>sum |w[offset .. offset + count)| of int16 weights as a long.</summary>
        public static long AbsSum(short[] w, int offset, int count)
        {
            long sum = 0;
            for (int i = offset, end = offset + count; i < end; i++)
            {
                int v = w[i];
                sum += v < 0 ? -v : v;
            }
            return sum;
        }

        /// <summary>|b| + 255 * sum|w|: the largest |accumulator| when (input - zero point) spans [-255, 255].</summary>
        public static long Bound(long bias, long absWeightSum)
        {
            return (bias < 0 ? -bias : bias) + 255 * absWeightSum;
        }

        /// <summary>|b| + span * sum|w|: the largest |accumulator| when |input - zero point| is at most span (<see cref="Layer.InputSpan"/>).</summary>
        public static long Bound(long bias, long absWeightSum, int span)
        {
            return (bias < 0 ? -bias : bias) + span * absWeightSum;
        }
    }
}
