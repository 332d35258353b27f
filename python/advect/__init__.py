"""advect: scene flow, lidar accumulation, flow integration, fluids and radiance fields, on CPU and
CUDA.

Arrays go in and come out as numpy arrays: points are (N, 3) in metres, flows (N, 3) in metres
per sweep interval, poses (4, 4) row-major rigid transforms. Wrong shapes, dtypes or NaNs raise
TypeError / ValueError naming the argument; bad files raise advect.IoError (an OSError).
"""

from ._advect import (  # noqa: F401
    Flow,
    IoError,
    Surrogate,
    Trainer,
    VectorField,
    __version__,
    accumulate,
    cavity,
    centre_lines,
    compare_scene_flow,
    compare_with_ghia,
    cpu_threads,
    cuda_device_count,
    dataset_case,
    dfg_cylinder,
    double_gyre_field,
    evaluate_flow,
    evaluate_surrogate,
    integrate,
    keep_freed_memory_for_reuse,
    list_sweeps,
    query_radiance,
    read_cfdbench,
    read_point_cloud,
    read_posed_images,
    read_poses,
    read_scene_flow_pair,
    read_timestamps,
    render_radiance,
    rotation_field,
    scene_flow,
    set_cpu_threads,
    synthetic_street,
    train_radiance,
    vortex_field,
    write_kitti_poses,
    write_point_cloud,
)


def to_open3d(points, colors=None):
    """An Open3D PointCloud from (N, 3) points (and optional (N, 3) colours in [0, 1])."""
    import numpy as np
    import open3d as o3d

    cloud = o3d.geometry.PointCloud()
    cloud.points = o3d.utility.Vector3dVector(np.asarray(points, dtype=np.float64))
    if colors is not None:
        cloud.colors = o3d.utility.Vector3dVector(np.asarray(colors, dtype=np.float64))
    return cloud


def from_open3d(cloud):
    """The (N, 3) float32 points of an Open3D PointCloud (legacy or tensor geometry)."""
    import numpy as np

    points = cloud.point.positions.numpy() if hasattr(cloud, "point") else cloud.points
    return np.asarray(points, dtype=np.float32).reshape(-1, 3)
