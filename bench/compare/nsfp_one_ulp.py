#!/usr/bin/python3
"""How far rounding alone moves an nsfp fit: advect's nsfp from PyTorch's initial networks of each
seed, then from the same networks with every parameter moved by one ulp (np.nextafter towards
+inf), on the bundled PandaSet pairs (the same 2048 points as nsfp_per_pair.py).

    PYTHONPATH=build/python /usr/bin/python3 bench/compare/nsfp_one_ulp.py [--seeds 3]

Prints per pair and seed the iterations and EPE3D of both fits. Where one ulp moves the error as
much as a change of implementation does, a few seeds cannot tell two implementations' accuracy
apart (docs/performance.md, "Block by block").
"""
import argparse
import pathlib

import numpy as np
import torch

import advect
from nsfp_per_pair import ROOT, epe, subsample
from nsfp_torch import as_advect_parameters, nsfp_mlp

PAIRS = ("pandaset/pandaset002_05_06.npz", "pandaset/pandaset002_22_23.npz")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--points", type=int, default=2048)
    parser.add_argument("--patience", type=int, default=100)
    args = parser.parse_args()
    print(f"{'pair':<34} seed  iterations EPE3D  | one ulp away")
    for name in PAIRS:
        pc1, pc2, truth = subsample(np.load(ROOT / "data/sceneflow" / name), args.points, 0)
        for seed in range(args.seeds):
            torch.manual_seed(seed)
            network = nsfp_mlp()
            start = as_advect_parameters(network, network).astype(np.float32)
            cells = []
            for initial in (start, np.nextafter(start, np.float32(np.inf))):
                flow, stats = advect.scene_flow(pc1, pc2, "nsfp", patience=args.patience,
                                                seed=seed, initial_parameters=initial,
                                                device="cpu")
                cells.append(f"{stats['iterations']:>10} {epe(flow, truth):.4f}")
            print(f"{pathlib.Path(name).stem:<34} {seed:>4} " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
