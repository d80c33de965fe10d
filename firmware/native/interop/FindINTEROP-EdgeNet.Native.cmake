#
# nf-interpreter CMake module for the EdgeNet.Native interop assembly (docs/native.md).
# Copy this file to nf-interpreter/CMake/Modules and make nf-interpreter/InteropAssemblies/EdgeNet.Native the
# firmware/native folder of this repository (a symbolic link or a copy), then configure the firmware with
#   -DNF_INTEROP_ASSEMBLIES="EdgeNet.Native"     (or "NF_INTEROP_ASSEMBLIES": "EdgeNet.Native" in CMakePresets.json)
#

# native code directory: firmware/native of the EdgeNet repository
set(BASE_PATH_FOR_THIS_MODULE ${PROJECT_SOURCE_DIR}/InteropAssemblies/EdgeNet.Native)

list(APPEND EdgeNet.Native_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/CLR/Core)
list(APPEND EdgeNet.Native_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/CLR/Include)
list(APPEND EdgeNet.Native_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/HAL/Include)
list(APPEND EdgeNet.Native_INCLUDE_DIRS ${PROJECT_SOURCE_DIR}/src/PAL/Include)
list(APPEND EdgeNet.Native_INCLUDE_DIRS ${BASE_PATH_FOR_THIS_MODULE}/interop)
list(APPEND EdgeNet.Native_INCLUDE_DIRS ${BASE_PATH_FOR_THIS_MODULE}/include)
list(APPEND EdgeNet.Native_INCLUDE_DIRS ${BASE_PATH_FOR_THIS_MODULE}/src)

# the interop glue (C++) and the kernels (C99): int8, then the 16x8 variants
set(EdgeNet.Native_SRCS
    interop/EdgeNet_Native.cpp
    interop/EdgeNet_Native_EdgeNet_Native_NativeKernels.cpp
    src/fixed_point.c
    src/fully_connected.c
    src/conv1d.c
    src/max_pool1d.c
    src/avg_pool1d.c
    src/recurrent.c
    src/fully_connected16.c
    src/conv1d16.c
    src/max_pool1d16.c
    src/avg_pool1d16.c
    src/recurrent16.c
)

foreach(SRC_FILE ${EdgeNet.Native_SRCS})
    set(EdgeNet.Native_SRC_FILE SRC_FILE-NOTFOUND)
    find_file(EdgeNet.Native_SRC_FILE ${SRC_FILE}
        PATHS ${BASE_PATH_FOR_THIS_MODULE}
        CMAKE_FIND_ROOT_PATH_BOTH
    )
    list(APPEND EdgeNet.Native_SOURCES ${EdgeNet.Native_SRC_FILE})
endforeach()

include(FindPackageHandleStandardArgs)

FIND_PACKAGE_HANDLE_STANDARD_ARGS(EdgeNet.Native DEFAULT_MSG EdgeNet.Native_INCLUDE_DIRS EdgeNet.Native_SOURCES)
