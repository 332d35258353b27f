// Voxel downsampling and crops against straightforward host implementations, on each device.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>
#include <random>

#include "advect/geometry/CloudFilters.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

std::vector<float> random_cloud(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-5.0f, 5.0f);
  std::vector<float> points(std::size_t(3 * n));
  for (float& v : points) v = u(rng);
  return points;
}

class CloudFiltersOnDevice : public PerDevice {};

TEST_P(CloudFiltersOnDevice, VoxelCentroidsMatchAHostGrouping) {
  const std::vector<float> points = random_cloud(5000, 1);
  const float voxel = 0.7f;
  std::array<float, 3> lo = {points[0], points[1], points[2]};
  for (std::size_t i = 0; i < points.size(); ++i) lo[i % 3] = std::min(lo[i % 3], points[i]);
  std::map<std::array<long, 3>, std::array<double, 4>> groups;  // (z, y, x) -> sum x, y, z, count
  for (std::size_t i = 0; i < points.size(); i += 3) {
    std::array<long, 3> key;
    for (int d = 0; d < 3; ++d)
      key[std::size_t(2 - d)] =
          long(std::floor((points[i + std::size_t(d)] - lo[std::size_t(d)]) / voxel));
    auto& g = groups[key];
    for (int d = 0; d < 3; ++d) g[std::size_t(d)] += points[i + std::size_t(d)];
    g[3] += 1.0;
  }
  const Buffer<float> cloud = Buffer<float>::from_host(points, device());
  const std::vector<float> out =
      geometry::voxel_downsample(cloud.data(), 5000, voxel, device()).to_host();
  ASSERT_EQ(out.size(), 3 * groups.size());
  std::size_t j = 0;
  for (const auto& [key, g] : groups) {
    for (int d = 0; d < 3; ++d)
      EXPECT_NEAR(out[3 * j + std::size_t(d)], g[std::size_t(d)] / g[3], 1e-5) << j;
    ++j;
  }
}

TEST_P(CloudFiltersOnDevice, CropKeepsExactlyThePointsInside) {
  const std::vector<float> points = random_cloud(3000, 2);
  geometry::CropRegion region;
  region.box = {-3.0f, -2.0f, -1e9f, 4.0f, 2.5f, 1e9f};
  region.max_range = 4.0f;
  const Buffer<float> cloud = Buffer<float>::from_host(points, device());
  Buffer<std::int32_t> kept;
  const std::vector<float> out =
      geometry::crop(cloud.data(), 3000, region, device(), &kept).to_host();
  std::vector<float> expected;
  std::vector<std::int32_t> expected_index;
  for (std::size_t i = 0; i < points.size(); i += 3) {
    const float x = points[i], y = points[i + 1], z = points[i + 2];
    if (x >= -3 && x <= 4 && y >= -2 && y <= 2.5f && x * x + y * y + z * z <= 16.0f) {
      expected.insert(expected.end(), {x, y, z});
      expected_index.push_back(std::int32_t(i / 3));
    }
  }
  EXPECT_GT(expected_index.size(), 100u);
  EXPECT_EQ(out, expected);
  EXPECT_EQ(kept.to_host(), expected_index);
  region.max_range = 0.01f;
  EXPECT_EQ(geometry::crop(cloud.data(), 3000, region, device()).size(), 0u);
}

ADVECT_INSTANTIATE_PER_DEVICE(CloudFiltersOnDevice);

}  // namespace
}  // namespace advect::testing
