// Rigid fits recover known motions; a reflection is never returned.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "advect/geometry/RigidFit.h"

namespace advect::testing {
namespace {

// Rotation by `angle` about the unit `axis` (Rodrigues), row-major, and a translation.
geometry::RigidTransform motion(const double axis[3], double angle, double tx, double ty,
                                double tz) {
  geometry::RigidTransform t;
  const double c = std::cos(angle), s = std::sin(angle);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      const double cross =
          i == j ? 0.0 : ((j == (i + 1) % 3) ? -axis[(i + 2) % 3] : axis[(i + 1) % 3]);
      t.rotation[3 * i + j] = (i == j ? c : 0.0) + (1 - c) * axis[i] * axis[j] + s * cross;
    }
  }
  t.translation[0] = tx, t.translation[1] = ty, t.translation[2] = tz;
  return t;
}

std::vector<float> moved(const geometry::RigidTransform& t, const std::vector<float>& points,
                         float noise, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss(0.0f, noise > 0 ? noise : 1.0f);
  std::vector<float> out(points.size());
  for (std::size_t i = 0; i < points.size(); i += 3) {
    t.apply(&points[i], &out[i]);
    if (noise > 0) {
      for (int d = 0; d < 3; ++d) out[i + std::size_t(d)] += gauss(rng);
    }
  }
  return out;
}

// n points uniform in the cube [-half, half]^3.
std::vector<float> random_cloud(std::size_t n, float half, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-half, half);
  std::vector<float> cloud(3 * n);
  for (float& v : cloud) v = u(rng);
  return cloud;
}

TEST(RigidFit, RecoversAKnownMotion) {
  const std::vector<float> source = random_cloud(200, 10.0f, 2);
  const double axis[3] = {2.0 / 7, 3.0 / 7, 6.0 / 7};
  const auto truth = motion(axis, 0.7, 1.5, -2.0, 0.25);
  const auto fitted = geometry::fit_rigid(source, moved(truth, source, 0.0f, 0));
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(fitted.rotation[i], truth.rotation[i], 1e-6);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(fitted.translation[i], truth.translation[i], 1e-5);
  // With 1 cm noise the fit stays within millimetres.
  const auto noisy = geometry::fit_rigid(source, moved(truth, source, 0.01f, 3));
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(noisy.translation[i], truth.translation[i], 5e-3);
}

TEST(RigidFit, WeightsSelectTheInliersAndReflectionsAreRefused) {
  const std::vector<float> source = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 5, 5, 5};
  const double z[3] = {0, 0, 1};
  std::vector<float> target = moved(motion(z, 0.3, 1, 2, 3), source, 0.0f, 0);
  target[12] += 40.0f;  // an outlier, weighted out
  const auto fitted = geometry::fit_rigid(source, target, std::vector<float>{1, 1, 1, 1, 0});
  EXPECT_NEAR(fitted.translation[0], 1.0, 1e-5);
  EXPECT_NEAR(fitted.rotation[1], -std::sin(0.3), 1e-6);
  // Mirrored points: the best proper rotation, determinant +1.
  std::vector<float> mirrored = source;
  for (std::size_t i = 0; i < mirrored.size(); i += 3) mirrored[i] = -mirrored[i];
  const geometry::RigidTransform mirror_fit = geometry::fit_rigid(source, mirrored);
  const double* r = mirror_fit.rotation;
  const double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) +
                     r[2] * (r[3] * r[7] - r[4] * r[6]);
  EXPECT_NEAR(det, 1.0, 1e-9);
  EXPECT_THROW(geometry::fit_rigid(std::vector<float>{0, 0, 0}, std::vector<float>{0, 0, 0}),
               std::invalid_argument);
}

// The sum of squared residuals of a pure yaw with the best translation for it.
double upright_residual(const std::vector<float>& source, const std::vector<float>& target,
                        double yaw) {
  const double z[3] = {0, 0, 1};
  geometry::RigidTransform turn = motion(z, yaw, 0, 0, 0);
  const std::vector<float> turned = moved(turn, source, 0.0f, 0);
  double mean[3] = {0, 0, 0};
  const std::size_t n = source.size() / 3;
  for (std::size_t i = 0; i < n; ++i)
    for (int d = 0; d < 3; ++d) mean[d] += (target[3 * i + d] - turned[3 * i + d]) / double(n);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    for (int d = 0; d < 3; ++d) {
      const double r = turned[3 * i + d] + mean[d] - target[3 * i + d];
      sum += r * r;
    }
  return sum;
}

TEST(RigidFit, UprightFitTurnsAboutZOnly) {
  const std::vector<float> source = random_cloud(150, 3.0f, 4);
  const double z[3] = {0, 0, 1};
  const auto yaw_only = motion(z, 0.2, 0.8, -0.1, 0.05);
  const auto fitted = geometry::fit_upright(source, moved(yaw_only, source, 0.0f, 0));
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(fitted.rotation[i], yaw_only.rotation[i], 1e-6);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(fitted.translation[i], yaw_only.translation[i], 1e-5);

  // A motion with roll: the fit stays a pure yaw, and that yaw is the least-squares one.
  const double tilted[3] = {0.6, 0.0, 0.8};
  const std::vector<float> target = moved(motion(tilted, 0.3, 0.5, 0.2, 0.0), source, 0.0f, 0);
  const auto upright = geometry::fit_upright(source, target);
  EXPECT_DOUBLE_EQ(upright.rotation[8], 1.0);
  EXPECT_DOUBLE_EQ(upright.rotation[2], 0.0);
  EXPECT_DOUBLE_EQ(upright.rotation[6], 0.0);
  const double yaw = std::atan2(upright.rotation[3], upright.rotation[0]);
  const double best = upright_residual(source, target, yaw);
  EXPECT_LT(best, upright_residual(source, target, yaw + 1e-3));
  EXPECT_LT(best, upright_residual(source, target, yaw - 1e-3));
}

}  // namespace
}  // namespace advect::testing
