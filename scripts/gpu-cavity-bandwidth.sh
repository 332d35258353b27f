#!/usr/bin/env bash
# The cavity step's memory traffic on a CUDA GPU, read from the hardware counters with Nsight
# Compute: DRAM bytes and kernel time summed over a window of kernels of the 2048^2 cavity step
# (float64, rtol 1e-6), after the benchmark's first steps. Prints the bandwidth achieved while the
# kernels run; set it against the GPU's measured copy bandwidth. Run after scripts/gpu-check.sh
# (it uses build-gpu/); output in $OUT or out/gpu-check.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-out/gpu-check}"
mkdir -p "$out"
# The bundle's libraries (scripts/gpu-bundle.sh), as gpu-check.sh sets them for its own programs.
export LD_LIBRARY_PATH="$PWD/.gpu/lib:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
ncu --clock-control none --csv --launch-skip 3000 --launch-count 400 \
  --metrics dram__bytes_read.sum,dram__bytes_write.sum,gpu__time_duration.sum \
  build-gpu/bench/advect_bench_cavity --benchmark_filter='CavityStepCuda/n:2048/rtol_exp:6/bits:64' \
  --benchmark_min_time=2 > "$out/ncu_cavity.csv" 2> "$out/ncu_cavity.err"
echo "ncu exit $?"
[ -s "$out/ncu_cavity.csv" ] || { head -5 "$out/ncu_cavity.err"; exit 1; }
python3 - "$out/ncu_cavity.csv" <<'PY'
import csv, sys
from collections import defaultdict
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) > 10]
head = rows[0]
name, metric, unit, value = (head.index(k) for k in ("Kernel Name", "Metric Name", "Metric Unit", "Metric Value"))
scale = {"byte": 1, "Kbyte": 1e3, "Mbyte": 1e6, "Gbyte": 1e9, "nsecond": 1e-9, "usecond": 1e-6, "msecond": 1e-3, "second": 1}
total = defaultdict(float)
per_kernel = defaultdict(lambda: defaultdict(float))
for r in rows[1:]:
    v = float(r[value].replace(",", "")) * scale[r[unit]]
    total[r[metric]] += v
    per_kernel[r[name][:60]][r[metric]] += v
moved = total["dram__bytes_read.sum"] + total["dram__bytes_write.sum"]
seconds = total["gpu__time_duration.sum"]
print(f"{len(rows) - 1} metric rows; DRAM {moved / 1e9:.3f} GB in {seconds * 1e3:.2f} ms of kernels: "
      f"{moved / seconds / 1e12:.2f} TB/s")
for k, m in sorted(per_kernel.items(), key=lambda kv: -kv[1]["gpu__time_duration.sum"])[:8]:
    b = m["dram__bytes_read.sum"] + m["dram__bytes_write.sum"]
    t = m["gpu__time_duration.sum"]
    print(f"  {t * 1e3:8.2f} ms {b / 1e9:7.3f} GB {b / t / 1e12:5.2f} TB/s  {k}")
PY
