/* Fully connected layer (FullyConnectedOptimized in shared/src/Kernels); the rule: docs/quantization.md. */
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_dense(const int8_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *bias, const int32_t *multiplier, const uint8_t *shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int8_t *output)
{
    int32_t o;
    for (o = 0; o < units; o++)
    {
        /* Rows are consecutive: row o starts at o * input_length, as in the managed kernel. */
        int32_t acc = edgenet_dot(bias[o], weights + (int64_t)o * input_length, input, input_length);
        output[o] = edgenet_requant(acc, multiplier[o], shift[o], zero_point, min, max);
    }
}
