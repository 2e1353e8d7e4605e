#!/usr/bin/env bash
# End-to-end checks of sweeps (issue 6): dry-run, error positions and exit codes, byte-identical
# outputs for -j 1 / -j 2, shards + merge, failure policy, compare and analyze.
# Usage: sweep_cli.sh RESURGENCE_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A small, fast base scenario (mixed-mode civilians in two regions).
cat > "$work/base.yaml" <<'YAML'
name: sweep_base
start_date: 2019-02-01
horizon_days: 60
seed: 4
replications: 3
regions:
  - id: a
    country: iraq
    population: 20000
    legitimacy: 0.6
  - id: b
    country: iraq
    population: 10000
    legitimacy: 0.5
forces:
  - faction: police
    strength: {a: 100, b: 40}
civilians:
  mode: mixed
  scale: 20
YAML

cat > "$work/grid.yaml" <<'YAML'
name: grid_test
base: base.yaml
design: grid
replications: 3
seed: 11
parameters:
  - name: civilians.k
    values: [1, 2.3, 4]
  - name: regions[0].legitimacy
    min: 0.4
    max: 0.8
    steps: 3
YAML

# --dry-run lists 9 points x 3 replications = 27 plans and writes nothing.
"$bin" -q sweep --no-plots "$work/grid.yaml" --dry-run -o "$work/never" > "$work/plans.txt"
[[ $(grep -c '^[0-9]' "$work/plans.txt") -eq 27 ]] || { cat "$work/plans.txt"; fail "dry-run plan count"; }
grep -q '^0,0,0,[0-9]*,civilians.k=1 regions\[0\].legitimacy=0.4$' "$work/plans.txt" || fail "dry-run first plan"
grep -q '^26,8,2,[0-9]*,civilians.k=4 regions\[0\].legitimacy=0.8$' "$work/plans.txt" || fail "dry-run last plan"
[[ ! -e $work/never ]] || fail "dry-run wrote outputs"
"$bin" -q sweep --no-plots "$work/grid.yaml" --dry-run --shard 2/3 | grep -c '^[0-9]' | grep -qx 9 || fail "dry-run shard"

# Bad sweep files: every problem with file:line:column, exit 2, nothing written.
cat > "$work/bad.yaml" <<'YAML'
base: base.yaml
design: grid
replicatons: 3
parameters:
  - name: civilians.k
    values: [1, 500]
  - name: regions[0].legitimacy
    min: 0.9
    max: 0.1
YAML
set +e
"$bin" sweep --no-plots "$work/bad.yaml" -o "$work/never" 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || { cat "$work/err.txt"; fail "bad sweep exit code $rc"; }
grep -q 'bad.yaml:3:1: replicatons' "$work/err.txt" || { cat "$work/err.txt"; fail "unknown key"; }
grep -q 'bad.yaml:9:10: parameters\[1\].max' "$work/err.txt" || { cat "$work/err.txt"; fail "range"; }
cat > "$work/bad2.yaml" <<'YAML'
base: base.yaml
design: list
parameters:
  - name: civilians.k
    values: [1, 500]
  - name: civilians.no_such_thing
    values: [1, 2]
YAML
set +e
"$bin" sweep --no-plots "$work/bad2.yaml" -o "$work/never" 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "bad2 exit code $rc"
grep -q 'bad2.yaml:5:17: parameters\[0\].values\[1\]: civilians.k=500 is rejected by the base scenario' "$work/err.txt" \
  || { cat "$work/err.txt"; fail "value checked against the base"; }
grep -q 'bad2.yaml:7:14: parameters\[1\].values\[0\]: civilians.no_such_thing=1' "$work/err.txt" \
  || { cat "$work/err.txt"; fail "unknown parameter checked against the base"; }
[[ ! -e $work/never ]] || fail "bad input left outputs"
set +e
"$bin" sweep --no-plots "$work/grid.yaml" --shard 4/3 --dry-run >/dev/null 2>&1; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "bad --shard exit code $rc"

# -j 1 and -j 2: byte-identical outputs.
"$bin" -q sweep --no-plots "$work/grid.yaml" -j 1 -o "$work/j1"
"$bin" -q sweep --no-plots "$work/grid.yaml" -j 2 -o "$work/j2"
for f in runs.csv sweep_summary.csv sweep.json design.csv failures.csv; do
  [[ -s $work/j1/$f ]] || fail "missing $f"
  cmp -s "$work/j1/$f" "$work/j2/$f" || fail "$f differs between -j 1 and -j 2"
done
[[ $(wc -l < "$work/j1/runs.csv") -eq 28 ]] || fail "runs.csv rows"
[[ $(wc -l < "$work/j1/sweep_summary.csv") -eq 10 ]] || fail "sweep_summary.csv rows"
head -1 "$work/j1/runs.csv" | grep -q '^point,replication,seed,civilians.k,regions\[0\].legitimacy,' || fail "runs header"
head -1 "$work/j1/sweep_summary.csv" | grep -q '^point,civilians.k,regions\[0\].legitimacy,peak_fighters_mean,peak_fighters_sd,peak_fighters_q05,peak_fighters_q50,peak_fighters_q95,peak_fighters_ci_lo,peak_fighters_ci_hi,' \
  || fail "summary header"
grep -q '"parameters": \[' "$work/j1/sweep.json" || fail "sweep.json parameters"

# Rerunning a finished sweep runs nothing and rewrites the same bytes.
cp "$work/j1/runs.csv" "$work/runs_before.csv"
"$bin" sweep --no-plots "$work/grid.yaml" -j 2 -o "$work/j1" 2> "$work/log.txt"
grep -q '27 done before, 0 to run' "$work/log.txt" || { cat "$work/log.txt"; fail "resume of a finished sweep"; }
cmp -s "$work/j1/runs.csv" "$work/runs_before.csv" || fail "rerun changed runs.csv"

# A changed sweep file is refused in the old folder.
sed 's/seed: 11/seed: 12/' "$work/grid.yaml" > "$work/grid2.yaml"
set +e
"$bin" -q sweep --no-plots "$work/grid2.yaml" -o "$work/j1" 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "changed sweep exit code $rc"
grep -q 'holds another sweep' "$work/err.txt" || { cat "$work/err.txt"; fail "changed sweep message"; }

# Shards into separate folders, then merge: the same bytes as one process.
for i in 1 2 3; do
  "$bin" -q sweep --no-plots "$work/grid.yaml" --shard $i/3 -o "$work/shard$i"
  [[ ! -e $work/shard$i/runs.csv ]] || fail "a shard wrote final outputs"
done
set +e
"$bin" -q merge "$work/shard1" "$work/shard2" -o "$work/merged_partial" 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "merge of missing shards exit code $rc"
grep -q 'plans have no result' "$work/err.txt" || { cat "$work/err.txt"; fail "merge missing message"; }
"$bin" -q merge "$work/shard1" "$work/shard2" "$work/shard3" -o "$work/merged"
for f in runs.csv sweep_summary.csv sweep.json design.csv failures.csv; do
  cmp -s "$work/j1/$f" "$work/merged/$f" || fail "$f differs between merged shards and one process"
done
# Shards sharing one folder finish it themselves.
for i in 2 1; do "$bin" -q sweep --no-plots "$work/grid.yaml" --shard $i/2 -o "$work/shared"; done
cmp -s "$work/j1/runs.csv" "$work/shared/runs.csv" || fail "shards in one folder"

# on_failure: record keeps going and lists the failures (an impossible horizon for one point
# would be caught up front, so use a value only the run can reject: none here), so check stop's
# default message instead through a bad override caught at validation above. Here: the policy
# is at least accepted and recorded.
sed 's/^seed: 11/seed: 11\non_failure: record/' "$work/grid.yaml" > "$work/grid_rec.yaml"
"$bin" -q sweep --no-plots "$work/grid_rec.yaml" -o "$work/rec"
grep -q '"on_failure": "record"' "$work/rec/sweep.json" || fail "on_failure recorded"
[[ $(wc -l < "$work/rec/failures.csv") -eq 1 ]] || fail "no failures expected"

# analyze on the grid: PRCC ranks the parameters.
"$bin" -q analyze "$work/j1" --outcome mean_supporters -b 100 > "$work/analyze.txt"
grep -q 'PRCC' "$work/analyze.txt" || { cat "$work/analyze.txt"; fail "analyze output"; }
[[ -s $work/j1/prcc.csv ]] || fail "prcc.csv"
head -1 "$work/j1/prcc.csv" | grep -q '^outcome,parameter,prcc,' || fail "prcc header"

# compare: common random numbers make identical scenarios differ by exactly nothing.
"$bin" -q compare "$work/base.yaml" "$work/base.yaml" -r 4 -o "$work/same.csv" > "$work/same.txt"
grep -q '^mean_supporters,persons,4,' "$work/same.csv" || { cat "$work/same.csv"; fail "compare csv"; }
awk -F, '$1=="mean_supporters" && $6!="0" {exit 1}' "$work/same.csv" || fail "identical scenarios differ"
sed 's/legitimacy: 0.6/legitimacy: 0.55/' "$work/base.yaml" > "$work/lower.yaml"
"$bin" -q compare "$work/base.yaml" "$work/lower.yaml" -r 6 -j 2 > "$work/cmp.txt"
grep -q 'paired t interval' "$work/cmp.txt" || { cat "$work/cmp.txt"; fail "compare table"; }
grep -q '^mean_supporters' "$work/cmp.txt" || fail "compare outcome row"
! grep -q '^note:' "$work/cmp.txt" || { cat "$work/cmp.txt"; fail "compare: a note for like scenarios"; }
# Outcomes measured over different spans are flagged, not silently differenced.
"$bin" -q compare "$work/base.yaml" "$work/lower.yaml" -r 2 horizon_days=40 resurgence.from_day=10 \
  > "$work/cmp_same_spans.txt"
! grep -q '^note:' "$work/cmp_same_spans.txt" || fail "compare: overrides apply to both"
sed 's/^horizon_days: .*/horizon_days: 40/' "$work/base.yaml" > "$work/short.yaml"
"$bin" -q compare "$work/base.yaml" "$work/short.yaml" -r 2 > "$work/cmp_short.txt"
grep -q '^note: the horizons differ' "$work/cmp_short.txt" || { cat "$work/cmp_short.txt"; fail "compare: horizons note"; }
{ cat "$work/base.yaml"; echo "resurgence: {from_day: 10}"; } > "$work/later.yaml"
"$bin" -q compare "$work/base.yaml" "$work/later.yaml" -r 2 > "$work/cmp_later.txt"
grep -q '^note: days to resurgence are counted from different days (A from day 0, B from day 10' \
  "$work/cmp_later.txt" || { cat "$work/cmp_later.txt"; fail "compare: from_day note"; }

echo "sweep CLI checks passed"
