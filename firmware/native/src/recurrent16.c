/*
 * One step of a recurrent layer with 16-bit activations (Recurrent16Optimized in shared/src/Kernels): int16 input
 * and state, int8 weights, both zero points folded at load into int64 constants, both parts summed in int64 and
 * requantized separately (RecurrentSum.Requantize16). Complete also runs the indirect block's hidden layer.
 * Rule: docs/quantization.md, "16-bit activations"; feedback kinds: docs/network-types.md.
 */
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_recurrent16_direct(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int64_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int16_t *state, const int8_t *feedback, const int64_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output)
{
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int64_t input_acc = edgenet_dot16_long(input_bias[o], weights + (int64_t)o * input_length, input, input_length);
        int64_t feedback_acc = edgenet_wrap_add64(feedback_bias[o], (int32_t)feedback[o] * (int32_t)state[o]);
        output[o] = edgenet_recurrent_requant16(input_acc, input_multiplier[o], input_shift[o],
            feedback_acc, feedback_multiplier[o], feedback_shift[o], zero_point, min, max);
    }
}

void edgenet_recurrent16_lateral(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int64_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int16_t *state, const int8_t *feedback, const int64_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output)
{
    int32_t row = units - 1;
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int64_t input_acc = edgenet_dot16_long(input_bias[o], weights + (int64_t)o * input_length, input, input_length);
        /* Row o holds neurons 0..o-1, then o+1..units-1 (no diagonal). */
        const int8_t *u = feedback + (int64_t)o * row;
        int64_t feedback_acc = edgenet_dot16_long(feedback_bias[o], u, state, o);
        feedback_acc = edgenet_dot16_long(feedback_acc, u + o, state + o + 1, row - o);
        output[o] = edgenet_recurrent_requant16(input_acc, input_multiplier[o], input_shift[o],
            feedback_acc, feedback_multiplier[o], feedback_shift[o], zero_point, min, max);
    }
}

void edgenet_recurrent16_complete(const int16_t *input, int32_t input_length,
    const int8_t *weights, const int64_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int16_t *state, int32_t state_length, const int8_t *feedback, const int64_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int16_t *output)
{
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int64_t input_acc = edgenet_dot16_long(input_bias[o], weights + (int64_t)o * input_length, input, input_length);
        int64_t feedback_acc = edgenet_dot16_long(feedback_bias[o], feedback + (int64_t)o * state_length, state, state_length);
        output[o] = edgenet_recurrent_requant16(input_acc, input_multiplier[o], input_shift[o],
            feedback_acc, feedback_multiplier[o], feedback_shift[o], zero_point, min, max);
    }
}
