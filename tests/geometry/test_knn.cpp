// Exact k nearest neighbours against brute force, on each device.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/geometry/NeighbourGrid.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// Uniform points in a box, or (lidar-like) points on a few planes with a jittered z.
std::vector<float> random_cloud(int n, unsigned seed, bool planar, float scale = 10.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> points(std::size_t(3 * n));
  for (int i = 0; i < n; ++i) {
    points[std::size_t(3 * i)] = u(rng);
    points[std::size_t(3 * i + 1)] = u(rng);
    points[std::size_t(3 * i + 2)] = planar ? float(i % 3) + 0.01f * u(rng) : u(rng);
  }
  return points;
}

struct Neighbours {
  std::vector<std::int32_t> index;
  std::vector<float> distance;
};

// The k nearest by exhaustive search, ordered by (squared distance, index).
Neighbours brute_force(const std::vector<float>& reference, const std::vector<float>& queries,
                       int k) {
  Neighbours out;
  const std::size_t n = reference.size() / 3;
  std::vector<std::pair<float, std::int32_t>> candidates(n);
  for (std::size_t q = 0; q < queries.size() / 3; ++q) {
    for (std::size_t r = 0; r < n; ++r) {
      const float dx = reference[3 * r] - queries[3 * q],
                  dy = reference[3 * r + 1] - queries[3 * q + 1],
                  dz = reference[3 * r + 2] - queries[3 * q + 2];
      candidates[r] = {dx * dx + dy * dy + dz * dz, std::int32_t(r)};
    }
    std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end());
    for (int j = 0; j < k; ++j) {
      out.distance.push_back(candidates[std::size_t(j)].first);
      out.index.push_back(candidates[std::size_t(j)].second);
    }
  }
  return out;
}

class KnnOnDevice : public PerDevice {
 protected:
  Neighbours grid_search(const std::vector<float>& reference, const std::vector<float>& queries,
                         int k, float max_distance = std::numeric_limits<float>::infinity()) const {
    const Buffer<float> ref = Buffer<float>::from_host(reference, device());
    const Buffer<float> qs = Buffer<float>::from_host(queries, device());
    const geometry::NeighbourGrid grid(ref.data(), std::int64_t(reference.size() / 3), device());
    const auto n = std::int64_t(queries.size() / 3);
    Buffer<std::int32_t> index(std::size_t(n * k), device());
    Buffer<float> distance(std::size_t(n * k), device());
    grid.query(qs.data(), n, k, index.data(), distance.data(), max_distance);
    return {index.to_host(), distance.to_host()};
  }
};

TEST_P(KnnOnDevice, EqualsBruteForce) {
  for (bool planar : {false, true}) {
    const std::vector<float> reference = random_cloud(3000, 1, planar);
    std::vector<float> queries = random_cloud(500, 2, planar, 14.0f);  // some outside the box
    queries.insert(queries.end(), {100.0f, -80.0f, 40.0f});            // far outside
    for (int k : {1, 5, 32}) {
      SCOPED_TRACE(::testing::Message() << "planar " << planar << " k " << k);
      const Neighbours expected = brute_force(reference, queries, k);
      const Neighbours found = grid_search(reference, queries, k);
      EXPECT_EQ(found.distance, expected.distance);
      EXPECT_EQ(found.index, expected.index);
    }
  }
}

// As a lidar sweep: a dense middle and a sparse tail of returns up to 200 m away, which the grid
// puts into its unbounded outer cells. Queries near, among and beyond the tail.
TEST_P(KnnOnDevice, ReferencePointsFarOutsideTheGridsBoxStayExact) {
  std::vector<float> reference = random_cloud(3000, 6, true);
  std::vector<float> queries = random_cloud(300, 7, true, 12.0f);
  std::mt19937 rng(8);
  std::uniform_real_distribution<float> angle(0.0f, 6.2831853f), range(15.0f, 200.0f);
  for (int i = 0; i < 120; ++i) {
    const float a = angle(rng), r = range(rng);
    reference.insert(reference.end(), {r * std::cos(a), r * std::sin(a), 0.05f * r});
    const float b = angle(rng), s = range(rng);
    queries.insert(queries.end(), {s * std::cos(b), s * std::sin(b), -0.02f * s});
  }
  queries.insert(queries.end(), {400.0f, 10.0f, -30.0f});
  for (int k : {1, 7}) {
    SCOPED_TRACE(::testing::Message() << "k " << k);
    const Neighbours expected = brute_force(reference, queries, k);
    const Neighbours found = grid_search(reference, queries, k);
    EXPECT_EQ(found.distance, expected.distance);
    EXPECT_EQ(found.index, expected.index);
  }
}

// A grid rebuilt in place for a larger, then a smaller cloud answers as a fresh one would.
TEST_P(KnnOnDevice, RebuiltGridsEqualBruteForce) {
  const std::vector<float> queries = random_cloud(300, 9, true, 14.0f);
  const Buffer<float> qs = Buffer<float>::from_host(queries, device());
  const std::vector<float> first = random_cloud(500, 10, false);
  geometry::NeighbourGrid grid(Buffer<float>::from_host(first, device()).data(), 500, device());
  for (int n : {2000, 200}) {
    const std::vector<float> reference = random_cloud(n, unsigned(n), true, 5.0f);
    const Buffer<float> ref = Buffer<float>::from_host(reference, device());
    grid.rebuild(ref.data(), n);
    Buffer<std::int32_t> index(queries.size() / 3 * 3, device());
    Buffer<float> distance(queries.size() / 3 * 3, device());
    grid.query(qs.data(), std::int64_t(queries.size() / 3), 3, index.data(), distance.data());
    const Neighbours expected = brute_force(reference, queries, 3);
    EXPECT_EQ(index.to_host(), expected.index) << n;
    EXPECT_EQ(distance.to_host(), expected.distance) << n;
  }
}

TEST_P(KnnOnDevice, WithinAMaximumDistanceEqualsBruteForceCutThere) {
  const std::vector<float> reference = random_cloud(3000, 4, true);
  std::vector<float> queries = random_cloud(400, 5, true, 14.0f);
  queries.insert(queries.end(), {100.0f, -80.0f, 40.0f});
  const float max_distance = 0.6f;
  const int k = 6;
  Neighbours expected = brute_force(reference, queries, k);
  for (std::size_t i = 0; i < expected.index.size(); ++i) {
    if (expected.distance[i] > max_distance * max_distance) {
      expected.index[i] = -1;
      expected.distance[i] = std::numeric_limits<float>::infinity();
    }
  }
  const Neighbours found = grid_search(reference, queries, k, max_distance);
  EXPECT_EQ(found.index, expected.index);
  EXPECT_EQ(found.distance, expected.distance);
  EXPECT_EQ(found.index.back(), -1);  // the far query finds nothing
}

TEST_P(KnnOnDevice, DuplicatesAndDegenerateClouds) {
  // All reference points on one line, with duplicates: ties resolve to the lower index.
  std::vector<float> reference;
  for (int i = 0; i < 50; ++i) reference.insert(reference.end(), {float(i / 2), 0.0f, 0.0f});
  const std::vector<float> queries = {3.2f, 0.0f, 0.0f, -5.0f, 1.0f, 1.0f, 24.0f, 0.0f, 0.0f};
  const Neighbours expected = brute_force(reference, queries, 4);
  const Neighbours found = grid_search(reference, queries, 4);
  EXPECT_EQ(found.index, expected.index);
  EXPECT_EQ(found.distance, expected.distance);
  EXPECT_EQ(found.index[0], 6);  // (3, 0, 0) is points 6 and 7
  EXPECT_EQ(found.index[1], 7);

  const std::vector<float> single = {1.0f, 2.0f, 3.0f};
  const Neighbours one = grid_search(single, queries, 1);
  EXPECT_EQ(one.index, (std::vector<std::int32_t>{0, 0, 0}));
}

TEST_P(KnnOnDevice, RejectsBadK) {
  const std::vector<float> reference = random_cloud(10, 3, false);
  const Buffer<float> ref = Buffer<float>::from_host(reference, device());
  const geometry::NeighbourGrid grid(ref.data(), 10, device());
  Buffer<std::int32_t> index(11, device());
  Buffer<float> distance(11, device());
  EXPECT_THROW(grid.query(ref.data(), 1, 11, index.data(), distance.data()), std::invalid_argument);
  EXPECT_THROW(grid.query(ref.data(), 1, 0, index.data(), distance.data()), std::invalid_argument);
  EXPECT_THROW(geometry::NeighbourGrid(ref.data(), 0, device()), std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(KnnOnDevice);

}  // namespace
}  // namespace advect::testing
