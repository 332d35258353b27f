// Several scene-flow methods on the same pairs, scored alike, one row each: the pipeline behind
// `advect sceneflow compare` and Python's `compare_scene_flow`. Flows from outside the lidar
// methods (a dynamic radiance model's flow field) join as sources of their own.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/geometry/FlowMetrics.h"
#include "advect/geometry/SceneFlowPair.h"
#include "advect/lidar/SceneFlowPipeline.h"

namespace advect::lidar {

// A method's errors pooled over the pairs (geometry::pair_flow_errors): all evaluated points and
// the moving ones; seconds: its estimates' own times (a source's: its calls).
struct MethodScore {
  std::string name;
  geometry::PooledFlowErrors all, movers;
  double seconds = 0;
};

// A flow from elsewhere: N x 3 (the pairs' units per frame) at pair k's source points.
struct FlowSource {
  std::string name;
  std::function<std::vector<float>(std::size_t pair)> flow;
};

// Each of `methods` in order, then each source: "nsfp", "fast" and "rigid" estimate each pair
// after prepare_pair (scored on the prepared pair's points); "sequence" fits the pairs as one
// chain (estimate_chain_flows, the ground removed: its clustering takes every non-ground point for
// an object's). `scored` (may be empty) is called after each pair of each row. Throws
// std::invalid_argument for a pair without truth, an unknown method, or as the methods do.
std::vector<MethodScore> compare_methods(const std::vector<geometry::SceneFlowPair>& pairs,
                                         const std::vector<std::string>& methods,
                                         const SceneFlowSettings& settings, const Device& device,
                                         const std::vector<FlowSource>& sources = {},
                                         const std::function<void()>& scored = {});

}  // namespace advect::lidar
