/*
 * The integer steps every kernel file shares, as static inline functions so each kernel's inner loop
 * inlines them. Each one is written so that C99 defines its result for every argument (see the notes in
 * include/edgenet_kernels.h); the rule itself is docs/quantization.md.
 */
#ifndef EDGENET_ARITHMETIC_H
#define EDGENET_ARITHMETIC_H

#include <stdint.h>

/* Largest shift (FixedPoint.MaxShift): the product of two int32 needs at most 62 bits. */
#define EDGENET_MAX_SHIFT 62

/* The int32 whose two's-complement bits are u: C#'s unchecked (int) of a wrapped sum. */
static inline int32_t edgenet_from_bits(uint32_t u)
{
    if (u <= (uint32_t)INT32_MAX) return (int32_t)u;
    return (int32_t)(u - 2147483648u) - INT32_MAX - 1;
}

/* a + b modulo 2^32, as C# adds two int (unchecked). */
static inline int32_t edgenet_wrap_add(int32_t a, int32_t b)
{
    return edgenet_from_bits((uint32_t)a + (uint32_t)b);
}

/* a * b modulo 2^32, as C# multiplies two int (unchecked). */
static inline int32_t edgenet_wrap_mul(int32_t a, int32_t b)
{
    return edgenet_from_bits((uint32_t)a * (uint32_t)b);
}

/* The low 8 bits as int8: C#'s (sbyte) cast. Exact for v in [-128, 127], which the clamps guarantee. */
static inline int8_t edgenet_narrow_int8(int32_t v)
{
    int32_t low = (int32_t)((uint32_t)v & 0xFFu);
    return (int8_t)(low >= 128 ? low - 256 : low);
}

/* floor(x / 2^s) for s in [0, 62]: the arithmetic right shift C# does, without shifting a negative value. */
static inline int64_t edgenet_floor_shift(int64_t x, int s)
{
    if (x >= 0) return x >> s;
    /* -(x + 1) cannot overflow, and floor(x / 2^s) = -floor((-x - 1) / 2^s) - 1 for negative x. */
    return -(int64_t)((uint64_t)(-(x + 1)) >> s) - 1;
}

static inline int32_t edgenet_saturate_int32(int64_t v)
{
    if (v > INT32_MAX) return INT32_MAX;
    if (v < INT32_MIN) return INT32_MIN;
    return (int32_t)v;
}

static inline int32_t edgenet_saturating_add(int32_t a, int32_t b)
{
    return edgenet_saturate_int32((int64_t)a + (int64_t)b);
}

/*
 * FixedPoint.MultiplyByQuantizedMultiplier. |value * multiplier| <= 2^62 for any two int32, and the
 * rounding term is at most 2^61, so the int64 sum never overflows.
 */
static inline int32_t edgenet_mul_q(int32_t value, int32_t multiplier, int32_t shift)
{
    int64_t product = (int64_t)value * (int64_t)multiplier;
    if (shift > EDGENET_MAX_SHIFT) shift = EDGENET_MAX_SHIFT; /* outside the rule; keeps the shifts defined */
    if (shift > 0)
    {
        product = edgenet_floor_shift(product + ((int64_t)1 << (shift - 1)), (int)shift);
    }
    return edgenet_saturate_int32(product);
}

/* v limited to [min, max], min tested first (the managed order: an empty range gives max). */
static inline int32_t edgenet_clamp(int32_t v, int32_t min, int32_t max)
{
    if (v < min) v = min;
    if (v > max) v = max;
    return v;
}

/* The output stage after the multiplier, for every width: add the zero point with saturation, clamp. */
static inline int32_t edgenet_output_stage(int32_t scaled, int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_clamp(edgenet_saturating_add(scaled, zero_point), min, max);
}

/* FixedPoint.Requantize: requantize, add the zero point with saturation, clamp, narrow. */
static inline int8_t edgenet_requant(int32_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_narrow_int8(edgenet_output_stage(edgenet_mul_q(acc, multiplier, shift), zero_point, min, max));
}

/* RecurrentSum.Requantize: each accumulator requantized with its own multiplier, added with saturation. */
static inline int8_t edgenet_recurrent_requant(int32_t input_acc, int32_t input_multiplier, int32_t input_shift,
    int32_t feedback_acc, int32_t feedback_multiplier, int32_t feedback_shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    int32_t a = edgenet_mul_q(input_acc, input_multiplier, input_shift);
    int32_t b = edgenet_mul_q(feedback_acc, feedback_multiplier, feedback_shift);
    return edgenet_narrow_int8(edgenet_output_stage(edgenet_saturating_add(a, b), zero_point, min, max));
}

/* acc + sum_k w[k] * x[k] for k in [0, n), wrapping as the managed Dot does (every order wraps alike). */
static inline int32_t edgenet_dot(int32_t acc, const int8_t *w, const int8_t *x, int32_t n)
{
    uint32_t sum = (uint32_t)acc;
    int32_t k;
    for (k = 0; k < n; k++)
    {
        sum += (uint32_t)((int32_t)w[k] * (int32_t)x[k]);
    }
    return edgenet_from_bits(sum);
}

/* ---- the 16-bit (16x8) steps: docs/quantization.md, "16-bit activations" ---------------------------- */

/* The int64 whose two's-complement bits are u: C#'s unchecked (long) of a wrapped sum. */
static inline int64_t edgenet_from_bits64(uint64_t u)
{
    if (u <= (uint64_t)INT64_MAX) return (int64_t)u;
    return (int64_t)(u - 9223372036854775808u) - INT64_MAX - 1;
}

/* a + b modulo 2^64, as C# adds two long (unchecked); the reader's 2^47 bound means it never wraps in a valid layer. */
static inline int64_t edgenet_wrap_add64(int64_t a, int64_t b)
{
    return edgenet_from_bits64((uint64_t)a + (uint64_t)b);
}

/* a * b modulo 2^64, as C# multiplies two long (unchecked). */
static inline int64_t edgenet_wrap_mul64(int64_t a, int64_t b)
{
    return edgenet_from_bits64((uint64_t)a * (uint64_t)b);
}

/* The low 16 bits as int16: C#'s (short) cast (the pools' output; exact within the clamp). */
static inline int16_t edgenet_narrow_int16(int32_t v)
{
    int32_t low = (int32_t)((uint32_t)v & 0xFFFFu);
    return (int16_t)(low >= 32768 ? low - 65536 : low);
}

/* FixedPoint.SaturateToInt16. */
static inline int16_t edgenet_saturate_int16(int32_t v)
{
    if (v > 32767) return 32767;
    if (v < -32768) return -32768;
    return (int16_t)v;
}

/*
 * FixedPoint.MultiplyByQuantizedMultiplierLong: value = hi * 2^16 + lo with 0 <= lo < 2^16, the two partial
 * products and the rounding term combined as the managed code does. Within the reader's bound (|value| <= 2^47,
 * multiplier in [0, 2^31-1]) nothing wraps; outside it every step wraps modulo 2^64 exactly as C# long arithmetic
 * does, so the result is C#'s for any argument (and never undefined here).
 */
static inline int32_t edgenet_mul_q_long(int64_t value, int32_t multiplier, int32_t shift)
{
    int64_t hi, lo, a, b, result;
    if (shift > EDGENET_MAX_SHIFT) shift = EDGENET_MAX_SHIFT; /* outside the rule; keeps the shifts defined */
    if (shift < 0) shift = 0;
    hi = edgenet_floor_shift(value, 16);               /* C#: value >> 16 */
    lo = (int64_t)((uint64_t)value & 0xFFFFu);         /* C#: value & 0xFFFF */
    a = edgenet_wrap_mul64(hi, multiplier);            /* |hi| <= 2^31 in the rule: no wrap there */
    b = lo * multiplier + (shift > 0 ? (int64_t)1 << (shift - 1) : 0); /* |lo * m| < 2^47: exact */
    if (shift >= 16)
    {
        result = edgenet_floor_shift(edgenet_wrap_add64(a, edgenet_floor_shift(b, 16)), (int)(shift - 16));
    }
    else
    {
        if (a > ((int64_t)1 << 46)) return INT32_MAX;
        if (a < -((int64_t)1 << 46)) return INT32_MIN;
        /* C#: (a << (16 - shift)) + (b >> shift); |a| <= 2^46, so the product is at most 2^62: no overflow. */
        result = a * ((int64_t)1 << (16 - shift)) + edgenet_floor_shift(b, (int)shift);
    }
    return edgenet_saturate_int32(result);
}

/* FixedPoint.Requantize16: as edgenet_requant, saturated to int16 instead of narrowed. */
static inline int16_t edgenet_requant16(int32_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_saturate_int16(edgenet_output_stage(edgenet_mul_q(acc, multiplier, shift), zero_point, min, max));
}

/* FixedPoint.Requantize16Long. */
static inline int16_t edgenet_requant16_long(int64_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_saturate_int16(edgenet_output_stage(edgenet_mul_q_long(acc, multiplier, shift), zero_point, min, max));
}

/* RecurrentSum.Requantize16: int64 parts, each requantized with its own multiplier, added with saturation. */
static inline int16_t edgenet_recurrent_requant16(int64_t input_acc, int32_t input_multiplier, int32_t input_shift,
    int64_t feedback_acc, int32_t feedback_multiplier, int32_t feedback_shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    int32_t a = edgenet_mul_q_long(input_acc, input_multiplier, input_shift);
    int32_t b = edgenet_mul_q_long(feedback_acc, feedback_multiplier, feedback_shift);
    return edgenet_saturate_int16(edgenet_output_stage(edgenet_saturating_add(a, b), zero_point, min, max));
}

/* acc + sum_k w[k] * x[k] in int32, wrapping as the managed 16x8 int32 kernels do (each product is at most 2^22). */
static inline int32_t edgenet_dot16(int32_t acc, const int8_t *w, const int16_t *x, int32_t n)
{
    uint32_t sum = (uint32_t)acc;
    int32_t k;
    for (k = 0; k < n; k++)
    {
        sum += (uint32_t)((int32_t)w[k] * (int32_t)x[k]);
    }
    return edgenet_from_bits(sum);
}

/*
 * acc + sum_k w[k] * x[k] in int64, as the managed int64 kernels do. The products' sum is exact (|sum| <= n * 2^22
 * < 2^53), and adding it to acc at the end equals adding the four-product blocks one by one, modulo 2^64.
 */
static inline int64_t edgenet_dot16_long(int64_t acc, const int8_t *w, const int16_t *x, int32_t n)
{
    int64_t sum = 0;
    int32_t k;
    for (k = 0; k < n; k++)
    {
        sum += (int32_t)w[k] * (int32_t)x[k];
    }
    return edgenet_wrap_add64(acc, sum);
}

/*
 * acc + sum_k w[k] * x[k] with int16 weights (the 16x16 kernel), as FullyConnected16x16Optimized: each product in
 * int32 (|w * x| <= 2^30 fits), the sum in int64 (exact: |sum| <= n * 2^30 < 2^62 for any int32 n), added to acc
 * modulo 2^64 as C# long does.
 */
static inline int64_t edgenet_dot16x16_long(int64_t acc, const int16_t *w, const int16_t *x, int32_t n)
{
    int64_t sum = 0;
    int32_t k;
    for (k = 0; k < n; k++)
    {
        sum += (int32_t)w[k] * (int32_t)x[k];
    }
    return edgenet_wrap_add64(acc, sum);
}

/* ---- conv1d*.c: the padding fold shared by every width --------------------------------------------- */

/*
 * The taps of output step t that fall on input: filter taps [k_lo, k_hi) read the consecutive input run
 * [start, start + length) (element offsets); padded is set when some taps fall on padding.
 */
typedef struct
{
    int32_t k_lo, k_hi, start, length;
    int padded;
} edgenet_tap_window;

static inline edgenet_tap_window edgenet_conv_window(int32_t t, int32_t stride, int32_t padding,
    int32_t kernel, int32_t steps, int32_t channels)
{
    edgenet_tap_window w;
    int32_t first = t * stride - padding;
    w.k_lo = first < 0 ? -first : 0;
    w.k_hi = first + kernel > steps ? steps - first : kernel;
    w.start = (first + w.k_lo) * channels;
    w.length = (w.k_hi - w.k_lo) * channels;
    w.padded = w.k_lo > 0 || w.k_hi < kernel;
    return w;
}

/* acc + zIn * taps[k] for the taps on padding (k < k_lo, k >= k_hi), wrapping as C# int does. */
static inline int32_t edgenet_padding_fold(int32_t acc, int32_t input_zero_point, const int32_t *taps,
    edgenet_tap_window w, int32_t kernel)
{
    int32_t k;
    for (k = 0; k < w.k_lo; k++) acc = edgenet_wrap_add(acc, edgenet_wrap_mul(input_zero_point, taps[k]));
    for (k = w.k_hi; k < kernel; k++) acc = edgenet_wrap_add(acc, edgenet_wrap_mul(input_zero_point, taps[k]));
    return acc;
}

/* The int64 fold: C#'s acc += (long)zIn * tapSums[..]; the product of two int32 is exact in int64. */
static inline int64_t edgenet_padding_fold_long(int64_t acc, int32_t input_zero_point, const int32_t *taps,
    edgenet_tap_window w, int32_t kernel)
{
    int32_t k;
    for (k = 0; k < w.k_lo; k++) acc = edgenet_wrap_add64(acc, (int64_t)input_zero_point * taps[k]);
    for (k = w.k_hi; k < kernel; k++) acc = edgenet_wrap_add64(acc, (int64_t)input_zero_point * taps[k]);
    return acc;
}

#endif /* EDGENET_ARITHMETIC_H */
