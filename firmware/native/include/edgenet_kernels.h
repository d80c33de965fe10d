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
 *   - division appears only in the average pool, with a divisor >= 1, truncating toward zero as in C#.
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
#define EDGENET_KERNELS_API_VERSION 1

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

#ifdef __cplusplus
}
#endif

#endif /* EDGENET_KERNELS_H */
