#include "advect/lidar/RigidSceneFlow.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <stdexcept>

#include "ClusterMotion.h"
#include "advect/geometry/NeighbourGrid.h"

namespace advect::lidar {

namespace {

using geometry::RigidTransform;

// The ego motion of a pair without one: the static world's translation voted over both whole
// clouds, then refined by ICP.
RigidTransform estimate_ego(std::span<const float> source, const geometry::NeighbourGrid& grid,
                            std::span<const float> target, const RigidFlowOptions& options) {
  const std::array<double, 3> shift =
      geometry::vote_translation(source, target, options.max_shift, options.vote_bin, 2048);
  geometry::IcpOptions icp = options.icp;
  icp.start_distance = 1.0f;
  icp.iterations = std::max(icp.iterations, 30);
  icp.upright = false;  // the ego vehicle pitches and rolls on the road
  const std::vector<std::int32_t> all(source.size() / 3, 0);
  return geometry::align_groups(source, all, {detail::shift_by(shift)}, grid, target, icp)[0]
      .transform;
}

// The flow of `source` (rows of the clustered sweep before the ego motion moved it) when each
// moving cluster c moves by transforms[c] over steps[c] sweep intervals, at constant velocity.
void write_flow(std::span<const float> source, const detail::SweepClusters& sweep,
                const std::vector<RigidTransform>& transforms, const std::vector<int>& steps,
                RigidFlow& result) {
  const std::size_t n = source.size() / 3;
  result.flow.resize(source.size());
  result.moving.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const float* at = &sweep.points[3 * i];
    float end[3] = {at[0], at[1], at[2]};
    const std::int32_t c = sweep.owner[i];
    if (c >= 0 && steps[std::size_t(c)] > 0) {
      float later[3];
      transforms[std::size_t(c)].apply(at, later);
      for (int d = 0; d < 3; ++d) end[d] += (later[d] - at[d]) / float(steps[std::size_t(c)]);
      result.moving[i] = 1;
    }
    for (int d = 0; d < 3; ++d)
      result.flow[3 * i + std::size_t(d)] = end[d] - source[3 * i + std::size_t(d)];
  }
}

}  // namespace

RigidFlow estimate_rigid_flow(std::span<const float> source, std::span<const float> target,
                              const std::optional<RigidTransform>& ego,
                              const RigidFlowOptions& options, const Device& device) {
  const std::size_t n = source.size() / 3;
  if (n == 0 || target.empty()) throw std::invalid_argument("rigid scene flow: a cloud is empty");
  const auto grid = geometry::NeighbourGrid::from_host(target, device);

  RigidFlow result;
  result.ego_estimated = !ego;
  result.ego = ego ? *ego : estimate_ego(source, grid, target, options);
  std::vector<float> moved(source.size());  // the first sweep in the second's frame
  for (std::size_t i = 0; i < n; ++i) result.ego.apply(&source[3 * i], &moved[3 * i]);

  const auto moved_grid = geometry::NeighbourGrid::from_host(moved, device);
  const detail::SweepClusters sweep =
      detail::cluster_sweep(std::move(moved), moved_grid, options, device);
  const detail::ClusterMotions motions =
      detail::fit_cluster_motions(sweep, moved_grid, target, grid, 1, options);
  result.clusters = sweep.clusters.count;
  result.moving_clusters = motions.moving_clusters;
  std::vector<RigidTransform> transforms;
  std::vector<int> steps;
  for (std::size_t c = 0; c < motions.fits.size(); ++c) {
    transforms.push_back(motions.fits[c].transform);
    steps.push_back(motions.moving[c] ? 1 : 0);
  }
  write_flow(source, sweep, transforms, steps, result);
  return result;
}

std::vector<RigidFlow> estimate_rigid_sequence_flows(
    const std::vector<std::vector<float>>& sweeps, const RigidFlowOptions& options,
    const Device& device, const std::function<void(std::size_t)>& on_sweep) {
  if (options.span < 1) throw std::invalid_argument("rigid scene flow: span must be at least 1");
  for (const auto& sweep : sweeps) {
    if (sweep.empty()) throw std::invalid_argument("rigid scene flow: a sweep is empty");
  }
  std::vector<RigidFlow> flows;
  // The grids of sweeps k .. k + span, each built once: sweep k's for the landing test, the others
  // as targets.
  std::deque<geometry::NeighbourGrid> grids;
  std::size_t first_grid = 0;  // the sweep of grids.front()
  for (std::size_t k = 0; k + 1 < sweeps.size(); ++k) {
    const std::size_t last = std::min(sweeps.size() - 1, k + std::size_t(options.span));
    while (first_grid < k) {
      grids.pop_front();
      ++first_grid;
    }
    while (first_grid + grids.size() <= last)
      grids.push_back(
          geometry::NeighbourGrid::from_host(sweeps[first_grid + grids.size()], device));
    const detail::SweepClusters sweep =
        detail::cluster_sweep(sweeps[k], grids.front(), options, device);
    const std::size_t count = sweep.members.size();
    // Per cluster: the fit of the longest span that finds it moving.
    std::vector<RigidTransform> transforms(count);
    std::vector<int> steps(count, 0);
    for (std::size_t later = k + 1; later <= last; ++later) {
      const int span = int(later - k);
      const detail::ClusterMotions motions = detail::fit_cluster_motions(
          sweep, grids.front(), sweeps[later], grids[later - k], span, options);
      for (std::size_t c = 0; c < count; ++c) {
        if (!motions.moving[c]) continue;
        transforms[c] = motions.fits[c].transform;
        steps[c] = span;
      }
    }
    RigidFlow result;
    result.clusters = sweep.clusters.count;
    result.moving_clusters =
        std::int32_t(std::count_if(steps.begin(), steps.end(), [](int s) { return s > 0; }));
    write_flow(sweeps[k], sweep, transforms, steps, result);
    flows.push_back(std::move(result));
    if (on_sweep) on_sweep(k + 1);
  }
  return flows;
}

}  // namespace advect::lidar
