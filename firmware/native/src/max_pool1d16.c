/* Max pooling over steps of an int16 tensor (MaxPool1D16 in shared/src/Kernels): the rule of max_pool1d.c. */
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_max_pool1d16(const int16_t *input, int32_t channels, int32_t pool, int32_t stride,
    int32_t min, int32_t max, int16_t *output, int32_t out_steps)
{
    int32_t t, c, p;
    for (t = 0; t < out_steps; t++)
    {
        const int16_t *window = input + (int64_t)t * stride * channels;
        for (c = 0; c < channels; c++)
        {
            int32_t best = window[c];
            for (p = 1; p < pool; p++)
            {
                int32_t v = window[(int64_t)p * channels + c];
                if (v > best) best = v;
            }
            output[(int64_t)t * channels + c] = edgenet_narrow_int16(edgenet_clamp(best, min, max));
        }
    }
}
