#!/usr/bin/env bash
# End-to-end checks of `resurgence calibrate` (issue 5): a fit into a band, byte-identical
# outputs for -j 1 / -j 2, the fitted values reproduced by `run`, flags over the targets file,
# error positions and exit codes, and the shipped targets file.
# Usage: calibrate_cli.sh RESURGENCE_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
scenario=$src/scenarios/reference/cells_meanfield.yaml

cat > "$work/targets.yaml" <<YAML
scenario: $scenario
overrides: [horizon_days=180]
replications: 4
budget: 24
parameters:
  - {name: cells.recruit_rate, min: 3.0e-5, max: 1.0e-3, scale: log}
targets:
  - {name: peak, statistic: peak_fighters, band: [1600, 1700], source: "test band, p. 1"}
YAML

# A fit: every output, the best candidate inside the band; -j 1 and -j 2 give the same bytes.
"$bin" -q calibrate --targets "$work/targets.yaml" -o "$work/j1" -j 1 > "$work/table1.txt"
"$bin" -q calibrate --targets "$work/targets.yaml" -o "$work/j2" -j 2 > "$work/table2.txt"
for f in fitted.yaml fit_report.csv trace.csv calibrate.json; do
  [[ -s $work/j1/$f ]] || fail "missing $f"
  cmp -s "$work/j1/$f" "$work/j2/$f" || { diff "$work/j1/$f" "$work/j2/$f" | head; fail "$f differs between -j 1 and -j 2"; }
done
cmp -s "$work/table1.txt" "$work/table2.txt" || fail "printed table differs between -j 1 and -j 2"
head -1 "$work/j1/fit_report.csv" | grep -qx 'target,statistic,band_lo,band_hi,mean,ci95_lo,ci95_hi,inside,n,weight,source' \
  || fail "fit_report.csv header"
grep -q '^peak,peak_fighters,1600,1700,[0-9.]*,[0-9.]*,[0-9.]*,true,4,1,"test band, p. 1"$' "$work/j1/fit_report.csv" \
  || { cat "$work/j1/fit_report.csv"; fail "fit_report row (inside the band, quoted source)"; }
[[ $(($(wc -l < "$work/j1/trace.csv") - 1)) -le 24 ]] || fail "budget exceeded"
grep -q '"inside_all": true' "$work/j1/calibrate.json" || fail "calibrate.json inside_all"
grep -q '"seed": 7' "$work/j1/calibrate.json" || fail "calibrate.json seed (the scenario's)"
grep -q '^  - cells.recruit_rate=[0-9.e-]*$' "$work/j1/fitted.yaml" || fail "fitted.yaml override"
grep -q '^# .*peak: peak_fighters in \[1600, 1700\] (source: test band, p. 1)' "$work/j1/fitted.yaml" || fail "fitted.yaml target comment"
ls "$work/j1" | grep -q tmp && fail "temporary files left"

# Common random numbers: `run` with the fitted overrides and the same seed and replications
# reproduces the fitted mean exactly.
"$bin" -q run "$scenario" $(sed -n 's/^  - //p' "$work/j1/fitted.yaml") -r 4 -s 7 -o "$work/rerun" --no-plots
mean_run=$(awk -F, 'NR > 1 { s += $3; n++ } END { printf "%.4f", s / n }' "$work/rerun/summary.csv")
mean_fit=$(awk -F, '$1 == "peak" { printf "%.4f", $5 }' "$work/j1/fit_report.csv")
[[ $mean_run == "$mean_fit" ]] || fail "rerun mean $mean_run != fitted mean $mean_fit"

# Flags win over the targets file: -r, -s, --budget; the scenario on the command line.
"$bin" -q calibrate "$scenario" --targets "$work/targets.yaml" -o "$work/flags" -r 3 -s 99 --budget 5 > /dev/null
grep -q '"replications": 3' "$work/flags/calibrate.json" || fail "-r"
grep -q '"seed": 99' "$work/flags/calibrate.json" || fail "-s"
grep -q '"evaluations": 5,' "$work/flags/calibrate.json" || fail "--budget"

# Bad targets files: every problem with file:line:column, exit 2, nothing written.
cat > "$work/bad.yaml" <<YAML
scenario: $scenario
parameters:
  - {name: cells.recruit_rate, min: 1.0e-3, max: 1.0e-4}
  - {name: civilians.k, min: 1, max: 500}
targets:
  - {name: peak, statistic: peak_fightrs, band: [1600, 1700], source: x}
  - {name: late, statistic: fighters_active, band: [1], source: x, colour: red}
YAML
set +e
"$bin" calibrate --targets "$work/bad.yaml" -o "$work/never" 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || { cat "$work/err.txt"; fail "bad targets exit code $rc"; }
grep -q 'bad.yaml:3:50: parameters\[0\].max: max (0.0001) must be above min (0.001)' "$work/err.txt" || { cat "$work/err.txt"; fail "range position"; }
grep -q 'bad.yaml:7:68: targets\[1\].colour: unknown key .colour. (allowed: name, statistic, band' "$work/err.txt" || { cat "$work/err.txt"; fail "unknown key position"; }
grep -q 'bad.yaml:7:.*targets\[1\].band: expected \[lo, hi\]' "$work/err.txt" || { cat "$work/err.txt"; fail "band"; }
[[ ! -e $work/never ]] || fail "bad targets wrote outputs"

# Problems only the scenario finds (unknown statistic, a value it rejects), at their lines.
cat > "$work/bad2.yaml" <<YAML
scenario: $scenario
replications: 2
parameters:
  - {name: civilians.k, min: 1, max: 500}
targets:
  - {name: peak, statistic: peak_fightrs, band: [1600, 1700], source: x}
YAML
set +e
"$bin" calibrate --targets "$work/bad2.yaml" -o "$work/never" 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || { cat "$work/err.txt"; fail "bad2 exit code $rc"; }
grep -q 'bad2.yaml:4:38: parameters\[0\].max: civilians.k=500 is rejected by the scenario' "$work/err.txt" || { cat "$work/err.txt"; fail "rejected value position"; }
grep -q "bad2.yaml:6:29: targets\[0\].statistic: 'peak_fightrs' is neither a summary outcome" "$work/err.txt" || { cat "$work/err.txt"; fail "statistic position"; }

# Missing --targets and unknown flags are usage errors (exit 2).
set +e
"$bin" calibrate "$scenario" > /dev/null 2>&1; rc=$?
[[ $rc -eq 2 ]] || fail "missing --targets exit code $rc"
"$bin" calibrate "$scenario" --targets "$work/targets.yaml" --colour red > /dev/null 2>&1; rc=$?
[[ $rc -eq 2 ]] || fail "unknown flag exit code $rc"
set -e

# The shipped targets file reads (its scenario may not exist yet: then only that is reported).
set +e
"$bin" calibrate --targets "$src/scenarios/theatre/targets_2019.yaml" --budget 1 -r 2 -o "$work/theatre" > /dev/null 2> "$work/err.txt"; rc=$?
set -e
if [[ $rc -ne 0 ]]; then
  [[ $rc -eq 2 ]] || { cat "$work/err.txt"; fail "targets_2019 exit code $rc"; }
  grep -q 'baseline_2019.yaml' "$work/err.txt" || { cat "$work/err.txt"; fail "targets_2019 problem"; }
  grep -q 'targets_2019.yaml:' "$work/err.txt" && { cat "$work/err.txt"; fail "targets_2019 has problems of its own"; }
fi
echo "calibrate_cli: ok"
