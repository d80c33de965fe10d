//
// EdgeNet.Native: the method lookup table and the assembly's native data (nanoFramework interop layout).
// One entry per method of the managed assembly in the metadata processor's order; NativeKernels has only
// InternalCall methods, declared in ordinal name order, so the table is exactly that list (docs/native.md).
//
#include "EdgeNet_Native.h"

// clang-format off

static const CLR_RT_MethodHandler method_lookup[] =
{
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::AvgPool1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__I4__I4__I4__SZARRAY_I1__I4,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::Conv1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I1__I4,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::Dense___STATIC__VOID__SZARRAY_I1__I4__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1__I4,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::MaxPool1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__I4__I4__SZARRAY_I1__I4,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::MultiplyByQuantizedMultiplier___STATIC__I4__I4__I4__I4,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::RecurrentComplete___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::RecurrentDirect___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::RecurrentLateral___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::Requantize___STATIC__I4__I4__I4__I4__I4__I4__I4,
    Library_EdgeNet_Native_EdgeNet_Native_NativeKernels::Version___STATIC__I4,
};

// The checksum must equal the NativeMethodsChecksum the metadata processor writes into EdgeNet.Native.pe
// (offset 0x14 of the .pe, also printed in the stub it generates); set-checksum.sh copies it here. 0 is the
// placeholder of a tree where the .pe has not been produced yet: the CLR's load check reports the mismatch.
const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_EdgeNet_Native =
{
    "EdgeNet.Native",
    0x00000000, // EDGENET_NATIVE_CHECKSUM
    method_lookup,
    { 1, 0, 0, 0 } // AssemblyNativeVersion of firmware/native/EdgeNet.Native/NativeKernels.cs
};

// clang-format on
