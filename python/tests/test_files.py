"""Point clouds, poses and pairs through advect's readers and writers, and Open3D's own types."""
import numpy as np
import pytest

import advect


@pytest.mark.parametrize("suffix", [".ply", ".pcd", ".xyz", ".npy"])
def test_point_clouds_round_trip(tmp_path, suffix):
    points = np.random.default_rng(0).uniform(-50, 50, (1000, 3)).astype(np.float32)
    advect.write_point_cloud(tmp_path / ("cloud" + suffix), points)
    read, _ = advect.read_point_cloud(tmp_path / ("cloud" + suffix))
    np.testing.assert_allclose(read, points, atol=1e-4 if suffix == ".xyz" else 0)


def test_intensity_survives_npy(tmp_path):
    points = np.arange(30, dtype=np.float32).reshape(10, 3)
    advect.write_point_cloud(tmp_path / "c.npy", points, {"intensity": np.arange(10.0)})
    read, scalars = advect.read_point_cloud(tmp_path / "c.npy")
    np.testing.assert_array_equal(scalars["intensity"], np.arange(10, dtype=np.float32))


def test_bad_files_raise_io_errors_naming_the_file(tmp_path):
    with pytest.raises(advect.IoError, match="missing.ply"):
        advect.read_point_cloud(tmp_path / "missing.ply")
    (tmp_path / "bad.npy").write_bytes(b"not an npy file at all")
    with pytest.raises(OSError, match="bad.npy"):
        advect.read_point_cloud(tmp_path / "bad.npy")
    with pytest.raises(ValueError, match=r"scalars\['intensity'\] must have shape \(2,\)"):
        advect.write_point_cloud(tmp_path / "c.npy", np.zeros((2, 3)), {"intensity": np.zeros(3)})


def test_poses_round_trip_exactly_and_must_be_rigid(tmp_path):
    c, s = np.cos(0.3), np.sin(0.3)
    turn = np.array([[c, -s, 0, 1 / 3], [s, c, 0, -2e-9], [0, 0, 1, 12345.678901234567], [0, 0, 0, 1]])
    advect.write_kitti_poses(tmp_path / "poses.txt", [np.eye(4), turn])
    read = advect.read_poses(tmp_path / "poses.txt")
    np.testing.assert_array_equal(read[1], turn)
    (tmp_path / "scaled.txt").write_text("2 0 0 0 0 2 0 0 0 0 2 0\n")
    with pytest.raises(advect.IoError, match="not orthonormal"):
        advect.read_poses(tmp_path / "scaled.txt")


def test_the_bundled_argoverse_pair_reads_with_its_labels(data):
    pair = advect.read_scene_flow_pair(data / "sceneflow" / "av2" / "av2_7fab2350.npz")
    n = len(pair["pc1"])
    assert pair["flow"].shape == (n, 3) and pair["classes"].shape == (n,)
    assert pair["ego_motion"].shape == (4, 4)
    np.testing.assert_allclose(pair["ego_motion"][3], [0, 0, 0, 1])


def test_open3d_point_clouds_convert_both_ways(tmp_path):
    o3d = pytest.importorskip("open3d")
    points = np.random.default_rng(1).uniform(-5, 5, (200, 3)).astype(np.float32)
    cloud = advect.to_open3d(points)
    assert isinstance(cloud, o3d.geometry.PointCloud)
    np.testing.assert_array_equal(advect.from_open3d(cloud), points)
    # A file Open3D wrote is read by advect, and one advect wrote is read by Open3D.
    o3d.io.write_point_cloud(str(tmp_path / "o3d.pcd"), cloud)
    np.testing.assert_allclose(advect.read_point_cloud(tmp_path / "o3d.pcd")[0], points, atol=1e-6)
    advect.write_point_cloud(tmp_path / "ours.ply", points)
    np.testing.assert_allclose(np.asarray(o3d.io.read_point_cloud(str(tmp_path / "ours.ply")).points),
                               points, atol=1e-6)
    tensor = o3d.t.geometry.PointCloud(o3d.core.Tensor(points))
    np.testing.assert_array_equal(advect.from_open3d(tensor), points)
