#!/usr/bin/env python3
"""The radiance field's forward + backward pass per sample, in PyTorch and in advect, side by side.

The same computation on both: a 16-level hash encoding (2 features, 2^17 entries per level, base
resolution 16, finest 1024, the paper's hash), a 32 -> 64 -> 16 ReLU density network, exp of its
first output, a 32 -> 64 -> 64 -> 3 ReLU/sigmoid colour network on its outputs and degree-4
spherical harmonics of the direction; forward, then backward of a random linear loss into every
parameter. Batch 65536, random points in the unit cube, float32, CPU.

Usage: bench/radiance/torch_field.py [BUILD_DIR]   (default build/)
Prints samples/s for PyTorch and for advect (bench/advect_bench_radiance, BM_RadianceFieldCpu)
on 1 thread and on all threads, and their ratio.
"""
import json
import math
import os
import subprocess
import sys
import time

import torch

N = 65536
LEVELS, FEATURES, LOG2_T, BASE = 16, 2, 17, 16
SCALE = (1024.0 / 16.0) ** (1.0 / 15.0)
PRIMES = (1, 2654435761, 805459861)


class HashGrid(torch.nn.Module):
    def __init__(self):
        super().__init__()
        t = 1 << LOG2_T
        self.levels = []
        offset = 0
        for level in range(LEVELS):
            resolution = math.floor(BASE * SCALE**level)
            vertices = (resolution + 1) ** 3
            hashed = vertices > t
            entries = t if hashed else vertices
            self.levels.append((offset, entries, resolution, hashed))
            offset += entries
        self.table = torch.nn.Parameter(torch.empty(offset, FEATURES).uniform_(-1e-4, 1e-4))
        self.corners = torch.tensor([[(c >> d) & 1 for d in range(3)] for c in range(8)])

    def forward(self, x):
        out = []
        for offset, entries, resolution, hashed in self.levels:
            position = x.clamp(0, 1) * resolution
            lower = position.floor().long().clamp(max=resolution - 1)
            fraction = position - lower
            vertex = lower[:, None, :] + self.corners[None]  # n x 8 x 3
            if hashed:
                index = vertex[..., 0] * PRIMES[0]
                index = index ^ (vertex[..., 1] * PRIMES[1])
                index = (index ^ (vertex[..., 2] * PRIMES[2])) & (entries - 1)
            else:
                r = resolution + 1
                index = vertex[..., 0] + r * (vertex[..., 1] + r * vertex[..., 2])
            weight = torch.where(self.corners[None].bool(), fraction[:, None, :],
                                 1 - fraction[:, None, :]).prod(-1)
            out.append((self.table[offset + index] * weight[..., None]).sum(1))
        return torch.cat(out, 1)


def spherical_harmonics(d):
    x, y, z = d.unbind(-1)
    xx, yy, zz = x * x, y * y, z * z
    return torch.stack([
        torch.full_like(x, 0.28209479177387814), -0.48860251190291987 * y,
        0.48860251190291987 * z, -0.48860251190291987 * x, 1.0925484305920792 * x * y,
        -1.0925484305920792 * y * z, 0.94617469575755997 * zz - 0.31539156525251999,
        -1.0925484305920792 * x * z, 0.54627421529603959 * (xx - yy),
        0.59004358992664352 * y * (-3 * xx + yy), 2.8906114426405538 * x * y * z,
        0.45704579946446572 * y * (1 - 5 * zz), 0.3731763325901154 * z * (5 * zz - 3),
        0.45704579946446572 * x * (1 - 5 * zz), 1.4453057213202769 * z * (xx - yy),
        0.59004358992664352 * x * (-xx + 3 * yy)], -1)


class Field(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.grid = HashGrid()
        self.density = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(),
                                           torch.nn.Linear(64, 16))
        self.colour = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(),
                                          torch.nn.Linear(64, 64), torch.nn.ReLU(),
                                          torch.nn.Linear(64, 3), torch.nn.Sigmoid())

    def forward(self, x, d):
        geometry = self.density(self.grid(x))
        sigma = torch.exp(geometry[:, 0].clamp(max=15))
        rgb = self.colour(torch.cat([geometry, spherical_harmonics(d)], 1))
        return sigma, rgb


def torch_rate(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    field = Field()
    x = torch.rand(N, 3)
    d = torch.nn.functional.normalize(torch.randn(N, 3), dim=1)
    w_sigma, w_rgb = torch.randn(N), torch.randn(N, 3)

    def step():
        field.zero_grad(set_to_none=False)
        sigma, rgb = field(x, d)
        ((sigma * w_sigma).sum() + (rgb * w_rgb).sum()).backward()

    step()
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3.0:
        step()
        runs += 1
    return N * runs / (time.perf_counter() - start)


def advect_rates(build):
    program = os.path.join(build, "bench", "advect_bench_radiance")
    out = subprocess.run([program, "--benchmark_filter=BM_RadianceFieldCpu",
                          "--benchmark_format=json", "--benchmark_min_time=3"],
                         check=True, capture_output=True, text=True).stdout
    rates = {}
    for b in json.loads(out)["benchmarks"]:
        threads = int(b["name"].split("/")[2])
        rates[threads] = b["samples/s"]
    return rates


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    cores = os.cpu_count()
    ours = advect_rates(build)
    print(f"radiance field forward + backward, {N} samples, float32, CPU ({cores} cores), "
          f"torch {torch.__version__}")
    print(f"{'threads':>8} {'PyTorch samples/s':>18} {'advect samples/s':>17} {'ratio':>6}")
    for threads, key in ((1, 1), (cores, 0)):
        theirs = torch_rate(threads)
        print(f"{threads:>8} {theirs:>18.3g} {ours[key]:>17.3g} {ours[key] / theirs:>5.1f}x")


if __name__ == "__main__":
    main()
