#!/usr/bin/env bash
# End-to-end checks of the command line: exit codes, messages, outputs, determinism across
# thread counts. Usage: run_cli.sh RESURGENCE_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
scenario=$src/scenarios/reference/epstein_civil_violence.yaml

# --version names the git hash; params prints the table.
"$bin" --version | grep -Eq '^resurgence [0-9]+\.[0-9]+\.[0-9]+ \(git [0-9a-f]{12}|^resurgence .*\(git unknown' \
  || fail "--version"
"$bin" params > "$work/params.txt"
grep -q '^civilians.k ' "$work/params.txt" || fail "params lists civilians.k"

# validate: ok on the shipped scenario, exit 2 with file:line:column on a broken one.
"$bin" validate "$scenario" >/dev/null || fail "validate shipped scenario"
cat > "$work/bad.yaml" <<'YAML'
name: bad
start_date: 2019-02-30
horizon_days: -5
regions:
  - id: a
    country: iraq
    population: 100
    legitimacy: 1.4
colour: blue
YAML
set +e
"$bin" validate "$work/bad.yaml" 2> "$work/err.txt"
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "bad scenario exit code $rc, expected 2"
grep -q 'bad.yaml:2:13: start_date' "$work/err.txt" || { cat "$work/err.txt"; fail "start_date position"; }
grep -q 'bad.yaml:3:15: horizon_days' "$work/err.txt" || { cat "$work/err.txt"; fail "horizon position"; }
grep -q 'bad.yaml:8:17: regions\[0\].legitimacy' "$work/err.txt" || { cat "$work/err.txt"; fail "legitimacy position"; }
grep -q 'bad.yaml:9:1: colour' "$work/err.txt" || { cat "$work/err.txt"; fail "unknown key position"; }

# Every YAML file shipped under scenarios/ validates: scenarios, sweep files, targets files and
# the include-only parts of scenarios/theatre/ (checked through a stand-in that includes them).
while IFS= read -r -d '' f; do
  "$bin" -q validate "$f" || fail "shipped file does not validate: $f"
done < <(find "$src/scenarios" -name '*.yaml' -print0)
# A problem inside an include-only part is reported at the part's own line.
mkdir -p "$work/part"
cp "$src"/scenarios/theatre/*.yaml "$work/part/"
sed -i 's/^forces:/forces:\n  - {faction: no_such_faction_x, strength: {nowhere: 1}}/' "$work/part/forces.yaml"
set +e
"$bin" validate "$work/part/forces.yaml" 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "broken include-only part exit code $rc"
grep -q 'part/forces.yaml:[0-9]*:[0-9]*: forces\[0\]' "$work/err.txt" || { cat "$work/err.txt"; fail "part problem position"; }

# Unknown flags and bad overrides are bad input too.
set +e
"$bin" run "$scenario" --no-such-flag >/dev/null 2>&1; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "unknown flag exit code $rc"
set +e
"$bin" run "$scenario" civilians.k=-1 -o "$work/never" --no-plots 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "bad override exit code $rc"
grep -q 'override 1' "$work/err.txt" || { cat "$work/err.txt"; fail "override message"; }
[[ ! -e $work/never/run.json ]] || fail "bad input left outputs"

# run: outputs exist and are byte-identical with 1 and 8 threads.
"$bin" -q run "$scenario" horizon_days=60 -r 6 -s 11 -j 1 -o "$work/j1" --no-plots
"$bin" -q run "$scenario" horizon_days=60 -r 6 -s 11 -j 8 -o "$work/j4" --no-plots
for f in timeseries.csv events.csv summary.csv run.json; do
  [[ -s $work/j1/$f ]] || fail "missing $f"
  cmp -s "$work/j1/$f" "$work/j4/$f" || fail "$f differs between -j 1 and -j 8"
done
# The same with every mechanism on (cells, attacks, detention, border, events).
withdrawal=$src/scenarios/examples/ne_syria_withdrawal.yaml
"$bin" -q run "$withdrawal" horizon_days=120 -r 3 -j 1 -o "$work/w1" --no-plots
"$bin" -q run "$withdrawal" horizon_days=120 -r 3 -j 8 -o "$work/w8" --no-plots
for f in timeseries.csv events.csv summary.csv run.json; do
  cmp -s "$work/w1/$f" "$work/w8/$f" || fail "$f of the withdrawal differs between -j 1 and -j 8"
done
[[ $(wc -l < "$work/j1/summary.csv") -eq 7 ]] || fail "summary rows"
[[ $(wc -l < "$work/j1/timeseries.csv") -eq 361 ]] || fail "timeseries rows"
grep -q '"overrides": \["horizon_days=60", "replications=6", "seed=11"\]' "$work/j1/run.json" \
  || fail "overrides recorded in run.json"
ls "$work/j1" | grep -q '\.tmp-' && fail "temporary files left behind"

# A failing run (output folder cannot be created) exits 1 and writes nothing.
set +e
"$bin" -q run "$scenario" -o /dev/null/out --no-plots 2>/dev/null; rc=$?
set -e
[[ $rc -eq 1 ]] || fail "runtime failure exit code $rc"

# A second run into the same folder removes the files of the first that it does not write.
"$bin" -q run "$scenario" horizon_days=20 -r 2 outputs.regions=true -o "$work/again" --no-plots
[[ -s $work/again/regions.csv ]] || fail "regions.csv asked for"
"$bin" -q run "$scenario" horizon_days=20 -r 1 -o "$work/again" --no-plots
[[ ! -e $work/again/regions.csv ]] || fail "a stale regions.csv survived a second run"
grep -q '"files": \["timeseries.csv", "events.csv", "summary.csv", "run.json"\]' "$work/again/run.json" \
  || fail "run.json lists the files it belongs with"

# A run whose folder holds something in the way of one of its files (a folder named
# summary.csv) exits 1 and leaves none of its files. (A rename failing part-way through the
# commit is tested in tests/output/files_test.cpp.)
mkdir -p "$work/blocked/summary.csv/occupied"
set +e
"$bin" -q run "$scenario" horizon_days=20 -r 1 -o "$work/blocked" --no-plots 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 1 ]] || fail "blocked output exit code $rc"
grep -q 'summary.csv' "$work/err.txt" || { cat "$work/err.txt"; fail "blocked output message"; }
grep -q 'Success' "$work/err.txt" && fail "blocked output message says Success"
for f in timeseries.csv events.csv run.json; do
  [[ ! -e $work/blocked/$f ]] || fail "a failed run left $f"
done
ls "$work/blocked" | grep -q '\.tmp-' && fail "a failed run left temporary files"

# -v and -q are accepted after the subcommand too; -v adds debug lines, -q leaves only errors.
"$bin" run "$scenario" horizon_days=5 -r 1 -o "$work/verbose" --no-plots -v 2> "$work/v.txt"
grep -q '^debug: ' "$work/v.txt" || { cat "$work/v.txt"; fail "-v after the subcommand gives debug lines"; }
"$bin" validate "$scenario" -q > "$work/q.txt" 2>&1 || fail "validate -q"
echo "run_cli: all checks passed"
