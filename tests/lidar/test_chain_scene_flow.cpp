// The sequence method over a chain of scene-flow pairs cut from a synthetic street, each pair in
// its own sensor frames with the ego motion between them (as datasets of pairs store them): the
// flows come back in the pairs' convention and score against the street's exact motion as the
// world-frame fit of the same sweeps does.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "advect/lidar/ChainSceneFlow.h"
#include "advect/lidar/SequenceSceneFlow.h"
#include "support/PerDevice.h"
#include "support/StreetSequence.h"

namespace advect::testing {
namespace {

class ChainSceneFlowOnDevice : public PerDevice {};

std::vector<geometry::SceneFlowPair> pairs_of(const StreetSequence& street) {
  std::vector<geometry::SceneFlowPair> pairs;
  for (std::size_t k = 0; k + 1 < street.seen.size(); ++k) {
    geometry::SceneFlowPair& pair = pairs.emplace_back();
    pair.name = "pair " + std::to_string(k);
    pair.source.positions = street.seen[k].points;
    pair.target.positions = street.seen[k + 1].points;
    pair.ego_motion =
        geometry::compose(geometry::inverse(street.seen[k + 1].pose), street.seen[k].pose);
  }
  return pairs;
}

TEST_P(ChainSceneFlowOnDevice, PairsInSensorFramesScoreAsTheWorldFrameFit) {
  geometry::StreetOptions options;
  options.ground = false;
  options.sweeps = 6;
  const StreetSequence street = street_sequence(options);
  const std::vector<geometry::SceneFlowPair> pairs = pairs_of(street);
  const std::vector<lidar::FlowEstimate> chain =
      lidar::estimate_chain_flows(pairs, lidar::SceneFlowSettings{}, device());
  ASSERT_EQ(chain.size(), pairs.size());
  // The truth in the pairs' convention: where the point is at the target's time, in the target's
  // sensor frame, less where it was in the source's.
  double dynamic = 0.0, still = 0.0;
  std::size_t dynamic_points = 0, still_points = 0;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const geometry::StreetSweep& seen = street.seen[k];
    const geometry::RigidTransform to_target = geometry::inverse(street.seen[k + 1].pose);
    ASSERT_EQ(chain[k].flow.size(), seen.points.size());
    for (std::size_t i = 0; i < seen.source.size(); ++i) {
      float world[3], later[3], truth[3];
      seen.pose.apply(&seen.points[3 * i], world);
      street.street.carry(seen.source[i], world, seen.time, street.seen[k + 1].time, later);
      to_target.apply(later, truth);
      const float* p = &seen.points[3 * i];
      const float* f = &chain[k].flow[3 * i];
      const double e =
          std::hypot(p[0] + f[0] - truth[0], p[1] + f[1] - truth[1], p[2] + f[2] - truth[2]);
      (seen.source[i] >= 0 ? dynamic : still) += e;
      ++(seen.source[i] >= 0 ? dynamic_points : still_points);
    }
  }
  dynamic /= double(dynamic_points);
  still /= double(still_points);
  const SequenceScores world =
      score_sequence(street, lidar::estimate_sequence_flows(street.sweeps, {}, {}, device()));
  std::printf(
      "chain of %zu pairs: dynamic EPE %.4f m, static %.4f m; world-frame fit %.4f / %.4f\n",
      pairs.size(), dynamic, still, world.dynamic, world.still);
  EXPECT_LT(dynamic, world.dynamic + 0.01);
  EXPECT_LT(still, world.still + 0.001);
  EXPECT_LT(dynamic, 0.05);
}

TEST_P(ChainSceneFlowOnDevice, ABrokenChainIsNamed) {
  geometry::StreetOptions options;
  options.ground = false;
  options.sweeps = 4;
  std::vector<geometry::SceneFlowPair> pairs = pairs_of(street_sequence(options));
  pairs.erase(pairs.begin() + 1);  // pair 0 then pair 2: sweep 1 is not sweep 2
  try {
    lidar::estimate_chain_flows(pairs, {}, device());
    FAIL() << "no error";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("pair 2: its source is not the target of pair 0"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW(lidar::estimate_chain_flows({}, {}, device()), std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(ChainSceneFlowOnDevice);

}  // namespace
}  // namespace advect::testing
