/*
 * 1-D convolution, 16x8 (Conv1D16Optimized in shared/src/Kernels): the zero-point fold of conv1d.c on int16
 * input, int16 output; the int32 variant where the reader has proven the sum fits, the int64 one (int64 folded
 * bias) otherwise. Rule: docs/quantization.md, "16-bit activations"; shapes: docs/network-types.md.
 */
#include <stddef.h>
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_conv1d16(const int16_t *input, int32_t steps, int32_t channels, int32_t input_zero_point,
    const int8_t *weights, const int32_t *folded_bias, const int32_t *tap_sums,
    const int32_t *multiplier, const uint8_t *shift,
    int32_t filters, int32_t kernel, int32_t stride, int32_t padding,
    int32_t zero_point, int32_t min, int32_t max, int16_t *output, int32_t out_steps)
{
    int32_t row = kernel * channels;
    int32_t t, f, k;
    for (t = 0; t < out_steps; t++)
    {
        int32_t first = t * stride - padding;
        int32_t k_lo = first < 0 ? -first : 0;
        int32_t k_hi = first + kernel > steps ? steps - first : kernel;
        int32_t start = (first + k_lo) * channels;
        int32_t length = (k_hi - k_lo) * channels;
        int padded = k_lo > 0 || k_hi < kernel;
        for (f = 0; f < filters; f++)
        {
            int32_t acc = folded_bias[f];
            if (padded && tap_sums != NULL)
            {
                const int32_t *taps = tap_sums + (int64_t)f * kernel;
                for (k = 0; k < k_lo; k++) acc = edgenet_wrap_add(acc, edgenet_wrap_mul(input_zero_point, taps[k]));
                for (k = k_hi; k < kernel; k++) acc = edgenet_wrap_add(acc, edgenet_wrap_mul(input_zero_point, taps[k]));
            }
            if (length > 0)
            {
                acc = edgenet_dot16(acc, weights + (int64_t)f * row + (int64_t)k_lo * channels, input + start, length);
            }
            output[(int64_t)t * filters + f] = edgenet_requant16(acc, multiplier[f], shift[f], zero_point, min, max);
        }
    }
}

void edgenet_conv1d16_long(const int16_t *input, int32_t steps, int32_t channels, int32_t input_zero_point,
    const int8_t *weights, const int64_t *folded_bias, const int32_t *tap_sums,
    const int32_t *multiplier, const uint8_t *shift,
    int32_t filters, int32_t kernel, int32_t stride, int32_t padding,
    int32_t zero_point, int32_t min, int32_t max, int16_t *output, int32_t out_steps)
{
    int32_t row = kernel * channels;
    int32_t t, f, k;
    for (t = 0; t < out_steps; t++)
    {
        int32_t first = t * stride - padding;
        int32_t k_lo = first < 0 ? -first : 0;
        int32_t k_hi = first + kernel > steps ? steps - first : kernel;
        int32_t start = (first + k_lo) * channels;
        int32_t length = (k_hi - k_lo) * channels;
        int padded = k_lo > 0 || k_hi < kernel;
        for (f = 0; f < filters; f++)
        {
            int64_t acc = folded_bias[f];
            if (padded && tap_sums != NULL)
            {
                /* C#: acc += (long)zIn * tapSums[..]; the product of two int32 is exact in int64. */
                const int32_t *taps = tap_sums + (int64_t)f * kernel;
                for (k = 0; k < k_lo; k++) acc = edgenet_wrap_add64(acc, (int64_t)input_zero_point * taps[k]);
                for (k = k_hi; k < kernel; k++) acc = edgenet_wrap_add64(acc, (int64_t)input_zero_point * taps[k]);
            }
            if (length > 0)
            {
                acc = edgenet_dot16_long(acc, weights + (int64_t)f * row + (int64_t)k_lo * channels, input + start, length);
            }
            output[(int64_t)t * filters + f] = edgenet_requant16_long(acc, multiplier[f], shift[f], zero_point, min, max);
        }
    }
}
