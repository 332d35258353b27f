#!/usr/bin/python3
"""Builds the bundled scene-flow pairs in data/sceneflow/ from the reference copies in ../shared.

    /usr/bin/python3 data/sceneflow/make_samples.py [SHARED_DIR]

kitti/kitti_hplflownet_000000.npz  the KITTI Scene Flow 2015 pair as it is (8192 points per cloud,
                                   ground removed, camera frame): pc1, pc2, flow.
av2/av2_7fab2350.npz               the Argoverse 2 pair with official labels, prepared as the AV2
                                   benchmark evaluates: ground removed, 35 m box (|x|, |y| <= 35 m in
                                   each sweep's ego frame): pc1, pc2, flow, mask, classes, ego_motion.

The AV2 labels mark ground only in the first sweep. Ground in the second sweep is found the way
av2-api's map-based ground test works (height above the ground surface <= 0.3 m), with the surface
taken from the first sweep's labelled ground points moved into the second sweep's frame (the ground is
static) and rasterised on 1 m cells.
"""
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
SHARED = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared"
BOX = 35.0           # m, av2-api's evaluation box half-extent
GROUND_HEIGHT = 0.3  # m, av2-api's ground height threshold
CELL = 1.0           # m, raster of the ground surface


def kitti():
    src = SHARED / "sceneflow/kitti_hplflownet_pair_ddfloss"
    load = lambda name: np.loadtxt(src / name, dtype=np.float32)
    out = HERE / "kitti/kitti_hplflownet_000000.npz"
    out.parent.mkdir(exist_ok=True)
    np.savez_compressed(out, pc1=load("pc1.xyz"), pc2=load("pc2.xyz"), flow=load("gt_flow.xyz"))
    return out


def ground_in_second_sweep(pc1, ground0, ego):
    """Ground mask of pc1 (second sweep, ego-1 frame) from the labelled ground of the first."""
    ground = ground0 @ ego[:3, :3].T + ego[:3, 3]
    cells = np.floor(ground[:, :2] / CELL).astype(np.int64)
    surface = {}
    for (i, j), z in zip(map(tuple, cells), ground[:, 2]):
        surface.setdefault((i, j), []).append(z)
    height = {key: float(np.median(values)) for key, values in surface.items()}
    mask = np.zeros(len(pc1), dtype=bool)
    for n, (x, y, z) in enumerate(pc1):
        i, j = int(np.floor(x / CELL)), int(np.floor(y / CELL))
        near = [height[(i + a, j + b)] for a in (-1, 0, 1) for b in (-1, 0, 1) if (i + a, j + b) in height]
        if near:
            mask[n] = z - np.median(near) <= GROUND_HEIGHT
    return mask


def av2():
    src = SHARED / "sceneflow/av2_sf_pair_7fab2350"
    load = lambda name: np.load(src / name)
    pc0, pc1, flow = load("pc0_xyz.npy"), load("pc1_xyz.npy"), load("flow_gt.npy")
    classes, ground0 = load("classes.npy"), load("is_ground_pc0.npy")
    ego = load("ego1_SE3_ego0.npy").astype(np.float64)
    in_box = lambda p: (np.abs(p[:, 0]) <= BOX) & (np.abs(p[:, 1]) <= BOX)
    keep0 = in_box(pc0) & ~ground0
    ground1 = ground_in_second_sweep(pc1, pc0[ground0].astype(np.float64), ego)
    keep1 = in_box(pc1) & ~ground1
    out = HERE / "av2/av2_7fab2350.npz"
    out.parent.mkdir(exist_ok=True)
    np.savez_compressed(out, pc1=pc0[keep0], pc2=pc1[keep1], flow=flow[keep0],
                        mask=np.ones(keep0.sum(), dtype=bool), classes=classes[keep0],
                        ego_motion=ego.astype(np.float32))
    print(f"av2: first sweep {len(pc0)} -> {keep0.sum()} points ({ground0.sum()} labelled ground), "
          f"second {len(pc1)} -> {keep1.sum()} points ({ground1.sum()} ground by height)")
    return out


if __name__ == "__main__":
    for path in (kitti(), av2()):
        print(f"wrote {path.relative_to(HERE.parent.parent)} ({path.stat().st_size / 1e6:.2f} MB)")
