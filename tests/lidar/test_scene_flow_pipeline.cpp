// The scene-flow pipeline of one pair: preparation (crop, ground removal) keeps the right rows,
// the ego motion is taken out and added back exactly, and the scores match the metrics' own.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "advect/lidar/SceneFlowPipeline.h"

namespace advect::testing {
namespace {

// Points on three walls around the sensor (ground-free), and the same points seen after the
// sensor moved by `ego` (so that the static world's true flow is the ego flow).
geometry::SceneFlowPair walls_seen_twice(const geometry::RigidTransform& ego, int points) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> along(-8.0f, 8.0f), height(0.2f, 3.0f);
  geometry::SceneFlowPair pair;
  pair.name = "walls";
  for (int i = 0; i < points; ++i) {
    const int wall = i % 3;
    const float a = along(rng), z = height(rng);
    const float p[3] = {wall == 0 ? 9.0f : a, wall == 1 ? 9.0f : (wall == 2 ? -9.0f : a), z};
    float q[3];
    ego.apply(p, q);
    pair.source.positions.insert(pair.source.positions.end(), p, p + 3);
    pair.target.positions.insert(pair.target.positions.end(), q, q + 3);
    for (int d = 0; d < 3; ++d) pair.flow.push_back(q[d] - p[d]);
  }
  pair.ego_motion = ego;
  return pair;
}

geometry::RigidTransform small_turn_and_step() {
  geometry::RigidTransform ego;
  const double angle = 0.02, c = std::cos(angle), s = std::sin(angle);
  ego.rotation[0] = c;
  ego.rotation[1] = -s;
  ego.rotation[3] = s;
  ego.rotation[4] = c;
  ego.translation[0] = -0.8;  // the sensor drives 0.8 m forward between sweeps
  return ego;
}

TEST(SceneFlowPipeline, EgoCompensationLeavesOnlyTheMotionBeyondTheEgoMotion) {
  const geometry::SceneFlowPair pair = walls_seen_twice(small_turn_and_step(), 1500);
  lidar::SceneFlowSettings settings;
  settings.method = "fast";
  const lidar::FlowEstimate estimate = lidar::estimate_flow(pair, settings, Device::cpu());
  ASSERT_TRUE(estimate.ego_compensated);
  ASSERT_EQ(estimate.flow.size(), pair.flow.size());
  const lidar::FlowAccuracy accuracy = lidar::evaluate_flow(pair, estimate.flow);
  double epe = 0.0;  // by hand, against the exact ego flow
  for (std::size_t i = 0; i < pair.flow.size(); i += 3) {
    epe += std::hypot(estimate.flow[i] - pair.flow[i], estimate.flow[i + 1] - pair.flow[i + 1],
                      estimate.flow[i + 2] - pair.flow[i + 2]);
  }
  epe /= double(pair.flow.size() / 3);
  std::printf("static walls, ego motion 0.8 m: EPE3D %.4f m with compensation\n", epe);
  EXPECT_NEAR(accuracy.errors.epe3d, epe, 1e-6);
  EXPECT_LT(epe, 0.02);  // the world is static: the residual fit is ~0

  settings.ego_compensation = false;  // the prior must now learn a 0.8 m rigid motion
  const lidar::FlowEstimate full = lidar::estimate_flow(pair, settings, Device::cpu());
  EXPECT_FALSE(full.ego_compensated);
  EXPECT_GT(lidar::evaluate_flow(pair, full.flow).errors.epe3d, accuracy.errors.epe3d);
}

TEST(SceneFlowPipeline, PreparationKeepsTheRowsInsideTheCropInOrder) {
  geometry::SceneFlowPair pair = walls_seen_twice(small_turn_and_step(), 300);
  // Three far points at rows 0, 100 and 299.
  for (const std::size_t row : {0u, 100u, 299u}) pair.source.positions[3 * row] = 60.0f;
  lidar::SceneFlowSettings settings;
  settings.crop = 30.0f;
  const lidar::PreparedPair prepared = lidar::prepare_pair(pair, settings, Device::cpu());
  ASSERT_EQ(prepared.kept.size(), 297u);
  EXPECT_EQ(prepared.kept.front(), 1);
  EXPECT_EQ(prepared.kept[99], 101);
  ASSERT_EQ(prepared.pair.flow.size(), 3 * 297u);
  for (std::size_t i = 0; i < prepared.kept.size(); ++i) {
    for (std::size_t d = 0; d < 3; ++d) {
      EXPECT_EQ(prepared.pair.flow[3 * i + d], pair.flow[3 * std::size_t(prepared.kept[i]) + d]);
    }
  }
  settings.crop = 1.0f;  // nothing within 1 m
  EXPECT_THROW(lidar::prepare_pair(pair, settings, Device::cpu()), std::invalid_argument);
  settings.method = "flownet";
  EXPECT_THROW(settings.solver_options(), std::invalid_argument);
}

}  // namespace
}  // namespace advect::testing
