#!/usr/bin/python3
"""The fast (distance-transform) method with its networks' matrix products in bf16 against fp32, on
the four bundled lidar pairs (KITTI, Argoverse 2, two PandaSet), every point, three seeds each
(the fit's own spread from seed to seed is the scale a precision change must be read against):
accuracy against each pair's true flow, iterations and milliseconds per iteration, means over the
seeds (EPE3D also its range). Optionally nsfp on 2048 points too.

    bash scripts/build.sh && PYTHONPATH=build/python /usr/bin/python3 bench/compare/bf16_accuracy.py [--nsfp]

bf16 rounds the inputs of every product to bfloat16 (8 significant bits) and sums in float32
(AVX512-BF16 here; the CPU must have it). Metrics as advect.evaluate_flow computes them (FlowNet3D /
NSFP definitions, shared/notes/anchors.md). The pairs' ego motion is given where they have one, so
both precisions fit the motion beyond it.
"""
import argparse
import pathlib
import time

import numpy as np

import advect

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAIRS = ("kitti/kitti_hplflownet_000000.npz", "av2/av2_7fab2350.npz",
         "pandaset/pandaset002_05_06.npz", "pandaset/pandaset002_22_23.npz")


SEEDS = (0, 1, 2)


def run(pair, method, precision, points, seed):
    ego = pair["ego_motion"] if "ego_motion" in pair.files else None
    start = time.perf_counter()
    flow, info = advect.scene_flow(pair["pc1"], pair["pc2"], method, points=points, ego_motion=ego,
                                   precision=precision, seed=seed, device="cpu")
    seconds = time.perf_counter() - start
    scores = advect.evaluate_flow(pair["pc1"], flow, pair["flow"],
                                  mask=pair["mask"] if "mask" in pair.files else None)
    return (scores["epe3d"], scores["acc3d_strict"], scores["acc3d_relax"], scores["outliers"],
            info["iterations"], 1e3 * seconds / info["iterations"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nsfp", action="store_true", help="also nsfp on 2048 points per cloud")
    args = parser.parse_args()
    cases = [("fast", None)] + ([("nsfp", 2048)] if args.nsfp else [])
    print(f"advect {advect.__version__}, CPU, seeds {SEEDS}; EPE3D m (mean [min, max]), Acc3DS / "
          f"Acc3DR / outliers % (means), iterations and ms per iteration (means)")
    print(f"{'pair':18s} {'method':6s} {'prec':4s} {'EPE3D':>7s} {'[min,':>7s} {'max]':>7s} "
          f"{'AccS':>5s} {'AccR':>5s} {'Out':>5s} {'iters':>5s} {'ms/it':>6s}")
    for name in PAIRS:
        pair = np.load(ROOT / "data/sceneflow" / name)
        for method, points in cases:
            for precision in ("fp32", "bf16"):
                runs = np.array([run(pair, method, precision, points, seed) for seed in SEEDS])
                mean = runs.mean(axis=0)
                print(f"{pathlib.Path(name).stem[:18]:18s} {method:6s} {precision:4s} "
                      f"{mean[0]:7.4f} {runs[:, 0].min():7.4f} {runs[:, 0].max():7.4f} "
                      f"{100 * mean[1]:5.1f} {100 * mean[2]:5.1f} {100 * mean[3]:5.1f} "
                      f"{mean[4]:5.0f} {mean[5]:6.2f}")


if __name__ == "__main__":
    main()
