// The sequence method on synthetic streets with exact motion: fitting each object's velocity to
// the sweeps around it is more accurate than fitting it to the next sweep alone (the rigid
// method's pair fits), and leaves the static street still.
#include <gtest/gtest.h>

#include <cstdio>

#include "advect/lidar/SceneFlowPipeline.h"
#include "advect/lidar/SequenceSceneFlow.h"
#include "support/PerDevice.h"
#include "support/StreetSequence.h"

namespace advect::testing {
namespace {

class SequenceSceneFlowOnDevice : public PerDevice {};

TEST_P(SequenceSceneFlowOnDevice, BeatsPairFitsOnANoisyStreet) {
  // Ten sweeps with 3 cm of noise and 40 % of the points dropped afresh in every sweep.
  geometry::StreetOptions options;
  options.ground = false;
  options.sweeps = 10;
  options.noise = 0.03;
  options.dropout = 0.4;
  const StreetSequence street = street_sequence(options);
  const lidar::RigidFlowOptions rigid;
  std::size_t calls = 0;
  const std::vector<lidar::RigidFlow> flows = lidar::estimate_sequence_flows(
      street.sweeps, rigid, {}, device(), [&](std::size_t) { ++calls; });
  ASSERT_EQ(flows.size(), 9u);
  EXPECT_EQ(calls, 9u);
  const SequenceScores sequence = score_sequence(street, flows);
  const SequenceScores pairs =
      score_sequence(street, lidar::estimate_rigid_sequence_flows(street.sweeps, rigid, device()));
  std::printf(
      "noisy street, 10 sweeps: sequence dynamic EPE %.4f m, static %.4f m, false alarms %.4f; "
      "rigid pairs %.4f / %.4f / %.4f\n",
      sequence.dynamic, sequence.still, sequence.false_alarms, pairs.dynamic, pairs.still,
      pairs.false_alarms);
  EXPECT_LT(sequence.dynamic, 0.8 * pairs.dynamic);
  EXPECT_LT(sequence.still, 0.01);
  EXPECT_LT(sequence.false_alarms, 0.02);
}

TEST_P(SequenceSceneFlowOnDevice, RefusesWhatItCannotFit) {
  geometry::StreetOptions options;
  options.ground = false;
  options.sweeps = 2;
  const StreetSequence street = street_sequence(options);
  lidar::SequenceFlowOptions bad;
  bad.window = 0;
  EXPECT_THROW(lidar::estimate_sequence_flows(street.sweeps, {}, bad, device()),
               std::invalid_argument);
  bad.window = 1;
  bad.proposal_span = 2;
  EXPECT_THROW(lidar::estimate_sequence_flows(street.sweeps, {}, bad, device()),
               std::invalid_argument);
  EXPECT_THROW(lidar::estimate_sequence_flows({street.sweeps[0]}, {}, {}, device()),
               std::invalid_argument);
  EXPECT_THROW(lidar::estimate_sequence_flows({street.sweeps[0], {}}, {}, {}, device()),
               std::invalid_argument);
  // Two sweeps are a sequence: the window shrinks to what there is.
  EXPECT_EQ(lidar::estimate_sequence_flows(street.sweeps, {}, {}, device()).size(), 1u);
  // A pair is not: estimate_flow says where the method is.
  geometry::SceneFlowPair pair;
  pair.source.positions = street.sweeps[0];
  pair.target.positions = street.sweeps[1];
  lidar::SceneFlowSettings settings;
  settings.method = "sequence";
  EXPECT_THROW(lidar::estimate_flow(pair, settings, device()), std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(SequenceSceneFlowOnDevice);

}  // namespace
}  // namespace advect::testing
