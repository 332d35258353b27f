#!/usr/bin/env bash
# Fuzzes every reader (fuzz/*.cpp) with libFuzzer for SECONDS each (default 60), or until
# FUZZ_RUNS executions (default: no limit), side by side on all cores, and prints a table:
# target, executions, edges covered, crashes. Each target's corpus grows in
# build-sanitize/fuzz/work/TARGET (seeded from fuzz/corpus/TARGET); what crashes is kept in
# build-sanitize/fuzz/findings/TARGET/ (emptied when the target starts; make each a test fixture).
# A crash inside Open3D's readers happens while io/ captures stderr, so its report is not in the
# log: replay the artifact with ASAN_OPTIONS=log_path=FILE to read it.
#   scripts/fuzz.sh [SECONDS]          e.g. FUZZ_RUNS=1000000 scripts/fuzz.sh 1800
# FUZZ_TARGETS="ply pcd" runs only those.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
runs="${FUZZ_RUNS:--1}"
bash scripts/build-instrumented.sh
root="$PWD/build-sanitize/fuzz"
# Each execution writes its input to a file: in memory, when the machine has /dev/shm.
[ -d /dev/shm ] && export TMPDIR=/dev/shm
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
targets="${FUZZ_TARGETS:-$(cd fuzz/corpus && ls)}"

run_target() {
  local name="$1" dict=""
  local work="$root/work/$name" findings="$root/findings/$name"
  rm -rf "$findings"
  mkdir -p "$work" "$findings"
  cp -rn "fuzz/corpus/$name/." "$work/"
  dict=$(sed -n "s/^advect_add_fuzzer($name .*DICT \([^ ]*\).*/\1/p" fuzz/CMakeLists.txt)
  "$root/fuzz_$name" -max_total_time="$seconds" -runs="$runs" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 ${dict:+-dict=fuzz/dictionaries/$dict} \
    -artifact_prefix="$findings/" "$work" > "$root/$name.log" 2>&1 || true
}
export -f run_target
export root seconds runs
echo "advect fuzz: $(echo "$targets" | wc -w) targets, ${seconds} s each (runs limit ${runs}), $(nproc) at a time" >&2
printf "%s\n" $targets | xargs -P "$(nproc)" -I{} bash -c 'run_target {}'

printf '%-18s %12s %8s %8s\n' target executions edges crashes
status=0
for name in $targets; do
  log="$root/$name.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  crashes=$(find "$root/findings/$name" -type f | wc -l)
  [ "$crashes" -eq 0 ] || status=1
  printf '%-18s %12s %8s %8s\n' "$name" "${execs:-?}" "${edges:-?}" "$crashes"
done
exit $status
