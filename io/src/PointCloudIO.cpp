#include "advect/io/PointCloudIO.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "advect/io/AtomicWrite.h"
#include "advect/io/IoError.h"
#include "advect/io/Npy.h"

namespace advect::io {

namespace fs = std::filesystem;

namespace {

std::string lower_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return extension;
}

[[noreturn]] void unknown_format(const fs::path& path) {
  throw IoError(path, "unknown point-cloud format (expected .ply, .pcd, .xyz, .bin or .npy)");
}

}  // namespace

void validate_cloud(const geometry::PointCloud& cloud, const fs::path& source) {
  if (cloud.empty()) throw IoError(source, "the point cloud is empty");
  const std::ptrdiff_t bad = geometry::first_non_finite_point(cloud.positions);
  if (bad >= 0)
    throw IoError(source, fmt::format("point {} has a non-finite coordinate (NaN or inf)", bad));
}

geometry::PointCloud read_kitti_bin(const fs::path& path) {
  const std::string bytes = read_file_bytes(path);
  if (bytes.empty()) throw IoError(path, "empty file");
  constexpr std::size_t kRecord = 4 * sizeof(float);
  if (bytes.size() % kRecord != 0) {
    throw IoError(path,
                  fmt::format("size {} bytes is not a multiple of 16 (float32 x, y, z, intensity): "
                              "truncated or not a KITTI .bin",
                              bytes.size()));
  }
  const std::size_t n = bytes.size() / kRecord;
  std::vector<float> values(n * 4);
  std::memcpy(values.data(), bytes.data(), bytes.size());
  geometry::PointCloud cloud;
  cloud.positions.resize(3 * n);
  std::vector<float>& intensity = cloud.scalars["intensity"];
  intensity.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::copy_n(values.data() + 4 * i, 3, cloud.positions.data() + 3 * i);
    intensity[i] = values[4 * i + 3];
  }
  validate_cloud(cloud, path);
  return cloud;
}

geometry::PointCloud read_xyz(const fs::path& path) {
  const std::string text = read_file_bytes(path);
  geometry::PointCloud cloud;
  std::size_t line_number = 0, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line_number;
    const char* p = text.data() + start;
    const char* const line_end = text.data() + end;
    start = end + 1;
    while (p < line_end && std::isspace(static_cast<unsigned char>(*p))) ++p;
    if (p == line_end || *p == '#') continue;
    float xyz[3];
    for (float& value : xyz) {
      while (p < line_end && (*p == ' ' || *p == '\t' || *p == ',')) ++p;
      const auto [next, ec] = std::from_chars(p, line_end, value);
      if (ec != std::errc()) {
        throw IoError(path, fmt::format("line {}: expected three numbers x y z", line_number));
      }
      p = next;
    }
    if (p < line_end && !std::isspace(static_cast<unsigned char>(*p)) && *p != ',') {
      throw IoError(path, fmt::format("line {}: malformed number", line_number));
    }
    cloud.positions.insert(cloud.positions.end(), xyz, xyz + 3);
  }
  validate_cloud(cloud, path);
  return cloud;
}

geometry::PointCloud read_npy_cloud(const fs::path& path) {
  const NpyArray array = read_npy(path);
  if (array.shape.size() != 2 || (array.shape[1] != 3 && array.shape[1] != 4)) {
    throw IoError(path, fmt::format("expected shape (N, 3) or (N, 4) for a point cloud, found ({})",
                                    fmt::join(array.shape, ", ")));
  }
  if (array.dtype == DType::boolean) throw IoError(path, "a point cloud cannot be boolean");
  const std::vector<float> values = array.values<float>();
  const std::size_t n = array.shape[0], columns = array.shape[1];
  geometry::PointCloud cloud;
  cloud.positions.resize(3 * n);
  for (std::size_t i = 0; i < n; ++i)
    std::copy_n(values.data() + columns * i, 3, cloud.positions.data() + 3 * i);
  if (columns == 4) {
    std::vector<float>& intensity = cloud.scalars["intensity"];
    intensity.resize(n);
    for (std::size_t i = 0; i < n; ++i) intensity[i] = values[4 * i + 3];
  }
  validate_cloud(cloud, path);
  return cloud;
}

geometry::PointCloud read_point_cloud(const fs::path& path) {
  const std::string extension = lower_extension(path);
  if (extension == ".ply" || extension == ".pcd") return read_open3d_cloud(path);
  if (extension == ".xyz") return read_xyz(path);
  if (extension == ".bin") return read_kitti_bin(path);
  if (extension == ".npy") return read_npy_cloud(path);
  unknown_format(path);
}

void write_point_cloud(const fs::path& path, const geometry::PointCloud& cloud) {
  const std::string extension = lower_extension(path);
  if (extension == ".ply" || extension == ".pcd") return write_open3d_cloud(path, cloud);
  if (extension == ".npy") {
    const auto intensity = cloud.scalars.find("intensity");
    if (intensity == cloud.scalars.end()) {
      return write_npy(path, NpyArray::from_values<float>(cloud.positions, {cloud.size(), 3}));
    }
    std::vector<float> rows(4 * cloud.size());
    for (std::size_t i = 0; i < cloud.size(); ++i) {
      std::copy_n(cloud.positions.data() + 3 * i, 3, rows.data() + 4 * i);
      rows[4 * i + 3] = intensity->second[i];
    }
    return write_npy(path, NpyArray::from_values<float>(rows, {cloud.size(), 4}));
  }
  if (extension == ".xyz") {
    std::string text;
    for (std::size_t i = 0; i < cloud.size(); ++i) {
      text += fmt::format("{} {} {}\n", cloud.positions[3 * i], cloud.positions[3 * i + 1],
                          cloud.positions[3 * i + 2]);
    }
    return write_file_bytes(path, text);
  }
  unknown_format(path);
}

}  // namespace advect::io
