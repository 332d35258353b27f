// RANSAC ground: a synthetic scene with a known tilted ground, and the official Argoverse 2 ground
// labels of the real pair in ../shared.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "advect/geometry/CloudFilters.h"
#include "advect/geometry/GroundRemoval.h"
#include "advect/io/Npy.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

class GroundOnDevice : public PerDevice {};

TEST_P(GroundOnDevice, FindsATiltedGroundUnderObjectsAndWalls) {
  std::mt19937 rng(4);
  std::uniform_real_distribution<float> u(-20.0f, 20.0f);
  std::normal_distribution<float> noise(0.0f, 0.02f);
  std::vector<float> points;
  std::vector<std::uint8_t> truth;
  const auto ground_z = [](float x, float y) { return 0.02f * x - 0.01f * y - 1.7f; };
  for (int i = 0; i < 3000; ++i) {  // ground
    const float x = u(rng), y = u(rng);
    points.insert(points.end(), {x, y, ground_z(x, y) + noise(rng)});
    truth.push_back(1);
  }
  for (int i = 0; i < 1500; ++i) {  // a wall (vertical plane) and objects standing on the ground
    const float a = u(rng), b = std::fabs(u(rng)) / 5.0f;
    if (i % 2 == 0) {
      points.insert(points.end(), {15.0f, a, ground_z(15.0f, a) + 0.5f + b});
    } else {
      const float x = std::fmod(std::fabs(a), 4.0f) - 2.0f, y = 5.0f + 0.1f * b;
      points.insert(points.end(), {x, y, ground_z(x, y) + 0.4f + b});
    }
    truth.push_back(0);
  }
  const Buffer<float> cloud = Buffer<float>::from_host(points, device());
  const std::int64_t n = std::int64_t(truth.size());
  const geometry::GroundPlane plane = geometry::fit_ground_plane(cloud.data(), n, {}, device());
  // Expected plane: normal ~ (-0.02, 0.01, 1) normalised.
  const double norm = std::sqrt(0.02 * 0.02 + 0.01 * 0.01 + 1.0);
  EXPECT_NEAR(plane.plane[0], -0.02 / norm, 2e-3);
  EXPECT_NEAR(plane.plane[1], 0.01 / norm, 2e-3);
  EXPECT_NEAR(plane.plane[3], 1.7 / norm, 1e-2);
  Buffer<std::uint8_t> mask(truth.size(), device());
  geometry::ground_mask(cloud.data(), n, plane, 0.2f, mask.data(), device());
  EXPECT_EQ(mask.to_host(), truth);
}

ADVECT_INSTANTIATE_PER_DEVICE(GroundOnDevice);

TEST(Ground, AgreesWithTheOfficialArgoverseLabels) {
  const std::filesystem::path pair =
      std::filesystem::path(ADVECT_SOURCE_DIR) / "../shared/sceneflow/av2_sf_pair_7fab2350";
  if (!std::filesystem::exists(pair / "is_ground_pc0.npy"))
    GTEST_SKIP() << "Argoverse 2 pair not found at " << pair;
  const std::vector<float> points = io::read_npy(pair / "pc0_xyz.npy").values<float>();
  const std::vector<std::uint8_t> official =
      io::read_npy(pair / "is_ground_pc0.npy").values<std::uint8_t>();
  // One plane is a fair model of the ground near the sensor: crop to 20 m first, as a user would.
  geometry::CropRegion near_sensor;
  near_sensor.box = {-20.0f, -20.0f, -1e9f, 20.0f, 20.0f, 1e9f};
  Buffer<std::int32_t> kept;
  const Buffer<float> cropped = geometry::crop(points.data(), std::int64_t(official.size()),
                                               near_sensor, Device::cpu(), &kept);
  const auto n = std::int64_t(cropped.size() / 3);
  const geometry::GroundPlane plane =
      geometry::fit_ground_plane(cropped.data(), n, {}, Device::cpu());
  std::vector<std::uint8_t> mask(std::size_t(n), 0);
  geometry::ground_mask(cropped.data(), n, plane, 0.2f, mask.data(), Device::cpu());
  const std::vector<std::int32_t> index = kept.to_host();
  std::size_t near = 0, agree = 0;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    ++near;
    agree += mask[i] == official[std::size_t(index[i])];
  }
  const double agreement = double(agree) / double(near);
  EXPECT_GT(agreement, 0.95) << "of " << near << " points";  // measured 0.975
}

}  // namespace
}  // namespace advect::testing
