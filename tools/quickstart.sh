#!/usr/bin/env bash
# The README's first command: install dependencies, build in Release, run the shipped main
# scenario and render its plots into results/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
scenario=${1:-scenarios/us_withdrawal_2019.yaml}
[[ -f $scenario ]] || scenario=scenarios/reference/epstein_civil_violence.yaml
name=$(basename "$scenario" .yaml)
build/sim/resurgence run "$scenario" -o "results/$name"
echo "results in results/$name (report.html, plots/, *.csv, run.json)"
