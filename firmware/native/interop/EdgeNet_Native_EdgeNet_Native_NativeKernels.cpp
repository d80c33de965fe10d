//
// EdgeNet.Native.NativeKernels: the bodies of the InternalCall methods. Each reads its arguments from the
// stack frame (static methods: Arg0 is the first parameter), checks every array against the shape it is given
// as the managed kernel's bounds checks would (an IndexOutOfRangeException in C# is CLR_E_INDEX_OUT_OF_RANGE
// here, a null array CLR_E_ARGUMENT_NULL), then calls the C kernel (firmware/native/src) on the arrays' element
// storage. The kernels allocate nothing and keep no pointer after returning, so the GC may move the arrays
// between calls. Written to the nf-interpreter interop API named in docs/native.md.
//
#include "EdgeNet_Native_EdgeNet_Native_NativeKernels.h"

typedef Library_EdgeNet_Native_EdgeNet_Native_NativeKernels NativeKernels;

namespace
{
// True when the array holds at least `count` elements (count computed in 64 bits: no overflow).
bool Holds(CLR_RT_HeapBlock_Array *a, int64_t count)
{
    return count >= 0 && (int64_t)a->m_numOfElements >= count;
}

const int8_t *Int8s(CLR_RT_HeapBlock_Array *a)
{
    return (const int8_t *)a->GetFirstElement();
}

int8_t *MutableInt8s(CLR_RT_HeapBlock_Array *a)
{
    return (int8_t *)a->GetFirstElement();
}

const int32_t *Int32s(CLR_RT_HeapBlock_Array *a)
{
    return (const int32_t *)a->GetFirstElement();
}

const uint8_t *UInt8s(CLR_RT_HeapBlock_Array *a)
{
    return (const uint8_t *)a->GetFirstElement();
}

CLR_INT32 I4(CLR_RT_StackFrame &stack, int index)
{
    return stack.ArgN(index).NumericByRef().s4;
}

CLR_RT_HeapBlock_Array *Array(CLR_RT_StackFrame &stack, int index)
{
    return stack.ArgN(index).DereferenceArray();
}
} // namespace

HRESULT NativeKernels::AvgPool1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__I4__I4__I4__SZARRAY_I1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0);
        CLR_INT32 channels = I4(stack, 1), pool = I4(stack, 2), stride = I4(stack, 3), zeroPoint = I4(stack, 4);
        CLR_INT32 min = I4(stack, 5), max = I4(stack, 6);
        CLR_RT_HeapBlock_Array *output = Array(stack, 7);
        CLR_INT32 outSteps = I4(stack, 8);
        FAULT_ON_NULL_ARG(input);
        FAULT_ON_NULL_ARG(output);
        if (pool < 1 || stride < 1 || channels < 0 || outSteps < 0) NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        if (outSteps > 0 && !Holds(input, ((int64_t)(outSteps - 1) * stride + pool) * channels)) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        if (!Holds(output, (int64_t)outSteps * channels)) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        edgenet_avg_pool1d(Int8s(input), channels, pool, stride, zeroPoint, min, max, MutableInt8s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Conv1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0);
        CLR_INT32 steps = I4(stack, 1), channels = I4(stack, 2), inputZeroPoint = I4(stack, 3);
        CLR_RT_HeapBlock_Array *weights = Array(stack, 4), *foldedBias = Array(stack, 5), *tapSums = Array(stack, 6);
        CLR_RT_HeapBlock_Array *multiplier = Array(stack, 7), *shift = Array(stack, 8);
        CLR_INT32 filters = I4(stack, 9), kernel = I4(stack, 10), stride = I4(stack, 11), padding = I4(stack, 12);
        CLR_INT32 zeroPoint = I4(stack, 13), min = I4(stack, 14), max = I4(stack, 15);
        CLR_RT_HeapBlock_Array *output = Array(stack, 16);
        CLR_INT32 outSteps = I4(stack, 17);
        FAULT_ON_NULL_ARG(input);
        FAULT_ON_NULL_ARG(weights);
        FAULT_ON_NULL_ARG(foldedBias);
        FAULT_ON_NULL_ARG(multiplier);
        FAULT_ON_NULL_ARG(shift);
        FAULT_ON_NULL_ARG(output);
        if (steps < 0 || channels < 0 || filters < 0 || kernel < 1 || stride < 1 || padding < 0 || padding >= kernel || outSteps < 0)
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        // The last output step's window ends inside the padded input (Conv1D.OutputSteps).
        if (outSteps > 0 && (int64_t)(outSteps - 1) * stride + kernel > (int64_t)steps + 2 * padding) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        if (padding > 0)
        {
            FAULT_ON_NULL_ARG(tapSums);
        }
        if (!Holds(input, (int64_t)steps * channels) || !Holds(weights, (int64_t)filters * kernel * channels) ||
            !Holds(foldedBias, filters) || !Holds(multiplier, filters) || !Holds(shift, filters) ||
            (padding > 0 && !Holds(tapSums, (int64_t)filters * kernel)) || !Holds(output, (int64_t)outSteps * filters))
            NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        edgenet_conv1d(Int8s(input), steps, channels, inputZeroPoint, Int8s(weights), Int32s(foldedBias),
            padding > 0 ? Int32s(tapSums) : NULL, Int32s(multiplier), UInt8s(shift),
            filters, kernel, stride, padding, zeroPoint, min, max, MutableInt8s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Dense___STATIC__VOID__SZARRAY_I1__I4__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0);
        CLR_INT32 inputOffset = I4(stack, 1), inputLength = I4(stack, 2);
        CLR_RT_HeapBlock_Array *weights = Array(stack, 3), *bias = Array(stack, 4), *multiplier = Array(stack, 5), *shift = Array(stack, 6);
        CLR_INT32 units = I4(stack, 7), zeroPoint = I4(stack, 8), min = I4(stack, 9), max = I4(stack, 10);
        CLR_RT_HeapBlock_Array *output = Array(stack, 11);
        CLR_INT32 outputOffset = I4(stack, 12);
        FAULT_ON_NULL_ARG(input);
        FAULT_ON_NULL_ARG(weights);
        FAULT_ON_NULL_ARG(bias);
        FAULT_ON_NULL_ARG(multiplier);
        FAULT_ON_NULL_ARG(shift);
        FAULT_ON_NULL_ARG(output);
        if (inputOffset < 0 || inputLength < 0 || units < 0 || outputOffset < 0) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        if (!Holds(input, (int64_t)inputOffset + inputLength) || !Holds(weights, (int64_t)units * inputLength) ||
            !Holds(bias, units) || !Holds(multiplier, units) || !Holds(shift, units) || !Holds(output, (int64_t)outputOffset + units))
            NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        edgenet_dense(Int8s(input) + inputOffset, inputLength, Int8s(weights), Int32s(bias), Int32s(multiplier), UInt8s(shift),
            units, zeroPoint, min, max, MutableInt8s(output) + outputOffset);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::MaxPool1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__I4__I4__SZARRAY_I1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0);
        CLR_INT32 channels = I4(stack, 1), pool = I4(stack, 2), stride = I4(stack, 3), min = I4(stack, 4), max = I4(stack, 5);
        CLR_RT_HeapBlock_Array *output = Array(stack, 6);
        CLR_INT32 outSteps = I4(stack, 7);
        FAULT_ON_NULL_ARG(input);
        FAULT_ON_NULL_ARG(output);
        if (pool < 1 || stride < 1 || channels < 0 || outSteps < 0) NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        if (outSteps > 0 && !Holds(input, ((int64_t)(outSteps - 1) * stride + pool) * channels)) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        if (!Holds(output, (int64_t)outSteps * channels)) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        edgenet_max_pool1d(Int8s(input), channels, pool, stride, min, max, MutableInt8s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::MultiplyByQuantizedMultiplier___STATIC__I4__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    stack.SetResult_I4(edgenet_multiply_by_quantized_multiplier(I4(stack, 0), I4(stack, 1), I4(stack, 2)));
    NANOCLR_NOCLEANUP_NOLABEL();
}

// The three recurrent kinds share their checks; `row` is the feedback weights per neuron, `state` the state length.
static HRESULT CheckRecurrent(CLR_RT_HeapBlock_Array *input, CLR_INT32 inputLength, CLR_RT_HeapBlock_Array *weights,
    CLR_RT_HeapBlock_Array *inputBias, CLR_RT_HeapBlock_Array *inputMultiplier, CLR_RT_HeapBlock_Array *inputShift,
    CLR_RT_HeapBlock_Array *state, CLR_INT32 stateLength, CLR_RT_HeapBlock_Array *feedback, int64_t row,
    CLR_RT_HeapBlock_Array *feedbackBias, CLR_RT_HeapBlock_Array *feedbackMultiplier, CLR_RT_HeapBlock_Array *feedbackShift,
    CLR_INT32 units, CLR_RT_HeapBlock_Array *output)
{
    NANOCLR_HEADER();
    FAULT_ON_NULL_ARG(input);
    FAULT_ON_NULL_ARG(weights);
    FAULT_ON_NULL_ARG(inputBias);
    FAULT_ON_NULL_ARG(inputMultiplier);
    FAULT_ON_NULL_ARG(inputShift);
    FAULT_ON_NULL_ARG(state);
    FAULT_ON_NULL_ARG(feedback);
    FAULT_ON_NULL_ARG(feedbackBias);
    FAULT_ON_NULL_ARG(feedbackMultiplier);
    FAULT_ON_NULL_ARG(feedbackShift);
    FAULT_ON_NULL_ARG(output);
    if (inputLength < 0 || units < 0 || stateLength < 0 || row < 0) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    if (!Holds(input, inputLength) || !Holds(weights, (int64_t)units * inputLength) || !Holds(inputBias, units) ||
        !Holds(inputMultiplier, units) || !Holds(inputShift, units) || !Holds(state, stateLength) ||
        !Holds(feedback, units * row) || !Holds(feedbackBias, units) || !Holds(feedbackMultiplier, units) ||
        !Holds(feedbackShift, units) || !Holds(output, units))
        NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::RecurrentComplete___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0);
        CLR_INT32 inputLength = I4(stack, 1);
        CLR_RT_HeapBlock_Array *weights = Array(stack, 2), *inputBias = Array(stack, 3), *inputMultiplier = Array(stack, 4), *inputShift = Array(stack, 5);
        CLR_RT_HeapBlock_Array *state = Array(stack, 6);
        CLR_INT32 stateLength = I4(stack, 7);
        CLR_RT_HeapBlock_Array *feedback = Array(stack, 8), *feedbackBias = Array(stack, 9), *feedbackMultiplier = Array(stack, 10), *feedbackShift = Array(stack, 11);
        CLR_INT32 units = I4(stack, 12), zeroPoint = I4(stack, 13), min = I4(stack, 14), max = I4(stack, 15);
        CLR_RT_HeapBlock_Array *output = Array(stack, 16);
        NANOCLR_CHECK_HRESULT(CheckRecurrent(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, stateLength,
            feedback, stateLength, feedbackBias, feedbackMultiplier, feedbackShift, units, output));
        edgenet_recurrent_complete(Int8s(input), inputLength, Int8s(weights), Int32s(inputBias), Int32s(inputMultiplier), UInt8s(inputShift),
            Int8s(state), stateLength, Int8s(feedback), Int32s(feedbackBias), Int32s(feedbackMultiplier), UInt8s(feedbackShift),
            units, zeroPoint, min, max, MutableInt8s(output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::RecurrentDirect___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0);
        CLR_INT32 inputLength = I4(stack, 1);
        CLR_RT_HeapBlock_Array *weights = Array(stack, 2), *inputBias = Array(stack, 3), *inputMultiplier = Array(stack, 4), *inputShift = Array(stack, 5);
        CLR_RT_HeapBlock_Array *state = Array(stack, 6), *feedback = Array(stack, 7), *feedbackBias = Array(stack, 8);
        CLR_RT_HeapBlock_Array *feedbackMultiplier = Array(stack, 9), *feedbackShift = Array(stack, 10);
        CLR_INT32 units = I4(stack, 11), zeroPoint = I4(stack, 12), min = I4(stack, 13), max = I4(stack, 14);
        CLR_RT_HeapBlock_Array *output = Array(stack, 15);
        NANOCLR_CHECK_HRESULT(CheckRecurrent(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, units,
            feedback, 1, feedbackBias, feedbackMultiplier, feedbackShift, units, output));
        edgenet_recurrent_direct(Int8s(input), inputLength, Int8s(weights), Int32s(inputBias), Int32s(inputMultiplier), UInt8s(inputShift),
            Int8s(state), Int8s(feedback), Int32s(feedbackBias), Int32s(feedbackMultiplier), UInt8s(feedbackShift),
            units, zeroPoint, min, max, MutableInt8s(output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::RecurrentLateral___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0);
        CLR_INT32 inputLength = I4(stack, 1);
        CLR_RT_HeapBlock_Array *weights = Array(stack, 2), *inputBias = Array(stack, 3), *inputMultiplier = Array(stack, 4), *inputShift = Array(stack, 5);
        CLR_RT_HeapBlock_Array *state = Array(stack, 6), *feedback = Array(stack, 7), *feedbackBias = Array(stack, 8);
        CLR_RT_HeapBlock_Array *feedbackMultiplier = Array(stack, 9), *feedbackShift = Array(stack, 10);
        CLR_INT32 units = I4(stack, 11), zeroPoint = I4(stack, 12), min = I4(stack, 13), max = I4(stack, 14);
        CLR_RT_HeapBlock_Array *output = Array(stack, 15);
        NANOCLR_CHECK_HRESULT(CheckRecurrent(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, units,
            feedback, units > 0 ? units - 1 : 0, feedbackBias, feedbackMultiplier, feedbackShift, units, output));
        edgenet_recurrent_lateral(Int8s(input), inputLength, Int8s(weights), Int32s(inputBias), Int32s(inputMultiplier), UInt8s(inputShift),
            Int8s(state), Int8s(feedback), Int32s(feedbackBias), Int32s(feedbackMultiplier), UInt8s(feedbackShift),
            units, zeroPoint, min, max, MutableInt8s(output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Requantize___STATIC__I4__I4__I4__I4__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    stack.SetResult_I4(edgenet_requantize(I4(stack, 0), I4(stack, 1), I4(stack, 2), I4(stack, 3), I4(stack, 4), I4(stack, 5)));
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT NativeKernels::Version___STATIC__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    stack.SetResult_I4(edgenet_api_version());
    NANOCLR_NOCLEANUP_NOLABEL();
}
