// Constant-velocity motion of rigid groups (clusters of one sweep) fitted against several sweeps
// at once, earlier and later: one velocity per group explains where the group is in every sweep
// of a time window, so a motion too slow or too ambiguous to tell from one sweep interval shows
// over several, and noise in any one sweep counts for less. Road users move in the ground plane
// (z up): the motion is a planar twist (a turn at a constant rate about a fixed centre, or a
// straight drive) plus a vertical drift. Fitted by Gauss-Newton on point-to-point
// correspondences, re-matched every iteration (ICP), one nearest-neighbour search per target and
// iteration on the targets' device.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "advect/geometry/GroupAlignment.h"
#include "advect/geometry/RigidTransform.h"

namespace advect::geometry {

class NeighbourGrid;

// The motion of a body whose reference point `centre` moves with `velocity` and turns at
// `yaw_rate` about the vertical, constant in time: over s sweep intervals (s < 0: back in time)
// x -> R(s w) (x - c) + c + s V(s w) u, with V the planar twist's translation matrix
// [[sin a / a, -(1 - cos a) / a], [(1 - cos a) / a, sin a / a]] (identity at a = 0) acting on u's
// horizontal part. after(a) after(b) == after(a + b): integrating the velocity field
// v(x) = u + w e_z x (x - c) for s intervals gives exactly after(s).
struct UprightVelocity {
  std::array<double, 3> centre{};    // m
  std::array<double, 3> velocity{};  // of the centre at s = 0, m per sweep interval
  double yaw_rate = 0.0;             // rad per sweep interval, counter-clockwise seen from +z

  RigidTransform after(double steps) const;
  // The velocity whose after(steps) is `motion`'s upright part (its yaw and translation; tilt is
  // dropped). steps != 0.
  static UprightVelocity from_motion(const RigidTransform& motion, double steps,
                                     const std::array<double, 3>& centre);
};

// One sweep a group is fitted to: its grid, its points on the host (the grid's cloud), and how
// many sweep intervals after the group's own sweep it was taken (negative: before).
struct VelocityTarget {
  const NeighbourGrid* grid = nullptr;
  std::span<const float> points;
  double steps = 1.0;
};

struct VelocityFit {
  UprightVelocity velocity;
  // Over all targets, as GroupFit's: the share of (point, target) pairs within the final gate, the
  // rmse of those, and the mean of min(d, gate)^2 (m^2; outliers counted at the gate).
  double inlier_fraction = 0.0, rmse = 0.0, truncated = 0.0;
  std::int64_t points = 0;
};

// Fits every group of `source` (n x 3 host points; group[i] in 0 .. G - 1, or -1 for points left
// out) to all `targets` at once, starting from initial[g]; options as ICP's (iterations, the gate
// shrinking from start_distance to final_distance; `upright` is implied). With
// options.iterations == 0, scores the initial velocities. Groups with fewer than four
// correspondences keep their initial velocity. gate_scale widens each group's gates as
// align_groups' does. Throws std::invalid_argument for mismatched sizes, a bad group id or no
// target.
std::vector<VelocityFit> fit_group_velocities(std::span<const float> source,
                                              std::span<const std::int32_t> group,
                                              const std::vector<UprightVelocity>& initial,
                                              const std::vector<VelocityTarget>& targets,
                                              const IcpOptions& options,
                                              std::span<const float> gate_scale = {});

}  // namespace advect::geometry
