/* Requantization (FixedPoint, RecurrentSum in shared/src/Kernels); the rule: docs/quantization.md. */
#include "edgenet_kernels.h"
#include "arithmetic.h"

int32_t edgenet_api_version(void)
{
    return EDGENET_KERNELS_API_VERSION;
}

int32_t edgenet_multiply_by_quantized_multiplier(int32_t value, int32_t multiplier, int32_t shift)
{
    return edgenet_mul_q(value, multiplier, shift);
}

int8_t edgenet_requantize(int32_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_requant(acc, multiplier, shift, zero_point, min, max);
}

int8_t edgenet_recurrent_sum(int32_t input_acc, int32_t input_multiplier, int32_t input_shift,
    int32_t feedback_acc, int32_t feedback_multiplier, int32_t feedback_shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_recurrent_requant(input_acc, input_multiplier, input_shift,
        feedback_acc, feedback_multiplier, feedback_shift, zero_point, min, max);
}

/* The 16-bit output stages (FixedPoint.*Long / Requantize16*, RecurrentSum.Requantize16); docs/quantization.md, "16-bit activations". */
int32_t edgenet_multiply_by_quantized_multiplier_long(int64_t value, int32_t multiplier, int32_t shift)
{
    return edgenet_mul_q_long(value, multiplier, shift);
}

int16_t edgenet_requantize16(int32_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_requant16(acc, multiplier, shift, zero_point, min, max);
}

int16_t edgenet_requantize16_long(int64_t acc, int32_t multiplier, int32_t shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_requant16_long(acc, multiplier, shift, zero_point, min, max);
}

int16_t edgenet_recurrent_sum16(int64_t input_acc, int32_t input_multiplier, int32_t input_shift,
    int64_t feedback_acc, int32_t feedback_multiplier, int32_t feedback_shift,
    int32_t zero_point, int32_t min, int32_t max)
{
    return edgenet_recurrent_requant16(input_acc, input_multiplier, input_shift,
        feedback_acc, feedback_multiplier, feedback_shift, zero_point, min, max);
}
