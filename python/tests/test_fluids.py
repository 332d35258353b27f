"""The MAC solver from Python: the same centre lines as `advect cfd run cavity`, Ghia at Re 100."""
import numpy as np
import pytest

import advect


def read_line(path):
    values = np.loadtxt(path, delimiter=",", skiprows=1)
    return values[1:-1, 1]  # without the wall values the CLI adds


def test_same_centre_lines_as_the_cli(run_cli, tmp_path):
    flow = advect.cavity(16, 100.0, device="cpu")
    report = flow.advance(0.5)
    assert flow.time == pytest.approx(0.5)
    run_cli("cfd", "run", "cavity", "--re", 100, "--n", 16, "--t-end", 0.5, "--frames", 1,
            "--device", "cpu", "-q", "-o", tmp_path)
    u, v = advect.centre_lines(flow)
    np.testing.assert_array_equal(u, read_line(tmp_path / "centerline_u.csv"))
    np.testing.assert_array_equal(v, read_line(tmp_path / "centerline_v.csv"))
    assert report["steps"] > 0 and report["max_divergence"] < 1e-8


def test_steady_cavity_matches_ghia_at_re_100():
    flow = advect.cavity(32, 100.0, device="cpu")
    report = flow.advance(60.0, steady_tol=1e-4)
    assert report["steady"]
    ghia = advect.compare_with_ghia(flow, 100.0)
    assert ghia["max_u_error"] < 0.03 and ghia["max_v_error"] < 0.03  # 32^2: a coarse grid
    assert flow.u.shape == (32, 33) and flow.v.shape == (33, 32) and flow.velocity.shape == (32, 32, 2)
    assert np.abs(flow.u[-1]).max() < 1.0  # the lid is a boundary value, not a face here


def test_fields_step_and_refuse_bad_settings():
    flow = advect.dfg_cylinder("2D-1", 32, device="cpu")
    step = flow.step()
    assert step["dt"] > 0 and flow.time == pytest.approx(step["dt"])
    assert flow.pressure.shape == flow.shape
    with pytest.raises(ValueError, match="precision must be"):
        advect.cavity(16, 100.0, precision="half")
    with pytest.raises(ValueError, match="re must be positive"):
        advect.cavity(16, -1.0)
    with pytest.raises(ValueError, match="Ghia"):
        advect.compare_with_ghia(advect.cavity(8, 50.0), 50.0)
