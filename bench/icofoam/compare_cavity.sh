#!/usr/bin/env bash
# The issue's speed comparison, both solvers on this machine in one go: the lid-driven cavity at
# Re = 1000 on 128^2 cells to t = 47 s with OpenFOAM's icoFoam (PISO, 2 correctors, GAMG pressure,
# central differences, dt = 0.0025 s: Courant number <= 0.31; the case is in this folder) on one
# core, then `advect cfd run cavity` on one thread (OMP_NUM_THREADS=1) and on all of them. Prints
# microseconds per cell-step and the Ghia errors of each. Needs Debian's openfoam package
# (installed if missing, as root) and a built advect (scripts/build.sh). About 5 minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
advect="$here/../../build/apps/advect"
[ -x "$advect" ] || { echo "compare_cavity: build advect first (bash scripts/build.sh)" >&2; exit 1; }
if [ ! -f /usr/share/openfoam/etc/bashrc ]; then
  [ "$(id -u)" -eq 0 ] || { echo "compare_cavity: needs the openfoam package (apt-get install openfoam)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q openfoam > /dev/null
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/0" "$here/constant" "$here/system" "$work/"
(
  cd "$work"
  set +u  # OpenFOAM's environment script reads unset variables
  source /usr/share/openfoam/etc/bashrc > /dev/null 2>&1
  blockMesh > log.blockMesh 2>&1
  icoFoam > log.icoFoam
)
seconds=$(grep '^ExecutionTime' "$work/log.icoFoam" | tail -1 | awk '{print $3}')
steps=$(grep -c '^Time = ' "$work/log.icoFoam")
awk -v s="$seconds" -v n="$steps" \
  'BEGIN { printf "icoFoam, 1 core: %d steps in %.1f s, %.3f us per cell-step\n", n, s, s / (n * 16384) * 1e6 }'
/usr/bin/python3 "$here/ghia_errors.py" "$work/47/U"
for threads in 1 "$(nproc)"; do
  echo "advect, $threads thread(s):"
  OMP_NUM_THREADS=$threads "$advect" cfd run cavity --re 1000 --n 128 --pressure-rtol 1e-8 \
    -o "$work/advect$threads" -q | grep -E 'us per cell-step|u_Ghia\|'
done
