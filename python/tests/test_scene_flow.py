"""scene_flow and evaluate_flow against the CLI on the same pair, and the one-line refusals."""
import json

import numpy as np
import pytest

import advect


def test_same_flow_and_scores_as_the_cli(data, run_cli, tmp_path):
    pair_file = data / "sceneflow" / "kitti" / "kitti_hplflownet_000000.npz"
    pair = advect.read_scene_flow_pair(pair_file)
    settings = dict(points=2048, max_iterations=150, seed=3)
    flow, info = advect.scene_flow(pair["pc1"], pair["pc2"], "fast", **settings, device="cpu")
    run_cli("sceneflow", "estimate", pair_file, "--method", "fast", "--points", 2048,
            "--max-iters", 150, "--seed", 3, "--device", "cpu", "-q", "-o", tmp_path)
    cli_flow = np.load(tmp_path / "flow.npy")
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert flow.shape == cli_flow.shape == pair["pc1"].shape
    assert flow.dtype == np.float32
    np.testing.assert_allclose(flow, cli_flow, rtol=0, atol=1e-6)
    assert info["iterations"] == summary["iterations"]
    scores = advect.evaluate_flow(pair["pc1"], flow, pair["flow"], mask=pair["mask"])
    assert scores["epe3d"] == pytest.approx(summary["accuracy"]["epe3d"], rel=1e-6)
    still = advect.evaluate_flow(pair["pc1"], np.zeros_like(flow), pair["flow"], mask=pair["mask"])
    assert scores["epe3d"] < 0.5 * still["epe3d"]  # a short fit on 2048 points, but a fit


def test_metrics_of_the_truth_and_of_zero_flow():
    rng = np.random.default_rng(0)
    points = rng.uniform(-10, 10, (500, 3)).astype(np.float32)
    truth = np.tile(np.float32([0.5, 0.0, 0.0]), (500, 1))
    perfect = advect.evaluate_flow(points, truth, truth)
    assert perfect["epe3d"] == 0.0 and perfect["acc3d_strict"] == 1.0
    zero = advect.evaluate_flow(points, np.zeros_like(truth), truth)
    assert zero["epe3d"] == pytest.approx(0.5)  # |0 - 0.5 m| at every point
    assert zero["outliers"] == 1.0


def test_the_ego_motion_alone_explains_a_static_scene():
    rng = np.random.default_rng(1)
    walls = rng.uniform(-8, 8, (3000, 3)).astype(np.float32)
    walls[:1000, 0], walls[1000:2000, 1] = 9.0, 9.0
    ego = np.eye(4)
    ego[0, 3] = -0.7  # the sensor moves 0.7 m along x
    moved = walls + ego[:3, 3].astype(np.float32)
    flow, info = advect.scene_flow(walls, moved, "fast", ego_motion=ego, device="cpu")
    assert info["ego_compensated"]
    assert np.abs(flow - (moved - walls)).mean() < 0.02


def test_bf16_products_recover_a_translation_as_fp32_does():
    rng = np.random.default_rng(4)
    cloud = rng.uniform(-5, 5, (2000, 3)).astype(np.float32)
    shift = np.float32([0.3, -0.2, 0.1])
    errors = {}
    for precision in ("fp32", "bf16"):
        try:
            flow, _ = advect.scene_flow(cloud, cloud + shift, "fast", precision=precision,
                                        device="cpu")
        except ValueError as error:
            if "AVX512-BF16" in str(error):
                pytest.skip(f"no bf16 products on this CPU: {error}")
            raise
        errors[precision] = np.linalg.norm(flow - shift, axis=1).mean()
    assert errors["fp32"] < 0.01
    # bfloat16 keeps 8 significant bits: the fitted flow moves, but within the fit's own error.
    assert errors["bf16"] < 0.01


def test_a_warm_start_carries_the_motion_to_the_next_pair():
    # Three sweeps of one cloud moving steadily: the networks fitted to the first pair, given to
    # the second, already hold its motion before any step (max_iterations=1 keeps them).
    rng = np.random.default_rng(5)
    cloud = rng.uniform(-5, 5, (2000, 3)).astype(np.float32)
    shift = np.float32([0.3, -0.2, 0.1])
    _, info = advect.scene_flow(cloud, cloud + shift, "fast", device="cpu")
    parameters = info["parameters"]
    assert parameters.dtype == np.float32 and parameters.ndim == 1
    warm, _ = advect.scene_flow(cloud + shift, cloud + 2 * shift, "fast", max_iterations=1,
                                initial_parameters=parameters, device="cpu")
    fresh, _ = advect.scene_flow(cloud + shift, cloud + 2 * shift, "fast", max_iterations=1,
                                 device="cpu")
    warm_error = np.linalg.norm(warm - shift, axis=1).mean()
    assert warm_error < 0.05
    assert warm_error < np.linalg.norm(fresh - shift, axis=1).mean() / 4
    with pytest.raises(ValueError, match="initial parameters are 7 floats"):
        advect.scene_flow(cloud, cloud, "fast", initial_parameters=np.zeros(7, np.float32))
    with pytest.raises(ValueError, match="the rigid method has no networks"):
        advect.scene_flow(cloud, cloud, "rigid", initial_parameters=parameters)


@pytest.mark.parametrize(
    "pc1, error, words",
    [
        (np.zeros((10, 2), np.float32), ValueError, "pc1 must have shape (N, 3), got (10, 2)"),
        (np.array([["a", "b", "c"]]), TypeError, "pc1: expected real numbers"),
        (np.array([[0.0, np.nan, 0.0]] * 20), ValueError, "pc1: non-finite value"),
        (np.zeros((0, 3), np.float32), ValueError, "pc1 needs at least 1 rows, got 0"),
        (None, TypeError, "pc1 is None"),
    ],
)
def test_bad_arrays_raise_one_clear_error(pc1, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        advect.scene_flow(pc1, np.zeros((10, 3), np.float32))


def test_bad_options_raise_value_errors():
    cloud = np.random.default_rng(2).uniform(0, 1, (50, 3))
    with pytest.raises(ValueError, match="unknown scene-flow method 'flownet'"):
        advect.scene_flow(cloud, cloud, "flownet")
    with pytest.raises(ValueError, match="ego_motion must have shape"):
        advect.scene_flow(cloud, cloud, ego_motion=np.eye(3))
    with pytest.raises(ValueError, match="unknown precision 'fp16'"):
        advect.scene_flow(cloud, cloud, precision="fp16")
    with pytest.raises(ValueError, match="no points left"):
        advect.scene_flow(cloud + 100.0, cloud, crop=1.0)


def test_progress_is_reported_and_can_stop_the_fit():
    cloud = np.random.default_rng(3).uniform(0, 4, (300, 3)).astype(np.float32)
    seen = []

    def stop_after_five(iteration, total):
        seen.append((iteration, total))
        if iteration == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        advect.scene_flow(cloud, cloud + 0.1, max_iterations=100, progress=stop_after_five)
    assert seen == [(k, 100) for k in range(1, 6)]


def test_ctrl_c_stops_a_long_fit(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import numpy as np, advect\n"
        "c = np.random.default_rng(0).uniform(0, 20, (20000, 3))\n"
        "print('started', flush=True)\n"
        "try:\n"
        "    advect.scene_flow(c, c + 0.3, 'nsfp', max_iterations=100000, patience=100000, device='cpu')\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=60)
    assert out.strip() == "interrupted"


def test_the_gil_is_released_during_a_fit():
    import threading

    cloud = np.random.default_rng(4).uniform(0, 10, (1000, 3)).astype(np.float32)
    ticks = []
    fit = threading.Thread(target=advect.scene_flow,
                           args=(cloud, cloud + 0.2, "nsfp"), kwargs=dict(max_iterations=20, device="cpu"))
    fit.start()
    while fit.is_alive():  # this thread runs Python while the fit computes
        ticks.append(1)
        fit.join(0.005)
    assert len(ticks) > 5


def test_rigid_method_matches_the_cli_and_sees_the_moving_cars(data, run_cli, tmp_path):
    pair_file = data / "sceneflow" / "pandaset" / "pandaset002_22_23.npz"
    pair = advect.read_scene_flow_pair(pair_file)
    flow, info = advect.scene_flow(pair["pc1"], pair["pc2"], "rigid", ego_motion=pair["ego_motion"],
                                   device="cpu")
    run_cli("sceneflow", "estimate", pair_file, "--method", "rigid", "--device", "cpu", "-q",
            "-o", tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    np.testing.assert_allclose(flow, np.load(tmp_path / "flow.npy"), rtol=0, atol=1e-6)
    assert info["moving_clusters"] == summary["moving_clusters"] > 0
    scores = advect.evaluate_flow(pair["pc1"], flow, pair["flow"], classes=pair["classes"],
                                  ego_motion=pair["ego_motion"], taxonomy=pair["taxonomy"])
    # Exact box-derived truth: the moving cars within 0.15 m, the static world within 0.03 m.
    assert scores["threeway"]["foreground_dynamic"] < 0.15
    assert scores["threeway"]["background_static"] < 0.03
    assert scores["bucketed"]["classes"]["CAR"]["dynamic_normalized"] < 0.5
