//
// EdgeNet.Native.NativeKernels (nanoFramework interop layout): the C kernels this class's methods call.
//
#ifndef EDGENET_NATIVE_EDGENET_NATIVE_NATIVEKERNELS_H
#define EDGENET_NATIVE_EDGENET_NATIVE_NATIVEKERNELS_H

#include "EdgeNet_Native.h"
#include "edgenet_kernels.h"

#endif // EDGENET_NATIVE_EDGENET_NATIVE_NATIVEKERNELS_H
