#!/usr/bin/env bash
# `mpiexec -n RANKS resurgence sweep FILE` gives the same bytes as `resurgence sweep FILE`.
# Usage: sweep_mpi.sh RESURGENCE_BINARY SOURCE_DIR MPIEXEC RANKS
set -euo pipefail
bin=$1
src=$2
mpiexec=$3
ranks=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# OpenMPI refuses root and more ranks than cores unless told (toolchain.md §6).
flags=()
if "$mpiexec" --version 2>&1 | grep -Eqi "open ?mpi|openrte"; then
  flags=(--allow-run-as-root --oversubscribe)
fi

cat > "$work/mpi.yaml" <<YAML
name: mpi_test
base: $src/scenarios/reference/epstein_civil_violence.yaml
overrides: [horizon_days=80]
design: lhs
samples: 12
replications: 3
seed: 21
parameters:
  - name: regions[0].legitimacy
    min: 0.7
    max: 0.9
  - {name: civilians.k, min: 1.5, max: 3.5}
  - {name: civilians.max_jail_term, min: 5, max: 40}
YAML

"$bin" -q sweep --no-plots "$work/mpi.yaml" -j 2 -o "$work/single" </dev/null
"$mpiexec" "${flags[@]}" -n "$ranks" "$bin" sweep --no-plots "$work/mpi.yaml" -o "$work/mpi" \
  </dev/null 2> "$work/log.txt" || { cat "$work/log.txt"; fail "mpiexec -n $ranks failed"; }
if (( ranks > 1 )); then
  grep -q "MPI: $ranks ranks" "$work/log.txt" || { cat "$work/log.txt"; fail "not run as $ranks MPI ranks"; }
fi
for f in runs.csv sweep_summary.csv sweep.json design.csv failures.csv; do
  [[ -s $work/mpi/$f ]] || fail "no $f from the MPI run"
  cmp -s "$work/single/$f" "$work/mpi/$f" || fail "$f differs between 1 process and $ranks MPI ranks"
done
# Only rank 0 writes: one journal segment.
[[ $(ls "$work/mpi/journal" | wc -l) -eq 1 ]] || fail "expected one journal segment"

# Resume under MPI: a finished sweep runs nothing and keeps its bytes.
"$mpiexec" "${flags[@]}" -n "$ranks" "$bin" sweep --no-plots "$work/mpi.yaml" -o "$work/mpi" \
  </dev/null 2> "$work/log2.txt" || { cat "$work/log2.txt"; fail "mpiexec resume failed"; }
grep -q "36 done before, 0 to run" "$work/log2.txt" || { cat "$work/log2.txt"; fail "MPI resume"; }
cmp -s "$work/single/runs.csv" "$work/mpi/runs.csv" || fail "MPI resume changed runs.csv"

# A bad sweep file under MPI: exit 2 and the message once per rank at most, no hang.
printf 'base: nowhere.yaml\ndesign: grid\nparameters: []\n' > "$work/bad.yaml"
set +e
timeout 60 "$mpiexec" "${flags[@]}" -n "$ranks" "$bin" sweep --no-plots "$work/bad.yaml" -o "$work/never" \
  </dev/null > /dev/null 2> "$work/err.txt"
rc=$?
set -e
(( rc != 0 && rc != 124 )) || { cat "$work/err.txt"; fail "bad sweep under MPI: exit $rc"; }
grep -q 'bad.yaml:1:7: base' "$work/err.txt" || { cat "$work/err.txt"; fail "bad sweep message"; }
echo "mpi: $ranks ranks, identical outputs"
