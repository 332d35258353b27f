#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/TARGET/) from the io test fixtures and small
files made here with numpy, each one valid input for its reader. The surrogate seeds come from
the Python module (its own writer: the model format has no other).

Run from the repository root after a build: PYTHONPATH=build/python /usr/bin/python3 fuzz/make_corpus.py
"""
import io
import json
import pathlib
import shutil
import struct

import numpy as np

import advect

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests/io/fixtures"
CORPUS = ROOT / "fuzz/corpus"


def seed(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def npz_bytes(compressed=True, **arrays):
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


def fixture(name):
    return (FIXTURES / name).read_bytes()


shutil.rmtree(CORPUS, ignore_errors=True)
for name in sorted(FIXTURES.glob("*.npy")):
    seed("npy", name.name, name.read_bytes())
seed("npy", "empty_f4.npy", npy_bytes(np.zeros((0, 3), np.float32)))
seed("npy", "fortran_f8.npy", npy_bytes(np.asfortranarray(np.arange(6.0).reshape(2, 3))))
seed("npy", "scalar_i4.npy", npy_bytes(np.array(7, np.int32)))
for name in ("pair_deflated.npz", "pair_stored.npz"):
    seed("npz", name, fixture(name))
for target, names in {"ply": ("cloud_ascii.ply", "cloud_binary.ply"),
                      "pcd": ("cloud_ascii.pcd", "cloud_binary.pcd"),
                      "xyz": ("cloud.xyz",), "kitti_bin": ("cloud.bin",),
                      "npy_cloud": ("cloud_f32.npy", "cloud_f64_intensity.npy", "cloud_f16.npy",
                                    "cloud_be.npy")}.items():
    for name in names:
        seed(target, name, fixture(name))


def lzf_literals(data):
    """LZF with literal runs only (control byte n < 32: n + 1 literal bytes follow), which
    every LZF decoder reads: enough for a valid binary_compressed PCD seed."""
    out = bytearray()
    for start in range(0, len(data), 32):
        chunk = data[start:start + 32]
        out += bytes([len(chunk) - 1]) + chunk
    return bytes(out)


# binary_compressed PCD: sizes, then LZF of the fields one after another (x..., y..., z...).
soa = np.ascontiguousarray(np.frombuffer(fixture("cloud_f32.npy")[-60:], "<f4").reshape(5, 3).T).tobytes()
packed = lzf_literals(soa)
header = fixture("cloud_binary.pcd").split(b"DATA")[0] + b"DATA binary_compressed\n"
seed("pcd", "cloud_compressed.pcd", header + struct.pack("<II", len(packed), len(soa)) + packed)

rotation = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
poses = [np.hstack([np.eye(3), [[0], [0], [0]]]), np.hstack([rotation, [[1.5], [-2], [0.25]]])]
seed("poses", "poses.txt", "".join(" ".join("%.17g" % v for v in p.ravel()) + "\n" for p in poses))
seed("timestamps", "times.txt", "0.0\n0.1036\n0.2071e0\n")

# sweep_folder: the first byte picks the member (0-4: sweep formats, 5: the second pose).
for code, name in enumerate(("cloud.bin", "cloud_binary.ply", "cloud_ascii.pcd", "cloud.xyz",
                             "cloud_f32.npy")):
    seed("sweep_folder", "%d_%s" % (code, name), bytes([code]) + fixture(name))
pose = np.eye(4)
pose[:3, :3], pose[:3, 3] = rotation, [1, 2, 3]
seed("sweep_folder", "5_pose.npy", bytes([5]) + npy_bytes(pose))

P = np.frombuffer(fixture("cloud_f32.npy")[-60:], np.float32).reshape(5, 3)
ego = np.eye(4, dtype=np.float32)
ego[:3, 3] = [0.5, 0, 0]
seed("scene_flow_pair", "pair.npz", fixture("pair_deflated.npz"))
seed("scene_flow_pair", "av2_like.npz",
     npz_bytes(pc1=P, pc2=P + 1, flow=np.ones_like(P), classes=np.array([0, 1, 0, 19, 0], np.uint8),
               ego_motion=ego, mask=np.ones(5, bool)))
seed("scene_flow_pair", "pandaset_like.npz",
     npz_bytes(False, pc1=P, pc2=P, flow=np.zeros_like(P), semseg=np.array([7, 13, 1, 1, 5], np.int32),
               ego_motion=ego))
seed("scene_flow_pair", "flownet3d_kitti.npz",
     npz_bytes(False, pos1=P.astype(np.float64), pos2=P, gt=np.zeros_like(P)))

# cfdbench: even first byte = the first case's case.json, odd = the second case's u.npy.
seed("cfdbench", "0_case.json", b"\0" + json.dumps({"case": "cavity", "frame_interval": 0.1,
                                                     "re": 100.0}).encode())
seed("cfdbench", "1_u.npy", b"\1" + npy_bytes(np.linspace(0, 1, 24, dtype=np.float32).reshape(2, 3, 4)))

# observations: even first byte = observations CSV, odd = query points CSV.
seed("observations", "0_obs.csv", "\0t,x,y,value\n0,0.25,0.5,1.5\n0,0.75,0.5,-1\n0.1,0.5,0.5,2e-3\n")
seed("observations", "1_points.csv", "\1x,y\n0,0\n1,1\n0.5,0.25\n")

# surrogate_model: a model file without its CRC-32 (the harness appends it).
for domain in ("periodic", "box"):
    model = advect.Surrogate({"max_wave_number": 2, "latent_dims": 4, "field_width": 4,
                              "dynamics_width": 4, "domain": domain}, device="cpu", seed=1)
    seed("surrogate_model", domain + ".model", model.to_bytes()[:-4])
