#!/usr/bin/env bash
# The device check for a machine with a CUDA GPU: build with CUDA, run the whole suite (the CUDA
# cases now run and compare against the CPU), then the benchmarks on both backends: integrator,
# Chamfer 88k x 88k, MLP, scene flow on the bundled pairs, accumulation, the Poisson solver and the cavity (the minutes-long CPU NSFP run on the
# full Argoverse 2 sweep left out).
# Output lands in $OUT when set (the device tool's result folder), else in ./out/gpu-check.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-out/gpu-check}"
mkdir -p "$out"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 | tee "$out/gpu.txt"
ADVECT_CUDA=ON bash scripts/build.sh > "$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
build/apps/advect info --json | tee "$out/info.json"
ctest --test-dir build --output-on-failure --parallel 4 2>&1 | tee "$out/ctest.log" | tail -15
grep -c "Skipped" "$out/ctest.log" | sed 's/^/skipped test cases: /'
for bench in integrator chamfer mlp scene_flow accumulation poisson cavity; do
  build/bench/advect_bench_$bench --benchmark_filter=-NsfpArgoverseFullCpu \
    --benchmark_out="$out/bench_$bench.json" --benchmark_out_format=json 2>&1 |
    tee "$out/bench_$bench.txt" | grep -E "^BM_|Benchmark"
done
