/* Average pooling over steps, per channel, in the input's quantization (AvgPool1D in shared/src/Kernels). */
#include "edgenet_kernels.h"
#include "arithmetic.h"

/* round(sum / count), halves away from zero; count >= 1. C99 division truncates toward zero, as C#'s does. */
int32_t edgenet_rounded_divide(int32_t sum, int32_t count)
{
    int32_t half = count / 2;
    if (sum >= 0) return (sum + half) / count;
    return -((half - sum) / count);
}

void edgenet_avg_pool1d(const int8_t *input, int32_t channels, int32_t pool, int32_t stride,
    int32_t input_zero_point, int32_t min, int32_t max, int8_t *output, int32_t out_steps)
{
    int32_t t, c, p;
    for (t = 0; t < out_steps; t++)
    {
        const int8_t *window = input + (int64_t)t * stride * channels;
        for (c = 0; c < channels; c++)
        {
            /* |sum| <= 255 * pool <= 255 * 255: no overflow. */
            int32_t sum = 0;
            int32_t v;
            for (p = 0; p < pool; p++) sum += (int32_t)window[(int64_t)p * channels + c] - input_zero_point;
            v = input_zero_point + edgenet_rounded_divide(sum, pool);
            output[(int64_t)t * channels + c] = edgenet_narrow_int8(edgenet_clamp(v, min, max));
        }
    }
}
