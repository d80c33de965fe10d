//
// EdgeNet.Native.NativeKernels: the bodies of the InternalCall methods. Each reads its arguments from the
// stack frame (static methods: Arg0 is the first parameter), checks every array against the shape it is given
// as the managed kernel's bounds checks would (an IndexOutOfRangeException in C# is CLR_E_INDEX_OUT_OF_RANGE
// here, a null array CLR_E_ARGUMENT_NULL), then calls the C kernel (firmware/native/src) on the arrays' element
// storage. The int8 and the 16x8 variant of a kind share one check (it counts elements, whatever their width).
// The kernels allocate nothing and keep no pointer after returning, so the GC may move the arrays between
// calls. Written to the nf-interpreter interop API named in docs/native.md.
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

const int16_t *Int16s(CLR_RT_HeapBlock_Array *a)
{
    return (const int16_t *)a->GetFirstElement();
}

int16_t *MutableInt16s(CLR_RT_HeapBlock_Array *a)
{
    return (int16_t *)a->GetFirstElement();
}

const int32_t *Int32s(CLR_RT_HeapBlock_Array *a)
{
    return (const int32_t *)a->GetFirstElement();
}

const int64_t *Int64s(CLR_RT_HeapBlock_Array *a)
{
    return (const int64_t *)a->GetFirstElement();
}

const uint8_t *UInt8s(CLR_RT_HeapBlock_Array *a)
{
    return (const uint8_t *)a->GetFirstElement();
}

CLR_INT32 I4(CLR_RT_StackFrame &stack, int index)
{
    return stack.ArgN(index).NumericByRef().s4;
}

CLR_INT64 I8(CLR_RT_StackFrame &stack, int index)
{
    return (CLR_INT64)stack.ArgN(index).NumericByRef().s8;
}

CLR_RT_HeapBlock_Array *Array(CLR_RT_StackFrame &stack, int index)
{
    return stack.ArgN(index).DereferenceArray();
}

// Max and average pooling, either width: (input, channels, pool, stride, ..., output, outSteps).
HRESULT CheckPool(CLR_RT_HeapBlock_Array *input, CLR_INT32 channels, CLR_INT32 pool, CLR_INT32 stride,
    CLR_RT_HeapBlock_Array *output, CLR_INT32 outSteps)
{
    NANOCLR_HEADER();
    FAULT_ON_NULL_ARG(input);
    FAULT_ON_NULL_ARG(output);
    if (pool < 1 || stride < 1 || channels < 0 || outSteps < 0) NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
    if (outSteps > 0 && !Holds(input, ((int64_t)(outSteps - 1) * stride + pool) * channels)) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    if (!Holds(output, (int64_t)outSteps * channels)) NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    NANOCLR_NOCLEANUP();
}

// Conv1d, either width and either folded-bias width: the argument order of Conv1DOptimized.Invoke.
HRESULT CheckConv(CLR_RT_HeapBlock_Array *input, CLR_INT32 steps, CLR_INT32 channels, CLR_RT_HeapBlock_Array *weights,
    CLR_RT_HeapBlock_Array *foldedBias, CLR_RT_HeapBlock_Array *tapSums, CLR_RT_HeapBlock_Array *multiplier,
    CLR_RT_HeapBlock_Array *shift, CLR_INT32 filters, CLR_INT32 kernel, CLR_INT32 stride, CLR_INT32 padding,
    CLR_RT_HeapBlock_Array *output, CLR_INT32 outSteps)
{
    NANOCLR_HEADER();
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
    NANOCLR_NOCLEANUP();
}

// Dense, either width: input[inputOffset ..+ inputLength), output[outputOffset ..+ units) (the 16x8 kernels use offset 0).
HRESULT CheckDense(CLR_RT_HeapBlock_Array *input, CLR_INT32 inputOffset, CLR_INT32 inputLength, CLR_RT_HeapBlock_Array *weights,
    CLR_RT_HeapBlock_Array *bias, CLR_RT_HeapBlock_Array *multiplier, CLR_RT_HeapBlock_Array *shift, CLR_INT32 units,
    CLR_RT_HeapBlock_Array *output, CLR_INT32 outputOffset)
{
    NANOCLR_HEADER();
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
    NANOCLR_NOCLEANUP();
}

// The recurrent kinds, either width, share their checks; `row` is the feedback weights per neuron, `state` the state length.
HRESULT CheckRecurrent(CLR_RT_HeapBlock_Array *input, CLR_INT32 inputLength, CLR_RT_HeapBlock_Array *weights,
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

// The recurrent arguments, read once for both widths: (input, inputLength, weights, inputBias, inputMultiplier,
// inputShift, state, [stateLength,] feedback, feedbackBias, feedbackMultiplier, feedbackShift, units, zeroPoint, min, max, output).
struct RecurrentArgs
{
    CLR_RT_HeapBlock_Array *input, *weights, *inputBias, *inputMultiplier, *inputShift, *state;
    CLR_RT_HeapBlock_Array *feedback, *feedbackBias, *feedbackMultiplier, *feedbackShift, *output;
    CLR_INT32 inputLength, stateLength, units, zeroPoint, min, max;

    RecurrentArgs(CLR_RT_StackFrame &stack, bool complete)
    {
        int a = 0;
        input = Array(stack, a++);
        inputLength = I4(stack, a++);
        weights = Array(stack, a++);
        inputBias = Array(stack, a++);
        inputMultiplier = Array(stack, a++);
        inputShift = Array(stack, a++);
        state = Array(stack, a++);
        stateLength = complete ? I4(stack, a++) : 0;
        feedback = Array(stack, a++);
        feedbackBias = Array(stack, a++);
        feedbackMultiplier = Array(stack, a++);
        feedbackShift = Array(stack, a++);
        units = I4(stack, a++);
        zeroPoint = I4(stack, a++);
        min = I4(stack, a++);
        max = I4(stack, a++);
        output = Array(stack, a++);
        if (!complete) stateLength = units;
    }

    // Direct: one feedback weight per neuron; lateral: units - 1; complete: the state length.
    HRESULT Check(int64_t row)
    {
        return CheckRecurrent(input, inputLength, weights, inputBias, inputMultiplier, inputShift, state, stateLength,
            feedback, row, feedbackBias, feedbackMultiplier, feedbackShift, units, output);
    }
};
} // namespace

HRESULT NativeKernels::AvgPool1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__I4__I4__I4__SZARRAY_I1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0), *output = Array(stack, 7);
        CLR_INT32 channels = I4(stack, 1), pool = I4(stack, 2), stride = I4(stack, 3), zeroPoint = I4(stack, 4);
        CLR_INT32 min = I4(stack, 5), max = I4(stack, 6), outSteps = I4(stack, 8);
        NANOCLR_CHECK_HRESULT(CheckPool(input, channels, pool, stride, output, outSteps));
        edgenet_avg_pool1d(Int8s(input), channels, pool, stride, zeroPoint, min, max, MutableInt8s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::AvgPool1D16___STATIC__VOID__SZARRAY_I2__I4__I4__I4__I4__I4__I4__SZARRAY_I2__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0), *output = Array(stack, 7);
        CLR_INT32 channels = I4(stack, 1), pool = I4(stack, 2), stride = I4(stack, 3), zeroPoint = I4(stack, 4);
        CLR_INT32 min = I4(stack, 5), max = I4(stack, 6), outSteps = I4(stack, 8);
        NANOCLR_CHECK_HRESULT(CheckPool(input, channels, pool, stride, output, outSteps));
        edgenet_avg_pool1d16(Int16s(input), channels, pool, stride, zeroPoint, min, max, MutableInt16s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

// Conv1D, Conv1D16 and Conv1D16Long share the argument order of Conv1DOptimized.Invoke.
#define EDGENET_CONV_ARGS \
    CLR_RT_HeapBlock_Array *input = Array(stack, 0); \
    CLR_INT32 steps = I4(stack, 1), channels = I4(stack, 2), inputZeroPoint = I4(stack, 3); \
    CLR_RT_HeapBlock_Array *weights = Array(stack, 4), *foldedBias = Array(stack, 5), *tapSums = Array(stack, 6); \
    CLR_RT_HeapBlock_Array *multiplier = Array(stack, 7), *shift = Array(stack, 8); \
    CLR_INT32 filters = I4(stack, 9), kernel = I4(stack, 10), stride = I4(stack, 11), padding = I4(stack, 12); \
    CLR_INT32 zeroPoint = I4(stack, 13), min = I4(stack, 14), max = I4(stack, 15); \
    CLR_RT_HeapBlock_Array *output = Array(stack, 16); \
    CLR_INT32 outSteps = I4(stack, 17); \
    NANOCLR_CHECK_HRESULT(CheckConv(input, steps, channels, weights, foldedBias, tapSums, multiplier, shift, \
        filters, kernel, stride, padding, output, outSteps))

HRESULT NativeKernels::Conv1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        EDGENET_CONV_ARGS;
        edgenet_conv1d(Int8s(input), steps, channels, inputZeroPoint, Int8s(weights), Int32s(foldedBias),
            padding > 0 ? Int32s(tapSums) : NULL, Int32s(multiplier), UInt8s(shift),
            filters, kernel, stride, padding, zeroPoint, min, max, MutableInt8s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Conv1D16___STATIC__VOID__SZARRAY_I2__I4__I4__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I2__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        EDGENET_CONV_ARGS;
        edgenet_conv1d16(Int16s(input), steps, channels, inputZeroPoint, Int8s(weights), Int32s(foldedBias),
            padding > 0 ? Int32s(tapSums) : NULL, Int32s(multiplier), UInt8s(shift),
            filters, kernel, stride, padding, zeroPoint, min, max, MutableInt16s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Conv1D16Long___STATIC__VOID__SZARRAY_I2__I4__I4__I4__SZARRAY_I1__SZARRAY_I8__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I2__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        EDGENET_CONV_ARGS;
        edgenet_conv1d16_long(Int16s(input), steps, channels, inputZeroPoint, Int8s(weights), Int64s(foldedBias),
            padding > 0 ? Int32s(tapSums) : NULL, Int32s(multiplier), UInt8s(shift),
            filters, kernel, stride, padding, zeroPoint, min, max, MutableInt16s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

#undef EDGENET_CONV_ARGS

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
        NANOCLR_CHECK_HRESULT(CheckDense(input, inputOffset, inputLength, weights, bias, multiplier, shift, units, output, outputOffset));
        edgenet_dense(Int8s(input) + inputOffset, inputLength, Int8s(weights), Int32s(bias), Int32s(multiplier), UInt8s(shift),
            units, zeroPoint, min, max, MutableInt8s(output) + outputOffset);
    }
    NANOCLR_NOCLEANUP();
}

// Dense16, Dense16Long and Dense16x16 (int16 weights): (input, inputLength, weights, bias, multiplier, shift, units, zeroPoint, min, max, output).
#define EDGENET_DENSE16_ARGS \
    CLR_RT_HeapBlock_Array *input = Array(stack, 0); \
    CLR_INT32 inputLength = I4(stack, 1); \
    CLR_RT_HeapBlock_Array *weights = Array(stack, 2), *bias = Array(stack, 3), *multiplier = Array(stack, 4), *shift = Array(stack, 5); \
    CLR_INT32 units = I4(stack, 6), zeroPoint = I4(stack, 7), min = I4(stack, 8), max = I4(stack, 9); \
    CLR_RT_HeapBlock_Array *output = Array(stack, 10); \
    NANOCLR_CHECK_HRESULT(CheckDense(input, 0, inputLength, weights, bias, multiplier, shift, units, output, 0))

HRESULT NativeKernels::Dense16___STATIC__VOID__SZARRAY_I2__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I2(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        EDGENET_DENSE16_ARGS;
        edgenet_dense16(Int16s(input), inputLength, Int8s(weights), Int32s(bias), Int32s(multiplier), UInt8s(shift),
            units, zeroPoint, min, max, MutableInt16s(output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Dense16Long___STATIC__VOID__SZARRAY_I2__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I2(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        EDGENET_DENSE16_ARGS;
        edgenet_dense16_long(Int16s(input), inputLength, Int8s(weights), Int32s(bias), Int32s(multiplier), UInt8s(shift),
            units, zeroPoint, min, max, MutableInt16s(output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Dense16x16___STATIC__VOID__SZARRAY_I2__I4__SZARRAY_I2__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I2(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        EDGENET_DENSE16_ARGS;
        edgenet_dense16x16(Int16s(input), inputLength, Int16s(weights), Int32s(bias), Int32s(multiplier), UInt8s(shift),
            units, zeroPoint, min, max, MutableInt16s(output));
    }
    NANOCLR_NOCLEANUP();
}

#undef EDGENET_DENSE16_ARGS

HRESULT NativeKernels::MaxPool1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__I4__I4__SZARRAY_I1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0), *output = Array(stack, 6);
        CLR_INT32 channels = I4(stack, 1), pool = I4(stack, 2), stride = I4(stack, 3), min = I4(stack, 4), max = I4(stack, 5);
        CLR_INT32 outSteps = I4(stack, 7);
        NANOCLR_CHECK_HRESULT(CheckPool(input, channels, pool, stride, output, outSteps));
        edgenet_max_pool1d(Int8s(input), channels, pool, stride, min, max, MutableInt8s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::MaxPool1D16___STATIC__VOID__SZARRAY_I2__I4__I4__I4__I4__I4__SZARRAY_I2__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock_Array *input = Array(stack, 0), *output = Array(stack, 6);
        CLR_INT32 channels = I4(stack, 1), pool = I4(stack, 2), stride = I4(stack, 3), min = I4(stack, 4), max = I4(stack, 5);
        CLR_INT32 outSteps = I4(stack, 7);
        NANOCLR_CHECK_HRESULT(CheckPool(input, channels, pool, stride, output, outSteps));
        edgenet_max_pool1d16(Int16s(input), channels, pool, stride, min, max, MutableInt16s(output), outSteps);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::MultiplyByQuantizedMultiplier___STATIC__I4__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    stack.SetResult_I4(edgenet_multiply_by_quantized_multiplier(I4(stack, 0), I4(stack, 1), I4(stack, 2)));
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT NativeKernels::MultiplyByQuantizedMultiplierLong___STATIC__I4__I8__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    stack.SetResult_I4(edgenet_multiply_by_quantized_multiplier_long(I8(stack, 0), I4(stack, 1), I4(stack, 2)));
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT NativeKernels::Recurrent16Complete___STATIC__VOID__SZARRAY_I2__I4__SZARRAY_I1__SZARRAY_I8__SZARRAY_I4__SZARRAY_U1__SZARRAY_I2__I4__SZARRAY_I1__SZARRAY_I8__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I2(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        RecurrentArgs a(stack, true);
        NANOCLR_CHECK_HRESULT(a.Check(a.stateLength));
        edgenet_recurrent16_complete(Int16s(a.input), a.inputLength, Int8s(a.weights), Int64s(a.inputBias), Int32s(a.inputMultiplier),
            UInt8s(a.inputShift), Int16s(a.state), a.stateLength, Int8s(a.feedback), Int64s(a.feedbackBias), Int32s(a.feedbackMultiplier),
            UInt8s(a.feedbackShift), a.units, a.zeroPoint, a.min, a.max, MutableInt16s(a.output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Recurrent16Direct___STATIC__VOID__SZARRAY_I2__I4__SZARRAY_I1__SZARRAY_I8__SZARRAY_I4__SZARRAY_U1__SZARRAY_I2__SZARRAY_I1__SZARRAY_I8__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I2(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        RecurrentArgs a(stack, false);
        NANOCLR_CHECK_HRESULT(a.Check(1));
        edgenet_recurrent16_direct(Int16s(a.input), a.inputLength, Int8s(a.weights), Int64s(a.inputBias), Int32s(a.inputMultiplier),
            UInt8s(a.inputShift), Int16s(a.state), Int8s(a.feedback), Int64s(a.feedbackBias), Int32s(a.feedbackMultiplier),
            UInt8s(a.feedbackShift), a.units, a.zeroPoint, a.min, a.max, MutableInt16s(a.output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::Recurrent16Lateral___STATIC__VOID__SZARRAY_I2__I4__SZARRAY_I1__SZARRAY_I8__SZARRAY_I4__SZARRAY_U1__SZARRAY_I2__SZARRAY_I1__SZARRAY_I8__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I2(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        RecurrentArgs a(stack, false);
        NANOCLR_CHECK_HRESULT(a.Check(a.units > 0 ? a.units - 1 : 0));
        edgenet_recurrent16_lateral(Int16s(a.input), a.inputLength, Int8s(a.weights), Int64s(a.inputBias), Int32s(a.inputMultiplier),
            UInt8s(a.inputShift), Int16s(a.state), Int8s(a.feedback), Int64s(a.feedbackBias), Int32s(a.feedbackMultiplier),
            UInt8s(a.feedbackShift), a.units, a.zeroPoint, a.min, a.max, MutableInt16s(a.output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::RecurrentComplete___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        RecurrentArgs a(stack, true);
        NANOCLR_CHECK_HRESULT(a.Check(a.stateLength));
        edgenet_recurrent_complete(Int8s(a.input), a.inputLength, Int8s(a.weights), Int32s(a.inputBias), Int32s(a.inputMultiplier),
            UInt8s(a.inputShift), Int8s(a.state), a.stateLength, Int8s(a.feedback), Int32s(a.feedbackBias), Int32s(a.feedbackMultiplier),
            UInt8s(a.feedbackShift), a.units, a.zeroPoint, a.min, a.max, MutableInt8s(a.output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::RecurrentDirect___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        RecurrentArgs a(stack, false);
        NANOCLR_CHECK_HRESULT(a.Check(1));
        edgenet_recurrent_direct(Int8s(a.input), a.inputLength, Int8s(a.weights), Int32s(a.inputBias), Int32s(a.inputMultiplier),
            UInt8s(a.inputShift), Int8s(a.state), Int8s(a.feedback), Int32s(a.feedbackBias), Int32s(a.feedbackMultiplier),
            UInt8s(a.feedbackShift), a.units, a.zeroPoint, a.min, a.max, MutableInt8s(a.output));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT NativeKernels::RecurrentLateral___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        RecurrentArgs a(stack, false);
        NANOCLR_CHECK_HRESULT(a.Check(a.units > 0 ? a.units - 1 : 0));
        edgenet_recurrent_lateral(Int8s(a.input), a.inputLength, Int8s(a.weights), Int32s(a.inputBias), Int32s(a.inputMultiplier),
            UInt8s(a.inputShift), Int8s(a.state), Int8s(a.feedback), Int32s(a.feedbackBias), Int32s(a.feedbackMultiplier),
            UInt8s(a.feedbackShift), a.units, a.zeroPoint, a.min, a.max, MutableInt8s(a.output));
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
