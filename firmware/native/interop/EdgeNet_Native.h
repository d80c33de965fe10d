//
// EdgeNet.Native interop assembly: native half (nanoFramework interop layout; docs/native.md).
// The declarations follow the metadata processor's naming: Library_<assembly>_<namespace>_<class> and
// <method>___STATIC__<return>__<parameter types>. tests/EdgeNet.Tests/Native/InteropGlueTests.cs derives these
// names from the compiled EdgeNet.Native.dll and checks this file, the lookup table and the bodies against them.
//
#ifndef EDGENET_NATIVE_H
#define EDGENET_NATIVE_H

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>

struct Library_EdgeNet_Native_EdgeNet_Native_NativeKernels
{
    NANOCLR_NATIVE_DECLARE(AvgPool1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__I4__I4__I4__SZARRAY_I1__I4);
    NANOCLR_NATIVE_DECLARE(Conv1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I1__I4);
    NANOCLR_NATIVE_DECLARE(Dense___STATIC__VOID__SZARRAY_I1__I4__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1__I4);
    NANOCLR_NATIVE_DECLARE(MaxPool1D___STATIC__VOID__SZARRAY_I1__I4__I4__I4__I4__I4__SZARRAY_I1__I4);
    NANOCLR_NATIVE_DECLARE(MultiplyByQuantizedMultiplier___STATIC__I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(RecurrentComplete___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1);
    NANOCLR_NATIVE_DECLARE(RecurrentDirect___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1);
    NANOCLR_NATIVE_DECLARE(RecurrentLateral___STATIC__VOID__SZARRAY_I1__I4__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_I1__SZARRAY_I1__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__I4__I4__I4__I4__SZARRAY_I1);
    NANOCLR_NATIVE_DECLARE(Requantize___STATIC__I4__I4__I4__I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(Version___STATIC__I4);

    //--//
};

extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_EdgeNet_Native;

#endif // EDGENET_NATIVE_H
