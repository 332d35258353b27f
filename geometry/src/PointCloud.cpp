#include "advect/geometry/PointCloud.h"

#include <algorithm>
#include <cmath>

namespace advect::geometry {

Bounds compute_bounds(std::span<const float> positions) {
  Bounds bounds;
  if (positions.size() < 3) return bounds;
  for (int d = 0; d < 3; ++d) bounds.min[d] = bounds.max[d] = positions[std::size_t(d)];
  for (std::size_t i = 0; i + 2 < positions.size(); i += 3) {
    for (int d = 0; d < 3; ++d) {
      bounds.min[d] = std::min(bounds.min[d], positions[i + std::size_t(d)]);
      bounds.max[d] = std::max(bounds.max[d], positions[i + std::size_t(d)]);
    }
  }
  return bounds;
}

std::ptrdiff_t first_non_finite_point(std::span<const float> positions) {
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (!std::isfinite(positions[i])) return std::ptrdiff_t(i / 3);
  }
  return -1;
}

}  // namespace advect::geometry
