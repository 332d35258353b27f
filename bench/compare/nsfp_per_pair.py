#!/usr/bin/python3
"""A whole NSFP fit per pair: advect's nsfp beside the published algorithm written in PyTorch, on the
four bundled lidar pairs (KITTI, Argoverse 2, two PandaSet), the same 2048 points of each, one run.

    bash scripts/build.sh && PYTHONPATH=build/python /usr/bin/python3 bench/compare/nsfp_per_pair.py

The PyTorch fit is NSFP as its public code runs (Li, Kaesemodel Pontes and Lucey, NeurIPS 2021;
shared/notes/anchors.md; `optimization.py`, `utils.py` of Lilac-Lee/Neural_Scene_Flow_Prior): the flow
network f is Linear(3,128)+ReLU, 7 x [Linear(128,128)+ReLU], Linear(128,3) (PyTorch's default
initialisation, seeded) and the backward network g starts as a copy of it (`copy.deepcopy(net)`);
loss Chamfer(pc1 + f, pc2) + Chamfer(pc1 + f - g(pc1 + f), pc1) with squared distances >= 2 m^2
counted as 0, Adam lr 0.008 and weight decay 1e-4, at most 5000 iterations; its EarlyStopping: stop
once `patience` iterations have passed without the loss falling below best - 1e-4, best moving only
on such a fall; the flow of the lowest-loss iteration. Nearest neighbours by brute force without
gradient (torch.cdist and argmin: at 2048 x 2048 that is faster on the CPU than a k-d tree), the loss
differentiated through the distances to them, as with pytorch3d's knn_points. Each network starts
fresh per pair, as advect's does.

Prints per pair: seconds, iterations and EPE3D of both, and the ratio of seconds. With --seeds N
both fit each pair once per network seed 0..N-1 (the same points): a fit's accuracy and length move
from seed to seed, so "equal accuracy" is read on the means; the rows give means and the EPE3D range.
With --same-init advect starts from PyTorch's draw of the network for each seed instead of its own
(the same distribution from another random stream), so that both fits start from the same point.
"""
import argparse
import copy
import os
import pathlib
import time

import numpy as np
import torch

import advect
from nsfp_torch import as_advect_parameters, nsfp_mlp

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAIRS = ("kitti/kitti_hplflownet_000000.npz", "av2/av2_7fab2350.npz",
         "pandaset/pandaset002_05_06.npz", "pandaset/pandaset002_22_23.npz")


def subsample(pair, points, seed):
    rng = np.random.default_rng(seed)
    i = rng.choice(len(pair["pc1"]), size=min(points, len(pair["pc1"])), replace=False)
    j = rng.choice(len(pair["pc2"]), size=min(points, len(pair["pc2"])), replace=False)
    return (pair["pc1"][i].astype(np.float32), pair["pc2"][j].astype(np.float32),
            pair["flow"][i].astype(np.float32))


def truncated_chamfer(x, y, truncate=2.0):
    # Nearest neighbours found without gradient (as pytorch3d's knn_points), the distances to them
    # differentiated: the gradient NSFP's code sees.
    with torch.no_grad():
        d = torch.cdist(x, y)
        nearest_in_y, nearest_in_x = d.argmin(dim=1), d.argmin(dim=0)
    forward = (x - y[nearest_in_y]).square().sum(dim=1)
    backward = (y - x[nearest_in_x]).square().sum(dim=1)
    forward = torch.where(forward >= truncate, torch.zeros_like(forward), forward)
    backward = torch.where(backward >= truncate, torch.zeros_like(backward), backward)
    return forward.mean() + backward.mean()


def torch_nsfp(pc1, pc2, patience, seed, network=None):
    """The published fit; `network` (f) continues from an earlier pair's instead of a fresh draw,
    as NSFP's code runs a sequence (g is copied from f for every pair, as there). Returns the
    lowest-loss flow, the iterations and f as the fit left it."""
    torch.manual_seed(seed)
    f = network if network is not None else nsfp_mlp()
    g = copy.deepcopy(f)
    optimiser = torch.optim.Adam(list(f.parameters()) + list(g.parameters()), lr=8e-3,
                                 weight_decay=1e-4)
    x, y = torch.from_numpy(pc1), torch.from_numpy(pc2)
    lowest, lowest_flow = float("inf"), None
    reference, since_reference = None, 0  # NSFP's EarlyStopping(min_delta=1e-4)
    for iteration in range(5000):
        optimiser.zero_grad()
        flow = f(x)
        warped = x + flow
        loss = truncated_chamfer(warped, y) + truncated_chamfer(warped - g(warped), x)
        value = loss.item()
        if value <= lowest:
            lowest, lowest_flow = value, flow.detach().numpy().copy()
        if reference is None or value < reference - 1e-4:
            reference, since_reference = value, 0
        else:
            since_reference += 1
            if since_reference >= patience:
                break
        loss.backward()
        optimiser.step()
    return lowest_flow, iteration + 1, f


def epe(flow, truth):
    return float(np.linalg.norm(flow - truth, axis=1).mean())


def fits(pc1, pc2, truth, patience, seeds, same_init):
    """Per fitter (PyTorch, advect): lists of seconds, iterations and EPE3D over the seeds."""
    runs = {"torch": ([], [], []), "advect": ([], [], [])}
    for seed in range(seeds):
        network, initial = None, None
        if same_init:
            torch.manual_seed(seed)
            network = nsfp_mlp()
            initial = as_advect_parameters(network, network)  # f, and g its copy
        start = time.perf_counter()
        flow, iterations, _ = torch_nsfp(pc1, pc2, patience, seed, network)
        for column, value in zip(runs["torch"], (time.perf_counter() - start, iterations,
                                                 epe(flow, truth))):
            column.append(value)
        start = time.perf_counter()
        flow, stats = advect.scene_flow(pc1, pc2, "nsfp", patience=patience, seed=seed,
                                        initial_parameters=initial, device="cpu")
        for column, value in zip(runs["advect"], (time.perf_counter() - start,
                                                  stats["iterations"], epe(flow, truth))):
            column.append(value)
    return runs


def cells(seconds, iterations, errors):
    spread = f" ({min(errors):.3f}-{max(errors):.3f})" if len(errors) > 1 else ""
    return f"{np.mean(seconds):9.1f} {np.mean(iterations):6.0f} {np.mean(errors):7.4f}{spread}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2048)
    parser.add_argument("--patience", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=1, help="network seeds per pair (0..N-1)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="PyTorch's threads (default: every core, as advect uses)")
    parser.add_argument("--flush-denormal", action="store_true",
                        help="torch.set_flush_denormal(True) first (advect's fits flush "
                             "subnormals to zero on their own; PyTorch does not by default)")
    parser.add_argument("--same-init", action="store_true",
                        help="advect starts from PyTorch's initial networks of each seed")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.flush_denormal and not torch.set_flush_denormal(True):
        parser.error("--flush-denormal: this CPU has no flush-to-zero mode")
    print(f"NSFP per pair, {args.points} points, patience {args.patience}, {args.seeds} seed(s) "
          f"(means); PyTorch {torch.__version__} on {args.threads} thread(s), advect "
          f"{advect.__version__} on the CPU"
          f"{'; PyTorch flushes subnormals' if args.flush_denormal else ''}"
          f"{'; both from the same initial networks' if args.same_init else ''}")
    width = 7 + (14 if args.seeds > 1 else 0)  # " (min-max)"
    print(f"{'pair':34s} {'PyTorch s':>9s} {'iters':>6s} {'EPE3D':<{width}s}   "
          f"{'advect s':>9s} {'iters':>6s} {'EPE3D':<{width}s}  {'ratio':>6s}")
    totals = np.zeros(2)
    for name in PAIRS:
        pc1, pc2, truth = subsample(np.load(ROOT / "data/sceneflow" / name), args.points, 0)
        runs = fits(pc1, pc2, truth, args.patience, args.seeds, args.same_init)
        seconds = np.array([np.mean(runs["torch"][0]), np.mean(runs["advect"][0])])
        totals += seconds
        print(f"{name:34s} {cells(*runs['torch'])}   {cells(*runs['advect'])}  "
              f"{seconds[0] / seconds[1]:5.2f}x", flush=True)
    print(f"{'all four':34s} {totals[0]:9.1f} {'':6s} {'':{width}s}   {totals[1]:9.1f} {'':6s} "
          f"{'':{width}s}  {totals[0] / totals[1]:5.2f}x")


if __name__ == "__main__":
    main()
