// Rigid alignment of groups of points (clusters of one sweep) to a whole target cloud (the next
// sweep): a histogram vote for each group's translation, then point-to-point ICP (Besl & McKay
// 1992) of all groups at once, one nearest-neighbour search per iteration on either device and a
// Kabsch fit per group on the host.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/geometry/RigidTransform.h"

namespace advect::geometry {

class NeighbourGrid;

// The displacement d = t - s most common among pairs of a source point s and a target point t
// (each cloud evenly thinned to at most `samples` points), on a horizontal grid of `bin` m cells
// over |d_x|, |d_y| <= max_shift: the mean of the pairs in the best 2 x 2 window of cells, with
// their median vertical shift. Vehicles and people move in the ground plane (z up), so one planar
// histogram finds their motion. Host arrays, N x 3 and M x 3, metres; {0, 0, 0} for empty input.
std::array<double, 3> vote_translation(std::span<const float> source, std::span<const float> target,
                                       float max_shift, float bin = 0.1f, int samples = 256);

struct IcpOptions {
  int iterations = 20;
  float start_distance = 0.5f;  // correspondence gate of the first iteration, metres
  float final_distance = 0.2f;  // the gate shrinks linearly to this one, used for the scores
  bool upright = false;         // turns about z only (fit_upright), for road users

  // The gate of iteration 0 .. iterations (the last one scores the result), metres.
  float gate(int iteration) const;
};

struct GroupFit {
  RigidTransform transform;
  double inlier_fraction = 0.0;  // of the group's points with a target point within the gate
  double rmse = 0.0;             // of those inliers, metres
  // Mean over all the group's points of min(d, gate)^2, m^2: how well the transform explains the
  // group, outliers counted at the gate (lower is better).
  double truncated = 0.0;
  std::int64_t points = 0;
};

// Aligns every group of `source` (n x 3 host points; group[i] in 0 .. G - 1, or -1 for points
// left out) to the target cloud in `target` (its grid) and `target_points` (the same cloud on the
// host), starting from initial[g]. With options.iterations == 0, scores the initial transforms.
// Groups with fewer than three inliers keep their initial transform. gate_scale (empty, or one
// factor >= 1 per group) widens a group's gates: a sparsely sampled group's points lie farther
// from the target's than the gates assume even when aligned.
std::vector<GroupFit> align_groups(std::span<const float> source,
                                   std::span<const std::int32_t> group,
                                   const std::vector<RigidTransform>& initial,
                                   const NeighbourGrid& target,
                                   std::span<const float> target_points, const IcpOptions& options,
                                   std::span<const float> gate_scale = {});

}  // namespace advect::geometry
