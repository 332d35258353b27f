#!/usr/bin/env bash
# Configures (once) and builds the instrumented tree build-sanitize/ with clang-14: the whole
# suite with AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer comes with ASan), no
# CUDA, no benchmarks, and the libFuzzer targets of fuzz/. Incremental on re-runs.
# scripts/sanitize.sh and scripts/fuzz.sh call it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh clang-14 libclang-rt-14-dev libomp-14-dev
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DADVECT_CUDA=OFF \
  -DADVECT_SANITIZE=address,undefined -DADVECT_FUZZ=ON -DADVECT_BUILD_BENCH=OFF \
  > build-sanitize-configure.log 2>&1 || {
  cat build-sanitize-configure.log >&2
  exit 1
}
cmake --build build-sanitize --parallel "$(nproc)"
