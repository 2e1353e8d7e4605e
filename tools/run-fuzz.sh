#!/usr/bin/env bash
# Fuzzes the scenario loader with libFuzzer + ASan + UBSan (toolchain.md §7).
#   tools/run-fuzz.sh [seconds]     (default 60)
# Builds build-fuzz/ with clang, seeds a corpus from every scenario and test fixture, and
# fails (non-zero) on any crash, sanitizer report, leak or timeout. Reproducers land in
# build-fuzz/artifacts/; replay one with build-fuzz/tests/fuzz/fuzz_loader <file>.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRESURGENCE_FUZZ=ON -DRESURGENCE_TESTS=OFF -DRESURGENCE_WERROR=OFF -DRESURGENCE_MPI=OFF \
  > "$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j2 --target fuzz_loader

corpus="$build/corpus"
artifacts="$build/artifacts"
mkdir -p "$corpus" "$artifacts"
# Seeds: every YAML file the project ships (scenarios may not exist yet).
for dir in "$root/scenarios" "$root/tests/data"; do
  [ -d "$dir" ] || continue
  find "$dir" -name '*.yaml' -type f -print0 | while IFS= read -r -d '' f; do
    cp "$f" "$corpus/seed_$(echo "$f" | md5sum | cut -c1-16).yaml"
  done
done

# Included files are resolved relative to the (fake) fuzz.yaml in the working directory. The
# fuzzer runs in a folder that links the shipped scenarios' and the test fixtures' includes
# (theatre/, baseline_2019.yaml, include/), so that every seed, the 2019 theatre scenarios among
# them, loads past its include: line and the mutations reach the schema checks.
cwd="$build/cwd"
rm -rf "$cwd"
mkdir -p "$cwd"
ln -s "$root/scenarios/theatre" "$cwd/theatre"
ln -s "$root/scenarios/baseline_2019.yaml" "$cwd/baseline_2019.yaml"
ln -s "$root/tests/data/good/include" "$cwd/include"
cd "$cwd"
# -max_len above the largest seed (scenarios/examples/ne_syria_withdrawal.yaml, ~11 KB).
"$build/tests/fuzz/fuzz_loader" "$corpus" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=16384 \
  -artifact_prefix="$artifacts/" -print_final_stats=1
