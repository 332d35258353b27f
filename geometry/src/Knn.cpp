#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "advect/geometry/Knn.h"

namespace advect::geometry {

NeighbourGrid::NeighbourGrid(const float* reference, std::int64_t n, const Device& device)
    : sorted_(std::size_t(3 * n), device), original_(std::size_t(n), device) {
  if (n <= 0) throw std::invalid_argument("the reference cloud of a neighbour grid is empty");
  float box[6];
  with_backend(device,
               [&](auto backend) { NeighbourGridKernels<backend>::bounds(reference, n, box); });
  // About one cell per point over the box volume; flat or linear clouds fall back to the extents
  // that are not degenerate.
  double volume = 1.0;
  int spread_axes = 0;
  double largest = 0.0;
  for (int d = 0; d < 3; ++d) {
    const double extent = double(box[3 + d]) - double(box[d]);
    largest = std::max(largest, extent);
    if (extent > 0.0) {
      volume *= extent;
      ++spread_axes;
    }
  }
  double cell = spread_axes == 0 ? 1.0 : std::pow(volume / double(n), 1.0 / spread_axes);
  if (!(cell > 0.0) || !std::isfinite(cell)) cell = largest > 0.0 ? largest : 1.0;
  const auto dims_for = [&](double size) {
    std::int64_t total = 1;
    for (int d = 0; d < 3; ++d) {
      view_.dims[d] =
          int(std::min<double>(std::floor((double(box[3 + d]) - box[d]) / size) + 1, 1 << 20));
      total *= view_.dims[d];
    }
    return total;
  };
  while (dims_for(cell) > (std::int64_t(1) << 25)) cell *= 1.26;  // cap the cell count (memory)
  view_.cell = float(cell);
  for (int d = 0; d < 3; ++d) view_.origin[d] = box[d];
  view_.size = n;
  const std::int64_t cells = std::int64_t(view_.dims[0]) * view_.dims[1] * view_.dims[2];
  cell_start_ = Buffer<std::int32_t>(std::size_t(cells + 1), device);
  view_.points = sorted_.data();
  view_.original = original_.data();
  view_.cell_start = cell_start_.data();
  Buffer<std::int32_t> keys(std::size_t(n), device);
  with_backend(device, [&](auto backend) {
    NeighbourGridKernels<backend>::build(reference, n, keys.data(), sorted_.data(),
                                         original_.data(), cell_start_.data(), view_);
  });
}

void NeighbourGrid::query(const float* points, std::int64_t n, int k, std::int32_t* indices,
                          float* squared_distances) const {
  if (k < 1 || k > kMaxNeighbours || k > view_.size) {
    throw std::invalid_argument(
        fmt::format("k = {} must be in [1, min(32, reference size {})]", k, view_.size));
  }
  with_backend(device(), [&](auto backend) {
    NeighbourGridKernels<backend>::query(view_, points, n, k, indices, squared_distances);
  });
}

}  // namespace advect::geometry
