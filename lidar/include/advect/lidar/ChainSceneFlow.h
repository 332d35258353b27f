// The sequence method (SequenceSceneFlow.h) scored as pairs are: over a chain of scene-flow
// pairs, each pair's target the next pair's source (the consecutive sweeps of one sequence, as a
// dataset of pairs cut from a sequence holds them), with each pair's flow given in the pairs'
// convention. `advect sceneflow compare` runs it beside the pair methods.
#pragma once

#include <vector>

#include "advect/engine/Device.h"
#include "advect/geometry/SceneFlowPair.h"
#include "advect/lidar/Accumulation.h"
#include "advect/lidar/SceneFlowPipeline.h"

namespace advect::lidar {

// The sweeps (every pair's source, then the last pair's target) go into the first source's frame
// through the pairs' ego motions (one shared frame where a pair has none), through
// estimate_sequence with the sequence method and settings' crop and ground removal, and each
// pair's flow comes back per source point, N x 3 metres: from the point in its sensor frame to
// where it is in the target's frame (ego motion included, as the pairs' truth). Points that crop
// or ground removal took out move with the ego motion alone. Each estimate's seconds is an equal
// share of the whole fit. Throws std::invalid_argument naming the first pair whose source is not
// the previous pair's target, and as estimate_sequence does.
std::vector<FlowEstimate> estimate_chain_flows(const std::vector<geometry::SceneFlowPair>& pairs,
                                               const SceneFlowSettings& settings,
                                               const Device& device,
                                               const StageProgress& progress = {});

}  // namespace advect::lidar
