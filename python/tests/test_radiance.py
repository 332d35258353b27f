"""Radiance fields and the component model from Python: the bundled lego read as the CLI reads it, a
model trained and rendered from Python against the CLI's render of the same model, and a Trainer
made from one JSON document learning a function."""
import json

import numpy as np
import pytest

import advect

LEGO = "radiance/lego_nerf_synthetic_100"


def test_posed_images_are_the_transforms_file(data):
    scene = advect.read_posed_images(data / LEGO, "test")
    assert scene["images"].shape == (25, 100, 100, 4)
    assert scene["camera_to_world"].shape == (25, 3, 4) and scene["depth"] is None
    frames = json.loads((data / LEGO / "transforms_test.json").read_text())["frames"]
    for k in (0, 24):
        np.testing.assert_allclose(scene["camera_to_world"][k], np.array(frames[k]["transform_matrix"])[:3],
                                   rtol=0, atol=1e-6)
    angle = json.loads((data / LEGO / "transforms_test.json").read_text())["camera_angle_x"]
    np.testing.assert_allclose(scene["intrinsics"][0], [50 / np.tan(angle / 2), 50 / np.tan(angle / 2), 50, 50],
                               rtol=1e-6)
    with pytest.raises(advect.IoError, match="no transforms_train.json"):
        advect.read_posed_images(data, "train")


def test_python_render_is_the_cli_render(data, tmp_path, run_cli):
    model = tmp_path / "lego.model"
    # Small and short: the point is the same numbers from both shells, not a good model.
    config = {"encoding": {"otype": "HashGrid", "n_levels": 8, "log2_hashmap_size": 14}, "occupancy_resolution": 16,
              "step": 0.06}
    report = advect.train_radiance(data / LEGO, model, steps=5, samples_per_step=4096, config=config, device="cpu")
    assert report["steps"] == 5 and model.exists()
    scene = advect.read_posed_images(data / LEGO, "test")
    fx, fy, cx, cy = scene["intrinsics"][3]
    view = advect.render_radiance(model, scene["camera_to_world"][3], width=100, height=100, fx=fx, fy=fy,
                                  cx=cx, cy=cy, device="cpu")
    assert view["rgb"].shape == (100, 100, 3) and view["depth"].shape == (100, 100)
    # The CLI renders the cameras of a transforms file: one view, that same camera.
    test = json.loads((data / LEGO / "transforms_test.json").read_text())
    frame = dict(test["frames"][3], file_path=str(data / LEGO / test["frames"][3]["file_path"]))
    (tmp_path / "one_view.json").write_text(json.dumps({"camera_angle_x": test["camera_angle_x"], "frames": [frame]}))
    run_cli("radiance", "render", model, "--camera", tmp_path / "one_view.json", "-o", tmp_path / "frames",
            "--device", "cpu", "-q")
    # The CLI wrote 8-bit PNGs: equal to the Python render up to the rounding.
    png = _read_png(tmp_path / "frames" / "frame_0000.png")
    assert np.abs(png - view["rgb"]).max() <= 0.5 / 255 + 1e-6
    with pytest.raises(ValueError, match="camera_to_world must have shape"):
        advect.render_radiance(model, np.eye(3), width=4, height=4, fx=2.0)


def test_dynamic_model_renders_branches_and_flow_at_any_time(tmp_path, run_cli):
    run_cli("radiance", "scene", "-o", tmp_path / "street", "--size", 16, "--cameras", 2, "--steps", 3, "-q")
    model = tmp_path / "dynamic.model"
    config = {"static": {"box": [[-13, -13, -1], [13, 13, 5]], "occupancy_resolution": 16}}
    report = advect.train_radiance(tmp_path / "street", model, model="dynamic", steps=3, config=config, device="cpu")
    assert report["steps"] == 3 and report["frame_time"] == pytest.approx(0.5)
    assert "lidar" not in report
    # With lidar, the training steps' returns inside the box supervise the depth.
    with_lidar = advect.train_radiance(tmp_path / "street", tmp_path / "x.model", model="dynamic", steps=1,
                                       config=config, lidar=True, device="cpu")
    train_steps = {frame["step"] for frame in json.loads((tmp_path / "street" / "transforms_train.json").read_text())["frames"]}
    returns = sum(len(np.load(tmp_path / "street" / "lidar" / f"sweep_{s:04d}.npy")) for s in train_steps)
    assert 0 < with_lidar["lidar"]["rays"] <= returns
    assert np.isfinite(with_lidar["lidar"]["final_depth_term"])
    with pytest.raises(ValueError, match="lidar"):
        advect.train_radiance(tmp_path / "street", tmp_path / "x.model", model="dynamic", steps=1,
                              config={**config, "lidar": {"depht": 1}}, lidar=True, device="cpu")
    scene = advect.read_posed_images(tmp_path / "street", "test")
    fx, fy, cx, cy = scene["intrinsics"][0]
    view = advect.render_radiance(model, scene["camera_to_world"][0], width=16, height=16, fx=fx, fy=fy, cx=cx,
                                  cy=cy, time=0.25, device="cpu")
    for key, shape in (("rgb", (16, 16, 3)), ("static_rgb", (16, 16, 3)), ("dynamic_rgb", (16, 16, 3)),
                       ("flow", (16, 16, 3)), ("dynamic_share", (16, 16)), ("opacity", (16, 16))):
        assert view[key].shape == shape, key
    # The dynamic share is a part of the opacity.
    assert np.all(view["dynamic_share"] <= view["opacity"] + 1e-5)
    with pytest.raises(ValueError, match="time must be in"):
        advect.render_radiance(model, scene["camera_to_world"][0], width=4, height=4, fx=2.0, time=1.5)
    # The fields at the lidar points: the scored scene flow is the flow field's forward part where
    # the dynamic density exceeds the static one.
    points = np.load(tmp_path / "street" / "lidar" / "pair_0000.npz")["pc1"]
    at = advect.query_radiance(model, points, time=0.0, device="cpu")
    n = len(points)
    assert at["flow"].shape == (n, 6) and at["scene_flow"].shape == (n, 3)
    assert at["static_density"].shape == (n,) and at["dynamic_density"].shape == (n,)
    dynamic = at["dynamic_density"] > at["static_density"]
    assert np.array_equal(at["scene_flow"], np.where(dynamic[:, None], at["flow"][:, :3], 0.0))
    with pytest.raises(ValueError, match="points"):
        advect.query_radiance(model, points[:, :2], time=0.0)
    # Methods side by side on the scene's lidar pairs, as `advect sceneflow compare`: the model's row
    # is the scored scene flow above at each pair's time, pooled over the pairs' moving points.
    lidar = tmp_path / "street" / "lidar"
    rows = advect.compare_scene_flow(lidar, methods=["rigid"], radiance=model, device="cpu")
    assert [row["method"] for row in rows] == ["rigid", "radiance flow field"]
    frames = json.loads((tmp_path / "street" / "transforms.json").read_text())["frames"]
    times = {frame["step"]: frame["time"] for frame in frames}
    errors = []
    for path in sorted(lidar.glob("pair_*.npz")):
        pair = np.load(path)
        moving = pair["mask"].astype(bool) & (pair["classes"] == 1)
        flow = advect.query_radiance(model, pair["pc1"], time=times[int(path.stem[5:])], device="cpu")["scene_flow"]
        errors.append(np.linalg.norm(flow - pair["flow"], axis=1)[moving])
    errors = np.concatenate(errors)
    assert rows[1]["movers"]["points"] == len(errors) > 0
    assert rows[1]["movers"]["epe3d"] == pytest.approx(errors.mean(), rel=1e-5)
    with pytest.raises(ValueError, match="teleport"):
        advect.compare_scene_flow(lidar, methods=["teleport"], device="cpu")
    static = tmp_path / "static.model"
    advect.train_radiance(tmp_path / "street", static, steps=1, config=config["static"], device="cpu")
    with pytest.raises(ValueError, match="static model"):
        advect.compare_scene_flow(lidar, methods=[], radiance=static, device="cpu")
    with pytest.raises(ValueError, match="static model"):
        advect.query_radiance(static, points, time=0.0)
    with pytest.raises(ValueError, match="time applies to a dynamic model"):
        advect.render_radiance(static, scene["camera_to_world"][0], width=4, height=4, fx=2.0, time=0.5)
    ode = tmp_path / "ode.model"
    report = advect.train_radiance(tmp_path / "street", ode, model="dynamic-ode", steps=2, config=config,
                                   device="cpu")
    assert report["motion"] == "velocity"
    moved = advect.query_radiance(ode, points, time=0.0, device="cpu")["flow"]
    assert moved.shape == (n, 6) and np.all(np.isfinite(moved))
    with pytest.raises(ValueError, match="model must be"):
        advect.train_radiance(tmp_path / "street", static, model="moving", steps=1)


def _read_png(path):
    """An 8-bit PNG through advect's own reader: a transforms file naming it, read back."""
    (path.parent / "one.json").write_text(json.dumps({
        "camera_angle_x": 0.5, "frames": [{"file_path": path.name, "transform_matrix": np.eye(4).tolist()}]}))
    return advect.read_posed_images(path.parent / "one.json")["images"][0, :, :, :3]


def test_trainer_learns_a_function_from_one_json_document():
    config = {
        "encoding": {"otype": "Frequency", "n_frequencies": 4, "include_input": True},
        "network": {"otype": "FullyFusedMLP", "n_neurons": 32, "n_hidden_layers": 2, "activation": "Tanh"},
        "loss": {"otype": "L2"},
        "optimizer": {"otype": "ExponentialDecay", "decay_start": 1000, "decay_interval": 250,
                      "decay_base": 0.5, "nested": {"otype": "Adam", "learning_rate": 1e-2}},
    }
    trainer = advect.Trainer(config, 1, 2, device="cpu", seed=3)
    rng = np.random.default_rng(0)
    for _ in range(1500):
        x = rng.random((256, 1), dtype=np.float32)
        trainer.step(x, np.hstack([np.sin(2 * np.pi * x), x * x]))
    x = np.linspace(0, 1, 101, dtype=np.float32)[:, None]
    error = trainer.predict(x) - np.hstack([np.sin(2 * np.pi * x), x * x])
    assert np.sqrt(np.mean(error**2)) < 0.01
    assert trainer.steps == 1500 and trainer.learning_rate == pytest.approx(1e-2 * 0.5**2)
    assert trainer.config["loss"] == {"otype": "L2"}
    assert trainer.parameters.shape == (trainer.parameter_count,)


def test_trainer_refuses_bad_documents_and_arrays():
    with pytest.raises(ValueError, match="'Wavelet'"):
        advect.Trainer({"encoding": {"otype": "Wavelet"}, "network": {"otype": "MLP"}}, 2, 1)
    trainer = advect.Trainer({"encoding": {"otype": "Identity"}, "network": {"otype": "MLP"}}, 2, 1, device="cpu")
    with pytest.raises(ValueError, match="inputs"):
        trainer.step(np.zeros((4, 3)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="targets must have 4 rows"):
        trainer.step(np.zeros((4, 2)), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="inputs"):
        trainer.predict(np.array([[0.0, np.nan]]))
