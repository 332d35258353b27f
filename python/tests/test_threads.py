"""advect's CPU thread count is its own: a library that lowers OpenMP's setting in the same process
(importing Debian's PyTorch 1.13 sets it to 1) does not put advect on one core."""
import ctypes
import os

import numpy as np
import pytest

import advect


def expected_threads():
    setting = os.environ.get("OMP_NUM_THREADS", "").split(",")[0]
    return int(setting) if setting.isdigit() and int(setting) > 0 else len(os.sched_getaffinity(0))


def test_lowering_openmps_own_setting_leaves_advects_count():
    gomp = ctypes.CDLL("libgomp.so.1")
    before = gomp.omp_get_max_threads()
    gomp.omp_set_num_threads(1)  # what importing PyTorch does
    try:
        assert advect.cpu_threads() == expected_threads()
    finally:
        gomp.omp_set_num_threads(before)


def test_the_count_can_be_set_and_gives_the_same_flow():
    rng = np.random.default_rng(0)
    pc1 = rng.uniform(-10, 10, (3000, 3)).astype(np.float32)
    pc2 = pc1 + np.float32([0.3, -0.1, 0.0])
    count = advect.cpu_threads()
    try:
        advect.set_cpu_threads(1)
        assert advect.cpu_threads() == 1
        one, _ = advect.scene_flow(pc1, pc2, "fast", max_iterations=30, device="cpu")
    finally:
        advect.set_cpu_threads(count)
    default, _ = advect.scene_flow(pc1, pc2, "fast", max_iterations=30, device="cpu")
    np.testing.assert_array_equal(one, default)  # the sums do not depend on the thread count
    with pytest.raises(ValueError, match="at least 1"):
        advect.set_cpu_threads(0)
