#!/usr/bin/env bash
# EdgeNet benchmarks: bash benchmarks/run.sh [all|device|native|memory|inference|training|hyperparameters|accuracy|qat|qat-tuning|timeseries|perceptron|faults|fleet|fuzz|scale|summary]...
# Writes benchmarks/results/*.md and *.json (each stamped with commit, date, machine, .NET, FANN and build flags),
# then "summary": benchmarks/results/SUMMARY.md and the generated tables of README.md and docs/*.md.
# Not part of the test run. "all" takes over an hour on 2 cores, most of it the 1,000,000-case fuzz run
# (EDGENET_FUZZ_CASES sets the count), the accuracy and QAT benchmarks and the long-recording scale run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(all)
[ "${modes[0]}" = all ] && modes=(device native memory inference training hyperparameters accuracy qat-tuning qat timeseries perceptron faults fleet fuzz scale summary)

echo "== building (Release)"
dotnet build benchmarks/EdgeNet.Benchmarks/EdgeNet.Benchmarks.csproj -c Release -v q -nologo | grep -E "error|Warn|Elapsed" || true
bench() { dotnet benchmarks/EdgeNet.Benchmarks/bin/Release/net10.0/edgenet-bench.dll "$@"; }
edgenet() { dotnet benchmarks/EdgeNet.Benchmarks/bin/Release/net10.0/edgenet.dll "$@"; }
# Stamps a Markdown results file written by a tool that does not stamp its own output (a test's report).
stamp() { bench stamp "$1"; }

for mode in "${modes[@]}"; do
  echo "== $mode ($(cut -d' ' -f1-3 /proc/loadavg))"
  case "$mode" in
    # Full JIT optimization from the first call, so the timed loops are not measured in tier-0 code.
    device) DOTNET_TieredCompilation=0 bench device ;;
    training)
      bash benchmarks/training/build-fann.sh
      /usr/bin/python3 -c "import sklearn" 2>/dev/null || { echo "installing python3-sklearn"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn >/dev/null; }
      bench training ;;
    # The training defaults by cross-validation on the training rows (about 30 min on a loaded 2-core machine).
    hyperparameters) edgenet bench hyperparameters --datasets ../shared/datasets ;;
    # EDGENET_ACCURACY_SEEDS (default 5) seeds; scikit-learn's early-stopping column uses EdgeNet's default patience.
    accuracy)
      seeds="${EDGENET_ACCURACY_SEEDS:-5}"
      /usr/bin/python3 -c "import sklearn" 2>/dev/null || { echo "installing python3-sklearn"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn >/dev/null; }
      patience=$(sed -n 's/.*public int Patience = \([0-9]*\);.*/\1/p' trainer/src/Training/TrainOptions.cs)
      /usr/bin/python3 benchmarks/sklearn_reference.py --datasets ../shared/datasets --seeds "$seeds" --hidden 32 --patience "$patience" --out benchmarks/results/sklearn.json
      edgenet bench accuracy --datasets ../shared/datasets --seeds "$seeds" --previous benchmarks/results/accuracy-previous-defaults.json
      edgenet bench accuracy --datasets ../shared/datasets --seeds "$seeds" --only shuttle,gas-drift --class-weights --out benchmarks/results/accuracy-class-weights ;;
    # Quantization-aware fine-tuning against PTQ (docs/training.md): every SPLITS.md benchmark, 5 seeds.
    qat)
      edgenet bench qat --datasets ../shared/datasets --seeds 5 --out benchmarks/results/qat ;;
    # The fine-tuning learning-rate factor, chosen on the validation figures these files report (2 seeds each).
    qat-tuning)
      for f in 0.003 0.01 0.03; do
        edgenet bench qat --datasets ../shared/datasets --only shuttle,gas-drift-b9,satellite --seeds 2 --qat-epochs 10 --qat-lr-factor "$f" --out "benchmarks/results/qat-tuning-lr$f"
      done ;;
    # 200 simulated devices against a local mosquitto (docs/fleet.md).
    fleet)
      command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || { echo "installing mosquitto"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null; }
      edgenet bench fleet --devices 200 --out benchmarks/results/fleet ;;
    native) bash firmware/native/build.sh && DOTNET_TieredCompilation=0 bench native ;;
    timeseries) edgenet bench timeseries ;;
    perceptron) edgenet bench perceptron ;;
    faults)
      EDGENET_FAULT_SCHEDULES=1000 EDGENET_FAULT_REPORT="$PWD/benchmarks/results/faults.md" \
        dotnet test tests/EdgeNet.Tests --filter "FullyQualifiedName~UpdateFaultTests" -v q -nologo
      stamp benchmarks/results/faults.md ;;
    # Long recordings (issue #20): 1 M..30 M generated rows (about 6 GB of temporary files at 30 M, deleted after).
    scale)
      /usr/bin/python3 -c "import pandas" 2>/dev/null || { echo "installing python3-pandas"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pandas >/dev/null; }
      bench scale ;;
    fuzz)
      edgenet fuzz --cases "${EDGENET_FUZZ_CASES:-1000000}" --seed 20261126 --report benchmarks/results/fuzz.md
      stamp benchmarks/results/fuzz.md ;;
    *) bench "$mode" ;;
  esac
done
