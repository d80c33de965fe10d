/*
 * The C kernels under -fsanitize=undefined,address (firmware/native/build.sh --sanitize; run by .ci/run).
 * Every buffer is malloc'd at exactly the size its shape gives, so AddressSanitizer reports any read or write
 * outside it; UndefinedBehaviorSanitizer (with -fno-sanitize-recover) aborts on any signed overflow, shift
 * out of range or bad conversion. Inputs are random layers of every kind with int8/int32 extremes mixed in.
 * Requantization (int32 and int64 accumulators) is also checked against an independent 128-bit evaluation of the formula in
 * docs/quantization.md (a GCC/Clang extension, used only in this test driver). Bit-exactness against the
 * managed kernels is tests/EdgeNet.Tests/Native, which loads the library through P/Invoke.
 */
#include <stdio.h>
#include <stdlib.h>
#include "edgenet_kernels.h"

static uint64_t rng_state = 0x2026120117ULL;

static uint32_t next_u32(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static int32_t range(int32_t lo, int32_t hi) /* [lo, hi] */
{
    return lo + (int32_t)(next_u32() % (uint32_t)(hi - lo + 1));
}

static int32_t any_int32(void)
{
    static const int32_t extremes[] = { INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX - 1, INT32_MAX };
    if (next_u32() % 4 == 0) return extremes[next_u32() % 7];
    return (int32_t)next_u32();
}

static int8_t *int8s(int32_t n)
{
    int8_t *p = malloc(n > 0 ? (size_t)n : 1);
    int32_t i;
    for (i = 0; i < n; i++) p[i] = (int8_t)range(-128, 127);
    return p;
}

static int32_t *int32s(int32_t n)
{
    int32_t *p = malloc(n > 0 ? (size_t)n * sizeof(int32_t) : 1);
    int32_t i;
    for (i = 0; i < n; i++) p[i] = any_int32();
    return p;
}

static int16_t *int16s(int32_t n)
{
    int16_t *p = malloc(n > 0 ? (size_t)n * sizeof(int16_t) : 1);
    int32_t i;
    for (i = 0; i < n; i++) p[i] = (int16_t)(next_u32() % 4 == 0 ? (next_u32() % 2 ? 32767 : -32768) : range(-32768, 32767));
    return p;
}

/* int64 values up to the reader's 2^47 bound, its edges, and (one in eight) anything: the kernels must stay defined. */
static int64_t any_int64(void)
{
    static const int64_t edges[] = { -((int64_t)1 << 47), -((int64_t)1 << 47) + 1, -65537, -65536, -1, 0, 1, 65535, 65536,
        ((int64_t)1 << 47) - 1, (int64_t)1 << 47, INT64_MIN, INT64_MAX };
    uint64_t bits = ((uint64_t)next_u32() << 32) | next_u32();
    switch (next_u32() % 8)
    {
    case 0: return edges[next_u32() % 13];
    case 1: return next_u32() % 2 ? (int64_t)(bits >> 1) : -(int64_t)(bits >> 1) - 1; /* the whole int64 range */
    default: return (int64_t)(bits >> 16) - ((int64_t)1 << 47);
    }
}

static int64_t *int64s(int32_t n)
{
    int64_t *p = malloc(n > 0 ? (size_t)n * sizeof(int64_t) : 1);
    int32_t i;
    for (i = 0; i < n; i++) p[i] = any_int64();
    return p;
}

static int32_t *multipliers(int32_t n)
{
    int32_t *p = malloc((size_t)n * sizeof(int32_t));
    int32_t i;
    for (i = 0; i < n; i++) p[i] = next_u32() % 8 == 0 ? INT32_MAX : (int32_t)(next_u32() & 0x7FFFFFFFu);
    return p;
}

static uint8_t *shifts(int32_t n)
{
    uint8_t *p = malloc((size_t)n);
    int32_t i;
    for (i = 0; i < n; i++) p[i] = (uint8_t)range(0, 62);
    return p;
}

static long failures = 0;
static long calls = 0;

/* The rule's formula in 128-bit arithmetic, for an int32 or int64 value (docs/quantization.md, "16-bit
 * activations"): exact for |value| <= 2^47. */
static int32_t reference_mul_q(int64_t value, int32_t multiplier, int32_t shift)
{
    __int128 p = (__int128)value * multiplier;
    __int128 q;
    if (shift > 0)
    {
        __int128 d = (__int128)1 << shift;
        __int128 n = p + d / 2;
        q = n / d;
        if (n % d != 0 && n < 0) q -= 1; /* floor */
    }
    else q = p;
    if (q > INT32_MAX) return INT32_MAX;
    if (q < INT32_MIN) return INT32_MIN;
    return (int32_t)q;
}

static void check_requantize(void)
{
    static const int32_t accs[] = { INT32_MIN, INT32_MIN + 1, -65536, -3, -2, -1, 0, 1, 2, 3, 65535, INT32_MAX - 1, INT32_MAX };
    static const int32_t mults[] = { 0, 1, 2, 1073741823, 1073741824, 1431655765, INT32_MAX - 1, INT32_MAX };
    size_t a, m;
    int32_t s, n;
    for (a = 0; a < sizeof accs / sizeof accs[0]; a++)
        for (m = 0; m < sizeof mults / sizeof mults[0]; m++)
            for (s = 0; s <= 62; s++)
            {
                int32_t got = edgenet_multiply_by_quantized_multiplier(accs[a], mults[m], s);
                int32_t want = reference_mul_q(accs[a], mults[m], s);
                calls++;
                if (got != want)
                {
                    if (failures++ < 10) printf("requantize(%d, %d, %d): %d, formula %d\n", accs[a], mults[m], s, got, want);
                }
                (void)edgenet_requantize(accs[a], mults[m], s, range(-128, 127), -128, 127);
            }
    for (n = 0; n < 200000; n++)
    {
        int32_t v = any_int32(), mult = (int32_t)(next_u32() & 0x7FFFFFFFu), s2 = range(0, 62);
        calls++;
        if (edgenet_multiply_by_quantized_multiplier(v, mult, s2) != reference_mul_q(v, mult, s2))
        {
            if (failures++ < 10) printf("requantize(%d, %d, %d) differs from the formula\n", v, mult, s2);
        }
        (void)edgenet_recurrent_sum(v, mult, s2, any_int32(), mult, range(0, 62), range(-128, 127), -128, 127);
    }
}

static void run_layers(int cases)
{
    int n;
    for (n = 0; n < cases; n++)
    {
        int32_t len = range(0, 40), units = range(1, 12), z = range(-128, 127), lo = range(-128, 127);
        int32_t hi = range(lo, 127);
        int8_t *x = int8s(len), *w = int8s(len * units), *y = malloc((size_t)units);
        int32_t *b = int32s(units), *m = multipliers(units);
        uint8_t *s = shifts(units);
        edgenet_dense(x, len, w, b, m, s, units, z, lo, hi, y);
        calls++;
        {
            int32_t steps = range(1, 16), ch = range(1, 6), k = range(1, 6), pad = range(0, k - 1), st = range(1, 4), f = range(1, 6);
            int32_t span = steps + 2 * pad - k;
            if (span >= 0)
            {
                int32_t out = span / st + 1;
                int8_t *cx = int8s(steps * ch), *cw = int8s(f * k * ch), *cy = malloc((size_t)(out * f));
                int32_t *fb = int32s(f), *taps = int32s(f * k), *cm = multipliers(f);
                uint8_t *cs = shifts(f);
                edgenet_conv1d(cx, steps, ch, range(-128, 127), cw, fb, pad > 0 ? taps : NULL, cm, cs,
                    f, k, st, pad, z, lo, hi, cy, out);
                calls++;
                free(cx); free(cw); free(cy); free(fb); free(taps); free(cm); free(cs);
            }
        }
        {
            int32_t steps = range(1, 20), ch = range(1, 6), pool = range(1, steps), st = range(1, 4);
            int32_t out = (steps - pool) / st + 1;
            int8_t *px = int8s(steps * ch), *py = malloc((size_t)(out * ch));
            edgenet_max_pool1d(px, ch, pool, st, lo, hi, py, out);
            edgenet_avg_pool1d(px, ch, pool, st, range(-128, 127), lo, hi, py, out);
            calls += 2;
            free(px); free(py);
        }
        {
            int8_t *state = int8s(units), *direct = int8s(units), *lateral = int8s(units * (units - 1)), *full = int8s(units * units);
            int32_t *fbias = int32s(units), *fm = multipliers(units);
            uint8_t *fs = shifts(units);
            edgenet_recurrent_direct(x, len, w, b, m, s, state, direct, fbias, fm, fs, units, z, lo, hi, y);
            edgenet_recurrent_lateral(x, len, w, b, m, s, state, lateral, fbias, fm, fs, units, z, lo, hi, y);
            edgenet_recurrent_complete(x, len, w, b, m, s, state, units, full, fbias, fm, fs, units, z, lo, hi, y);
            calls += 3;
            free(state); free(direct); free(lateral); free(full); free(fbias); free(fm); free(fs);
        }
        free(x); free(w); free(y); free(b); free(m); free(s);
    }
}

static void check_requantize_long(void)
{
    static const int32_t mults[] = { 0, 1, 2, 1073741823, 1073741824, 1431655765, INT32_MAX - 1, INT32_MAX };
    int32_t s, n;
    size_t m;
    for (n = 0; n < 300000; n++)
    {
        int64_t v = any_int64();
        int32_t mult = n % 3 == 0 ? mults[next_u32() % 8] : (int32_t)(next_u32() & 0x7FFFFFFFu);
        int inside = v >= -((int64_t)1 << 47) && v <= ((int64_t)1 << 47);
        s = range(0, 62);
        {
            int32_t got = edgenet_multiply_by_quantized_multiplier_long(v, mult, s);
            calls++;
            /* Outside the bound the kernel wraps as C# does (checked for definedness only); inside it is the formula. */
            if (inside && got != reference_mul_q(v, mult, s))
            {
                if (failures++ < 10) printf("requantize long(%lld, %d, %d): %d, formula %d\n", (long long)v, mult, s, got, reference_mul_q(v, mult, s));
            }
            /* Within int32 the long version is the int32 version. */
            if (v >= INT32_MIN && v <= INT32_MAX && got != edgenet_multiply_by_quantized_multiplier((int32_t)v, mult, s))
            {
                if (failures++ < 10) printf("requantize long(%lld, %d, %d) differs from the int32 version\n", (long long)v, mult, s);
            }
        }
        (void)edgenet_requantize16_long(v, mult, s, range(-32768, 32767), -32768, 32767);
        (void)edgenet_requantize16((int32_t)(v >> 16), mult, s, 0, -32768, 32767);
        (void)edgenet_recurrent_sum16(v, mult, s, any_int64(), mult, range(0, 62), 0, -32768, 32767);
    }
    for (m = 0; m < sizeof mults / sizeof mults[0]; m++)
        for (s = 0; s <= 62; s++)
        {
            calls++;
            if (edgenet_multiply_by_quantized_multiplier_long((int64_t)1 << 47, mults[m], s) != reference_mul_q((int64_t)1 << 47, mults[m], s) ||
                edgenet_multiply_by_quantized_multiplier_long(-((int64_t)1 << 47), mults[m], s) != reference_mul_q(-((int64_t)1 << 47), mults[m], s))
            {
                if (failures++ < 10) printf("requantize long(+-2^47, %d, %d) differs from the formula\n", mults[m], s);
            }
        }
}

static void run_wide_layers(int cases)
{
    int n;
    for (n = 0; n < cases; n++)
    {
        int32_t len = range(0, 40), units = range(1, 12), lo = range(-32768, 32767), hi = range(lo, 32767);
        int32_t z = next_u32() % 2 ? 0 : range(-128, 127);
        int16_t *x = int16s(len), *y = malloc((size_t)units * sizeof(int16_t));
        int8_t *w = int8s(len * units);
        int32_t *b = int32s(units), *m = multipliers(units);
        int64_t *b64 = int64s(units);
        uint8_t *s = shifts(units);
        edgenet_dense16(x, len, w, b, m, s, units, z, lo, hi, y);
        edgenet_dense16_long(x, len, w, b, m, s, units, z, lo, hi, y);
        calls += 2;
        {
            /* 16x16: full-scale int16 weights, fan-in up to 4000 so the sum leaves int32 (4000 * 2^30). */
            int32_t wide_len = next_u32() % 4 == 0 ? range(1000, 4000) : len;
            int16_t *wx = int16s(wide_len), *ww = int16s(wide_len * units);
            edgenet_dense16x16(wx, wide_len, ww, b, m, s, units, z, lo, hi, y);
            calls++;
            free(wx); free(ww);
        }
        {
            int32_t steps = range(1, 16), ch = range(1, 6), k = range(1, 6), pad = range(0, k - 1), st = range(1, 4), f = range(1, 6);
            int32_t span = steps + 2 * pad - k;
            if (span >= 0)
            {
                int32_t out = span / st + 1;
                int16_t *cx = int16s(steps * ch), *cy = malloc((size_t)(out * f) * sizeof(int16_t));
                int8_t *cw = int8s(f * k * ch);
                int32_t *fb = int32s(f), *taps = int32s(f * k), *cm = multipliers(f);
                int64_t *fb64 = int64s(f);
                uint8_t *cs = shifts(f);
                int32_t zIn = next_u32() % 2 ? 0 : range(-128, 127);
                edgenet_conv1d16(cx, steps, ch, zIn, cw, fb, pad > 0 ? taps : NULL, cm, cs, f, k, st, pad, z, lo, hi, cy, out);
                edgenet_conv1d16_long(cx, steps, ch, zIn, cw, fb64, pad > 0 ? taps : NULL, cm, cs, f, k, st, pad, z, lo, hi, cy, out);
                calls += 2;
                free(cx); free(cw); free(cy); free(fb); free(fb64); free(taps); free(cm); free(cs);
            }
        }
        {
            int32_t steps = range(1, 20), ch = range(1, 6), pool = range(1, steps), st = range(1, 4);
            int32_t out = (steps - pool) / st + 1;
            int16_t *px = int16s(steps * ch), *py = malloc((size_t)(out * ch) * sizeof(int16_t));
            edgenet_max_pool1d16(px, ch, pool, st, lo, hi, py, out);
            edgenet_avg_pool1d16(px, ch, pool, st, 0, lo, hi, py, out);
            calls += 2;
            free(px); free(py);
        }
        {
            int16_t *state = int16s(units);
            int8_t *direct = int8s(units), *lateral = int8s(units * (units - 1)), *full = int8s(units * units);
            int64_t *fbias = int64s(units);
            int32_t *fm = multipliers(units);
            uint8_t *fs = shifts(units);
            edgenet_recurrent16_direct(x, len, w, b64, m, s, state, direct, fbias, fm, fs, units, 0, lo, hi, y);
            edgenet_recurrent16_lateral(x, len, w, b64, m, s, state, lateral, fbias, fm, fs, units, 0, lo, hi, y);
            edgenet_recurrent16_complete(x, len, w, b64, m, s, state, units, full, fbias, fm, fs, units, 0, lo, hi, y);
            calls += 3;
            free(state); free(direct); free(lateral); free(full); free(fbias); free(fm); free(fs);
        }
        free(x); free(w); free(y); free(b); free(b64); free(m); free(s);
    }
}

int main(int argc, char **argv)
{
    int cases = argc > 1 ? atoi(argv[1]) : 20000;
    if (edgenet_api_version() != EDGENET_KERNELS_API_VERSION) { printf("api version mismatch\n"); return 1; }
    check_requantize();
    run_layers(cases);
    check_requantize_long();
    run_wide_layers(cases);
    printf("sanitized kernels: %ld calls, %ld differences from the 128-bit formula (int8, 16x8 and 16x16 kernels)\n", calls, failures);
    return failures == 0 ? 0 : 1;
}
