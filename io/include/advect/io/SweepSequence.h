// A lidar sequence on disk: sweep files in name order, and optionally their poses and times.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "advect/io/KittiPoses.h"

namespace advect::io {

// The sweeps of a sequence: every file read_point_cloud reads (.bin .ply .pcd .xyz .npy) in a
// directory, or the matches of a glob pattern such as "seq/velodyne/*.bin", in name order.
// IoError naming the path if it does not exist or holds no sweep.
std::vector<std::filesystem::path> list_sweeps(const std::string& directory_or_pattern);

// Sensor-to-world poses (metres): a KITTI poses.txt (3 x 4 row-major per line), or a directory of
// 4 x 4 .npy files, one per sweep in name order. Every pose must be rigid (orthonormal rotation,
// last row 0 0 0 1, within 1e-3); IoError naming the file otherwise.
std::vector<geometry::RigidTransform> read_poses(const std::filesystem::path& file_or_directory);

// Sweep times in seconds, one per line (KITTI's times.txt), strictly increasing.
std::vector<double> read_timestamps(const std::filesystem::path& path);

}  // namespace advect::io
