#!/usr/bin/env bash
# The device check for a machine with a CUDA GPU: every CUDA test case (each compares against the
# CPU or an exact solution), the benchmarks on both backends (integrator, Chamfer 88k x 88k, the
# NSFP MLP iteration, scene flow on the bundled pairs, accumulation, the Poisson solver, the
# cavity) and `sceneflow eval` of every method on the bundled real pairs on both devices, each
# under a time limit.
#
# With .gpu/bundle.tar.xz (made by scripts/gpu-bundle.sh on a build machine) it runs those
# programs, for GPU machines without Debian's packages; otherwise it builds with CUDA here.
# Output lands in $OUT when set (the device tool's result folder), else in ./out/gpu-check.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-out/gpu-check}"
mkdir -p "$out"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv 2>&1 | tee "$out/gpu.txt"

if [ -f .gpu/bundle.tar.xz ]; then
  tar -C .gpu -xJf .gpu/bundle.tar.xz
  rm -rf build-gpu && mv .gpu/build-gpu build-gpu
  export LD_LIBRARY_PATH="$PWD/.gpu/lib:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
  export ADVECT_PLUGIN_DIR="$PWD/build-gpu/plugins"  # not the build machine's folder
  # The programs look for data/ and ../shared under the source directory they were built in.
  source_dir=$(cat .gpu/source_dir)
  if [ "$source_dir" != "$PWD" ]; then
    mkdir -p "$(dirname "$source_dir")" && ln -sfn "$PWD" "$source_dir"
  fi
  [ -e "$(dirname "$source_dir")/shared" ] || ln -sfn "$PWD/.gpu/shared" "$(dirname "$source_dir")/shared"
else
  ADVECT_CUDA=ON ADVECT_CUDA_ARCHITECTURES=90 bash scripts/build.sh > "$out/build.log" 2>&1 ||
    { tail -40 "$out/build.log"; exit 1; }
  ln -sfn build build-gpu
fi
bin=build-gpu
"$bin/apps/advect" info --json | tee "$out/info.json"

# Every step is bounded by its own limit and by the whole check's (GPU_CHECK_SECONDS, default 480 s),
# so that a hanging kernel costs minutes of a short device lease, not all of it.
deadline=$((SECONDS + ${GPU_CHECK_SECONDS:-480}))
bounded() {  # seconds command...: runs the command for at most that long, or what is left
  local limit=$1 left=$((deadline - SECONDS))
  shift
  [ "$left" -lt "$limit" ] && limit=$left
  [ "$limit" -le 0 ] && { echo "skipped (the check's time is up): $*"; return 124; }
  timeout "$limit" "$@"
}

echo "== CUDA test cases (the four suites side by side)"
for suite in engine geometry fluids neural; do
  bounded 180 "$bin/tests/advect_${suite}_tests" --gtest_filter='*cuda*:*Cuda*' --gtest_brief=1 \
    > "$out/test_$suite.log" 2>&1 &
done
wait
for suite in engine geometry fluids neural; do
  echo "$suite: $(grep -E '^\[  PASSED  \]|^\[  FAILED  \] [0-9]|^\[  SKIPPED \] [0-9]' "$out/test_$suite.log" | tr '\n' ' ')"
  grep -E -A3 'Failure|^\[  FAILED  \] .*\(' "$out/test_$suite.log" | head -30
done

echo "== scene flow on the bundled real pairs, each method on both devices (advect sceneflow eval)"
for set in av2 pandaset kitti; do
  for method in rigid fast nsfp; do
    for device in cuda cpu; do
      name="eval_${set}_${method}_$device"
      # nsfp as the issues measure it: fitted on 8192 points of each cloud.
      points=(); [ "$method" = nsfp ] && points=(--points 8192)
      bounded 45 "$bin/apps/advect" sceneflow eval "data/sceneflow/$set" --method "$method" \
        --device "$device" "${points[@]}" -q --json "$out/$name.json" > "$out/$name.txt" 2>&1
      echo "== $set $method $device: exit $?"
      cat "$out/$name.txt"
    done
  done
done

echo "== benchmarks (most important first)"
run_bench() {  # name filter seconds
  bounded "$3" "$bin/bench/advect_bench_$1" --benchmark_filter="$2" --benchmark_min_time=0.2 \
    --benchmark_out="$out/bench_$1.json" --benchmark_out_format=json > "$out/bench_$1.txt" 2>&1
  echo "advect_bench_$1: exit $?"
  grep -E '^BM_|rror' "$out/bench_$1.txt"
}
run_bench chamfer . 60
run_bench scene_flow 'Cuda|FastArgoverseFullCpu' 150
run_bench cavity 'Cuda|Cpu/n:128/rtol_exp:11' 90
run_bench mlp . 45
run_bench integrator . 45
run_bench poisson Cuda 45
run_bench accumulation . 30
