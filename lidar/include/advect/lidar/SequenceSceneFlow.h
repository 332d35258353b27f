// Scene flow of a whole lidar sequence as one space-time velocity field (`--method sequence`): the
// objects of every sweep move with a constant planar velocity (a straight drive or a steady turn,
// GroupVelocity.h) fitted jointly to the sweeps `window` intervals before and after, so that
// integrating the field from a sweep lands each object on it in the neighbouring sweeps, forward
// and backward in time (one-step and multi-step point-to-point losses; forward and backward
// motion are one velocity, so the cycle closes by construction). The rigid method's pair tests
// (RigidSceneFlow.h) propose which clusters move and with what velocity, from each sweep to each
// sweep of its window; the joint fit refines the motion and confirms it over the whole window.
// Everything else is still: the sweeps are in one world frame (ego motion removed), ground
// removed. Points N x 3 float32, metres; flows metres per sweep interval.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/lidar/RigidSceneFlow.h"

namespace advect::lidar {

struct SequenceFlowOptions {
  // Sweeps on each side of a sweep that its clusters' velocities are fitted to (fewer at the
  // sequence's ends). On the PandaSet sequence with exact truth (docs/sceneflow.md) the dynamic
  // EPE falls from 0.048 m (1) to 0.035 m (4) and 0.032 m (8): road users keep their velocity
  // over a second, and every sweep more averages the noise of one.
  int window = 4;
  // The pair tests that propose motions look this many sweeps each way: 2 finds a few more slow
  // walkers than 1, and costs twice the time.
  int proposal_span = 1;
};

// One flow per sweep but the last (to the next sweep), with rigid's clustering, pair tests and
// ICP settings. on_sweep(k) reports k sweeps done and may throw to stop. Throws
// std::invalid_argument for fewer than two sweeps, an empty sweep, a window below 1 or a
// proposal span outside 1 .. window.
std::vector<RigidFlow> estimate_sequence_flows(
    const std::vector<std::vector<float>>& sweeps, const RigidFlowOptions& rigid,
    const SequenceFlowOptions& options, const Device& device,
    const std::function<void(std::size_t)>& on_sweep = {});

}  // namespace advect::lidar
