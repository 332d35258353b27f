// A point cloud on the host: positions plus optional per-point scalar attributes.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace advect::geometry {

struct PointCloud {
  // N x 3 float32, point-major (x0 y0 z0 x1 ...), in metres.
  std::vector<float> positions;
  // Per-point scalars, each with N values (e.g. "intensity" from KITTI .bin).
  std::map<std::string, std::vector<float>> scalars;

  std::size_t size() const { return positions.size() / 3; }
  bool empty() const { return positions.empty(); }
};

// Axis-aligned bounds of the positions; {0,0,0} both for an empty cloud.
struct Bounds {
  float min[3] = {0, 0, 0};
  float max[3] = {0, 0, 0};
};
Bounds compute_bounds(std::span<const float> positions);

// Index of the first point with a non-finite coordinate, or -1 if all are finite.
std::ptrdiff_t first_non_finite_point(std::span<const float> positions);

}  // namespace advect::geometry
