"""What the sequence benches share: their command line and the crispness distances."""
import argparse
import pathlib
import sys

import numpy as np
import open3d as o3d


def parser(doc, shared_sequence):
    """The benches' arguments: a sequence folder (default: ../shared/sceneflow/SHARED_SEQUENCE), the
    scene-flow method, the rigid method's span, the sequence method's window and the neural methods'
    warm start."""
    here = pathlib.Path(__file__).resolve().parents[2]
    out = argparse.ArgumentParser(description=doc.splitlines()[0])
    out.add_argument("sequence", nargs="?", type=pathlib.Path,
                     default=here.parent / "shared/sceneflow" / shared_sequence)
    out.add_argument("--method", default="rigid", choices=["rigid", "sequence", "fast", "nsfp"])
    out.add_argument("--span", type=int, default=1, help="rigid: sweeps each sweep is fitted to")
    out.add_argument("--window", type=int, default=4,
                     help="sequence: sweeps on each side each cluster's velocity is fitted to")
    out.add_argument("--warm-start", action="store_true",
                     help="fast, nsfp: each pair's networks start from the previous pair's")
    return out


def to_world(pose, points):
    """(N, 3) points moved by a (4, 4) pose, as float32."""
    return (points.astype(np.float64) @ pose[:3, :3].T + pose[:3, 3]).astype(np.float32)


def load_pandaset(sequence):
    """The PandaSet sequence's pairs (their npz files), its 25 sweeps in the world frame and the
    exact world-frame flow of each sweep but the last; exits naming the folder if it has no pairs."""
    pairs = sorted((sequence / "pairs").glob("*.npz"))
    if not pairs:
        sys.exit(f"{sequence}: no pairs/*.npz")
    poses = np.load(sequence / "poses.npz")["T_world_lidar"].astype(np.float64)
    data = [np.load(p) for p in pairs]
    sensor = [d["pc1"] for d in data] + [data[-1]["pc2"]]
    sweeps = [to_world(poses[k], s) for k, s in enumerate(sensor)]
    # p + flow is the point at t + 1 in the next sensor frame.
    exact = [to_world(poses[k + 1], d["pc1"] + d["flow"]) - sweeps[k] for k, d in enumerate(data)]
    return data, sweeps, exact


def nearest_distances(points, cloud):
    """Distance of each of `points` to the nearest point of `cloud` (exact, Open3D)."""
    as_cloud = lambda p: o3d.geometry.PointCloud(o3d.utility.Vector3dVector(p.astype(np.float64)))
    return np.asarray(as_cloud(points).compute_point_cloud_distance(as_cloud(cloud)))
