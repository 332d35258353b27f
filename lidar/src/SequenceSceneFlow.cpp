#include "advect/lidar/SequenceSceneFlow.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "ClusterMotion.h"
#include "advect/engine/Log.h"
#include "advect/geometry/GroupVelocity.h"
#include "advect/geometry/NeighbourGrid.h"

namespace advect::lidar {

namespace {

using geometry::UprightVelocity;
using geometry::VelocityFit;

std::array<double, 3> centre_of(const detail::Box& box) {
  const std::array<float, 3> c = box.centre();
  return {c[0], c[1], c[2]};
}

// The grids of the sweeps in a sliding window, each built once.
class GridWindow {
 public:
  GridWindow(const std::vector<std::vector<float>>& sweeps, const Device& device)
      : sweeps_(sweeps), device_(device) {}

  // Keeps the grids of sweeps first .. last (inclusive) and returns sweep k's.
  void span(std::size_t first, std::size_t last) {
    while (first_ < first && !grids_.empty()) {
      grids_.pop_front();
      ++first_;
    }
    if (grids_.empty()) first_ = first;
    while (first_ + grids_.size() <= last)
      grids_.push_back(
          geometry::NeighbourGrid::from_host(sweeps_[first_ + grids_.size()], device_));
  }
  const geometry::NeighbourGrid& at(std::size_t k) const { return grids_[k - first_]; }

 private:
  const std::vector<std::vector<float>>& sweeps_;
  Device device_;
  std::deque<geometry::NeighbourGrid> grids_;
  std::size_t first_ = 0;
};

}  // namespace

std::vector<RigidFlow> estimate_sequence_flows(const std::vector<std::vector<float>>& sweeps,
                                               const RigidFlowOptions& rigid,
                                               const SequenceFlowOptions& options,
                                               const Device& device,
                                               const std::function<void(std::size_t)>& on_sweep) {
  if (options.window < 1 || options.proposal_span < 1 || options.proposal_span > options.window)
    throw std::invalid_argument(
        "sequence scene flow: the window must be at least 1 and the proposal span 1 .. window");
  if (sweeps.size() < 2) throw std::invalid_argument("sequence scene flow: needs two sweeps");
  for (const auto& sweep : sweeps) {
    if (sweep.empty()) throw std::invalid_argument("sequence scene flow: a sweep is empty");
  }
  const auto window = std::size_t(options.window);
  GridWindow grids(sweeps, device);
  std::vector<RigidFlow> flows;
  for (std::size_t k = 0; k + 1 < sweeps.size(); ++k) {
    const std::size_t first = k >= window ? k - window : 0;
    const std::size_t last = std::min(sweeps.size() - 1, k + window);
    grids.span(first, last);
    const detail::SweepClusters sweep =
        detail::cluster_sweep(sweeps[k], grids.at(k), rigid, device);
    const std::size_t count = sweep.members.size();

    // The pair tests towards every other sweep of the window propose velocities.
    std::vector<geometry::VelocityTarget> targets;
    std::vector<std::vector<UprightVelocity>> proposals;  // per target, per cluster
    std::vector<std::vector<std::uint8_t>> found;         // per target, per cluster
    std::vector<std::uint8_t> proposed(count, 0);
    for (std::size_t j = first; j <= last; ++j) {
      if (j == k) continue;
      const double steps = double(j) - double(k);
      targets.push_back({&grids.at(j), sweeps[j], steps});
      if (std::fabs(steps) > double(options.proposal_span)) continue;
      const detail::ClusterMotions motions = detail::fit_cluster_motions(
          sweep, grids.at(k), sweeps[j], grids.at(j), int(std::fabs(steps)), rigid);
      std::vector<UprightVelocity> velocities(count);
      for (std::size_t c = 0; c < count; ++c) {
        velocities[c].centre = centre_of(sweep.boxes[c]);
        if (!motions.moving[c]) continue;
        velocities[c] =
            UprightVelocity::from_motion(motions.fits[c].transform, steps, velocities[c].centre);
        proposed[c] = 1;
      }
      proposals.push_back(std::move(velocities));
      found.push_back(motions.moving);
    }

    // Each proposed cluster: the proposal that explains the whole window best, refined there.
    std::vector<std::int32_t> group = sweep.group;
    for (std::int32_t& g : group) {
      if (g >= 0 && !proposed[std::size_t(g)]) g = -1;
    }
    geometry::IcpOptions score = rigid.icp;
    score.iterations = 0;
    std::vector<UprightVelocity> still(count), best(count);
    for (std::size_t c = 0; c < count; ++c) still[c].centre = centre_of(sweep.boxes[c]);
    const std::vector<VelocityFit> standing = geometry::fit_group_velocities(
        sweep.points, group, still, targets, score, sweep.gate_scale);
    std::vector<double> best_score(count, std::numeric_limits<double>::infinity());
    for (std::size_t t = 0; t < proposals.size(); ++t) {
      const std::vector<VelocityFit> scored = geometry::fit_group_velocities(
          sweep.points, group, proposals[t], targets, score, sweep.gate_scale);
      for (std::size_t c = 0; c < count; ++c) {
        if (found[t][c] && scored[c].truncated < best_score[c]) {
          best_score[c] = scored[c].truncated;
          best[c] = proposals[t][c];
        }
      }
    }
    const std::vector<VelocityFit> fits = geometry::fit_group_velocities(
        sweep.points, group, best, targets, rigid.icp, sweep.gate_scale);

    RigidFlow result;
    result.clusters = sweep.clusters.count;
    std::vector<geometry::RigidTransform> step(count);
    std::vector<std::uint8_t> moving(count, 0);
    for (std::size_t c = 0; c < count; ++c) {
      if (!proposed[c]) continue;
      const VelocityFit& fit = fits[c];
      const double speed = std::hypot(fit.velocity.velocity[0], fit.velocity.velocity[1]);
      moving[c] =
          fit.inlier_fraction >= rigid.min_inlier_fraction &&
          fit.truncated <= (1.0 - rigid.min_gain) * standing[c].truncated &&
          speed >= rigid.min_motion && speed <= rigid.max_shift &&
          std::fabs(fit.velocity.yaw_rate) * 180.0 / std::numbers::pi <= rigid.max_rotation_deg;
      step[c] = fit.velocity.after(1.0);
      result.moving_clusters += moving[c];
      log().debug(
          "sweep {} cluster {} ({} points at {:.1f} {:.1f}): {:.3f} m/interval, {:.2f} "
          "deg/interval, inliers {:.2f}, truncated {:.4f} (still {:.4f}) -> {}",
          k, c, fit.points, fit.velocity.centre[0], fit.velocity.centre[1], speed,
          fit.velocity.yaw_rate * 180.0 / std::numbers::pi, fit.inlier_fraction, fit.truncated,
          standing[c].truncated, moving[c] ? "moving" : "static");
    }
    const std::size_t n = sweeps[k].size() / 3;
    result.flow.assign(sweeps[k].size(), 0.0f);
    result.moving.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t c = sweep.owner[i];
      if (c < 0 || !moving[std::size_t(c)]) continue;
      float end[3];
      step[std::size_t(c)].apply(&sweeps[k][3 * i], end);
      for (std::size_t d = 0; d < 3; ++d) result.flow[3 * i + d] = end[d] - sweeps[k][3 * i + d];
      result.moving[i] = 1;
    }
    flows.push_back(std::move(result));
    if (on_sweep) on_sweep(k + 1);
  }
  return flows;
}

}  // namespace advect::lidar
