// Scene-flow metrics on hand-computed cases, and the Argoverse 2 helpers against the official
// labels of the real pair in ../shared.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include "advect/geometry/FlowMetrics.h"
#include "advect/io/Npy.h"

namespace advect::testing {
namespace {

TEST(FlowMetrics, HandComputedCases) {
  // 1: e = 0.04 (accurate); 2: e = 0.4 but r = 0.04 (accurate by ratio, outlier by e > 0.3);
  // 3: zero truth, e = 0.2 (inaccurate, outlier, angle pi/2 by the zero-vector convention).
  const std::vector<float> truth = {1, 0, 0, 10, 0, 0, 0, 0, 0};
  const std::vector<float> predicted = {1.04f, 0, 0, 10.4f, 0, 0, 0.2f, 0, 0};
  const geometry::FlowErrors e = geometry::flow_errors(predicted, truth);
  EXPECT_EQ(e.points, 3u);
  EXPECT_NEAR(e.epe3d, (0.04 + 0.4 + 0.2) / 3, 1e-6);
  EXPECT_DOUBLE_EQ(e.acc3ds, 2.0 / 3);
  EXPECT_DOUBLE_EQ(e.acc3dr, 2.0 / 3);
  EXPECT_DOUBLE_EQ(e.outliers, 2.0 / 3);
  const double clamped = std::acos(1.0 - 1e-7);  // parallel vectors: the clamp's floor
  EXPECT_NEAR(e.angle, (2 * clamped + std::numbers::pi / 2) / 3, 1e-9);

  const std::vector<std::uint8_t> first_only = {1, 0, 0};
  EXPECT_NEAR(geometry::flow_errors(predicted, truth, first_only).epe3d, 0.04, 1e-6);
  EXPECT_THROW(geometry::flow_errors(std::vector<float>{1, 2}, truth), std::invalid_argument);
}

TEST(FlowMetrics, PoolingPairsEqualsScoringAllTheirPointsAtOnce) {
  const std::vector<float> truth = {1, 0, 0, 10, 0, 0, 0, 0, 0, 0, 2, 0};
  const std::vector<float> predicted = {1.04f, 0, 0, 10.4f, 0, 0, 0.2f, 0, 0, 0, 1, 1};
  const std::span<const float> t(truth), p(predicted);
  geometry::PooledFlowErrors pooled;
  pooled.add(geometry::flow_errors(p.first(3), t.first(3)));  // one point
  pooled.add(geometry::flow_errors(p.last(9), t.last(9)));    // three points
  const geometry::FlowErrors all = geometry::flow_errors(predicted, truth), mean = pooled.mean();
  EXPECT_EQ(mean.points, 4u);
  EXPECT_NEAR(mean.epe3d, all.epe3d, 1e-12);
  EXPECT_NEAR(mean.acc3ds, all.acc3ds, 1e-12);
  EXPECT_NEAR(mean.acc3dr, all.acc3dr, 1e-12);
  EXPECT_NEAR(mean.outliers, all.outliers, 1e-12);
  EXPECT_NEAR(mean.angle, all.angle, 1e-12);
  EXPECT_EQ(geometry::PooledFlowErrors{}.mean().epe3d, 0.0);  // nothing pooled: zeros, not NaN
}

TEST(FlowMetrics, ThreewayAveragesTheThreeBuckets) {
  // Errors 0.1 / 0.3 (background), 0.2 (foreground static), 1.0 (dynamic), and an invalid point.
  const std::vector<float> truth(15, 0.0f);
  const std::vector<float> predicted = {0.1f, 0, 0, 0, 0.3f, 0, 0, 0, 0.2f, 1, 0, 0, 9, 9, 9};
  const std::vector<std::uint8_t> foreground = {0, 0, 1, 1, 1}, dynamic = {1, 0, 0, 1, 1},
                                  valid = {1, 1, 1, 1, 0};
  const geometry::ThreewayEpe t =
      geometry::threeway_epe(predicted, truth, foreground, dynamic, valid);
  EXPECT_NEAR(t.background_static, 0.2, 1e-6);  // a moving background point is still "background"
  EXPECT_NEAR(t.foreground_static, 0.2, 1e-6);
  EXPECT_NEAR(t.foreground_dynamic, 1.0, 1e-6);
  EXPECT_NEAR(t.threeway, 1.4 / 3, 1e-6);
  EXPECT_EQ(t.counts, (std::array<std::size_t, 3>{2, 1, 1}));
}

TEST(FlowMetrics, ReproducesTheOfficialArgoverseLabels) {
  const std::filesystem::path pair =
      std::filesystem::path(ADVECT_SOURCE_DIR) / "../shared/sceneflow/av2_sf_pair_7fab2350";
  if (!std::filesystem::exists(pair / "flow_gt.npy"))
    GTEST_SKIP() << "Argoverse 2 pair not found at " << pair;
  const std::vector<float> points = io::read_npy(pair / "pc0_xyz.npy").values<float>();
  const std::vector<float> truth = io::read_npy(pair / "flow_gt.npy").values<float>();
  const std::vector<std::uint8_t> official =
      io::read_npy(pair / "is_dynamic.npy").values<std::uint8_t>();
  const std::vector<double> pose = io::read_npy(pair / "ego1_SE3_ego0.npy").values<double>();
  std::array<double, 16> matrix;
  std::copy(pose.begin(), pose.end(), matrix.begin());
  const auto transform = geometry::RigidTransform::from_matrix(matrix);
  std::vector<float> ego(points.size());
  geometry::ego_flow(points, transform, ego);
  std::vector<std::uint8_t> dynamic(official.size()), inside(official.size());
  geometry::dynamic_mask(truth, ego, 0.05f, dynamic);
  // Same rule as the labels (0 differ here and in numpy); a handful at the 0.05 m boundary could
  // flip with float rounding, which the tolerance allows.
  std::size_t differ = 0, labelled = 0;
  for (std::size_t i = 0; i < dynamic.size(); ++i) {
    differ += dynamic[i] != official[i];
    labelled += official[i];
  }
  EXPECT_EQ(labelled, 2037u);  // ../shared/sceneflow/av2_sf_pair_7fab2350/SOURCE.txt
  EXPECT_LE(differ, 5u);
  geometry::inside_box(points, 35.0f, inside);
  EXPECT_EQ(std::count(inside.begin(), inside.end(), 1), 90249);  // SOURCE.txt: the 70 x 70 m box
  // The ego flow alone is exact for static points: its EPE there stays under the 0.05 m threshold.
  std::vector<std::uint8_t> static_points(official.size());
  for (std::size_t i = 0; i < official.size(); ++i) static_points[i] = official[i] == 0;
  EXPECT_LT(geometry::flow_errors(ego, truth, static_points).epe3d, 0.05);
  EXPECT_GT(geometry::flow_errors(ego, truth, official).epe3d, 0.05);
}

}  // namespace
}  // namespace advect::testing
