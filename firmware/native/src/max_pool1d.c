/* Max pooling over steps, per channel (MaxPool1D in shared/src/Kernels; docs/network-types.md). */
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_max_pool1d(const int8_t *input, int32_t channels, int32_t pool, int32_t stride,
    int32_t min, int32_t max, int8_t *output, int32_t out_steps)
{
    int32_t t, c, p;
    for (t = 0; t < out_steps; t++)
    {
        const int8_t *window = input + (int64_t)t * stride * channels;
        for (c = 0; c < channels; c++)
        {
            int32_t best = window[c];
            for (p = 1; p < pool; p++)
            {
                int32_t v = window[(int64_t)p * channels + c];
                if (v > best) best = v;
            }
            output[(int64_t)t * channels + c] = edgenet_narrow_int8(edgenet_clamp(best, min, max));
        }
    }
}
