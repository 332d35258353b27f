#!/usr/bin/python3
"""Rebuilds data/lidar/av2_bird/ from the reference copy of the EulerFlow AV2 sequence in ../shared:
frames 0000-0007 converted from ASCII PLY (x y z r g b) to binary little-endian PLY with x y z float32.
Run with Debian's python3 (numpy) from the repository root."""
import pathlib
import sys

import numpy as np

SOURCE = pathlib.Path("../shared/sceneflow/eulerflow_av2_bird_seq20")
TARGET = pathlib.Path("data/lidar/av2_bird")
FRAMES = range(8)


def read_ascii_ply(path):
    with open(path) as f:
        count = None
        for line in f:
            if line.startswith("element vertex"):
                count = int(line.split()[2])
            if line.strip() == "end_header":
                break
        values = np.loadtxt(f, usecols=(0, 1, 2), dtype=np.float32)
    assert count == len(values), f"{path}: header says {count} vertices, found {len(values)}"
    return values


def write_binary_ply(path, points):
    header = (
        "ply\nformat binary_little_endian 1.0\n"
        f"element vertex {len(points)}\n"
        "property float x\nproperty float y\nproperty float z\nend_header\n"
    )
    with open(path, "wb") as f:
        f.write(header.encode("ascii"))
        f.write(np.ascontiguousarray(points, dtype="<f4").tobytes())


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    for k in FRAMES:
        points = read_ascii_ply(SOURCE / f"{k:04d}.ply")
        write_binary_ply(TARGET / f"{k:04d}.ply", points)
        print(f"{k:04d}.ply: {len(points)} points")


if __name__ == "__main__":
    sys.exit(main())
