// DBSCAN on the neighbour grid against a brute-force DBSCAN written from the definition.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "advect/geometry/Clustering.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// Textbook DBSCAN with O(n^2) neighbourhoods; border points join the cluster of their nearest
// core point, as cluster_points documents.
std::vector<std::int32_t> brute_force(const std::vector<float>& p,
                                      const geometry::ClusterOptions& o) {
  const std::size_t n = p.size() / 3;
  const auto d2 = [&](std::size_t i, std::size_t j) {
    double s = 0;
    for (int k = 0; k < 3; ++k)
      s += double(p[3 * i + k] - p[3 * j + k]) * (p[3 * i + k] - p[3 * j + k]);
    return s;
  };
  const double r2 = double(o.radius) * o.radius;
  std::vector<std::vector<std::size_t>> near(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (d2(i, j) <= r2) near[i].push_back(j);
  std::vector<bool> core(n);
  for (std::size_t i = 0; i < n; ++i) core[i] = int(near[i].size()) >= o.core_neighbours;
  std::vector<std::int32_t> root(n, -1);  // flood fill over core points
  for (std::size_t s = 0; s < n; ++s) {
    if (!core[s] || root[s] >= 0) continue;
    std::vector<std::size_t> stack = {s};
    root[s] = std::int32_t(s);
    while (!stack.empty()) {
      const std::size_t i = stack.back();
      stack.pop_back();
      for (const std::size_t j : near[i]) {
        if (core[j] && root[j] < 0) {
          root[j] = std::int32_t(s);
          stack.push_back(j);
        }
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (core[i]) continue;
    double best = 1e30;
    for (const std::size_t j : near[i]) {
      if (core[j] && d2(i, j) < best) {
        best = d2(i, j);
        root[i] = root[j];
      }
    }
  }
  std::map<std::int32_t, std::int64_t> sizes;
  for (const std::int32_t r : root)
    if (r >= 0) ++sizes[r];
  std::map<std::int32_t, std::int32_t> number;
  std::vector<std::int32_t> labels(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (root[i] < 0 || sizes[root[i]] < o.min_points) continue;
    const auto [it, fresh] = number.emplace(root[i], std::int32_t(number.size()));
    labels[i] = it->second;
  }
  return labels;
}

class ClusteringOnDevice : public PerDevice {};

TEST_P(ClusteringOnDevice, MatchesBruteForceDbscan) {
  // Blobs of different densities and sizes plus scattered noise, sparse enough that no point
  // has 16 neighbours within the radius (where the grid's search is exact DBSCAN).
  std::mt19937 rng(5);
  std::normal_distribution<float> spread(0.0f, 1.0f);
  std::uniform_real_distribution<float> anywhere(-20.0f, 20.0f);
  std::vector<float> points;
  const float centres[4][3] = {{0, 0, 0}, {6, 1, 0}, {-8, 5, 1}, {3, -9, 0}};
  const float widths[4] = {0.9f, 0.6f, 1.5f, 0.3f};
  const int counts[4] = {120, 60, 150, 12};
  for (int b = 0; b < 4; ++b)
    for (int i = 0; i < counts[b]; ++i)
      for (int d = 0; d < 3; ++d) points.push_back(centres[b][d] + widths[b] * spread(rng));
  for (int i = 0; i < 200; ++i)
    for (int d = 0; d < 3; ++d) points.push_back(anywhere(rng));
  geometry::ClusterOptions options;
  options.radius = 0.6f;
  options.core_neighbours = 4;
  options.min_points = 8;
  const std::vector<std::int32_t> expected = brute_force(points, options);
  const geometry::Clusters clusters = geometry::cluster_points(points, options, device());
  EXPECT_EQ(clusters.labels, expected);
  std::int32_t most = -1;
  for (const std::int32_t label : expected) most = std::max(most, label);
  EXPECT_EQ(clusters.count, most + 1);
  EXPECT_GE(clusters.count, 3);  // the three wider blobs at least
}

TEST_P(ClusteringOnDevice, EmptyAndBadInput) {
  EXPECT_EQ(geometry::cluster_points({}, {}, device()).count, 0);
  EXPECT_THROW(geometry::cluster_points(std::vector<float>{1, 2}, {}, device()),
               std::invalid_argument);
  geometry::ClusterOptions bad;
  bad.radius = 0.0f;
  EXPECT_THROW(geometry::cluster_points(std::vector<float>{1, 2, 3}, bad, device()),
               std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(ClusteringOnDevice);

}  // namespace
}  // namespace advect::testing
