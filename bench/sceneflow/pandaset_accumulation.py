#!/usr/bin/python3
"""Accumulation of a real sequence with exact truth: how sharp the truly moving points get.

    PYTHONPATH=build/python /usr/bin/python3 bench/sceneflow/pandaset_accumulation.py [--method M] [--span S] [--window W]
        [--warm-start]

The 25 PandaSet sweeps of ../shared/sceneflow/pandaset_seq002_00-24 (ground removed, 35 m box, poses
from poses.npz) are carried to the middle sweep with advect's flows, with the exact box-derived flows,
and with poses alone. The truly moving points are those in moving boxes (the pairs' `dynamic`); their
crispness is the mean and median distance of each carried point to the nearest point of the reference
sweep. Also: how many points advect calls moving (speed >= 0.5 m/s) and how many of them truly move.
"""
import time

import numpy as np

import advect
import sequence_bench
from sequence_bench import nearest_distances


def crispness(out, dynamic, ref, sweeps):
    distances = [nearest_distances(out["carried"][k][dynamic[k]], sweeps[ref])
                 for k in range(len(dynamic)) if k != ref and dynamic[k].any()]
    d = np.concatenate(distances)
    return d.mean(), np.median(d), len(d)


def main():
    parser = sequence_bench.parser(__doc__, "pandaset_seq002_00-24")
    args = parser.parse_args()
    data, sweeps, exact = sequence_bench.load_pandaset(args.sequence)
    dynamic = [d["dynamic"].astype(bool) for d in data]

    start = time.time()
    ours = advect.accumulate(sweeps, method=args.method, span=args.span, window=args.window,
                             warm_start=args.warm_start)
    seconds = time.time() - start
    truth = advect.accumulate(sweeps, flows=exact)
    ref = ours["reference"]
    flagged = sum(int((ours["speeds"][k] >= 0.5).sum()) for k in range(len(data)))
    both = sum(int(((ours["speeds"][k] >= 0.5) & dynamic[k]).sum()) for k in range(len(data)))
    movers = sum(int(m.sum()) for m in dynamic)
    print(f"{args.method}{' (warm start)' if args.warm_start else ''} (span {args.span}, window {args.window}): {len(sweeps)} PandaSet sweeps carried to sweep {ref} "
          f"in {seconds:.1f} s")
    print(f"truly moving points: {movers}; advect flags {flagged}, of which {both} "
          f"({100 * both / max(flagged, 1):.1f}%) truly move; {100 * both / max(movers, 1):.1f}% of the "
          f"truly moving are flagged")
    pose_only = [nearest_distances(sweeps[k][dynamic[k]], sweeps[ref])
                 for k in range(len(data)) if k != ref and dynamic[k].any()]
    pose_only = np.concatenate(pose_only)
    for name, out in ((args.method, ours), ("exact flow", truth)):
        mean, median, n = crispness(out, dynamic, ref, sweeps)
        print(f"crispness of the truly moving points ({n}), {name}: {mean:.3f} / {median:.3f} m "
              f"(mean / median); pose only {pose_only.mean():.3f} / {np.median(pose_only):.3f} m: "
              f"{100 * (1 - mean / pose_only.mean()):.0f}% / "
              f"{100 * (1 - median / np.median(pose_only)):.0f}% better")


if __name__ == "__main__":
    main()
