#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "advect/engine/Buffer.h"
#include "advect/geometry/PointCloud.h"
#include "advect/geometry/RigidTransform.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

// Rotation by `angle` about z, then translation.
geometry::RigidTransform about_z(double angle, double tx, double ty, double tz) {
  geometry::RigidTransform t;
  const double c = std::cos(angle), s = std::sin(angle);
  const double r[9] = {c, -s, 0, s, c, 0, 0, 0, 1};
  std::copy(r, r + 9, t.rotation);
  t.translation[0] = tx, t.translation[1] = ty, t.translation[2] = tz;
  return t;
}

class RigidTransformOnDevice : public PerDevice {};

TEST_P(RigidTransformOnDevice, QuarterTurnAndShift) {
  const std::vector<float> points = {1, 0, 0, 0, 2, 1, -3, 0.5f, -1};
  Buffer<float> buffer = Buffer<float>::from_host(points, device());
  geometry::transform_points(about_z(std::numbers::pi / 2, 10, 0, -1), buffer.data(), 3, device());
  const std::vector<float> out = buffer.to_host();
  // (x, y, z) -> (-y + 10, x, z - 1)
  const std::vector<float> expected = {10, 1, -1, 8, 0, 0, 9.5f, -3, -2};
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], expected[i], 1e-6) << i;
}

TEST_P(RigidTransformOnDevice, InverseUndoesComposition) {
  const auto a = about_z(0.3, 1, 2, 3), b = about_z(-1.1, -4, 0.5, 2);
  const auto round_trip =
      geometry::compose(geometry::inverse(geometry::compose(a, b)), geometry::compose(a, b));
  std::vector<float> points = {1.5f, -2, 0.25f, 7, 8, 9};
  Buffer<float> buffer = Buffer<float>::from_host(points, device());
  geometry::transform_points(round_trip, buffer.data(), 2, device());
  const std::vector<float> out = buffer.to_host();
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], points[i], 1e-5);
}

ADVECT_INSTANTIATE_PER_DEVICE(RigidTransformOnDevice);

TEST(PointCloudBounds, MinMaxAndNonFinite) {
  const std::vector<float> points = {1, -2, 3, -4, 5, 0, 2, 2, 2};
  const geometry::Bounds b = geometry::compute_bounds(points);
  EXPECT_EQ(b.min[0], -4);
  EXPECT_EQ(b.max[1], 5);
  EXPECT_EQ(b.min[2], 0);
  EXPECT_EQ(geometry::first_non_finite_point(points), -1);
  std::vector<float> bad = points;
  bad[7] = std::nanf("");
  EXPECT_EQ(geometry::first_non_finite_point(bad), 2);
}

}  // namespace
}  // namespace advect::testing
