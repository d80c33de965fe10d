// Drives the interop glue (firmware/native/interop) through its method lookup table with the argument slots laid
// out in the C# parameter order of EdgeNet.Native.NativeKernels, and compares every output with a direct call of
// the C kernel: a swapped or shifted argument index in the glue fails here. Also checks that short arrays and null
// arrays are refused before the kernel runs. Compiled against nanoclr_mock/ (build.sh --sanitize), not nanoFramework.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vector>
#include "EdgeNet_Native.h"
#include "edgenet_kernels.h"

namespace
{
uint64_t state = 0x5EEDULL;
uint32_t next()
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(state >> 33);
}
int32_t range(int32_t lo, int32_t hi) { return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1)); }

struct Arr
{
    std::vector<uint8_t> bytes;
    CLR_RT_HeapBlock_Array block;
    template <typename T> static Arr Of(size_t n, T (*make)())
    {
        Arr a;
        a.bytes.resize(n * sizeof(T) + 1);
        for (size_t i = 0; i < n; i++) { T v = make(); memcpy(&a.bytes[i * sizeof(T)], &v, sizeof(T)); }
        a.block.m_numOfElements = (CLR_UINT32)n;
        a.block.m_data = a.bytes.data();
        return a;
    }
    int8_t *i8() { return (int8_t *)bytes.data(); }
    int16_t *i16() { return (int16_t *)bytes.data(); }
    int64_t *i64() { return (int64_t *)bytes.data(); }
    int32_t *i32() { return (int32_t *)bytes.data(); }
    uint8_t *u8() { return bytes.data(); }
};
int8_t any8() { return (int8_t)range(-128, 127); }
int16_t any16() { return (int16_t)range(-32768, 32767); }
int64_t any64() { return (int64_t)(((uint64_t)next() << 32) | next()) >> range(0, 40); }
int32_t any32() { return (int32_t)next(); }
int32_t mult() { return (int32_t)(next() & 0x7FFFFFFF); }
uint8_t shift() { return (uint8_t)range(0, 62); }

long failures = 0, calls = 0;
const CLR_RT_MethodHandler *table() { return g_CLR_AssemblyNative_EdgeNet_Native.m_pNativeMethods; }
// The lookup table's order (ordinal name order of NativeKernels' methods).
enum
{
    AvgPool, AvgPool16, Conv, Conv16, Conv16Long, Dense, Dense16, Dense16Long, Dense16x16, MaxPool, MaxPool16, Multiply, MultiplyLong,
    Complete16, Direct16, Lateral16, Complete, Direct, Lateral, Requantize, Version, MethodCount
};

void Same(const int8_t *a, const int8_t *b, size_t n, const char *what)
{
    calls++;
    if (memcmp(a, b, n) != 0 && failures++ < 10) printf("%s: glue output differs from the kernel\n", what);
}
void Same16(const int16_t *a, const int16_t *b, size_t n, const char *what)
{
    calls++;
    if (memcmp(a, b, n * sizeof(int16_t)) != 0 && failures++ < 10) printf("%s: glue output differs from the kernel\n", what);
}
void Expect(HRESULT got, HRESULT want, const char *what)
{
    calls++;
    if (got != want && failures++ < 10) printf("%s: HRESULT 0x%08X, expected 0x%08X\n", what, (unsigned)got, (unsigned)want);
}
void I4(CLR_RT_StackFrame &s, int i, int32_t v) { s.ArgN(i).NumericByRef().s4 = v; }
void I8(CLR_RT_StackFrame &s, int i, int64_t v) { s.ArgN(i).NumericByRef().s8 = v; }
void A(CLR_RT_StackFrame &s, int i, Arr *a) { s.ArgN(i).m_array = a ? &a->block : NULL; }
// Fresh argument slots in the C# parameter order shared by each int8 kernel and its 16-bit twin.
void ConvArgs(CLR_RT_StackFrame &s, Arr *x, int32_t steps, int32_t ch, int32_t zIn, Arr *w, Arr *fb, Arr *taps, Arr *m, Arr *sh,
    int32_t f, int32_t k, int32_t st, int32_t pad, int32_t z, int32_t lo, int32_t hi, Arr *y, int32_t out)
{
    memset(&s, 0, sizeof s);
    A(s, 0, x); I4(s, 1, steps); I4(s, 2, ch); I4(s, 3, zIn); A(s, 4, w); A(s, 5, fb); A(s, 6, taps);
    A(s, 7, m); A(s, 8, sh); I4(s, 9, f); I4(s, 10, k); I4(s, 11, st); I4(s, 12, pad); I4(s, 13, z); I4(s, 14, lo); I4(s, 15, hi);
    A(s, 16, y); I4(s, 17, out);
}
// Recurrent*: stateLength only for the complete kind (kind 2).
void RecurrentArgs(CLR_RT_StackFrame &s, int kind, Arr *x, int32_t len, Arr *w, Arr *ib, Arr *im, Arr *is, Arr *state, int32_t stateLength,
    Arr *u, Arr *fb, Arr *fm, Arr *fs, int32_t units, int32_t z, int32_t lo, int32_t hi, Arr *y)
{
    memset(&s, 0, sizeof s);
    int a = 0;
    A(s, a++, x); I4(s, a++, len); A(s, a++, w); A(s, a++, ib); A(s, a++, im); A(s, a++, is); A(s, a++, state);
    if (kind == 2) I4(s, a++, stateLength);
    A(s, a++, u); A(s, a++, fb); A(s, a++, fm); A(s, a++, fs); I4(s, a++, units); I4(s, a++, z); I4(s, a++, lo); I4(s, a++, hi); A(s, a++, y);
}
void MaxPoolArgs(CLR_RT_StackFrame &s, Arr *x, int32_t ch, int32_t pool, int32_t st, int32_t lo, int32_t hi, Arr *y, int32_t out)
{
    memset(&s, 0, sizeof s);
    A(s, 0, x); I4(s, 1, ch); I4(s, 2, pool); I4(s, 3, st); I4(s, 4, lo); I4(s, 5, hi); A(s, 6, y); I4(s, 7, out);
}
void AvgPoolArgs(CLR_RT_StackFrame &s, Arr *x, int32_t ch, int32_t pool, int32_t st, int32_t zIn, int32_t lo, int32_t hi, Arr *y, int32_t out)
{
    memset(&s, 0, sizeof s);
    A(s, 0, x); I4(s, 1, ch); I4(s, 2, pool); I4(s, 3, st); I4(s, 4, zIn); I4(s, 5, lo); I4(s, 6, hi); A(s, 7, y); I4(s, 8, out);
}
} // namespace

int main()
{
    CLR_RT_StackFrame s;
    if (strcmp(g_CLR_AssemblyNative_EdgeNet_Native.m_szAssemblyName, "EdgeNet.Native") != 0) { printf("assembly name\n"); return 1; }
    for (int i = 0; i < MethodCount; i++)
        if (table()[i] == NULL) { printf("lookup table entry %d is empty\n", i); return 1; }
    memset(&s, 0, sizeof s);
    table()[Version](s);
    if (s.m_result != EDGENET_KERNELS_API_VERSION) { printf("version\n"); return 1; }
    for (int n = 0; n < 3000; n++)
    {
        int32_t z = range(-128, 127), lo = range(-128, 127), hi = range(lo, 127);
        {   // Dense(input, inputOffset, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output, outputOffset)
            int32_t len = range(0, 30), units = range(1, 9), inOff = range(0, 3), outOff = range(0, 3);
            Arr x = Arr::Of<int8_t>((size_t)(inOff + len), any8), w = Arr::Of<int8_t>((size_t)(units * len), any8);
            Arr b = Arr::Of<int32_t>((size_t)units, any32), m = Arr::Of<int32_t>((size_t)units, mult), sh = Arr::Of<uint8_t>((size_t)units, shift);
            Arr y = Arr::Of<int8_t>((size_t)(outOff + units), any8), want = y;
            memset(&s, 0, sizeof s);
            A(s, 0, &x); I4(s, 1, inOff); I4(s, 2, len); A(s, 3, &w); A(s, 4, &b); A(s, 5, &m); A(s, 6, &sh);
            I4(s, 7, units); I4(s, 8, z); I4(s, 9, lo); I4(s, 10, hi); A(s, 11, &y); I4(s, 12, outOff);
            Expect(table()[Dense](s), S_OK, "dense");
            edgenet_dense(x.i8() + inOff, len, w.i8(), b.i32(), m.i32(), sh.u8(), units, z, lo, hi, want.i8() + outOff);
            Same(y.i8(), want.i8(), (size_t)(outOff + units), "dense");
            I4(s, 12, outOff + 1);
            Expect(table()[Dense](s), CLR_E_INDEX_OUT_OF_RANGE, "dense, output one short");
            A(s, 4, NULL);
            Expect(table()[Dense](s), CLR_E_ARGUMENT_NULL, "dense, null bias");
        }
        {   // Conv1D(input, steps, channels, zIn, weights, foldedBias, tapSums, multiplier, shift, filters, kernel, stride, padding, zeroPoint, min, max, output, outSteps)
            int32_t steps = range(1, 12), ch = range(1, 5), k = range(1, 5), pad = range(0, k - 1), st = range(1, 3), f = range(1, 5);
            int32_t span = steps + 2 * pad - k, zIn = range(-128, 127);
            if (span >= 0)
            {
                int32_t out = span / st + 1;
                Arr x = Arr::Of<int8_t>((size_t)(steps * ch), any8), w = Arr::Of<int8_t>((size_t)(f * k * ch), any8);
                Arr fb = Arr::Of<int32_t>((size_t)f, any32), taps = Arr::Of<int32_t>((size_t)(f * k), any32);
                Arr m = Arr::Of<int32_t>((size_t)f, mult), sh = Arr::Of<uint8_t>((size_t)f, shift);
                Arr y = Arr::Of<int8_t>((size_t)(out * f), any8), want = y;
                ConvArgs(s, &x, steps, ch, zIn, &w, &fb, pad > 0 ? &taps : NULL, &m, &sh, f, k, st, pad, z, lo, hi, &y, out);
                Expect(table()[Conv](s), S_OK, "conv1d");
                edgenet_conv1d(x.i8(), steps, ch, zIn, w.i8(), fb.i32(), pad > 0 ? taps.i32() : NULL, m.i32(), sh.u8(), f, k, st, pad, z, lo, hi, want.i8(), out);
                Same(y.i8(), want.i8(), (size_t)(out * f), "conv1d");
                I4(s, 17, out + 1);
                Expect(table()[Conv](s), CLR_E_INDEX_OUT_OF_RANGE, "conv1d, one output step too many");
            }
        }
        {   // MaxPool1D(input, channels, pool, stride, min, max, output, outSteps); AvgPool1D(input, channels, pool, stride, zIn, min, max, output, outSteps)
            int32_t steps = range(1, 16), ch = range(1, 5), pool = range(1, steps), st = range(1, 3), out = (steps - pool) / st + 1, zIn = range(-128, 127);
            Arr x = Arr::Of<int8_t>((size_t)(steps * ch), any8);
            Arr y = Arr::Of<int8_t>((size_t)(out * ch), any8), want = y;
            MaxPoolArgs(s, &x, ch, pool, st, lo, hi, &y, out);
            Expect(table()[MaxPool](s), S_OK, "max pool");
            edgenet_max_pool1d(x.i8(), ch, pool, st, lo, hi, want.i8(), out);
            Same(y.i8(), want.i8(), (size_t)(out * ch), "max pool");
            AvgPoolArgs(s, &x, ch, pool, st, zIn, lo, hi, &y, out);
            Expect(table()[AvgPool](s), S_OK, "average pool");
            edgenet_avg_pool1d(x.i8(), ch, pool, st, zIn, lo, hi, want.i8(), out);
            Same(y.i8(), want.i8(), (size_t)(out * ch), "average pool");
            I4(s, 8, out + 1);
            Expect(table()[AvgPool](s), CLR_E_INDEX_OUT_OF_RANGE, "average pool, one output step too many");
        }
        {   // Recurrent*(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, [stateLength,] feedback, feedbackBias,
            //            feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output)
            int32_t len = range(1, 20), units = range(1, 9), stateLength = range(1, 9);
            Arr x = Arr::Of<int8_t>((size_t)len, any8), w = Arr::Of<int8_t>((size_t)(units * len), any8);
            Arr ib = Arr::Of<int32_t>((size_t)units, any32), im = Arr::Of<int32_t>((size_t)units, mult), is = Arr::Of<uint8_t>((size_t)units, shift);
            Arr fb = Arr::Of<int32_t>((size_t)units, any32), fm = Arr::Of<int32_t>((size_t)units, mult), fs = Arr::Of<uint8_t>((size_t)units, shift);
            Arr state8 = Arr::Of<int8_t>((size_t)(units > stateLength ? units : stateLength), any8);
            Arr u = Arr::Of<int8_t>((size_t)(units * (units > stateLength ? units : stateLength)), any8);
            for (int kind = 0; kind < 3; kind++)
            {
                Arr y = Arr::Of<int8_t>((size_t)units, any8), want = y;
                RecurrentArgs(s, kind, &x, len, &w, &ib, &im, &is, &state8, stateLength, &u, &fb, &fm, &fs, units, z, lo, hi, &y);
                int method = kind == 0 ? Direct : kind == 1 ? Lateral : Complete;
                Expect(table()[method](s), S_OK, "recurrent");
                if (kind == 0) edgenet_recurrent_direct(x.i8(), len, w.i8(), ib.i32(), im.i32(), is.u8(), state8.i8(), u.i8(), fb.i32(), fm.i32(), fs.u8(), units, z, lo, hi, want.i8());
                if (kind == 1) edgenet_recurrent_lateral(x.i8(), len, w.i8(), ib.i32(), im.i32(), is.u8(), state8.i8(), u.i8(), fb.i32(), fm.i32(), fs.u8(), units, z, lo, hi, want.i8());
                if (kind == 2) edgenet_recurrent_complete(x.i8(), len, w.i8(), ib.i32(), im.i32(), is.u8(), state8.i8(), stateLength, u.i8(), fb.i32(), fm.i32(), fs.u8(), units, z, lo, hi, want.i8());
                Same(y.i8(), want.i8(), (size_t)units, kind == 0 ? "recurrent direct" : kind == 1 ? "recurrent lateral" : "recurrent complete");
                I4(s, 1, len + 1);
                Expect(table()[method](s), CLR_E_INDEX_OUT_OF_RANGE, "recurrent, input one short");
            }
        }
        {   // Dense16 / Dense16Long / Dense16x16(input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output)
            int32_t len = range(0, 30), units = range(1, 9), lo16 = range(-32768, 32767), hi16 = range(lo16, 32767);
            Arr x = Arr::Of<int16_t>((size_t)len, any16), w = Arr::Of<int8_t>((size_t)(units * len), any8);
            Arr w16 = Arr::Of<int16_t>((size_t)(units * len), any16);
            Arr b = Arr::Of<int32_t>((size_t)units, any32), m = Arr::Of<int32_t>((size_t)units, mult), sh = Arr::Of<uint8_t>((size_t)units, shift);
            for (int variant = 0; variant < 3; variant++) // 0: Dense16, 1: Dense16Long, 2: Dense16x16 (int16 weights)
            {
                Arr y = Arr::Of<int16_t>((size_t)units, any16), want = y;
                memset(&s, 0, sizeof s);
                A(s, 0, &x); I4(s, 1, len); A(s, 2, variant == 2 ? &w16 : &w); A(s, 3, &b); A(s, 4, &m); A(s, 5, &sh);
                I4(s, 6, units); I4(s, 7, z); I4(s, 8, lo16); I4(s, 9, hi16); A(s, 10, &y);
                int method = variant == 2 ? Dense16x16 : variant == 1 ? Dense16Long : Dense16;
                Expect(table()[method](s), S_OK, "dense16");
                if (variant == 2) edgenet_dense16x16(x.i16(), len, w16.i16(), b.i32(), m.i32(), sh.u8(), units, z, lo16, hi16, want.i16());
                else if (variant == 1) edgenet_dense16_long(x.i16(), len, w.i8(), b.i32(), m.i32(), sh.u8(), units, z, lo16, hi16, want.i16());
                else edgenet_dense16(x.i16(), len, w.i8(), b.i32(), m.i32(), sh.u8(), units, z, lo16, hi16, want.i16());
                Same16(y.i16(), want.i16(), (size_t)units, variant == 2 ? "dense16x16" : variant == 1 ? "dense16 long" : "dense16");
                I4(s, 1, len + 1);
                Expect(table()[method](s), CLR_E_INDEX_OUT_OF_RANGE, "dense16, input one short");
                I4(s, 1, len);
                A(s, 10, NULL);
                Expect(table()[method](s), CLR_E_ARGUMENT_NULL, "dense16, null output");
            }
        }
        {   // Conv1D16 / Conv1D16Long: the argument order of Conv1D, int16 tensors, int32 or int64 folded bias
            int32_t steps = range(1, 12), ch = range(1, 5), k = range(1, 5), pad = range(0, k - 1), st = range(1, 3), f = range(1, 5);
            int32_t span = steps + 2 * pad - k, zIn = range(-128, 127);
            if (span >= 0)
            {
                int32_t out = span / st + 1;
                Arr x = Arr::Of<int16_t>((size_t)(steps * ch), any16), w = Arr::Of<int8_t>((size_t)(f * k * ch), any8);
                Arr fb = Arr::Of<int32_t>((size_t)f, any32), fb64 = Arr::Of<int64_t>((size_t)f, any64), taps = Arr::Of<int32_t>((size_t)(f * k), any32);
                Arr m = Arr::Of<int32_t>((size_t)f, mult), sh = Arr::Of<uint8_t>((size_t)f, shift);
                for (int wideSum = 0; wideSum < 2; wideSum++)
                {
                    Arr y = Arr::Of<int16_t>((size_t)(out * f), any16), want = y;
                    ConvArgs(s, &x, steps, ch, zIn, &w, wideSum ? &fb64 : &fb, pad > 0 ? &taps : NULL, &m, &sh, f, k, st, pad, z, -32768, 32767, &y, out);
                    int method = wideSum ? Conv16Long : Conv16;
                    Expect(table()[method](s), S_OK, "conv1d16");
                    if (wideSum) edgenet_conv1d16_long(x.i16(), steps, ch, zIn, w.i8(), fb64.i64(), pad > 0 ? taps.i32() : NULL, m.i32(), sh.u8(), f, k, st, pad, z, -32768, 32767, want.i16(), out);
                    else edgenet_conv1d16(x.i16(), steps, ch, zIn, w.i8(), fb.i32(), pad > 0 ? taps.i32() : NULL, m.i32(), sh.u8(), f, k, st, pad, z, -32768, 32767, want.i16(), out);
                    Same16(y.i16(), want.i16(), (size_t)(out * f), wideSum ? "conv1d16 long" : "conv1d16");
                    I4(s, 17, out + 1);
                    Expect(table()[method](s), CLR_E_INDEX_OUT_OF_RANGE, "conv1d16, one output step too many");
                }
            }
        }
        {   // MaxPool1D16 / AvgPool1D16: the argument order of the int8 pools
            int32_t steps = range(1, 16), ch = range(1, 5), pool = range(1, steps), st = range(1, 3), out = (steps - pool) / st + 1;
            int32_t lo16 = range(-32768, 32767), hi16 = range(lo16, 32767);
            Arr x = Arr::Of<int16_t>((size_t)(steps * ch), any16);
            Arr y = Arr::Of<int16_t>((size_t)(out * ch), any16), want = y;
            MaxPoolArgs(s, &x, ch, pool, st, lo16, hi16, &y, out);
            Expect(table()[MaxPool16](s), S_OK, "max pool 16");
            edgenet_max_pool1d16(x.i16(), ch, pool, st, lo16, hi16, want.i16(), out);
            Same16(y.i16(), want.i16(), (size_t)(out * ch), "max pool 16");
            AvgPoolArgs(s, &x, ch, pool, st, 0, lo16, hi16, &y, out);
            Expect(table()[AvgPool16](s), S_OK, "average pool 16");
            edgenet_avg_pool1d16(x.i16(), ch, pool, st, 0, lo16, hi16, want.i16(), out);
            Same16(y.i16(), want.i16(), (size_t)(out * ch), "average pool 16");
            I4(s, 8, out + 1);
            Expect(table()[AvgPool16](s), CLR_E_INDEX_OUT_OF_RANGE, "average pool 16, one output step too many");
        }
        {   // Recurrent16*: the argument order of the int8 kinds, int16 tensors, int64 folded biases
            int32_t len = range(1, 20), units = range(1, 9), stateLength = range(1, 9), big = units > stateLength ? units : stateLength;
            Arr x = Arr::Of<int16_t>((size_t)len, any16), w = Arr::Of<int8_t>((size_t)(units * len), any8);
            Arr ib = Arr::Of<int64_t>((size_t)units, any64), im = Arr::Of<int32_t>((size_t)units, mult), is = Arr::Of<uint8_t>((size_t)units, shift);
            Arr fb = Arr::Of<int64_t>((size_t)units, any64), fm = Arr::Of<int32_t>((size_t)units, mult), fs = Arr::Of<uint8_t>((size_t)units, shift);
            Arr state16 = Arr::Of<int16_t>((size_t)big, any16), u = Arr::Of<int8_t>((size_t)(units * big), any8);
            for (int kind = 0; kind < 3; kind++)
            {
                Arr y = Arr::Of<int16_t>((size_t)units, any16), want = y;
                RecurrentArgs(s, kind, &x, len, &w, &ib, &im, &is, &state16, stateLength, &u, &fb, &fm, &fs, units, 0, -32768, 32767, &y);
                int method = kind == 0 ? Direct16 : kind == 1 ? Lateral16 : Complete16;
                Expect(table()[method](s), S_OK, "recurrent16");
                if (kind == 0) edgenet_recurrent16_direct(x.i16(), len, w.i8(), ib.i64(), im.i32(), is.u8(), state16.i16(), u.i8(), fb.i64(), fm.i32(), fs.u8(), units, 0, -32768, 32767, want.i16());
                if (kind == 1) edgenet_recurrent16_lateral(x.i16(), len, w.i8(), ib.i64(), im.i32(), is.u8(), state16.i16(), u.i8(), fb.i64(), fm.i32(), fs.u8(), units, 0, -32768, 32767, want.i16());
                if (kind == 2) edgenet_recurrent16_complete(x.i16(), len, w.i8(), ib.i64(), im.i32(), is.u8(), state16.i16(), stateLength, u.i8(), fb.i64(), fm.i32(), fs.u8(), units, 0, -32768, 32767, want.i16());
                Same16(y.i16(), want.i16(), (size_t)units, kind == 0 ? "recurrent16 direct" : kind == 1 ? "recurrent16 lateral" : "recurrent16 complete");
                I4(s, 1, len + 1);
                Expect(table()[method](s), CLR_E_INDEX_OUT_OF_RANGE, "recurrent16, input one short");
            }
        }
        {   // MultiplyByQuantizedMultiplierLong(value, multiplier, shift)
            int64_t v = any64();
            int32_t m = mult(), sh = range(0, 62);
            memset(&s, 0, sizeof s);
            I8(s, 0, v); I4(s, 1, m); I4(s, 2, sh);
            table()[MultiplyLong](s);
            calls++;
            if (s.m_result != edgenet_multiply_by_quantized_multiplier_long(v, m, sh) && failures++ < 10) printf("multiply long\n");
        }
        {   // MultiplyByQuantizedMultiplier(value, multiplier, shift); Requantize(acc, multiplier, shift, zeroPoint, min, max)
            int32_t v = any32(), m = mult(), sh = range(0, 62);
            memset(&s, 0, sizeof s);
            I4(s, 0, v); I4(s, 1, m); I4(s, 2, sh);
            table()[Multiply](s);
            calls++;
            if (s.m_result != edgenet_multiply_by_quantized_multiplier(v, m, sh) && failures++ < 10) printf("multiply\n");
            I4(s, 3, z); I4(s, 4, lo); I4(s, 5, hi);
            table()[Requantize](s);
            calls++;
            if (s.m_result != edgenet_requantize(v, m, sh, z, lo, hi) && failures++ < 10) printf("requantize\n");
        }
    }
    printf("interop glue (mock CLR): %ld checks, %ld failures\n", calls, failures);
    return failures == 0 ? 0 : 1;
}
