#!/usr/bin/env bash
# Where the time goes (issue 20, item 6): `perf record` over each hot path, the top symbols of
# each (self time, all threads), on the Release build in build/. Needs linux-perf and a kernel that
# lets users sample (kernel.perf_event_paranoid <= 2); a VM without performance counters samples
# the CPU clock, which is what these tables show.
#
#   bash bench/profile/profiles.sh [TOP]      e.g. TOP=8; writes the perf data to build/profiles/
set -euo pipefail
cd "$(dirname "$0")/../.."
top="${1:-6}"
out=build/profiles
mkdir -p "$out"
bench=build/bench
shared=../shared/sceneflow

profile() {  # NAME COMMAND...
  local name=$1
  shift
  perf record -q -o "$out/$name.data" -- "$@" > "$out/$name.log" 2>&1
  echo "== $name: $*"
  perf report -i "$out/$name.data" --no-children --sort dso,sym 2>/dev/null |
    grep -E '^ +[0-9]' | sed -E 's/ +/ /g; s/^ //' | head -n "$top" || true
}

once=--benchmark_min_time=0.01  # one run of each benchmark is enough to sample
profile nsfp "$bench/advect_bench_scene_flow" --benchmark_filter=BM_NsfpKittiCpu $once
profile fast "$bench/advect_bench_scene_flow" --benchmark_filter=BM_FastKittiCpu $once
profile mlp-32768 "$bench/advect_bench_mlp" --benchmark_filter=BM_NsfpMlpIterationCpu/32768 \
  --benchmark_min_time=2  # several iterations: one would show the workspace's first touch
profile accumulate-16 build/apps/advect accumulate "$shared/eulerflow_av2_bird_seq20" --frames 0:16 \
  --method fast -q -o "$out/accumulate"
profile cavity-128 "$bench/advect_bench_cavity" --benchmark_filter='Cpu/n:128/rtol_exp:11/' $once
profile cavity-1024 "$bench/advect_bench_cavity" --benchmark_filter='Cpu/n:1024/rtol_exp:11/' $once
rm -rf "$out/vorticity" && build/apps/advect cfd dataset vorticity --cases 12 --frames 20 -q \
  -o "$out/vorticity" > /dev/null
profile surrogate-train build/apps/advect surrogate train --data "$out/vorticity" \
  --dynamics-iterations 200 -o "$out/surrogate.model"
