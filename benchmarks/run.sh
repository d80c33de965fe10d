#!/usr/bin/env bash
# EdgeNet benchmarks: bash benchmarks/run.sh [all|device|inference|memory|training|summary]...
# Writes benchmarks/results/*.md and *.json (machine and date inside) and benchmarks/results/SUMMARY.md.
# Not part of the test run. Takes about 5 minutes on 2 cores for "all".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(all)
[ "${modes[0]}" = all ] && modes=(device memory inference training summary)

echo "== building (Release)"
dotnet build benchmarks/EdgeNet.Benchmarks/EdgeNet.Benchmarks.csproj -c Release -v q -nologo | grep -E "error|Warn|Elapsed" || true
bench() { dotnet benchmarks/EdgeNet.Benchmarks/bin/Release/net10.0/edgenet-bench.dll "$@"; }

for mode in "${modes[@]}"; do
  echo "== $mode"
  case "$mode" in
    # Full JIT optimization from the first call, so the timed loops are not measured in tier-0 code.
    device) DOTNET_TieredCompilation=0 bench device ;;
    training) bash benchmarks/training/build-fann.sh && bench training ;;
    *) bench "$mode" ;;
  esac
done
