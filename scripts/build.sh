#!/usr/bin/env bash
# Configures (once) and builds advect in ./build, incrementally on re-runs.
# CUDA kernels are compiled when nvcc is found (/usr/local/cuda/bin or PATH), for the GPU
# architectures in ADVECT_CUDA_ARCHITECTURES (default 90 = H100/H200; "80;90" adds A100).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
architectures="${ADVECT_CUDA_ARCHITECTURES:-90}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DADVECT_CUDA="${ADVECT_CUDA:-AUTO}" \
  -DCMAKE_CUDA_ARCHITECTURES="$architectures" > build-configure.log 2>&1 || {
  cat build-configure.log >&2
  exit 1
}
cmake --build build --parallel "$(nproc)"
