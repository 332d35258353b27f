#include "advect/io/SweepSequence.h"

#include <fmt/format.h>
#include <glob.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "NumberLines.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"

namespace advect::io {

namespace fs = std::filesystem;

namespace {

bool is_sweep_file(const fs::path& path) {
  static const std::array<std::string, 5> extensions = {".bin", ".ply", ".pcd", ".xyz", ".npy"};
  return fs::is_regular_file(path) && std::find(extensions.begin(), extensions.end(),
                                                path.extension().string()) != extensions.end();
}

std::vector<fs::path> glob_matches(const std::string& pattern) {
  glob_t found{};
  const int status = ::glob(pattern.c_str(), 0, nullptr, &found);
  std::vector<fs::path> paths;
  if (status == 0) {
    for (std::size_t i = 0; i < found.gl_pathc; ++i) paths.emplace_back(found.gl_pathv[i]);
  }
  ::globfree(&found);
  return paths;
}

void check_rigid(const std::array<double, 16>& pose, const fs::path& source,
                 const std::string& which) {
  const auto problem = [&](const std::string& what) {
    throw IoError(source, fmt::format("{}: {}", which, what));
  };
  for (const double value : pose) {
    if (!std::isfinite(value)) problem("a pose value is not finite");
  }
  constexpr double tolerance = 1e-3;
  if (std::abs(pose[12]) > tolerance || std::abs(pose[13]) > tolerance ||
      std::abs(pose[14]) > tolerance || std::abs(pose[15] - 1.0) > tolerance) {
    problem("the last row of a pose must be 0 0 0 1");
  }
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      double dot = 0.0;  // column a . column b of the rotation
      for (int r = 0; r < 3; ++r)
        dot += pose[std::size_t(4 * r + a)] * pose[std::size_t(4 * r + b)];
      if (std::abs(dot - (a == b ? 1.0 : 0.0)) > tolerance) {
        problem("the rotation of a pose is not orthonormal");
      }
    }
  }
}

}  // namespace

std::vector<fs::path> list_sweeps(const std::string& directory_or_pattern) {
  std::vector<fs::path> sweeps;
  const fs::path path(directory_or_pattern);
  if (fs::is_directory(path)) {
    for (const auto& entry : fs::directory_iterator(path)) {
      if (is_sweep_file(entry.path())) sweeps.push_back(entry.path());
    }
  } else if (directory_or_pattern.find_first_of("*?[") != std::string::npos) {
    for (const fs::path& match : glob_matches(directory_or_pattern)) {
      if (is_sweep_file(match)) sweeps.push_back(match);
    }
    if (sweeps.empty()) throw IoError(path, "the pattern matches no sweep file");
  } else {
    throw IoError(path, fs::exists(path) ? "not a directory of sweeps or a glob pattern"
                                         : "no such directory");
  }
  if (sweeps.empty()) {
    throw IoError(path, "no sweep files (.bin .ply .pcd .xyz .npy) in the directory");
  }
  std::sort(sweeps.begin(), sweeps.end());
  return sweeps;
}

std::vector<geometry::RigidTransform> read_poses(const fs::path& file_or_directory) {
  std::vector<geometry::RigidTransform> poses;
  if (fs::is_directory(file_or_directory)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(file_or_directory)) {
      if (entry.path().extension() == ".npy") files.push_back(entry.path());
    }
    if (files.empty()) throw IoError(file_or_directory, "no .npy poses in the directory");
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      const NpyArray array = read_npy(file);
      if (array.shape != std::vector<std::size_t>{4, 4}) {
        throw IoError(file, "a pose must be a 4 x 4 array");
      }
      const std::vector<double> values = array.values<double>();
      std::array<double, 16> matrix;
      std::copy(values.begin(), values.end(), matrix.begin());
      check_rigid(matrix, file, "pose");
      poses.push_back(geometry::RigidTransform::from_matrix(matrix));
    }
    return poses;
  }
  poses = read_kitti_poses(file_or_directory);
  for (std::size_t i = 0; i < poses.size(); ++i) {
    check_rigid(poses[i].matrix(), file_or_directory, fmt::format("pose {} (line {})", i, i + 1));
  }
  return poses;
}

std::vector<double> read_timestamps(const fs::path& path) {
  std::vector<double> times;
  for (const NumberLine& line : read_number_lines(path)) {
    if (line.values.size() != 1) {
      throw IoError(path, fmt::format("line {}: {} numbers, expected one time in seconds",
                                      line.number, line.values.size()));
    }
    if (!times.empty() && !(line.values[0] > times.back())) {
      throw IoError(path, fmt::format("line {}: times must increase", line.number));
    }
    times.push_back(line.values[0]);
  }
  if (times.empty()) throw IoError(path, "no times in the file");
  return times;
}

}  // namespace advect::io
