#!/usr/bin/python3
"""The flows of a whole real sequence scored against exact truth, per method.

    PYTHONPATH=build/python /usr/bin/python3 bench/sceneflow/pandaset_sequence_flow.py [--methods M ...]

The 25 PandaSet sweeps of ../shared/sceneflow/pandaset_seq002_00-24 are put into one world frame
(poses.npz) and advect.accumulate estimates the 24 flows with each method (the per-pair methods pair
by pair, the sequence method over the whole sequence). Each is scored against the box-derived truth:
the mean end-point error over the points in moving boxes (dynamic EPE) and over the rest (static
EPE), pooled over all pairs; the share of moving points within 0.1 m of their truth; and the 2024
Argoverse 2 ranking's bucketed normalised EPE with PandaSet's classes on the five meta classes,
pooled over the pairs as the official evaluation pools its frames. An EPE and a speed do not depend
on the frame they are measured in, so world-frame flows with no ego motion score exactly as the
pairs' sensor-frame flows with theirs; the 35 m box is taken in each sweep's own sensor frame.
"""
import time

import numpy as np

import advect
import sequence_bench


def main():
    parser = sequence_bench.parser(__doc__, "pandaset_seq002_00-24")
    parser.set_defaults(method=None)
    parser.add_argument("--methods", nargs="+", default=["fast", "rigid", "sequence"])
    args = parser.parse_args()
    data, sweeps, exact = sequence_bench.load_pandaset(args.sequence)
    dynamic = np.concatenate([d["dynamic"].astype(bool) for d in data])
    truth = np.concatenate(exact)
    sensor = np.concatenate([d["pc1"] for d in data])
    classes = np.concatenate([d["semseg"] for d in data])
    print(f"{len(sweeps)} PandaSet sweeps, {dynamic.sum()} of {len(dynamic)} points in moving boxes")
    names = ("CAR", "OTHER_VEHICLES", "PEDESTRIAN", "WHEELED_VRU")
    print(f"{'method':9} {'dynamic EPE/m':>13} {'static EPE/m':>12} {'dyn <0.1 m':>10} "
          f"{'dyn-norm':>8}  " + " ".join(f"{n[:8]:>8}" for n in names) + f" {'seconds':>8}")
    for method in args.methods:
        start = time.time()
        out = advect.accumulate(sweeps, method=method, span=args.span, window=args.window)
        seconds = time.time() - start
        flows = np.concatenate(out["flows"])
        error = np.linalg.norm(flows - truth, axis=1)
        score = advect.evaluate_flow(sensor, flows, truth, classes=classes, ego_motion=np.eye(4),
                                     taxonomy="pandaset")["bucketed"]
        per_class = [score["classes"][n]["dynamic_normalized"] for n in names]
        print(f"{method:9} {error[dynamic].mean():13.4f} {error[~dynamic].mean():12.4f} "
              f"{100 * (error[dynamic] < 0.1).mean():9.1f}% {score['mean_dynamic_normalized']:8.3f}  "
              + " ".join("     n/a" if np.isnan(v) else f"{v:8.3f}" for v in per_class)
              + f" {seconds:8.1f}")


if __name__ == "__main__":
    main()
