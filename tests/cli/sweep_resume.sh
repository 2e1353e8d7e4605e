#!/usr/bin/env bash
# Crash safety (issue 6, point 3): a sweep killed with SIGKILL mid-way, twice, then resumed by
# rerunning the same command, gives byte-for-byte the outputs of an uninterrupted run: nothing
# lost, nothing duplicated. Usage: sweep_resume.sh RESURGENCE_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$work/kill.yaml" <<YAML
name: kill_test
base: $src/scenarios/reference/epstein_civil_violence.yaml
overrides: [horizon_days=300]
design: lhs
samples: 60
replications: 2
seed: 5
parameters:
  - name: regions[0].legitimacy
    min: 0.7
    max: 0.9
  - {name: civilians.k, min: 1.5, max: 3.5}
YAML
plans=120

records() { cat "$work/killed/journal/"*.log 2>/dev/null | grep -vc '^#' || true; }

# Start the sweep, wait until at least $1 plans are recorded, then SIGKILL it.
run_and_kill() {
  "$bin" -q sweep --no-plots "$work/kill.yaml" -j 2 -o "$work/killed" &
  pid=$!
  for _ in $(seq 1 6000); do
    (( $(records) >= $1 )) && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
  done
  kill -0 $pid 2>/dev/null || fail "the sweep finished before it could be killed (at $(records) records)"
  kill -9 $pid
  wait $pid 2>/dev/null || true
  pid=
}

run_and_kill 10
n1=$(records)
(( n1 >= 10 && n1 < plans )) || fail "after the first kill: $n1 records"
[[ ! -e $work/killed/runs.csv ]] || fail "a killed sweep left runs.csv"
run_and_kill $((n1 + 20))
n2=$(records)
(( n2 > n1 && n2 < plans )) || fail "after the second kill: $n2 records (first: $n1)"
[[ $(ls "$work/killed/journal" | wc -l) -eq 2 ]] || fail "expected one journal segment per run"

# Resume: only the missing plans run.
"$bin" sweep --no-plots "$work/kill.yaml" -j 2 -o "$work/killed" 2> "$work/log.txt"
grep -Eq "[0-9]+ done before, [0-9]+ to run" "$work/log.txt" || { cat "$work/log.txt"; fail "resume log"; }
done_before=$(sed -nE 's/.* ([0-9]+) done before, ([0-9]+) to run.*/\1/p' "$work/log.txt")
to_run=$(sed -nE 's/.* ([0-9]+) done before, ([0-9]+) to run.*/\2/p' "$work/log.txt")
(( done_before + to_run == plans )) || fail "resume: $done_before done + $to_run to run != $plans"
(( done_before >= n2 - 2 )) || fail "resume lost records ($done_before done, $n2 were on disk)"

# The uninterrupted run, in another folder, on one thread.
"$bin" -q sweep --no-plots "$work/kill.yaml" -j 1 -o "$work/clean"
for f in runs.csv sweep_summary.csv sweep.json design.csv failures.csv; do
  cmp -s "$work/clean/$f" "$work/killed/$f" || fail "$f differs between the killed+resumed and the clean run"
done
[[ $(wc -l < "$work/killed/runs.csv") -eq $((plans + 1)) ]] || fail "runs.csv rows"
echo "killed at $n1 and $n2 of $plans plans; resumed ran $to_run; outputs identical"
