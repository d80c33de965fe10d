#!/usr/bin/env bash
# set-checksum.sh EdgeNet.Native.pe
# Copies the NativeMethodsChecksum the nanoFramework metadata processor wrote into EdgeNet.Native.pe (a uint32,
# little-endian, at byte offset 0x14 of the .pe) into EdgeNet_Native.cpp, so the firmware's native table
# matches the managed assembly (docs/native.md). Writes through a temporary file and a rename.
set -euo pipefail
pe="${1:?usage: set-checksum.sh path/to/EdgeNet.Native.pe}"
here="$(cd "$(dirname "$0")" && pwd)"
cpp="$here/EdgeNet_Native.cpp"
[ -f "$pe" ] || { echo "$pe: no such file" >&2; exit 1; }
[ "$(stat -c %s "$pe")" -ge 24 ] || { echo "$pe: too short for a nanoFramework PE header" >&2; exit 1; }
sum=$(od -A n -t x4 -j 20 -N 4 "$pe" | tr -d ' \n' | tr 'a-f' 'A-F')
[ "$sum" != "00000000" ] || { echo "$pe: checksum is 0 (no native methods?)" >&2; exit 1; }
tmp="$cpp.tmp.$$"
sed -E "s/0x[0-9A-Fa-f]{8}, \/\/ EDGENET_NATIVE_CHECKSUM/0x$sum, \/\/ EDGENET_NATIVE_CHECKSUM/" "$cpp" > "$tmp"
grep -q "0x$sum, // EDGENET_NATIVE_CHECKSUM" "$tmp" || { rm -f "$tmp"; echo "$cpp: checksum line not found" >&2; exit 1; }
mv -f "$tmp" "$cpp"
echo "EdgeNet_Native.cpp: checksum 0x$sum from $pe"
