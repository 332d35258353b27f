// KITTI odometry poses files: one pose per line, the first three rows of a 4 x 4 rigid transform
// (sensor-to-world, metres) as 12 numbers, row-major, separated by spaces.
#pragma once

#include <filesystem>
#include <vector>

#include "advect/geometry/RigidTransform.h"

namespace advect::io {

// IoError naming the file and line for a line without exactly 12 finite numbers, or an empty file.
std::vector<geometry::RigidTransform> read_kitti_poses(const std::filesystem::path& path);

// Writes the first three rows of each pose, full double precision (round-trips exactly); atomic.
void write_kitti_poses(const std::filesystem::path& path,
                       const std::vector<geometry::RigidTransform>& poses);

}  // namespace advect::io
