"""accumulate over sweeps in memory: exact flows put a moving box back together, and the
pipeline gives the CLI's numbers on the bundled real sequence."""
import json

import numpy as np
import pytest

import advect


def moving_box_sweeps(count=3, speed=5.0, interval=0.1):
    rng = np.random.default_rng(0)
    wall = np.column_stack([rng.uniform(-10, 10, 2000), np.full(2000, 8.0), rng.uniform(0, 3, 2000)])
    box = rng.uniform([-1, -1, 0], [1, 1, 1.5], (500, 3))
    sweeps, flows = [], []
    for k in range(count):
        shift = np.array([speed * interval * k, 0, 0])
        sweeps.append(np.vstack([wall, box + shift]).astype(np.float32))
        flows.append(np.vstack([np.zeros_like(wall), np.tile([speed * interval, 0, 0], (500, 1))]))
    return sweeps, flows[:-1]


def test_exact_flows_carry_the_box_to_the_reference_time():
    sweeps, flows = moving_box_sweeps()
    out = advect.accumulate(sweeps, flows=flows, device="cpu")
    assert out["reference"] == 1
    for k in (0, 2):
        np.testing.assert_allclose(out["carried"][k][2000:], sweeps[1][2000:], atol=1e-3)
    assert out["crispness"]["flow_mean"] < 0.05 < out["crispness"]["static_mean"]
    assert np.all(out["speeds"][0][2000:] == pytest.approx(5.0, abs=0.05))


def test_same_result_as_the_cli_on_the_bundled_sequence(data, run_cli, tmp_path):
    files = advect.list_sweeps(str(data / "lidar" / "av2_bird"))[:3]
    sweeps = [advect.read_point_cloud(f)[0] for f in files]
    out = advect.accumulate(sweeps, max_iterations=40, seed=0, device="cpu")
    run_cli("accumulate", data / "lidar" / "av2_bird", "--world-frame", "--frames", "0:3",
            "--max-iters", 40, "--device", "cpu", "-q", "-o", tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert out["crispness"]["moving_points"] == summary["moving_points"]
    assert out["crispness"]["flow_mean"] == pytest.approx(summary["crispness_flow"], rel=1e-9)
    carried, _ = advect.read_point_cloud(tmp_path / "accumulated.ply")
    np.testing.assert_allclose(np.vstack(out["carried"]), carried, atol=1e-6)


def test_bad_sequences_are_refused():
    sweeps, flows = moving_box_sweeps()
    with pytest.raises(ValueError, match="at least two"):
        advect.accumulate(sweeps[:1])
    with pytest.raises(ValueError, match="poses: 2 for 3 sweeps"):
        advect.accumulate(sweeps, poses=[np.eye(4)] * 2)
    with pytest.raises(ValueError, match="flows: one"):
        advect.accumulate(sweeps, flows=flows[:1])
    with pytest.raises(ValueError, match="sweep times must increase"):
        advect.accumulate(sweeps, flows=flows, times=[0.0, 0.2, 0.1])
    with pytest.raises(ValueError, match=r"sweeps\[1\] must have shape"):
        advect.accumulate([sweeps[0], sweeps[1][:, :2]])


def test_synthetic_street_flows_are_the_boxes_motion():
    street = advect.synthetic_street(sweeps=3)
    assert len(street["sweeps"]) == 3 and len(street["flows"]) == 2
    for points, flow, boxes in zip(street["sweeps"], street["flows"], street["boxes"]):
        assert points.shape == flow.shape and boxes.shape == (len(points),)
        np.testing.assert_array_equal(flow[boxes < 0], 0.0)  # the street stands still
        # The first car drives straight along x at 11 m/s: 1.1 m per 0.1 s sweep.
        np.testing.assert_allclose(flow[boxes == 0], [[1.1, 0.0, 0.0]] * (boxes == 0).sum(), atol=1e-5)
    with pytest.raises(ValueError, match="dropout"):
        advect.synthetic_street(dropout=1.0)
    # The harder street: a car comes into range during the sequence (box 4, absent at first).
    harder = advect.synthetic_street(sweeps=16, harder=True)
    assert not (harder["boxes"][0] == 4).any() and (harder["boxes"][15] == 4).any()


def test_sequence_method_follows_the_street_exactly():
    street = advect.synthetic_street(sweeps=6, noise=0.03, dropout=0.4)
    out = advect.accumulate(street["sweeps"], times=street["times"], method="sequence", window=3,
                            device="cpu")
    boxes = np.concatenate(street["boxes"][:-1])
    error = np.linalg.norm(np.concatenate(out["flows"]) - np.concatenate(street["flows"]), axis=1)
    assert error[boxes >= 0].mean() < 0.02
    assert error[boxes < 0].mean() < 0.005
    with pytest.raises(ValueError, match="window"):
        advect.accumulate(street["sweeps"], method="sequence", window=0)
