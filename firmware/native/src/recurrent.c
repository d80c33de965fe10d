/*
 * One step of a recurrent layer, both zero points folded at load (RecurrentOptimized in shared/src/Kernels):
 * an input dot product and a feedback dot product, requantized separately and added (RecurrentSum).
 * Rule: docs/quantization.md; feedback kinds: docs/network-types.md.
 */
#include "edgenet_kernels.h"
#include "arithmetic.h"

void edgenet_recurrent_direct(const int8_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int8_t *state, const int8_t *feedback, const int32_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int8_t *output)
{
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int32_t input_acc = edgenet_dot(input_bias[o], weights + (int64_t)o * input_length, input, input_length);
        int32_t feedback_acc = edgenet_wrap_add(feedback_bias[o], (int32_t)feedback[o] * (int32_t)state[o]);
        output[o] = edgenet_recurrent_requant(input_acc, input_multiplier[o], input_shift[o],
            feedback_acc, feedback_multiplier[o], feedback_shift[o], zero_point, min, max);
    }
}

void edgenet_recurrent_lateral(const int8_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int8_t *state, const int8_t *feedback, const int32_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int8_t *output)
{
    int32_t row = units - 1;
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int32_t input_acc = edgenet_dot(input_bias[o], weights + (int64_t)o * input_length, input, input_length);
        /* Row o holds neurons 0..o-1, then o+1..units-1 (no diagonal). */
        const int8_t *u = feedback + (int64_t)o * row;
        int32_t feedback_acc = edgenet_dot(feedback_bias[o], u, state, o);
        feedback_acc = edgenet_dot(feedback_acc, u + o, state + o + 1, row - o);
        output[o] = edgenet_recurrent_requant(input_acc, input_multiplier[o], input_shift[o],
            feedback_acc, feedback_multiplier[o], feedback_shift[o], zero_point, min, max);
    }
}

void edgenet_recurrent_complete(const int8_t *input, int32_t input_length,
    const int8_t *weights, const int32_t *input_bias, const int32_t *input_multiplier, const uint8_t *input_shift,
    const int8_t *state, int32_t state_length, const int8_t *feedback, const int32_t *feedback_bias,
    const int32_t *feedback_multiplier, const uint8_t *feedback_shift,
    int32_t units, int32_t zero_point, int32_t min, int32_t max, int8_t *output)
{
    int32_t o;
    for (o = 0; o < units; o++)
    {
        int32_t input_acc = edgenet_dot(input_bias[o], weights + (int64_t)o * input_length, input, input_length);
        int32_t feedback_acc = edgenet_dot(feedback_bias[o], feedback + (int64_t)o * state_length, state, state_length);
        output[o] = edgenet_recurrent_requant(input_acc, input_multiplier[o], input_shift[o],
            feedback_acc, feedback_multiplier[o], feedback_shift[o], zero_point, min, max);
    }
}
