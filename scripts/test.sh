#!/usr/bin/env bash
# Builds advect and runs the whole test suite (GoogleTest and pytest through ctest). CUDA cases
# run when a GPU is visible and skip, saying so, when not. Then the same suite built with
# sanitizers, with the fuzz targets' smoke runs (scripts/sanitize.sh --quick; its slowest
# tests are left to a full `bash scripts/sanitize.sh`). ADVECT_SANITIZE_TESTS=0 skips that part.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
if [ "${ADVECT_SANITIZE_TESTS:-1}" != 0 ]; then
  bash scripts/sanitize.sh --quick
fi
