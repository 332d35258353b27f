#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "advect/geometry/NeighbourGrid.h"
#include "kernels/NeighbourGridKernels.h"

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
  for (int d = 0; d < 3; ++d) view_.origin[d] = box[d];
  view_.size = n;
  view_.points = sorted_.data();
  view_.original = original_.data();

  // Lidar is dense near the sensor and sparse far away, so one cell per point of volume leaves
  // hundreds of points in the near cells. Halve the cells while a point's cell holds many points
  // on average (sum of squared counts / n) and the cell count stays within kMaxCellsPerPoint * n.
  constexpr double kTargetCellLoad = 6.0;
  constexpr std::int64_t kMaxCellsPerPoint = 16;
  const std::int64_t max_cells =
      std::max<std::int64_t>(kMaxCellsPerPoint * n, std::int64_t(1) << 16);
  const auto cells_for = [&](double size, int* dims) {
    std::int64_t total = 1;
    for (int d = 0; d < 3; ++d) {
      dims[d] =
          int(std::min<double>(std::floor((double(box[3 + d]) - box[d]) / size) + 1, 1 << 20));
      total *= dims[d];
    }
    return total;
  };
  int dims[3];
  while (cells_for(cell, dims) > max_cells) cell *= 1.26;
  Buffer<std::int32_t> keys(std::size_t(n), device);
  for (;;) {
    const std::int64_t cells = cells_for(cell, view_.dims);
    view_.cell = float(cell);
    cell_start_ = Buffer<std::int32_t>(std::size_t(cells + 1), device);
    view_.cell_start = cell_start_.data();
    const double load = with_backend(device, [&](auto backend) {
      using Kernels = NeighbourGridKernels<backend>;
      Kernels::build(reference, n, keys.data(), sorted_.data(), original_.data(),
                     cell_start_.data(), view_);
      return Kernels::sum_squared_cell_counts(cell_start_.data(), cells) / double(n);
    });
    if (load <= kTargetCellLoad || cells_for(0.5 * cell, dims) > max_cells) break;
    cell *= 0.5;
  }
}

void NeighbourGrid::query(const float* points, std::int64_t n, int k, std::int32_t* indices,
                          float* squared_distances, float max_distance) const {
  if (k < 1 || k > kMaxNeighbours || k > view_.size) {
    throw std::invalid_argument(
        fmt::format("k = {} must be in [1, min(32, reference size {})]", k, view_.size));
  }
  with_backend(device(), [&](auto backend) {
    const float max_squared = std::isinf(max_distance) ? max_distance : max_distance * max_distance;
    NeighbourGridKernels<backend>::query(view_, points, n, k, max_squared, indices,
                                         squared_distances);
  });
}

NeighbourGrid NeighbourGrid::from_host(std::span<const float> reference, const Device& device) {
  const auto points = Buffer<float>::from_host(reference, device);
  return NeighbourGrid(points.data(), std::int64_t(reference.size() / 3), device);
}

NeighbourGrid::HostAnswer NeighbourGrid::query_host(std::span<const float> points, int k,
                                                    float max_distance) const {
  const std::size_t n = points.size() / 3;
  HostAnswer answer;
  if (n == 0) return answer;
  const auto queries = Buffer<float>::from_host(points, device());
  Buffer<std::int32_t> indices(n * std::size_t(k), device());
  Buffer<float> squared(n * std::size_t(k), device());
  query(queries.data(), std::int64_t(n), k, indices.data(), squared.data(), max_distance);
  answer.indices = indices.to_host();
  answer.squared_distances = squared.to_host();
  return answer;
}

}  // namespace advect::geometry
