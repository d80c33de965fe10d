using System.Collections.Generic;
using System.Numerics;

namespace EdgeNet.Golden
{
    /// <summary>
    /// Golden cases for the FixedPoint kernels. The expected results are computed here from the documented
    /// rule with exact big-integer arithmetic (docs/quantization.md), not by calling the kernels, so a kernel
    /// that drifts from the rule fails on every build.
    /// </summary>
    public static class FixedPointCases
    {
        private static readonly int[] Values =
        {
            int.MinValue, int.MinValue + 1, -1_000_000_007, -65_536, -129, -128, -3, -2, -1,
            0, 1, 2, 3, 127, 128, 65_535, 1_000_000_007, int.MaxValue - 1, int.MaxValue,
        };

        // 0, tiny, the seed article's 0.8/127 mantissa, 2^30 (0.5), sqrt(0.5) and the largest.
        private static readonly int[] Multipliers = { 0, 1, 1 << 30, 1518500250, 1731514400, int.MaxValue };

        private static readonly int[] Shifts = { 0, 1, 2, 15, 30, 31, 32, 38, 47, 61, 62 };

        public static IEnumerable<GoldenCase> All()
        {
            // The rounding rule at its edges: exact halves go toward +infinity (2.5 -> 3, -2.5 -> -2).
            yield return Kernel("multiply: halves round toward +infinity", GoldenKind.Multiply, new[]
            {
                5, 1, 1,    -5, 1, 1,    1, 1, 1,    -1, 1, 1,    3, 1 << 30, 31,    -3, 1 << 30, 31,
                100, 1 << 30, 31,    7, 0, 5,    int.MinValue, int.MaxValue, 62,
            });
            yield return Kernel("multiply: saturation at the int32 limits", GoldenKind.Multiply, new[]
            {
                int.MaxValue, int.MaxValue, 0,    int.MinValue, int.MaxValue, 0,    int.MaxValue, int.MaxValue, 30,
                int.MinValue, int.MaxValue, 30,    int.MinValue, int.MaxValue, 31,    int.MaxValue, int.MaxValue, 31,
            });
            var grid = new List<int>();
            foreach (int v in Values)
                foreach (int m in Multipliers)
                    foreach (int s in Shifts) grid.AddRange(new[] { v, m, s });
            yield return Kernel("multiply: grid of values x multipliers x shifts", GoldenKind.Multiply, grid.ToArray());

            var saturate = new List<int>(Values) { -1000, 1000, 126, -127, 200, -200 };
            yield return Kernel("saturate to int8", GoldenKind.Saturate, saturate.ToArray());

            var add = new List<int>();
            var sub = new List<int>();
            foreach (int a in Values)
                foreach (int b in new[] { int.MinValue, -1, 0, 1, int.MaxValue, 1_000_000_007 })
                {
                    add.AddRange(new[] { a, b });
                    sub.AddRange(new[] { a, b });
                }
            yield return Kernel("saturating add", GoldenKind.SaturatingAdd, add.ToArray());
            yield return Kernel("saturating subtract", GoldenKind.SaturatingSubtract, sub.ToArray());

            // Requantize = multiply, add the zero point (saturating), clamp to [min, max] within int8.
            var rq = new List<int>
            {
                28702, 1731514400, 38, -128, -128, 127,            // the seed-article neuron -> 53
                28702, 1731514400, 38, -128, 60, 127,              // the same, clamped from below at 60
                -1_000_000, 1 << 30, 10, 0, -128, 127,             // saturates low
                1_000_000, 1 << 30, 10, 0, -128, 127,              // saturates high
                int.MaxValue, int.MaxValue, 0, 127, -128, 127,     // int32 saturation then zero point
                int.MinValue, int.MaxValue, 0, -128, -128, 127,
                -5, 1 << 30, 31, 3, 3, 127,                        // ReLU floor at the zero point
                0, 0, 0, -7, -128, 127,
            };
            foreach (int acc in new[] { int.MinValue, -70_000, -256, -1, 0, 255, 70_000, int.MaxValue })
                foreach (int zp in new[] { -128, 0, 127 })
                    foreach (int s in new[] { 0, 24, 40 })
                        rq.AddRange(new[] { acc, 1518500250, s, zp, zp == 127 ? -128 : zp, 127 });
            yield return Kernel("requantize with zero point and clamp", GoldenKind.Requantize, rq.ToArray());
        }

        /// <summary>A kernel case with its expected results computed from the rule.</summary>
        public static GoldenCase Kernel(string name, GoldenKind kind, int[] args)
        {
            int arity = GoldenCase.ArityOf(kind);
            if (arity == 0 || args.Length % arity != 0) throw new System.ArgumentException($"{name}: {args.Length} arguments for arity {arity}");
            var expected = new int[args.Length / arity];
            for (int c = 0; c < expected.Length; c++) expected[c] = Rule(kind, args, c * arity);
            return new GoldenCase { Name = name, Kind = kind, Arity = arity, Args = args, Expected = expected };
        }

        private static int Rule(GoldenKind kind, int[] a, int at) => kind switch
        {
            GoldenKind.Multiply => Multiply(a[at], a[at + 1], a[at + 2]),
            GoldenKind.Saturate => Clamp(a[at], -128, 127),
            GoldenKind.SaturatingAdd => Clamp((BigInteger)a[at] + a[at + 1], int.MinValue, int.MaxValue),
            GoldenKind.SaturatingSubtract => Clamp((BigInteger)a[at] - a[at + 1], int.MinValue, int.MaxValue),
            GoldenKind.Requantize => Requantize(a[at], a[at + 1], a[at + 2], a[at + 3], a[at + 4], a[at + 5]),
            _ => throw new System.ArgumentException(kind.ToString()),
        };

        /// <summary>floor(value * multiplier / 2^shift + 1/2), saturated to int32: exact, in big integers.</summary>
        public static int Multiply(int value, int multiplier, int shift)
        {
            BigInteger product = (BigInteger)value * multiplier;
            BigInteger rounded = shift == 0 ? product : FloorDiv(2 * product + (BigInteger.One << shift), BigInteger.One << (shift + 1));
            return Clamp(rounded, int.MinValue, int.MaxValue);
        }

        private static int Requantize(int acc, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            BigInteger v = (BigInteger)Multiply(acc, multiplier, shift) + zeroPoint;
            v = BigInteger.Max(BigInteger.Min(v, int.MaxValue), int.MinValue);
            return Clamp(v, System.Math.Max(min, -128), System.Math.Min(max, 127));
        }

        private static BigInteger FloorDiv(BigInteger n, BigInteger d)
        {
            BigInteger q = BigInteger.DivRem(n, d, out BigInteger r);
            return r < 0 ? q - 1 : q;
        }

        private static int Clamp(BigInteger v, int lo, int hi) => (int)BigInteger.Max(BigInteger.Min(v, hi), lo);
    }
}
