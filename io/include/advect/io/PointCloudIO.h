// Point-cloud files in and out, chosen by extension:
//   .ply .pcd  through Open3D (ASCII and binary; positions read; written with colours where the
//              cloud has "red", "green" and "blue" scalars in [0, 1])
//   .xyz       ASCII "x y z [more columns]" per line, '#' comments
//   .bin       KITTI velodyne: float32 x, y, z, intensity per point
//   .npy       (N, 3) positions or (N, 4) with intensity, any numeric dtype
// Every reader rejects missing, truncated or malformed files, empty clouds and non-finite
// coordinates with an IoError whose message is one line naming the file and the problem.
#pragma once

#include <filesystem>

#include "advect/geometry/PointCloud.h"

namespace advect::io {

geometry::PointCloud read_point_cloud(const std::filesystem::path& path);

// Writes .ply (binary), .pcd (binary), .xyz or .npy ((N, 3) float32; (N, 4) with an
// "intensity" scalar), atomically.
void write_point_cloud(const std::filesystem::path& path, const geometry::PointCloud& cloud);

// The format readers, also usable directly.
geometry::PointCloud read_kitti_bin(const std::filesystem::path& path);
geometry::PointCloud read_xyz(const std::filesystem::path& path);
geometry::PointCloud read_npy_cloud(const std::filesystem::path& path);
geometry::PointCloud read_open3d_cloud(const std::filesystem::path& path);  // .ply / .pcd
void write_open3d_cloud(const std::filesystem::path& path, const geometry::PointCloud& cloud);

// Throws IoError if the cloud is empty or has a non-finite coordinate.
void validate_cloud(const geometry::PointCloud& cloud, const std::filesystem::path& source);

}  // namespace advect::io
