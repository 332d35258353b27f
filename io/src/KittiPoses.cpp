#include "advect/io/KittiPoses.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

#include "NumberLines.h"
#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"

namespace advect::io {

std::vector<geometry::RigidTransform> read_kitti_poses(const std::filesystem::path& path) {
  std::vector<geometry::RigidTransform> poses;
  for (const NumberLine& line : read_number_lines(path)) {
    if (line.values.size() != 12) {
      throw IoError(path, fmt::format("line {}: {} numbers, a KITTI pose has 12 (3 x 4 row-major)",
                                      line.number, line.values.size()));
    }
    std::array<double, 16> matrix{};
    std::copy(line.values.begin(), line.values.end(), matrix.begin());
    poses.push_back(geometry::RigidTransform::from_matrix(matrix));
  }
  if (poses.empty()) throw IoError(path, "no poses in the file");
  return poses;
}

void write_kitti_poses(const std::filesystem::path& path,
                       const std::vector<geometry::RigidTransform>& poses) {
  std::string text;
  for (const geometry::RigidTransform& pose : poses) {
    const std::array<double, 16> matrix = pose.matrix();
    for (std::size_t i = 0; i < 12; ++i) {
      if (i > 0) text += ' ';
      text += fmt::format("{}", matrix[i]);  // shortest form that reads back to the same double
    }
    text += '\n';
  }
  write_file_bytes(path, text);
}

}  // namespace advect::io
