#!/usr/bin/env bash
# Builds the FANN harness of the training benchmark; installs libfann-dev (Debian) when it is missing.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f /usr/include/fann.h ]; then
  echo "installing libfann-dev"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libfann-dev) >/dev/null
fi
mkdir -p ../../artifacts/bench
gcc -O2 -o ../../artifacts/bench/fann_bench fann_bench.c -lfloatfann -lm
echo "built artifacts/bench/fann_bench"
