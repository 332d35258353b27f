#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "advect/engine/Dispatch.h"
#include "advect/geometry/NeighbourGrid.h"
#include "kernels/NeighbourGridKernels.h"

namespace advect::geometry {

namespace {

// The box of the central 99 % of the points along each axis, read from a sample of at most 8192
// of them: {min x, min y, min z, max x, max y, max z}. The grid spans this box and its outermost
// cells reach to infinity, so that a lidar sweep's few returns from 200 m away do not stretch the
// cells of the dense middle (on a real 88k-point sweep, cells of 2 m instead of 0.5 m and queries
// 2.5 times slower).
std::array<float, 6> core_box(const float* points, std::int64_t n, const Device& device) {
  constexpr std::int64_t kSample = 8192;
  constexpr double kTail = 0.005;
  const std::int64_t m = std::min(n, kSample);
  Buffer<float> sample(std::size_t(3 * m), device);
  with_backend(device, [&](auto backend) {
    NeighbourGridKernels<backend>::sample(points, n, m, sample.data());
  });
  const std::vector<float> host = sample.to_host();
  std::array<float, 6> box{};
  std::vector<float> axis;
  for (int d = 0; d < 3; ++d) {
    axis.clear();
    for (std::int64_t i = 0; i < m; ++i) {
      const float x = host[std::size_t(3 * i + d)];
      if (std::isfinite(x)) axis.push_back(x);
    }
    if (axis.empty()) continue;
    const auto low = std::size_t(std::floor(kTail * double(axis.size() - 1)));
    const auto high = std::size_t(std::ceil((1.0 - kTail) * double(axis.size() - 1)));
    std::nth_element(axis.begin(), axis.begin() + std::ptrdiff_t(low), axis.end());
    box[std::size_t(d)] = axis[low];
    std::nth_element(axis.begin(), axis.begin() + std::ptrdiff_t(high), axis.end());
    box[std::size_t(3 + d)] = axis[high];
  }
  return box;
}

}  // namespace

NeighbourGrid::NeighbourGrid(const float* reference, std::int64_t n, const Device& device)
    : sorted_(std::size_t(3 * std::max<std::int64_t>(n, 0)), device),
      original_(std::size_t(std::max<std::int64_t>(n, 0)), device),
      keys_(std::size_t(std::max<std::int64_t>(n, 0)), device) {
  rebuild(reference, n);
}

void NeighbourGrid::rebuild(const float* reference, std::int64_t n) {
  if (n <= 0) throw std::invalid_argument("the reference cloud of a neighbour grid is empty");
  const Device& device = sorted_.device();
  if (original_.size() < std::size_t(n)) {
    sorted_ = Buffer<float>(std::size_t(3 * n), device);
    original_ = Buffer<std::int32_t>(std::size_t(n), device);
    keys_ = Buffer<std::int32_t>(std::size_t(n), device);
  }
  const auto box = core_box(reference, n, device);
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
  for (;;) {
    const std::int64_t cells = cells_for(cell, view_.dims);
    view_.cell = float(cell);
    if (cell_start_.size() < std::size_t(cells + 1))
      cell_start_ = Buffer<std::int32_t>(std::size_t(cells + 1), device);
    view_.cell_start = cell_start_.data();
    const double load = with_backend(device, [&](auto backend) {
      using Kernels = NeighbourGridKernels<backend>;
      Kernels::build(reference, n, keys_.data(), sorted_.data(), original_.data(),
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
