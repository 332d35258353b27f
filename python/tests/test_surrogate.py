"""Datasets and surrogates from Python against the CLI: the same case arrays, the same model file,
the same scores."""
import json

import numpy as np
import pytest

import advect


def test_dataset_cases_are_the_cli_cases(run_cli, tmp_path):
    run_cli("cfd", "dataset", "cavity", "--n", 16, "--frames", 3, "--interval", 0.05, "--cases", 2,
            "--device", "cpu", "-q", "-o", tmp_path)
    made = advect.dataset_case("cavity", 1, cells=16, frames=3, interval=0.05, device="cpu")
    assert made["fields"]["u"].shape == (3, 16, 16)
    np.testing.assert_array_equal(made["fields"]["u"], np.load(tmp_path / "case0001" / "u.npy"))
    np.testing.assert_array_equal(made["fields"]["v"], np.load(tmp_path / "case0001" / "v.npy"))
    assert made["metadata"] == json.loads((tmp_path / "case0001" / "case.json").read_text())
    data = advect.read_cfdbench(tmp_path, "u")
    assert data["trajectories"].shape == (2, 3, 16, 16) and data["frame_interval"] == 0.05
    np.testing.assert_array_equal(data["trajectories"][1], made["fields"]["u"])


def test_bad_dataset_options_are_refused():
    with pytest.raises(ValueError, match="cells: 30: the cylinder channel needs a multiple of 8"):
        advect.dataset_case("cylinder", 0, cells=30)
    with pytest.raises(ValueError, match="problem must be"):
        advect.dataset_case("pipe", 0)
    with pytest.raises(TypeError, match="unknown option 'reynolds'"):
        advect.dataset_case("cavity", 0, reynolds=100)


@pytest.fixture(scope="module")
def vorticity_data(tmp_path_factory):
    directory = tmp_path_factory.mktemp("vorticity")
    from conftest import CLI, CLI_ENV  # the program beside the module, and its environment
    import subprocess

    subprocess.run([CLI, "cfd", "dataset", "vorticity", "--cases", "5", "--frames", "6", "--n", "16",
                    "--size", "16", "--spin-up", "1", "-q", "-o", str(directory)], check=True, env=CLI_ENV)
    return directory


def test_the_same_model_and_scores_as_the_cli(vorticity_data, run_cli, tmp_path):
    small = {"max_wave_number": 3, "latent_dims": 12, "field_width": 16, "dynamics_width": 32}
    (tmp_path / "small.json").write_text(json.dumps(small))
    run_cli("surrogate", "train", "--data", vorticity_data, "-o", tmp_path / "cli.model", "--config",
            tmp_path / "small.json", "--frames", 3, "--field-iterations", 5,
            "--dynamics-iterations", 20, "--device", "cpu", "-q")
    train = advect.read_cfdbench(vorticity_data, "vorticity", split="train", max_frames=3)
    config = dict(small, field="vorticity", domain="periodic", frame_interval=train["frame_interval"])
    model = advect.Surrogate(config, device="cpu")
    model.train(train["trajectories"], field_iterations=5, dynamics_iterations=20)
    assert model.to_bytes() == (tmp_path / "cli.model").read_bytes()

    model.save(tmp_path / "python.model")
    run_cli("surrogate", "eval", tmp_path / "python.model", "--data", vorticity_data, "--json",
            tmp_path / "scores.json", "--device", "cpu", "-q")
    cli_scores = json.loads((tmp_path / "scores.json").read_text())
    test = advect.read_cfdbench(vorticity_data, "vorticity", split="test")
    scores = advect.evaluate_surrogate(advect.Surrogate.load(tmp_path / "python.model"), test["trajectories"])
    for method in ("model", "interpolation", "identity"):
        assert scores[method]["rel_l2"] == pytest.approx(cli_scores[method]["rel_l2"], rel=1e-12)

    truth = test["trajectories"][0]
    observed = model.observe(truth, point_fraction=0.5)
    points = np.array([[0.25, 0.5], [0.7, 0.1]])
    field = model.predict(observed, points, [0.0, train["frame_interval"]])
    assert field.shape == (2, 2) and np.isfinite(field).all()
    with pytest.raises(ValueError, match="trajectories must have shape"):
        model.train(truth)
