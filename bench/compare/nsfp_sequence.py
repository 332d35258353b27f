#!/usr/bin/python3
"""NSFP over the consecutive pairs of a real sequence with exact truth (PandaSet 002, shared/), each
network fresh per pair or warm-started from the previous pair's, advect beside the published
algorithm in PyTorch, the same 2048 points of each pair, one run.

    bash scripts/build.sh && PYTHONPATH=build/python /usr/bin/python3 bench/compare/nsfp_sequence.py [--pairs N]

The PyTorch fit is nsfp_per_pair.py's (NSFP as published: patience 100, the flow of the lowest-loss
iteration). NSFP's own code never re-initialises its flow network between the pairs it is given
(shared/notes/anchors.md) and copies it into the backward network for each pair; its warm start
here does the same, advect's continues both networks from the previous fit's lowest-loss ones
(scene_flow's initial_parameters). No ego motion is given to either (the published algorithm has none).

Prints per fitter and start: seconds, iterations and mean EPE3D over the pairs, and the ratio of
each run's seconds to PyTorch's fresh run.
"""
import argparse
import os
import pathlib
import sys
import time

import numpy as np
import torch

import advect
from nsfp_per_pair import epe, subsample, torch_nsfp

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAIRS = ROOT.parent / "shared/sceneflow/pandaset_seq002_00-24/pairs"


def run_torch(pairs, patience, warm):
    network, totals = None, np.zeros(3)
    for pc1, pc2, truth in pairs:
        start = time.perf_counter()
        flow, iterations, fitted = torch_nsfp(pc1, pc2, patience, 0, network)
        totals += (time.perf_counter() - start, iterations, epe(flow, truth))
        network = fitted if warm else None
    return totals


def run_advect(pairs, patience, warm):
    parameters, totals = None, np.zeros(3)
    for pc1, pc2, truth in pairs:
        start = time.perf_counter()
        flow, info = advect.scene_flow(pc1, pc2, "nsfp", patience=patience,
                                       initial_parameters=parameters, device="cpu")
        totals += (time.perf_counter() - start, info["iterations"], epe(flow, truth))
        parameters = info["parameters"] if warm else None
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=24, help="the first N pairs of the 24")
    parser.add_argument("--points", type=int, default=2048)
    parser.add_argument("--patience", type=int, default=100)
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="PyTorch's threads (default: every core, as advect uses)")
    args = parser.parse_args()
    files = sorted(PAIRS.glob("pandaset002_*.npz"))[:args.pairs]
    if not files:
        sys.exit(f"nsfp_sequence.py: no pairs in {PAIRS} (the shared/ reference data)")
    torch.set_num_threads(args.threads)
    pairs = [subsample(np.load(f), args.points, 0) for f in files]
    print(f"NSFP over {len(pairs)} consecutive PandaSet pairs ({files[0].stem} .. {files[-1].stem}), "
          f"{args.points} points, patience {args.patience}; PyTorch {torch.__version__} on "
          f"{args.threads} thread(s), advect {advect.__version__} on the CPU")
    print(f"{'fit':22s} {'seconds':>8s} {'iterations':>10s} {'mean EPE3D':>10s} {'vs PyTorch fresh':>16s}")
    reference = None
    for name, run in (("PyTorch", run_torch), ("advect", run_advect)):
        for warm in (False, True):
            seconds, iterations, errors = run(pairs, args.patience, warm)
            reference = reference or seconds
            label = f"{name} {'warm start' if warm else 'fresh'}"
            print(f"{label:22s} {seconds:8.1f} {iterations:10.0f} {errors / len(pairs):10.4f} "
                  f"{reference / seconds:15.2f}x", flush=True)


if __name__ == "__main__":
    main()
