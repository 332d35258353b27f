#!/usr/bin/python3
"""advect's hot paths timed beside the peers' in one run on this machine, with the ratios.

    bash scripts/build.sh && /usr/bin/python3 bench/compare/side_by_side.py [--build build]

Rows (every time is the median of repeated runs, milliseconds):
  * the MLP work of one NSFP iteration at 2048 / 8192 / 32768 points: two 3 -> 8 x 128 ReLU -> 3
    networks, the second applied to the first's output, both backward with a given output gradient,
    one Adam step each (lr 8e-3, weight decay 1e-4), float32. advect: build/bench/advect_bench_mlp
    (BM_NsfpMlpIterationCpu); PyTorch: the same computation with torch.nn and torch.optim.Adam,
    on the threads advect uses (OMP_NUM_THREADS, default all cores) and on one;
  * Chamfer distance of the real 88k x 88k pair (../shared/sceneflow/av2_chamfer_bench_pair_opensceneflow),
    both directions, both search structures built per evaluation: advect (BM_ChamferCpu), Open3D's
    KDTreeFlann in the same binary (BM_ChamferOpen3DKdTree, one thread), scipy's cKDTree (all
    threads; `apt-get install python3-scipy`, skipped without it) and Open3D from Python
    (compute_point_cloud_distance);
  * RK4 on 65536 points of the double gyre (Shadden et al. 2005; A 0.1, eps 0.25, w 2 pi / 10), 200
    steps of 0.05 s: advect's batched solver (BM_Rk4Cpu), a scalar RK4 loop per point in the same
    binary (BM_ScalarRk4Reference, one core) and PyTorch tensors (float64, whole-batch operations);
  * start-up: `advect --help` and `advect info`, wall clock of the whole process.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

from nsfp_torch import nsfp_mlp

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAIR = ROOT.parent / "shared/sceneflow/av2_chamfer_bench_pair_opensceneflow"
SIZES = (2048, 8192, 32768)


def median_ms(run, repeats=15, warmup=2):
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(1e3 * (time.perf_counter() - start))
    return statistics.median(times)


def google_benchmark(program, pattern):
    """Real time in ms per benchmark name, from a Google Benchmark program's JSON output."""
    out = subprocess.run([str(program), f"--benchmark_filter={pattern}", "--benchmark_format=json",
                          "--benchmark_min_time=1", "--benchmark_repetitions=3",
                          "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    times = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            scale = {"ms": 1.0, "us": 1e-3, "ns": 1e-6, "s": 1e3}[b["time_unit"]]
            times[b["run_name"]] = b["real_time"] * scale
    return times


def torch_nsfp_iteration(points, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)

    forward_flow, backward_flow = nsfp_mlp(), nsfp_mlp()
    adam_f = torch.optim.Adam(forward_flow.parameters(), lr=8e-3, weight_decay=1e-4)
    adam_b = torch.optim.Adam(backward_flow.parameters(), lr=8e-3, weight_decay=1e-4)
    x = torch.empty(points, 3).uniform_(-30, 30)
    d_flow = x.clone()  # any gradient: the cost does not depend on its values

    def step():
        adam_f.zero_grad(set_to_none=False)
        adam_b.zero_grad(set_to_none=False)
        flow = forward_flow(x)
        back = backward_flow(flow.detach())
        back.backward(d_flow)
        flow.backward(d_flow)
        adam_f.step()
        adam_b.step()

    return median_ms(step, repeats=10 if points > 10000 else 20)


def torch_gyre_rk4(threads, points=65536, steps=200, h=0.05):
    torch.set_num_threads(threads)
    generator = torch.Generator().manual_seed(1)
    x = torch.rand(points, generator=generator, dtype=torch.float64) * 2.0
    y = torch.rand(points, generator=generator, dtype=torch.float64)
    amplitude, epsilon, omega, pi = 0.1, 0.25, 2.0 * np.pi / 10.0, np.pi

    def velocity(x, y, t):
        a = epsilon * np.sin(omega * t)
        b = 1.0 - 2.0 * a
        f = a * x * x + b * x
        return (-pi * amplitude * torch.sin(pi * f) * torch.cos(pi * y),
                pi * amplitude * torch.cos(pi * f) * torch.sin(pi * y) * (2.0 * a * x + b))

    def solve():
        px, py = x.clone(), y.clone()
        for step in range(steps):
            t = step * h
            k1 = velocity(px, py, t)
            k2 = velocity(px + 0.5 * h * k1[0], py + 0.5 * h * k1[1], t + 0.5 * h)
            k3 = velocity(px + 0.5 * h * k2[0], py + 0.5 * h * k2[1], t + 0.5 * h)
            k4 = velocity(px + h * k3[0], py + h * k3[1], t + h)
            px = px + h / 6.0 * (k1[0] + 2.0 * k2[0] + 2.0 * k3[0] + k4[0])
            py = py + h / 6.0 * (k1[1] + 2.0 * k2[1] + 2.0 * k3[1] + k4[1])
        return px, py

    return median_ms(solve, repeats=3, warmup=1)


def chamfer_rows():
    a = np.load(PAIR / "test_pc0.npy")[:, :3].astype(np.float64)
    b = np.load(PAIR / "test_pc1.npy")[:, :3].astype(np.float64)
    rows = {}
    try:
        from scipy.spatial import cKDTree

        def scipy_chamfer():
            da, _ = cKDTree(b).query(a, k=1, workers=-1)
            db, _ = cKDTree(a).query(b, k=1, workers=-1)
            return (da ** 2).mean() + (db ** 2).mean()

        rows["scipy cKDTree (all threads)"] = median_ms(scipy_chamfer, repeats=7)
    except ImportError:
        print("scipy is not installed (apt-get install python3-scipy): its row is skipped")
    import open3d as o3d

    ca = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(a))
    cb = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(b))

    def open3d_chamfer():
        da = np.asarray(ca.compute_point_cloud_distance(cb))
        db = np.asarray(cb.compute_point_cloud_distance(ca))
        return (da ** 2).mean() + (db ** 2).mean()

    rows["Open3D compute_point_cloud_distance (Python)"] = median_ms(open3d_chamfer, repeats=7)
    return rows, len(a), len(b)


def startup_ms(advect, *arguments):
    return median_ms(lambda: subprocess.run([str(advect), *arguments], check=True,
                                            capture_output=True), repeats=21)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=pathlib.Path, default=ROOT / "build")
    args = parser.parse_args()
    bench = args.build / "bench"
    threads = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count()))
    # Debian's torch calls whichever libblas.so.3 the alternatives system points at.
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    print(f"{os.cpu_count()} cores, advect and PyTorch on {threads} thread(s); torch {torch.__version__}, "
          f"BLAS {blas}")
    if "openblas" not in blas:
        print("  PyTorch runs on the reference BLAS: apt-get install libopenblas0-openmp")

    ours = google_benchmark(bench / "advect_bench_mlp", "BM_NsfpMlpIterationCpu")
    print(f"\n{'NSFP iteration (MLP work)':28} {'advect':>9} {'PyTorch':>9} {'ratio':>6} "
          f"{'PyTorch 1 thread':>17} {'ratio':>6}")
    for n in SIZES:
        mine = ours.get(f"BM_NsfpMlpIterationCpu/{n}/real_time")
        theirs, single = torch_nsfp_iteration(n, threads), torch_nsfp_iteration(n, 1)
        mine_text = f"{mine:9.1f}" if mine else f"{'n/a':>9}"
        ratio = lambda t: f"{t / mine:5.2f}x" if mine else "   n/a"
        print(f"{f'{n} points':28} {mine_text} {theirs:9.1f} {ratio(theirs)} {single:17.1f} "
              f"{ratio(single)}")

    if PAIR.is_dir():
        ours = google_benchmark(bench / "advect_bench_chamfer", "BM_ChamferCpu/real_time|BM_ChamferOpen3DKdTree")
        mine = ours["BM_ChamferCpu/real_time"]
        rows, n, m = chamfer_rows()
        rows = {"Open3D KDTreeFlann, same binary (1 thread)": ours["BM_ChamferOpen3DKdTree/real_time"],
                **rows}
        print(f"\nChamfer {n} x {m}: advect {mine:.1f} ms")
        for name, ms in rows.items():
            print(f"  {name:45} {ms:8.1f} ms   advect is {ms / mine:5.2f}x faster")
    else:
        print(f"\n{PAIR}: not found, Chamfer rows skipped")

    ours = google_benchmark(bench / "advect_bench_integrator",
                            "BM_Rk4Cpu/65536|BM_ScalarRk4Reference/65536")
    mine = ours["BM_Rk4Cpu/65536/real_time"]
    print(f"\nRK4, 65536 double-gyre points x 200 steps: advect {mine:.0f} ms")
    for name, ms in {"scalar loop per point, same binary (1 thread)":
                     ours["BM_ScalarRk4Reference/65536"],
                     f"PyTorch float64 tensors ({threads} threads)": torch_gyre_rk4(threads),
                     "PyTorch float64 tensors (1 thread)": torch_gyre_rk4(1)}.items():
        print(f"  {name:45} {ms:8.0f} ms   advect is {ms / mine:5.2f}x faster")

    advect = args.build / "apps/advect"
    print(f"\nstart-up (whole process): advect --help {startup_ms(advect, '--help'):.0f} ms, "
          f"advect info {startup_ms(advect, 'info'):.0f} ms; python3 -c pass "
          f"{median_ms(lambda: subprocess.run([sys.executable, '-c', 'pass'], check=True), repeats=21):.0f} ms")


if __name__ == "__main__":
    main()
