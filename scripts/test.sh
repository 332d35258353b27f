#!/usr/bin/env bash
# Builds advect and runs the whole test suite (GoogleTest through ctest). CUDA cases run when a
# GPU is visible and skip, saying so, when not.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
