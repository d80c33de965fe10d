#!/usr/bin/env bash
# Builds the EdgeNet C kernels (firmware/native/src) with the system C compiler.
#   build.sh                 -> artifacts/native/libedgenet_kernels.so (what the P/Invoke tests and benchmarks load)
#   build.sh --sanitize [N]  -> also builds test/sanitize_driver.c with the kernels under
#                               -fsanitize=undefined,address and runs it on N random layers of every kind
# Used by .ci/run and by tests/EdgeNet.Tests (an MSBuild target runs it when a source is newer than the library).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/native"
mkdir -p "$out"
cc="${CC:-cc}"
warn=(-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Werror)
src=("$here"/src/*.c)

tmp="$out/.libedgenet_kernels.so.$$"
"$cc" "${warn[@]}" -O2 -fPIC -shared -fvisibility=hidden -I"$here/include" "${src[@]}" -o "$tmp"
mv -f "$tmp" "$out/libedgenet_kernels.so"
echo "built $out/libedgenet_kernels.so ($("$cc" --version | head -1), -std=c99 -O2)"

if [ "${1:-}" = "--sanitize" ]; then
  san=(-fsanitize=undefined,address -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1)
  # The driver's 128-bit reference needs GNU C; the kernels themselves are compiled as strict C99.
  objects="$(mktemp -d)"
  (cd "$objects" && "$cc" "${warn[@]}" "${san[@]}" -I"$here/include" -c "${src[@]}")
  "$cc" -std=gnu99 -Wall -Wextra -Werror "${san[@]}" -I"$here/include" "$here/test/sanitize_driver.c" "$objects"/*.o -o "$out/sanitize_driver"
  rm -rf "$objects"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$out/sanitize_driver" "${2:-20000}"
  # The interop glue, compiled with the host C++ compiler against a stand-in of the nanoCLR declarations it uses
  # (test/nanoclr_mock) and driven through its lookup table: argument order and bounds checks.
  cxx="${CXX:-c++}"
  objects="$(mktemp -d)"
  (cd "$objects" && "$cc" "${warn[@]}" "${san[@]}" -I"$here/include" -c "${src[@]}")
  "$cxx" -std=c++11 -Wall -Wextra -Werror "${san[@]}" -I"$here/test/nanoclr_mock" -I"$here/interop" -I"$here/include" \
    "$here/interop/EdgeNet_Native.cpp" "$here/interop/EdgeNet_Native_EdgeNet_Native_NativeKernels.cpp" "$here/test/glue_driver.cpp" \
    "$objects"/*.o -o "$out/glue_driver"
  rm -rf "$objects"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$out/glue_driver"
fi
