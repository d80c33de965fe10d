// A stand-in for the few nf-interpreter interop declarations the glue uses (firmware/native/interop), so that
// glue_driver.cpp can compile the glue with the host compiler and drive it through its lookup table. It models
// only what the glue touches (argument slots, arrays, results, the HRESULT macros) as nf-interpreter's
// nanoCLR_Runtime.h / nanoCLR_Interop.h declare them; it is not nanoFramework and proves nothing about its ABI.
#ifndef NANOCLR_RUNTIME_MOCK_H
#define NANOCLR_RUNTIME_MOCK_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t HRESULT;
typedef int32_t CLR_INT32;
typedef int64_t CLR_INT64;
typedef uint8_t CLR_UINT8;
typedef uint32_t CLR_UINT32;

#define S_OK ((HRESULT)0)
#define CLR_E_INDEX_OUT_OF_RANGE ((HRESULT)0x80000001)
#define CLR_E_ARGUMENT_NULL ((HRESULT)0x80000002)
#define CLR_E_INVALID_PARAMETER ((HRESULT)0x80000003)

#define NANOCLR_HEADER() HRESULT hr
#define NANOCLR_SET_AND_LEAVE(expr) \
    { \
        hr = (expr); \
        goto nanoCLR_Cleanup; \
    }
#define NANOCLR_CHECK_HRESULT(expr) \
    { \
        hr = (expr); \
        if (hr < 0) goto nanoCLR_Cleanup; \
    }
#define NANOCLR_NOCLEANUP() \
    hr = S_OK; \
    nanoCLR_Cleanup: \
    return hr
#define NANOCLR_NOCLEANUP_NOLABEL() \
    hr = S_OK; \
    return hr
#define FAULT_ON_NULL_ARG(ptr) \
    if (!(ptr)) NANOCLR_SET_AND_LEAVE(CLR_E_ARGUMENT_NULL)

struct CLR_RT_HeapBlock_Array
{
    CLR_UINT32 m_numOfElements;
    CLR_UINT8 *m_data;
    CLR_UINT8 *GetFirstElement() { return m_data; }
};

union CLR_RT_HeapBlock_Numeric
{
    CLR_INT32 s4;
    CLR_INT64 s8;
};

struct CLR_RT_HeapBlock
{
    CLR_RT_HeapBlock_Numeric m_numeric;
    CLR_RT_HeapBlock_Array *m_array;
    CLR_RT_HeapBlock_Numeric &NumericByRef() { return m_numeric; }
    CLR_RT_HeapBlock_Array *DereferenceArray() { return m_array; }
};

struct CLR_RT_StackFrame
{
    CLR_RT_HeapBlock m_arguments[24];
    CLR_INT32 m_result;
    CLR_RT_HeapBlock &ArgN(int index) { return m_arguments[index]; }
    void SetResult_I4(CLR_INT32 value) { m_result = value; }
};

typedef HRESULT (*CLR_RT_MethodHandler)(CLR_RT_StackFrame &stack);

#define NANOCLR_NATIVE_DECLARE(name) static HRESULT name(CLR_RT_StackFrame &stack)

struct CLR_RECORD_VERSION
{
    uint16_t iMajorVersion, iMinorVersion, iBuildNumber, iRevisionNumber;
};

struct CLR_RT_NativeAssemblyData
{
    const char *m_szAssemblyName;
    uint32_t m_checkSum;
    const CLR_RT_MethodHandler *m_pNativeMethods;
    CLR_RECORD_VERSION m_Version;
};

#endif
