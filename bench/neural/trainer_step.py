#!/usr/bin/env python3
"""One training step of a model made from a JSON document, advect's Trainer against PyTorch.

The same computation on both: the hash encoding of bench/radiance/torch_field.py (16 levels x 2
features, 2^17 entries per level, base 16, finest 1024), a 32 -> 64 -> 64 -> 1 ReLU network, the
mean squared error against a target, its backward pass into every parameter and one Adam step
(lr 1e-2, betas 0.9 / 0.99, eps 1e-15). Batch 65536 points in the unit cube, float32, CPU. advect
runs through its Python module (advect.Trainer), so the figure includes the module's copies of
the batch; threads: OMP_NUM_THREADS for advect, torch.set_num_threads for PyTorch.

Usage: PYTHONPATH=build/python bench/neural/trainer_step.py
"""
import os
import pathlib
import subprocess
import sys
import time

import numpy as np
import torch

N = 65536
CONFIG = {
    "encoding": {"otype": "HashGrid", "n_levels": 16, "n_features_per_level": 2, "log2_hashmap_size": 17,
                 "base_resolution": 16, "per_level_scale": (1024.0 / 16.0) ** (1.0 / 15.0)},
    "network": {"otype": "FullyFusedMLP", "n_neurons": 64, "n_hidden_layers": 2, "activation": "ReLU",
                "output_activation": "None"},
    "loss": {"otype": "L2"},
    "optimizer": {"otype": "Adam", "learning_rate": 1e-2, "beta1": 0.9, "beta2": 0.99, "epsilon": 1e-15},
}


def rate(step, seconds=3.0):
    step()
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        runs += 1
    return N * runs / (time.perf_counter() - start)


def torch_rate(threads):
    sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "radiance"))
    from torch_field import HashGrid  # the same encoding as the radiance field's comparison

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(HashGrid(), torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                                torch.nn.ReLU(), torch.nn.Linear(64, 1))
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-2, betas=(0.9, 0.99), eps=1e-15)
    x, y = torch.rand(N, 3), torch.rand(N, 1)

    def step():
        optimiser.zero_grad(set_to_none=False)
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimiser.step()

    return rate(step)


def advect_rate():
    import advect

    trainer = advect.Trainer(CONFIG, 3, 1, device="cpu")
    rng = np.random.default_rng(0)
    x, y = rng.random((N, 3), dtype=np.float32), rng.random((N, 1), dtype=np.float32)
    return rate(lambda: trainer.step(x, y))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--advect-only":
        print(advect_rate())
        return
    cores = os.cpu_count()
    print(f"training step (hash grid + MLP + L2 + Adam), {N} samples, float32, CPU ({cores} cores), "
          f"torch {torch.__version__}")
    print(f"{'threads':>8} {'PyTorch samples/s':>18} {'advect samples/s':>17} {'ratio':>6}")
    for threads in (1, cores):
        # A child process per thread count: OpenMP fixes its team size at the first parallel region.
        env = dict(os.environ, OMP_NUM_THREADS=str(threads))
        ours = float(subprocess.run([sys.executable, __file__, "--advect-only"], check=True, env=env,
                                    capture_output=True, text=True).stdout)
        theirs = torch_rate(threads)
        print(f"{threads:>8} {theirs:>18.3g} {ours:>17.3g} {ours / theirs:>5.1f}x")


if __name__ == "__main__":
    main()
