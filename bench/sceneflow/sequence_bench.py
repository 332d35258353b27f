"""What the sequence benches share: their command line and the crispness distances."""
import argparse
import pathlib

import numpy as np
import open3d as o3d


def parser(doc, shared_sequence):
    """The benches' arguments: a sequence folder (default: ../shared/sceneflow/SHARED_SEQUENCE), the
    scene-flow method, the rigid method's span and the sequence method's window."""
    here = pathlib.Path(__file__).resolve().parents[2]
    out = argparse.ArgumentParser(description=doc.splitlines()[0])
    out.add_argument("sequence", nargs="?", type=pathlib.Path,
                     default=here.parent / "shared/sceneflow" / shared_sequence)
    out.add_argument("--method", default="rigid", choices=["rigid", "sequence", "fast", "nsfp"])
    out.add_argument("--span", type=int, default=1, help="rigid: sweeps each sweep is fitted to")
    out.add_argument("--window", type=int, default=4,
                     help="sequence: sweeps on each side each cluster's velocity is fitted to")
    return out


def nearest_distances(points, cloud):
    """Distance of each of `points` to the nearest point of `cloud` (exact, Open3D)."""
    as_cloud = lambda p: o3d.geometry.PointCloud(o3d.utility.Vector3dVector(p.astype(np.float64)))
    return np.asarray(as_cloud(points).compute_point_cloud_distance(as_cloud(cloud)))
