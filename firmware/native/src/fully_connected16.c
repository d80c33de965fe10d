/*
 * Fully connected layer, 16x8 (FullyConnected16Optimized in shared/src/Kernels): int16 input, int8 weights, int16
 * output. Two accumulator widths, chosen by the engine from the reader's proof; the rule: docs/quantization.md,
 * "16-bit activations". And the 16x16 kernel (FullyConnected16x16Optimized): int16 weights, always an int64 sum
 * ("16-bit weights"), with the 16x8 int64 kernel's output stage.
 */
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_dense16(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *bias, const int32_t *multiplier, const uint8_t *shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output)
{
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int32_t acc = edgenet_dot16(bias[o], weights + (int64_t)o * input_length, input, input_length);
        output[o] = edgenet_requant16(acc, multiplier[o], shift[o], zero_point, min, max);
    }
}

void edgenet_dense16_long(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *bias, const int32_t *multiplier, const uint8_t *shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output)
{
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int64_t acc = edgenet_dot16_long(bias[o], weights + (int64_t)o * input_length, input, input_length);
        output[o] = edgenet_requant16_long(acc, multiplier[o], shift[o], zero_point, min, max);
    }
}

void edgenet_dense16x16(const int16_t *input, int32_t input_length,
    const int16_t *weights, const int32_t *bias, const int32_t *multiplier, const uint8_t *shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output)
{
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int64_t acc = edgenet_dot16x16_long(bias[o], weights + (int64_t)o * input_length, input, input_length);
        output[o] = edgenet_requant16_long(acc, multiplier[o], shift[o], zero_point, min, max);
    }
}
