/*
 * Average pooling over steps of an int16 tensor (AvgPool1D16 in shared/src/Kernels): the rule of avg_pool1d.c,
 * rounding with edgenet_rounded_divide. The zero-point-relative sum wraps as C#'s int does; within the rule
 * (int16 values, zero point 0, pool <= 255) |sum| <= 65535 * 255 and nothing wraps.
 */
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_avg_pool1d16(const int16_t *input, int32_t channels, int32_t pool, int32_t stride,
    int32_t input_zero_point, int32_t min, int32_t max, int16_t *output, int32_t out_steps)
{
    int32_t t, c, p;
    for (t = 0; t < out_steps; t++)
    {
        const int16_t *window = input + (int64_t)t * stride * channels;
        for (c = 0; c < channels; c++)
        {
            uint32_t sum = 0;
            int32_t v;
            for (p = 0; p < pool; p++) sum += (uint32_t)window[(int64_t)p * channels + c] - (uint32_t)input_zero_point;
            v = edgenet_wrap_add(input_zero_point, edgenet_rounded_divide(edgenet_from_bits(sum), pool));
            output[(int64_t)t * channels + c] = edgenet_narrow_int16(edgenet_clamp(v, min, max));
        }
    }
}
