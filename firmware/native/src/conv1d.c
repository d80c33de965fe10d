/*
 * 1-D convolution with the input zero point folded at load (Conv1DOptimized in shared/src/Kernels):
 * the valid taps of an output step are one consecutive run in input and filter; the taps that fall on
 * padding add zIn * tapSums back. Rule: docs/quantization.md, shapes: docs/network-types.md.
 */
#include <stddef.h>
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_conv1d(const int8_t *input, int32_t steps, int32_t channels, int32_t input_zero_point,
    const int8_t *weights, const int32_t *folded_bias, const int32_t *tap_sums,
    const int32_t *multiplier, const uint8_t *shift,
    int32_t filters, int32_t kernel, int32_t stride, int32_t padding,
    int32_t zero_point, int32_t min, int32_t max, int8_t *output, int32_t out_steps)
{
    int32_t row = kernel * channels;
    int32_t t, f;
    for (t = 0; t < out_steps; t++)
    {
        edgenet_tap_window w = edgenet_conv_window(t, stride, padding, kernel, steps, channels);
        for (f = 0; f < filters; f++)
        {
            int32_t acc = folded_bias[f];
            if (w.padded && tap_sums != NULL) acc = edgenet_padding_fold(acc, input_zero_point, tap_sums + (int64_t)f * kernel, w, kernel);
            if (w.length > 0)
            {
                acc = edgenet_dot(acc, weights + (int64_t)f * row + (int64_t)w.k_lo * channels, input + w.start, w.length);
            }
            output[(int64_t)t * filters + f] = edgenet_requant(acc, multiplier[f], shift[f], zero_point, min, max);
        }
    }
}
