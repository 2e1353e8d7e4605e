#!/usr/bin/env bash
# `resurgence bench` works: the tiny workloads run, --json prints one parseable object per
# workload with the documented fields, the table prints, bad input exits 2. No timing
# assertions (docs/performance.md holds the numbers). Usage: bench_cli.sh RESURGENCE_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Every default workload, tiny, as JSON lines.
"$bin" -q bench --tiny --json --repeats 2 --min-time 0 --scenarios "$src/scenarios" > "$work/bench.jsonl" \
  || fail "bench --tiny --json exit code"
[[ $(wc -l < "$work/bench.jsonl") -eq 6 ]] || { cat "$work/bench.jsonl"; fail "expected 6 JSON lines"; }

# Parse each line and check the fields (python3's json when present, else a shape check).
if command -v python3 >/dev/null 2>&1; then
  python3 - "$work/bench.jsonl" <<'PY' || fail "JSON check"
import json, sys
names = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    for key in ("workload", "scenario", "agents", "steps", "runs", "repeats", "threads", "seconds",
                "setup_seconds", "agent_steps_per_second", "runs_per_second", "peak_mib",
                "bytes_per_agent", "memory", "load_average", "clock_ghz", "alu_per_ns",
                "alu_per_ns_min", "alu_per_ns_max", "cycles_per_agent_step", "unshared_runs",
                "seconds_unshared", "agent_steps_per_second_unshared", "note"):
        assert key in r, (r.get("workload"), "missing", key)
    assert r["repeats"] == 2, r
    assert r["agents"] > 0 and r["steps"] > 0, r
    assert r["seconds"] is not None and r["seconds"] >= 0, r
    assert r["agent_steps_per_second"] is not None and r["agent_steps_per_second"] > 0, r
    assert r["memory"] in ("VmHWM delta", "ru_maxrss (process peak)"), r
    assert r["clock_ghz"] > 0 and r["alu_per_ns"] > 0, r
    assert 0 <= r["unshared_runs"] <= r["repeats"], r
    assert "per_run" not in r, r
    # cycles an agent-step: single-threaded workloads only (null for the sweep).
    assert (r["cycles_per_agent_step"] is None) == (r["workload"] == "sweep"), r
    names.append(r["workload"])
expected = ["epstein_40", "epstein_200", "civilians_mixed", "theatre", "theatre_full_scale", "sweep"]
assert names == expected, names
PY
else
  while read -r line; do
    [[ $line == \{\"workload\":*\} ]] || fail "not a JSON object: $line"
  done < "$work/bench.jsonl"
fi

# --only picks workloads (in the canonical order); the table has a header and one row each.
"$bin" -q bench --tiny --repeats 1 --min-time 0 --only sweep epstein_40 > "$work/table.txt" || fail "table"
[[ $(sed -n 1p "$work/table.txt") == workload* ]] || { cat "$work/table.txt"; fail "table header"; }
[[ $(sed -n 3p "$work/table.txt") == epstein_40* ]] || { cat "$work/table.txt"; fail "table order"; }
[[ $(sed -n 4p "$work/table.txt") == sweep* ]] || { cat "$work/table.txt"; fail "table sweep row"; }
[[ $(wc -l < "$work/table.txt") -eq 4 ]] || { cat "$work/table.txt"; fail "table rows"; }

# --per-run adds every timed run to the JSON line.
"$bin" -q bench --tiny --json --per-run --repeats 3 --min-time 0 --only epstein_40 > "$work/runs.jsonl" || fail "--per-run"
if command -v python3 >/dev/null 2>&1; then
  python3 - "$work/runs.jsonl" <<'PY' || fail "--per-run JSON"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert len(r["per_run"]) == r["repeats"] == 3, r
for x in r["per_run"]:
    assert set(x) == {"seconds", "cpu_seconds", "clock_ghz", "alu_per_ns"}, x
PY
fi

# A comma-separated list picks the same workloads.
"$bin" -q bench --tiny --repeats 1 --min-time 0 --only sweep,epstein_40 > "$work/comma.txt" || fail "--only a,b"
[[ $(sed -n 3p "$work/comma.txt") == epstein_40* && $(sed -n 4p "$work/comma.txt") == sweep* ]] \
  || { cat "$work/comma.txt"; fail "--only a,b rows"; }

# The scaling series runs too.
"$bin" -q bench --tiny --json --repeats 1 --min-time 0 --only scaling > "$work/scaling.jsonl" || fail "scaling"
[[ $(wc -l < "$work/scaling.jsonl") -eq 17 ]] || { cat "$work/scaling.jsonl"; fail "scaling rows"; }
grep -q '"workload":"blocks_1e3","scenario":"epstein_mesa_' "$work/scaling.jsonl" || fail "the blocks series"
grep -q '"workload":"memory_parallel","scenario":"random cycle of 64-byte lines"' "$work/scaling.jsonl" || fail "the memory pair"

# So does the growth series, the grid taken apart: the still grid has no cops.
"$bin" -q bench --tiny --json --repeats 1 --min-time 0 --only growth > "$work/growth.jsonl" || fail "growth"
[[ $(wc -l < "$work/growth.jsonl") -eq 15 ]] || { cat "$work/growth.jsonl"; fail "growth rows"; }
grep -q '"workload":"grid_still_1e7","scenario":"epstein_mesa_114x114","agents":9097,' "$work/growth.jsonl" \
  || { cat "$work/growth.jsonl"; fail "the still grid"; }
grep -q '"workload":"grid_patrol_1e7","scenario":"epstein_mesa_114x114","agents":10059,' "$work/growth.jsonl" \
  || { cat "$work/growth.jsonl"; fail "the patrolled grid"; }

# --min-time adds runs beyond --repeats (a tiny epstein_40 run is well under a millisecond).
"$bin" -q bench --tiny --json --repeats 1 --min-time 0.05 --only epstein_40 > "$work/floor.jsonl" \
  || fail "--min-time"
grep -Eq '"repeats":([2-9]|[1-9][0-9]+),' "$work/floor.jsonl" || { cat "$work/floor.jsonl"; fail "--min-time added no run"; }

# Bad input: unknown workload, zero repeats, a negative time floor.
set +e
"$bin" -q bench --tiny --only no_such_workload > "$work/out.txt" 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "unknown workload exit code $rc"
grep -q "no_such_workload" "$work/err.txt" || { cat "$work/err.txt"; fail "unknown workload message"; }
# Nothing on stdout, not even the table's header.
[[ ! -s "$work/out.txt" ]] || { cat "$work/out.txt"; fail "unknown workload wrote to stdout"; }
set +e
"$bin" -q bench --tiny --repeats 0 > /dev/null 2>&1; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "--repeats 0 exit code $rc"
set +e
"$bin" -q bench --tiny --min-time -1 > /dev/null 2> "$work/err.txt"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "--min-time -1 exit code $rc"
grep -q "min-time" "$work/err.txt" || { cat "$work/err.txt"; fail "--min-time message"; }
echo "bench_cli: ok"
