// The rigid-object method on a synthetic street with exact flow: the moving boxes are found and
// moved with their own motion, the static world with the ego motion, given or estimated.
#include <gtest/gtest.h>

#include <cmath>

#include "advect/geometry/SyntheticStreet.h"
#include "advect/lidar/RigidSceneFlow.h"
#include "support/PerDevice.h"
#include "support/StreetSequence.h"

namespace advect::testing {
namespace {

struct StreetPair {
  std::vector<float> source, target, truth;  // sensor frames; truth = the full flow
  std::vector<std::int32_t> box;             // moving box of each source point, -1 static
  geometry::RigidTransform ego;              // source sensor frame -> target sensor frame
};

// Sweeps 3 and 4 of a street without ground (the method expects it removed).
StreetPair street_pair(geometry::StreetOptions options = {}) {
  options.ground = false;
  const geometry::SyntheticStreet street(options);
  const geometry::StreetSweep a = street.sweep(3), b = street.sweep(4);
  StreetPair pair;
  pair.source = a.points;
  pair.target = b.points;
  pair.box = a.source;
  const geometry::RigidTransform world_to_b = geometry::inverse(b.pose);
  pair.ego = geometry::compose(world_to_b, a.pose);
  pair.truth.resize(a.points.size());
  for (std::size_t i = 0; i < a.points.size(); i += 3) {
    float world[3], later[3], seen[3];
    a.pose.apply(&a.points[i], world);
    street.carry(a.source[i / 3], world, a.time, b.time, later);
    world_to_b.apply(later, seen);
    for (int d = 0; d < 3; ++d)
      pair.truth[i + std::size_t(d)] = seen[d] - a.points[i + std::size_t(d)];
  }
  return pair;
}

struct Scores {
  double dynamic_epe = 0, static_epe = 0;
  double recall = 0;       // of box points flagged moving
  double false_alarm = 0;  // of static points flagged moving
};

Scores score(const StreetPair& pair, const lidar::RigidFlow& flow) {
  Scores s;
  std::size_t dynamic = 0, still = 0;
  for (std::size_t i = 0; i < pair.box.size(); ++i) {
    const double e = std::hypot(flow.flow[3 * i] - pair.truth[3 * i],
                                flow.flow[3 * i + 1] - pair.truth[3 * i + 1],
                                flow.flow[3 * i + 2] - pair.truth[3 * i + 2]);
    if (pair.box[i] >= 0) {
      s.dynamic_epe += e;
      s.recall += flow.moving[i];
      ++dynamic;
    } else {
      s.static_epe += e;
      s.false_alarm += flow.moving[i];
      ++still;
    }
  }
  s.dynamic_epe /= double(dynamic);
  s.recall /= double(dynamic);
  s.static_epe /= double(still);
  s.false_alarm /= double(still);
  return s;
}

class RigidSceneFlowOnDevice : public PerDevice {};

TEST_P(RigidSceneFlowOnDevice, FindsTheMovingBoxesOfASyntheticStreet) {
  const StreetPair pair = street_pair();
  const lidar::RigidFlow flow =
      lidar::estimate_rigid_flow(pair.source, pair.target, pair.ego, {}, device());
  ASSERT_EQ(flow.flow.size(), pair.source.size());
  const Scores s = score(pair, flow);
  std::printf(
      "rigid, ego given: dynamic EPE %.4f m, static %.4f m, recall %.3f, false alarms %.4f, "
      "%d of %d clusters moving\n",
      s.dynamic_epe, s.static_epe, s.recall, s.false_alarm, flow.moving_clusters, flow.clusters);
  EXPECT_FALSE(flow.ego_estimated);
  EXPECT_LT(s.dynamic_epe, 0.08);  // the boxes move 0.14-1.1 m per sweep
  EXPECT_LT(s.static_epe, 0.01);
  EXPECT_GT(s.recall, 0.9);
  EXPECT_LT(s.false_alarm, 0.01);

  // Without the ego motion: estimated from the static world first.
  const lidar::RigidFlow estimated =
      lidar::estimate_rigid_flow(pair.source, pair.target, std::nullopt, {}, device());
  const Scores e = score(pair, estimated);
  std::printf("rigid, ego estimated: dynamic EPE %.4f m, static %.4f m, recall %.3f\n",
              e.dynamic_epe, e.static_epe, e.recall);
  EXPECT_TRUE(estimated.ego_estimated);
  for (int k = 0; k < 3; ++k)
    EXPECT_NEAR(estimated.ego.translation[k], pair.ego.translation[k], 0.02);
  EXPECT_LT(e.dynamic_epe, 0.1);
  EXPECT_LT(e.static_epe, 0.03);

  EXPECT_THROW(lidar::estimate_rigid_flow({}, pair.target, pair.ego, {}, device()),
               std::invalid_argument);
}

TEST_P(RigidSceneFlowOnDevice, NoisyAndThinnedSweeps) {
  // 3 cm of noise on every point and 40 % of the points dropped afresh in every sweep.
  geometry::StreetOptions harder;
  harder.noise = 0.03;
  harder.dropout = 0.4;
  const StreetPair pair = street_pair(harder);
  const lidar::RigidFlow flow =
      lidar::estimate_rigid_flow(pair.source, pair.target, pair.ego, {}, device());
  const Scores s = score(pair, flow);
  std::printf(
      "rigid, noisy thinned street: dynamic EPE %.4f m, static %.4f m, recall %.3f, false "
      "alarms %.4f\n",
      s.dynamic_epe, s.static_epe, s.recall, s.false_alarm);
  EXPECT_LT(s.dynamic_epe, 0.1);
  EXPECT_LT(s.static_epe, 0.02);
  EXPECT_GT(s.recall, 0.75);
  EXPECT_LT(s.false_alarm, 0.02);
}

TEST_P(RigidSceneFlowOnDevice, SequenceFlowsFollowTheBoxesOverSeveralSweeps) {
  // Five sweeps in the world frame, each sweep's clusters fitted up to three sweeps ahead.
  geometry::StreetOptions options;
  options.ground = false;
  options.sweeps = 5;
  const StreetSequence street = street_sequence(options);
  lidar::RigidFlowOptions rigid;
  rigid.span = 3;
  std::size_t calls = 0;
  const std::vector<lidar::RigidFlow> flows = lidar::estimate_rigid_sequence_flows(
      street.sweeps, rigid, device(), [&](std::size_t) { ++calls; });
  ASSERT_EQ(flows.size(), 4u);
  EXPECT_EQ(calls, 4u);
  const SequenceScores s = score_sequence(street, flows);
  std::printf("rigid sequence, span 3: dynamic EPE %.4f m, static %.4f m, false alarms %.4f\n",
              s.dynamic, s.still, s.false_alarms);
  // Constant velocity over three sweeps: the turning car's arc costs a few centimetres.
  EXPECT_LT(s.dynamic, 0.08);
  EXPECT_LT(s.still, 0.01);
  // Three fits a sweep give this sparse street's wall fragments (4 points per m^2) more chances
  // to pass for moving than one fit does.
  EXPECT_LT(s.false_alarms, 0.02);

  rigid.span = 0;
  EXPECT_THROW(lidar::estimate_rigid_sequence_flows(street.sweeps, rigid, device()),
               std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(RigidSceneFlowOnDevice);

}  // namespace
}  // namespace advect::testing
