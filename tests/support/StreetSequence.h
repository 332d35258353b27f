// A synthetic street (geometry/SyntheticStreet.h) as a sequence method sees it: its sweeps in the
// world frame, and a sequence's flows scored against the street's exact motion.
#pragma once

#include <cmath>
#include <vector>

#include "advect/geometry/SyntheticStreet.h"
#include "advect/lidar/RigidSceneFlow.h"

namespace advect::testing {

struct StreetSequence {
  geometry::SyntheticStreet street;
  std::vector<geometry::StreetSweep> seen;  // as the sensor saw them
  std::vector<std::vector<float>> sweeps;   // the same points in the world frame, N x 3
};

inline StreetSequence street_sequence(const geometry::StreetOptions& options) {
  StreetSequence s{geometry::SyntheticStreet(options), {}, {}};
  for (int k = 0; k < options.sweeps; ++k) {
    s.seen.push_back(s.street.sweep(k));
    std::vector<float> world(s.seen.back().points.size());
    for (std::size_t i = 0; i < world.size(); i += 3)
      s.seen.back().pose.apply(&s.seen.back().points[i], &world[i]);
    s.sweeps.push_back(std::move(world));
  }
  return s;
}

// Mean end-point errors (m) on the moving boxes' points and on the static street's, and the
// share of static points called moving, over every sweep with a flow.
struct SequenceScores {
  double dynamic = 0.0, still = 0.0, false_alarms = 0.0;
};

inline SequenceScores score_sequence(const StreetSequence& s,
                                     const std::vector<lidar::RigidFlow>& flows) {
  SequenceScores scores;
  std::size_t dynamic_points = 0, still_points = 0;
  for (std::size_t k = 0; k < flows.size(); ++k) {
    const std::vector<float>& at = s.sweeps[k];
    const std::vector<float>& flow = flows[k].flow;
    for (std::size_t i = 0; i < s.seen[k].source.size(); ++i) {
      float later[3];
      s.street.carry(s.seen[k].source[i], &at[3 * i], s.seen[k].time, s.seen[k + 1].time, later);
      const double e =
          std::hypot(at[3 * i] + flow[3 * i] - later[0], at[3 * i + 1] + flow[3 * i + 1] - later[1],
                     at[3 * i + 2] + flow[3 * i + 2] - later[2]);
      if (s.seen[k].source[i] >= 0) {
        scores.dynamic += e;
        ++dynamic_points;
      } else {
        scores.still += e;
        scores.false_alarms += flows[k].moving[i];
        ++still_points;
      }
    }
  }
  scores.dynamic /= double(dynamic_points);
  scores.still /= double(still_points);
  scores.false_alarms /= double(still_points);
  return scores;
}

}  // namespace advect::testing
