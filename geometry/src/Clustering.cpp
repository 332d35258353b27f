#include "advect/geometry/Clustering.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "advect/geometry/NeighbourGrid.h"

namespace advect::geometry {

namespace {

constexpr int kNeighbours = 16;

// Union-find with path halving.
struct DisjointSets {
  std::vector<std::int32_t> parent;
  explicit DisjointSets(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::int32_t find(std::int32_t i) {
    while (parent[std::size_t(i)] != i) {
      parent[std::size_t(i)] = parent[std::size_t(parent[std::size_t(i)])];
      i = parent[std::size_t(i)];
    }
    return i;
  }
  void join(std::int32_t a, std::int32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::size_t(std::max(a, b))] = std::min(a, b);
  }
};

}  // namespace

Clusters cluster_points(std::span<const float> points, const ClusterOptions& options,
                        const Device& device) {
  if (points.size() % 3 != 0) throw std::invalid_argument("cluster_points: not an N x 3 array");
  if (!(options.radius > 0.0f) || options.core_neighbours < 1)
    throw std::invalid_argument("cluster_points: the radius and core count must be positive");
  const auto n = std::int64_t(points.size() / 3);
  Clusters clusters;
  clusters.labels.assign(std::size_t(n), -1);
  if (n == 0) return clusters;

  const int k = int(std::min<std::int64_t>(kNeighbours, n));
  const std::vector<std::int32_t> neighbours =
      NeighbourGrid::from_host(points, device).query_host(points, k, options.radius).indices;
  const auto row = [&](std::int64_t i) { return std::size_t(i * k); };
  std::vector<std::uint8_t> core(std::size_t(n), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    int within = 0;
    for (int j = 0; j < k; ++j) within += neighbours[row(i) + std::size_t(j)] >= 0 ? 1 : 0;
    core[std::size_t(i)] = within >= options.core_neighbours ? 1 : 0;
  }
  DisjointSets sets{std::size_t(n)};
  std::vector<std::int32_t> anchor(std::size_t(n), -1);  // the core point each point hangs on
  for (std::int64_t i = 0; i < n; ++i) {
    for (int j = 0; j < k; ++j) {
      const std::int32_t other = neighbours[row(i) + std::size_t(j)];
      if (other < 0 || !core[std::size_t(other)]) continue;
      if (core[std::size_t(i)]) {
        sets.join(std::int32_t(i), other);
      } else if (anchor[std::size_t(i)] < 0) {
        anchor[std::size_t(i)] = other;  // neighbours come nearest first
      }
    }
    if (core[std::size_t(i)]) anchor[std::size_t(i)] = std::int32_t(i);
  }
  std::vector<std::int64_t> size(std::size_t(n), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    if (anchor[std::size_t(i)] >= 0) ++size[std::size_t(sets.find(anchor[std::size_t(i)]))];
  }
  std::vector<std::int32_t> number(std::size_t(n), -1);
  for (std::int64_t i = 0; i < n; ++i) {
    if (anchor[std::size_t(i)] < 0) continue;
    const auto root = std::size_t(sets.find(anchor[std::size_t(i)]));
    if (size[root] < options.min_points) continue;
    if (number[root] < 0) number[root] = clusters.count++;
    clusters.labels[std::size_t(i)] = number[root];
  }
  return clusters;
}

}  // namespace advect::geometry
