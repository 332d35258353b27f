#!/usr/bin/python3
"""How well accumulation gathers the moving objects of a real sequence, and which points it calls moving.

    PYTHONPATH=build/python /usr/bin/python3 bench/sceneflow/accumulation_movers.py [--method M] [--span S] [--window W] [SEQ]

SEQ is ../shared/sceneflow/eulerflow_av2_bird_seq20 by default: 20 real Argoverse 2 sweeps in one world
frame with EulerFlow's per-point flow ESTIMATES (not truth) beside them. advect accumulates the sweeps
to the middle one with its own flows; then, taking EulerFlow's estimate as the reference for what moves
(|flow| >= 0.05 m per 0.1 s sweep, Argoverse 2's threshold, and >= 0.2 m, above its slow noise):
  * flagged: points advect calls moving (speed >= moving_speed, 0.5 m/s) and how many of them move in
    the reference; how many of the reference's movers advect flags;
  * crispness of the reference's moving points: mean and median distance of each carried point to the
    nearest point of the reference sweep, with advect's flow and with poses alone.
"""
import json
import sys
import time

import numpy as np

import advect
import sequence_bench
from sequence_bench import nearest_distances

# m per sweep: Argoverse 2's dynamic threshold, and 2 m/s, above EulerFlow's slow flow noise
THRESHOLDS = (0.05, 0.2)


def main():
    parser = sequence_bench.parser(__doc__, "eulerflow_av2_bird_seq20")
    parser.add_argument("--frames", type=int, default=20)
    args = parser.parse_args()
    if not args.sequence.is_dir():
        sys.exit(f"{args.sequence}: no such sequence directory")

    names = sorted(args.sequence.glob("*.ply"))[: args.frames]
    sweeps = [advect.read_point_cloud(p)[0] for p in names]
    reference_flows = [np.asarray(json.loads(p.with_suffix(".json").read_text()), dtype=np.float32)
                       for p in names[:-1]]
    start = time.time()
    out = advect.accumulate(sweeps, poses=None, method=args.method, span=args.span,
                            window=args.window, warm_start=args.warm_start)
    seconds = time.time() - start
    ref = out["reference"]
    print(f"{args.method} (span {args.span}, window {args.window}): {len(sweeps)} sweeps of {args.sequence.name} carried to sweep {ref} "
          f"in {seconds:.1f} s")

    for threshold in THRESHOLDS:
        flagged = movers = both = 0
        with_flow, pose_only = [], []
        for k, (sweep, flow) in enumerate(zip(sweeps[:-1], reference_flows)):
            rows = out["rows"][k]
            ours = out["speeds"][k] >= 0.5  # m/s, accumulate's moving_speed
            theirs = np.linalg.norm(flow[rows], axis=1) >= threshold
            flagged += int(ours.sum())
            movers += int(theirs.sum())
            both += int((ours & theirs).sum())
            if k != ref and theirs.any():
                with_flow.append(nearest_distances(out["carried"][k][theirs], sweeps[ref]))
                pose_only.append(nearest_distances(sweep[rows][theirs], sweeps[ref]))
        with_flow, pose_only = np.concatenate(with_flow), np.concatenate(pose_only)
        print(f"EulerFlow's movers at >= {threshold} m per sweep: {movers} points, "
              f"{100 * both / max(movers, 1):.1f}% of them flagged by advect; of the {flagged} points "
              f"advect flags, {100 * both / max(flagged, 1):.1f}% are among them")
        print(f"  their crispness (mean / median distance to the reference sweep, {len(with_flow)} "
              f"points of the other sweeps): with {args.method} flow {with_flow.mean():.3f} / "
              f"{np.median(with_flow):.3f} m, pose only {pose_only.mean():.3f} / "
              f"{np.median(pose_only):.3f} m: {100 * (1 - with_flow.mean() / pose_only.mean()):.0f}% "
              f"better (mean), {100 * (1 - np.median(with_flow) / np.median(pose_only)):.0f}% (median)")


if __name__ == "__main__":
    main()
