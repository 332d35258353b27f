// Several methods on the same pairs (lidar::compare_methods, behind `advect sceneflow compare`):
// each row is its method's estimates scored on the pairs' points and pooled, as scoring them one
// by one gives; a source of the exact flow scores zero, a zero flow the truth's mean length; the
// refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "advect/lidar/ChainSceneFlow.h"
#include "advect/lidar/MethodComparison.h"
#include "support/PerDevice.h"
#include "support/StreetSequence.h"

namespace advect::testing {
namespace {

class MethodComparisonOnDevice : public PerDevice {};

// Consecutive sweeps of the street in the world frame, with the exact flow and the moving points
// labelled class 1 (as `advect radiance scene` labels its pairs).
std::vector<geometry::SceneFlowPair> world_pairs(const StreetSequence& street) {
  std::vector<geometry::SceneFlowPair> pairs;
  for (std::size_t k = 0; k + 1 < street.sweeps.size(); ++k) {
    geometry::SceneFlowPair& pair = pairs.emplace_back();
    pair.name = "pair " + std::to_string(k);
    pair.source.positions = street.sweeps[k];
    pair.target.positions = street.sweeps[k + 1];
    const std::vector<float>& at = street.sweeps[k];
    for (std::size_t i = 0; i < street.seen[k].source.size(); ++i) {
      float later[3];
      street.street.carry(street.seen[k].source[i], &at[3 * i], street.seen[k].time,
                          street.seen[k + 1].time, later);
      for (int a = 0; a < 3; ++a) pair.flow.push_back(later[a] - at[3 * i + std::size_t(a)]);
      pair.classes.push_back(street.seen[k].source[i] >= 0 ? 1 : 0);
    }
  }
  return pairs;
}

// What a row must be: each pair's flow scored on all its points and on class 1, pooled.
struct Pooled {
  geometry::PooledFlowErrors all, movers;
  void add(const geometry::SceneFlowPair& pair, const std::vector<float>& flow) {
    std::vector<std::uint8_t> moving(pair.source.size());
    for (std::size_t i = 0; i < moving.size(); ++i) moving[i] = pair.classes[i] == 1;
    all.add(geometry::flow_errors(flow, pair.flow));
    movers.add(geometry::flow_errors(flow, pair.flow, moving));
  }
};

void expect_row(const lidar::MethodScore& row, const Pooled& expected) {
  const geometry::FlowErrors a = row.all.mean(), m = row.movers.mean();
  const geometry::FlowErrors ea = expected.all.mean(), em = expected.movers.mean();
  EXPECT_DOUBLE_EQ(a.epe3d, ea.epe3d) << row.name;
  EXPECT_DOUBLE_EQ(a.acc3dr, ea.acc3dr) << row.name;
  EXPECT_EQ(a.points, ea.points) << row.name;
  EXPECT_DOUBLE_EQ(m.epe3d, em.epe3d) << row.name;
  EXPECT_EQ(m.points, em.points) << row.name;
}

TEST_P(MethodComparisonOnDevice, EachRowIsItsMethodScoredPairByPair) {
  geometry::StreetOptions options;
  options.ground = false;
  options.sweeps = 4;
  const StreetSequence street = street_sequence(options);
  const std::vector<geometry::SceneFlowPair> pairs = world_pairs(street);
  const lidar::SceneFlowSettings settings;
  int calls = 0;
  const std::vector<lidar::FlowSource> sources = {
      {"exact", [&](std::size_t k) { return pairs[k].flow; }},
      {"zero", [&](std::size_t k) { return std::vector<float>(pairs[k].flow.size(), 0.0f); }}};
  const std::vector<lidar::MethodScore> rows = lidar::compare_methods(
      pairs, {"rigid", "sequence"}, settings, device(), sources, [&] { ++calls; });
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(calls, 4 * int(pairs.size()));
  EXPECT_EQ(rows[0].name, "rigid");
  EXPECT_EQ(rows[3].name, "zero");

  Pooled rigid, sequence, zero;
  lidar::SceneFlowSettings own = settings;
  own.method = "rigid";
  for (const geometry::SceneFlowPair& pair : pairs) {
    rigid.add(pair, lidar::estimate_flow(pair, own, device()).flow);
  }
  own.method = "sequence";
  own.remove_ground = true;
  const std::vector<lidar::FlowEstimate> chain = lidar::estimate_chain_flows(pairs, own, device());
  double length = 0.0;
  std::size_t points = 0;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    sequence.add(pairs[k], chain[k].flow);
    zero.add(pairs[k], std::vector<float>(pairs[k].flow.size(), 0.0f));
    for (std::size_t i = 0; i < pairs[k].flow.size(); i += 3, ++points) {
      length += std::hypot(pairs[k].flow[i], pairs[k].flow[i + 1], pairs[k].flow[i + 2]);
    }
  }
  expect_row(rows[0], rigid);
  expect_row(rows[1], sequence);
  expect_row(rows[3], zero);
  EXPECT_EQ(rows[2].all.mean().epe3d, 0.0);
  EXPECT_EQ(rows[2].movers.mean().epe3d, 0.0);
  EXPECT_GT(rows[2].movers.mean().points, 0u);
  EXPECT_NEAR(rows[3].all.mean().epe3d, length / double(points), 1e-6);
  EXPECT_LT(rows[1].movers.mean().epe3d, rows[3].movers.mean().epe3d);  // better than no motion
}

TEST_P(MethodComparisonOnDevice, RefusesWhatItCannotScore) {
  geometry::StreetOptions options;
  options.ground = false;
  options.sweeps = 2;
  std::vector<geometry::SceneFlowPair> pairs = world_pairs(street_sequence(options));
  const lidar::SceneFlowSettings settings;
  const auto refuses = [&](const std::vector<std::string>& methods,
                           const std::vector<lidar::FlowSource>& sources,
                           const std::string& needle) {
    try {
      lidar::compare_methods(pairs, methods, settings, device(), sources);
      ADD_FAILURE() << "accepted";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  refuses({"rigid", "teleport"}, {}, "teleport");
  refuses({}, {{"short", [](std::size_t) { return std::vector<float>(3, 0.0f); }}}, "short");
  pairs[0].flow.clear();
  refuses({"rigid"}, {}, "pair 0");
}

ADVECT_INSTANTIATE_PER_DEVICE(MethodComparisonOnDevice);

}  // namespace
}  // namespace advect::testing
