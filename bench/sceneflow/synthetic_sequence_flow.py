#!/usr/bin/python3
"""Scene flow of synthetic sequences with exact motion, per method and sensor.

    PYTHONPATH=build/python /usr/bin/python3 bench/sceneflow/synthetic_sequence_flow.py [--methods M ...] [--sweeps N]

The engine's synthetic street (advect.synthetic_street: two cars along the street, one turning out of
a side street, a walker crossing; ground removed, world frame) seen by three sensors: clean, noisy
(3 cm noise, 40 % of the points dropped afresh every sweep), sparse (the noisy sensor with 300
instead of 800 samples per moving box and sweep) and harder (advect.synthetic_street(harder=True):
occlusion, density falling beyond 20 m, 2 cm noise, 20 % dropout, and three more movers: a car
coming into range, one leaving it, a walker past the posts). Every method estimates the flows of all sweeps
through advect.accumulate (per pair, or over the whole sequence); each is scored against the exact
flow: mean end-point error on each moving box's points and on the static street's.
"""
import argparse
import time

import numpy as np

import advect

SENSORS = {
    "clean": dict(),
    "noisy": dict(noise=0.03, dropout=0.4),
    "sparse": dict(noise=0.03, dropout=0.4, points_per_box=300),
    "harder": dict(harder=True),
}
BOXES = ("car along", "oncoming", "turning", "walker", "coming", "going", "walker 2")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=["fast", "rigid", "sequence"])
    parser.add_argument("--sweeps", type=int, default=16)
    args = parser.parse_args()
    print(f"{'sensor':7} {'method':9} {'dynamic EPE/m':>13} {'static EPE/m':>12}  "
          + " ".join(f"{b:>9}" for b in BOXES) + f" {'seconds':>8}")
    for sensor, options in SENSORS.items():
        street = advect.synthetic_street(sweeps=args.sweeps, **options)
        boxes = np.concatenate(street["boxes"][:-1])
        truth = np.concatenate(street["flows"])
        for method in args.methods:
            start = time.time()
            out = advect.accumulate(street["sweeps"], times=np.asarray(street["times"]),
                                    method=method)
            seconds = time.time() - start
            error = np.linalg.norm(np.concatenate(out["flows"]) - truth, axis=1)
            per_box = [error[boxes == b].mean() if (boxes == b).any() else None
                       for b in range(len(BOXES))]
            print(f"{sensor:7} {method:9} {error[boxes >= 0].mean():13.4f} "
                  f"{error[boxes < 0].mean():12.4f}  "
                  + " ".join(f"{'':>9}" if e is None else f"{e:9.4f}" for e in per_box)
                  + f" {seconds:8.1f}")


if __name__ == "__main__":
    main()
