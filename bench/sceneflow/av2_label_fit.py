#!/usr/bin/python3
"""How well the bundled Argoverse 2 pair's labelled flow fits its points, on the car that holds most
of the rigid method's dynamic error.

    PYTHONPATH=build/python /usr/bin/python3 bench/sceneflow/av2_label_fit.py

The car passing 5-8 m from the sensor (about 980 points moving >= 0.5 m per sweep beyond the ego
motion near (-5.3, -2.4) in the second sweep's frame) is moved by the labelled flow, by advect's
rigid flow and by the ego motion alone, and by the ego motion plus shifts along the labelled
direction; each is scored against the second sweep as the rigid method scores a fit: the mean of
min(d, 0.2 m)^2 over the car's points, the rmse and share of points within 0.2 m. A flow that
matches the points scores lowest.
"""
import pathlib

import numpy as np
import open3d as o3d

import advect

GATE = 0.2


def main():
    here = pathlib.Path(__file__).resolve().parents[2]
    pair = advect.read_scene_flow_pair(here / "data/sceneflow/av2/av2_7fab2350.npz")
    pc1, pc2, truth, ego = pair["pc1"], pair["pc2"], pair["flow"], pair["ego_motion"]
    rigid, _ = advect.scene_flow(pc1, pc2, method="rigid", ego_motion=ego)
    ego_flow = pc1 @ ego[:3, :3].T + ego[:3, 3] - pc1
    beyond = truth - ego_flow
    moved = pc1 + ego_flow
    car = (np.linalg.norm(beyond, axis=1) > 0.5) & (
        np.linalg.norm(moved[:, :2] - [-5.3, -2.4], axis=1) < 4)
    tree = o3d.geometry.KDTreeFlann(
        o3d.geometry.PointCloud(o3d.utility.Vector3dVector(pc2.astype(np.float64))))

    def score(points):
        d2 = np.array([tree.search_knn_vector_3d(q, 1)[2][0] for q in points.astype(np.float64)])
        inside = d2 < GATE * GATE
        return np.minimum(d2, GATE * GATE).mean(), np.sqrt(d2[inside].mean()), inside.mean()

    direction = beyond[car].mean(0)
    print(f"{car.sum()} car points; labelled motion beyond the ego motion {np.linalg.norm(direction):.3f} m, "
          f"rigid's {np.linalg.norm((rigid - ego_flow)[car].mean(0)):.3f} m")
    print(f"{'moved by':28} {'truncated/m^2':>13} {'rmse/m':>7} {'within 0.2 m':>12}")
    for name, flow in (("labelled flow", truth), ("advect rigid", rigid), ("ego motion only", ego_flow)):
        print(f"{name:28} %13.5f %7.4f %11.0f%%" % tuple(s * (100 if i == 2 else 1)
                                                       for i, s in enumerate(score((pc1 + flow)[car]))))
    direction /= np.linalg.norm(direction)
    for shift in np.arange(0.3, 1.01, 0.1):
        t, r, w = score((moved + shift * direction)[car])
        print(f"{'ego + %.1f m along the label' % shift:28} {t:13.5f} {r:7.4f} {100 * w:11.0f}%")


if __name__ == "__main__":
    main()
