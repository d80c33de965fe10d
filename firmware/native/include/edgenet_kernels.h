/*
 * EdgeNet integer kernels in C99: the same rule as the managed kernels in shared/src/Kernels, bit for bit.
 *
 * The rule is stated once, in docs/quantization.md (requantization, saturation, clamps, zero-point folding)
 * and docs/network-types.md (conv1d, pooling, recurrent layers); this header does not restate it. Each
 * function names the managed kernel it mirrors; tests/EdgeNet.Tests/Native compares the two on random layers,
 * int32 extremes and the golden vectors and fails on the first differing element.
 *
 * What C needs beyond the rule, because C# defines what C leaves open:
 *   - int32 sums and products wrap modulo 2^32 in C# (unchecked); here they are formed in uint32_t and turned
 *     back into int32_t by an explicit two's-complement conversion (no signed overflow anywhere);
 *   - the rounding right shift of a negative int64 is a floor division written out (C99 leaves >> of a
 *     negative value implementation-defined);
 *   - every narrowing to int8 keeps the low 8 bits as C#'s (sbyte) cast does (the clamps make it exact
 *     for every valid layer; the explicit form keeps it defined for any argument);
 *   - division appears only in the average pool, with a divisor >= 1, truncating toward zero as in C#;
 *   - the 16x8 kernels (docs/quantization.md, "16-bit activations") read int16 tensors and write int16 ones,
 *     saturating to int16 as FixedPoint.SaturateToInt16 does (the pools keep C#'s (short) cast); their int64 sums
 *     wrap modulo 2^64 as C# long does (the reader's 2^47 bound means they never do in a valid layer), and the
 *     long requantization splits the 78-bit product exactly as FixedPoint.MultiplyByQuantizedMultiplierLong.
 *     An int8 tensor on either side of such a layer is carried in int16 by the engine (widened, or clamped to
 *     its int8 range by the layer's clamp), so these kernels serve every mix of widths.
 * Preconditions are the model reader's (ModelReader, LayerRecords): multipliers in [0, 2^31-1], shifts in
 * [0, 62], pool and stride >= 1, buffers of the sizes the shapes give. A shift above 62 is treated as 62 so
 * that no shift amount is ever out of range. Nothing allocates; nothing uses floating point.
 */
#ifndef EDGENET_KERNELS_H
#define EDGENET_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define EDGENET_API __declspec(dllexport)
#elif defined(__GNUC__)
#define EDGENET_API __attribute__((visibility("default")))
#else
#define EDGENET_API
#endif

/* Bumped whenever a signature or the rule changes; the managed probe (EdgeNet.Native) checks it. */
#define EDGENET_KERNELS_API_VERSION 3

EDGENET_API int32_t edgenet_api_version(void);

/* FixedPoint.MultiplyByQuantizedMultiplier: round(value * multiplier / 2^shift), halves toward +inf, saturated. */
EDGENET_API int32_t edgenet_multiply_by_quantized_multiplier(int32_t value, int32_t multiplier, int32_t shift);

/* FixedPoint.Requantize: the output stage of every layer. */
EDGENET_API int8_t edgenet_requantize(int32_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max);

/* RecurrentSum.Requantize: two accumulators with their own multipliers, added with saturation. */
EDGENET_API int8_t edgenet_recurrent_sum(int32_t input_acc, int32_t input_multiplier, int32_t input_shift,
    int32_t feedback_acc, int32_t feedback_multiplier, int32_t feedback_shift,
    int32_t zero_point, int32_t min, int32_t max);

/* FullyConnectedOptimized.Invoke (input and output at offset 0): weights [units][input_length]. */
EDGENET_API void edgenet_dense(const int8_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *bias, const int32_t *multiplier, const uint8_t *shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int8_t *output);

/* Conv1DOptimized.Invoke: input [steps][channels], weights [filters][kernel][channels], output [out_steps][filters];
 * folded_bias and tap_sums from ZeroPointFold.Fold and RowSums at load (tap_sums may be NULL when padding is 0). */
EDGENET_API void edgenet_conv1d(const int8_t *input, int32_t steps, int32_t channels, int32_t input_zero_point,
    const int8_t *weights, const int32_t *folded_bias, const int32_t *tap_sums,
    const int32_t *multiplier, const uint8_t *shift,
    int32_t filters, int32_t kernel, int32_t stride, int32_t padding,
    int32_t zero_point, int32_t min, int32_t max, int8_t *output, int32_t out_steps);

/* MaxPool1D.Invoke. */
EDGENET_API void edgenet_max_pool1d(const int8_t *input, int32_t channels, int32_t pool, int32_t stride,
    int32_t min, int32_t max, int8_t *output, int32_t out_steps);

/* AvgPool1D.RoundedDivide and AvgPool1D.Invoke. */
EDGENET_API int32_t edgenet_rounded_divide(int32_t sum, int32_t count);
EDGENET_API void edgenet_avg_pool1d(const int8_t *input, int32_t channels, int32_t pool, int32_t stride,
    int32_t input_zero_point, int32_t min, int32_t max, int8_t *output, int32_t out_steps);

/* RecurrentOptimized.Direct / Lateral / Complete: one step; input_bias and feedback_bias from ZeroPointFold.Fold
 * at load. Direct: feedback [units]; lateral: [units][units-1]; complete: [units][state_length]. */
EDGENET_API void edgenet_recurrent_direct(const int8_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int8_t *state, const int8_t *feedback, const int32_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int8_t *output);

EDGENET_API void edgenet_recurrent_lateral(const int8_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int8_t *state, const int8_t *feedback, const int32_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int8_t *output);

EDGENET_API void edgenet_recurrent_complete(const int8_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int8_t *state, int32_t state_length, const int8_t *feedback, const int32_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int8_t *output);

/* ---- 16-bit activations (16x8): int16 tensors, int8 weights ------------------------------------------- */

/* FixedPoint.MultiplyByQuantizedMultiplierLong: the rounding above for an int64 accumulator (|value| <= 2^47). */
EDGENET_API int32_t edgenet_multiply_by_quantized_multiplier_long(int64_t value, int32_t multiplier, int32_t shift);

/* FixedPoint.Requantize16 and Requantize16Long: the output stage of a 16x8 kernel (int16, saturated). */
EDGENET_API int16_t edgenet_requantize16(int32_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max);
EDGENET_API int16_t edgenet_requantize16_long(int64_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max);

/* RecurrentSum.Requantize16. */
EDGENET_API int16_t edgenet_recurrent_sum16(int64_t input_acc, int32_t input_multiplier, int32_t input_shift,
    int64_t feedback_acc, int32_t feedback_multiplier, int32_t feedback_shift,
    int32_t zero_point, int32_t min, int32_t max);

/* FullyConnected16Optimized.Invoke (int32 sum, where the reader proved it fits) and InvokeLong (int64 sum). */
EDGENET_API void edgenet_dense16(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *bias, const int32_t *multiplier, const uint8_t *shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output);
EDGENET_API void edgenet_dense16_long(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *bias, const int32_t *multiplier, const uint8_t *shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output);

/* FullyConnected16x16Optimized.Invoke: int16 weights [units][input_length] ("16-bit weights"), int64 sum. */
EDGENET_API void edgenet_dense16x16(const int16_t *input, int32_t input_length,
    const int16_t *weights, const int32_t *bias, const int32_t *multiplier, const uint8_t *shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output);

/* Conv1D16Optimized.Invoke and InvokeLong (folded_bias from ZeroPointFold.Fold / FoldLong; tap_sums as above). */
EDGENET_API void edgenet_conv1d16(const int16_t *input, int32_t steps, int32_t channels, int32_t input_zero_point,
    const int8_t *weights, const int32_t *folded_bias, const int32_t *tap_sums,
    const int32_t *multiplier, const uint8_t *shift,
    int32_t filters, int32_t kernel, int32_t stride, int32_t padding,
    int32_t zero_point, int32_t min, int32_t max, int16_t *output, int32_t out_steps);
EDGENET_API void edgenet_conv1d16_long(const int16_t *input, int32_t steps, int32_t channels, int32_t input_zero_point,
    const int8_t *weights, const int64_t *folded_bias, const int32_t *tap_sums,
    const int32_t *multiplier, const uint8_t *shift,
    int32_t filters, int32_t kernel, int32_t stride, int32_t padding,
    int32_t zero_point, int32_t min, int32_t max, int16_t *output, int32_t out_steps);

/* MaxPool1D16.Invoke and AvgPool1D16.Invoke. */
EDGENET_API void edgenet_max_pool1d16(const int16_t *input, int32_t channels, int32_t pool, int32_t stride,
    int32_t min, int32_t max, int16_t *output, int32_t out_steps);
EDGENET_API void edgenet_avg_pool1d16(const int16_t *input, int32_t channels, int32_t pool, int32_t stride,
    int32_t input_zero_point, int32_t min, int32_t max, int16_t *output, int32_t out_steps);

/* Recurrent16Optimized.Direct / Lateral / Complete (the indirect block's hidden layer runs Complete): one step;
 * input_bias and feedback_bias from ZeroPointFold.FoldLong at load, always int64. */
EDGENET_API void edgenet_recurrent16_direct(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int64_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int16_t *state, const int8_t *feedback, const int64_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output);

EDGENET_API void edgenet_recurrent16_lateral(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int64_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int16_t *state, const int8_t *feedback, const int64_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output);

EDGENET_API void edgenet_recurrent16_complete(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int64_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int16_t *state, int32_t state_length, const int8_t *feedback, const int64_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output);

#ifdef __cplusplus
}
#endif

#endif /* EDGENET_KERNELS_H */
