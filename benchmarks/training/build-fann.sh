#!/usr/bin/env bash
# Builds the FANN driver of the training benchmark against Debian's libfann (the library as Debian ships
# it, not rebuilt); installs libfann-dev when it is missing. The driver itself: gcc -O3 -march=native.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f /usr/include/fann.h ]; then
  echo "installing libfann-dev"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libfann-dev) >/dev/null
fi
mkdir -p ../../artifacts/bench
flags="-O3 -march=native"
gcc $flags -o ../../artifacts/bench/fann_bench fann_bench.c -lfloatfann -lm
# What the results files stamp: the flags, the compiler and the library package actually linked.
{
  echo "flags=$flags"
  echo "gcc=$(gcc -dumpfullversion)"
  echo "libfann=$(dpkg-query -W -f='${Package} ${Version}' 'libfann2*' 2>/dev/null | head -1)"
} > ../../artifacts/bench/fann_bench.info
echo "built artifacts/bench/fann_bench ($flags)"
