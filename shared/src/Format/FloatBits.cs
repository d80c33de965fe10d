namespace EdgeNet.Format
{
    /// <summary>
    /// IEEE-754 single-precision checks done on the bit pattern with integer arithmetic. The nanoFramework
    /// interpreter answers "greater" when it compares a NaN (so <c>NaN &gt; 0f</c> and <c>!(NaN &lt;= 0f)</c> are
    /// both true there), which makes a float comparison an unsafe guard: device code classifies a float here
    /// first and compares floats only once this says they are ordinary numbers.
    ///   bit 31 sign | bits 30..23 exponent | bits 22..0 fraction
    ///   exponent all ones: infinity (fraction 0) or NaN (any other fraction, either sign)
    /// </summary>
    public static class FloatBits
    {
        private const int ExponentMask = 0x7F800000;
        private const int MagnitudeMask = 0x7FFFFFFF;

        /// <summary>
        /// The bit pattern of v. Allocates four bytes (CoreLibrary has no SingleToInt32Bits): load time only.
        /// Little-endian like the model format and both targets (x86/x64/ARM, ESP32).
        /// </summary>
        public static int Bits(float v)
        {
            byte[] b = System.BitConverter.GetBytes(v);
            return b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
        }

        /// <summary>True for both NaN encodings and every other NaN payload (exponent all ones, fraction nonzero).</summary>
        public static bool IsNaN(int bits)
        {
            return (bits & MagnitudeMask) > ExponentMask;
        }

        /// <summary>True for +infinity and -infinity.</summary>
        public static bool IsInfinity(int bits)
        {
            return (bits & MagnitudeMask) == ExponentMask;
        }

        /// <summary>Neither NaN nor infinity (zero and subnormals are finite).</summary>
        public static bool IsFinite(int bits)
        {
            return (bits & ExponentMask) != ExponentMask;
        }

        /// <summary>A number above zero and below infinity: sign clear, not +0, exponent not all ones.</summary>
        public static bool IsPositiveFinite(int bits)
        {
            return bits > 0 && (bits & ExponentMask) != ExponentMask;
        }

        /// <summary>
        /// An integer with the order of the float: Order(a) &lt; Order(b) exactly when a &lt; b, and -0 = +0.
        /// Meaningless for NaN, so the caller checks <see cref="IsNaN"/> first.
        /// </summary>
        public static int Order(int bits)
        {
            // Positive floats already order as integers; a negative one orders by minus its magnitude.
            return bits >= 0 ? bits : -(bits & MagnitudeMask);
        }

        /// <summary>a &gt;= b for two floats that are not NaN (checked; a NaN operand gives false).</summary>
        public static bool AtLeast(float a, float b)
        {
            int x = Bits(a), y = Bits(b);
            if (IsNaN(x) || IsNaN(y)) return false;
            return Order(x) >= Order(y);
        }
    }
}
