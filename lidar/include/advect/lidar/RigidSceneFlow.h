// Scene flow as the rigid motions of objects (after ICP-Flow, Lin & Caesar, CVPR 2024): the first
// sweep is moved by the ego motion into the second sweep's frame and cut into clusters; each
// cluster's translation is voted from the displacements to the nearby points of the second sweep,
// refined by ICP, and kept only where it explains the second sweep clearly better than standing
// still. Every point of a moving cluster then moves with its cluster; the rest of the world moves
// with the ego motion alone. Input clouds should have their ground removed (it would join every
// object into one cluster). Points N x 3 float32, sensor frames, metres; flows metres per sweep.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/geometry/Clustering.h"
#include "advect/geometry/GroupAlignment.h"
#include "advect/geometry/RigidTransform.h"

namespace advect::lidar {

struct RigidFlowOptions {
  geometry::ClusterOptions clusters;
  float max_shift = 3.0f;     // m per sweep: the fastest motion looked for (30 m/s at 10 Hz)
  float vote_bin = 0.1f;      // m, the translation histogram's cell
  float split_extent = 6.0f;  // m: wider clusters are cut again at half the cluster radius
  float max_extent = 25.0f;   // m: clusters still wider (buildings, hedges) are static
  float min_motion = 0.05f;   // m per sweep at the cluster's centre: slower is static
  // A motion must also be this many times the rmse of standing still, and sqrt(significance_points
  // / points) times more for clusters of fewer points: ICP slides sparse static clusters by a
  // fraction of their point spacing, the more so the fewer their points.
  double min_motion_over_rmse = 1.0;
  double significance_points = 100.0;
  double max_rotation_deg = 15.0;    // larger fitted turns are rejected
  double min_inlier_fraction = 0.5;  // of a cluster's points matched after the fit
  // The fit's truncated squared distance (GroupFit::truncated) must beat standing still's by
  // this fraction.
  double min_gain = 0.25;
  // A cluster of fewer than significance_points points, or any cluster fitted to a sweep more
  // than one interval later, that lands where the first sweep already had other points (a pole
  // snapping onto the next pole) is static: at most this fraction of the points it lands on may
  // be explained so.
  double max_landing_taken = 0.3;
  float landing_reach = 0.5f;  // m: how near such a first-sweep point must be (sparse surfaces)
  float noise_reach = 1.0f;    // m: unclustered points take the motion of a clustered one this near
  geometry::IcpOptions icp = upright_icp();
  // A cluster's ICP gates widen so that the final one is at least this many times the median
  // distance between its points: a far or thinly sampled car's points lie 0.1-0.3 m from the
  // next sweep's even when aligned, and a 0.2 m gate cannot tell its motion from standing still.
  float gate_per_spacing = 2.0f;
  // Sequences: each sweep's clusters are also fitted to the sweeps up to `span` intervals later.
  int span = 1;

  static geometry::IcpOptions upright_icp() {
    geometry::IcpOptions icp;
    icp.upright = true;
    return icp;
  }
};

struct RigidFlow {
  std::vector<float> flow;           // N x 3, ego motion included
  std::vector<std::uint8_t> moving;  // N: 1 where the point moves with a moving cluster
  std::int32_t clusters = 0, moving_clusters = 0;
  geometry::RigidTransform ego;  // the ego motion used (given, or estimated)
  bool ego_estimated = false;
};

// `ego`: the rigid transform from the first sweep's frame to the second's; without it, it is
// estimated by voting and ICP over the whole clouds (the static world dominates a street).
// Throws std::invalid_argument for an empty cloud.
RigidFlow estimate_rigid_flow(std::span<const float> source, std::span<const float> target,
                              const std::optional<geometry::RigidTransform>& ego,
                              const RigidFlowOptions& options, const Device& device);

// The flows of a sequence of sweeps in one world frame (N x 3 each), one per sweep but the last:
// each sweep's clusters are fitted to each of the next options.span sweeps, and a cluster moves
// at the constant velocity of the longest span that finds it moving (its fit divided by the
// intervals). One interval hides motion along a long flat side (a bus, a tram) or too slow to
// tell from noise; a longer baseline shows it. on_sweep(k) reports k sweeps done and may throw
// to stop. Throws std::invalid_argument for an empty sweep or a span below 1.
std::vector<RigidFlow> estimate_rigid_sequence_flows(
    const std::vector<std::vector<float>>& sweeps, const RigidFlowOptions& options,
    const Device& device, const std::function<void(std::size_t)>& on_sweep = {});

}  // namespace advect::lidar
