#include "advect/lidar/RigidSceneFlow.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "advect/engine/Log.h"
#include "advect/geometry/NeighbourGrid.h"

namespace advect::lidar {

namespace {

using geometry::GroupFit;
using geometry::RigidTransform;

struct Box {
  std::array<float, 3> low{1e30f, 1e30f, 1e30f}, high{-1e30f, -1e30f, -1e30f};
  void add(const float* p) {
    for (int d = 0; d < 3; ++d) {
      low[std::size_t(d)] = std::min(low[std::size_t(d)], p[d]);
      high[std::size_t(d)] = std::max(high[std::size_t(d)], p[d]);
    }
  }
  bool contains(const float* p, float margin) const {
    for (int d = 0; d < 3; ++d) {
      if (p[d] < low[std::size_t(d)] - margin || p[d] > high[std::size_t(d)] + margin) return false;
    }
    return true;
  }
  float horizontal_extent() const { return std::max(high[0] - low[0], high[1] - low[1]); }
  std::array<float, 3> centre() const {
    return {(low[0] + high[0]) / 2, (low[1] + high[1]) / 2, (low[2] + high[2]) / 2};
  }
};

RigidTransform translation(const std::array<double, 3>& t) {
  RigidTransform out;
  for (int d = 0; d < 3; ++d) out.translation[d] = t[std::size_t(d)];
  return out;
}

double rotation_degrees(const RigidTransform& t) {
  const double cosine = (t.rotation[0] + t.rotation[4] + t.rotation[8] - 1.0) / 2.0;
  return std::acos(std::clamp(cosine, -1.0, 1.0)) * 180.0 / std::numbers::pi;
}

double displacement(const RigidTransform& t, const std::array<float, 3>& at) {
  float moved[3];
  t.apply(at.data(), moved);
  double sum = 0.0;
  for (int d = 0; d < 3; ++d)
    sum += (double(moved[d]) - at[std::size_t(d)]) * (moved[d] - at[std::size_t(d)]);
  return std::sqrt(sum);
}

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
  return geometry::align_groups(source, all, {translation(shift)}, grid, target, icp)[0].transform;
}

// For each candidate cluster (moves[c]): the fraction of the second sweep's points it lands on
// (within the final ICP gate) that have a first-sweep point of another cluster, or of none,
// within options.landing_reach. A moving object lands on ground the first sweep saw empty; 0 for
// other clusters.
std::vector<double> landing_taken(std::span<const float> moved,
                                  const std::vector<std::int32_t>& labels,
                                  const std::vector<GroupFit>& fits,
                                  const std::vector<std::uint8_t>& moves,
                                  const geometry::NeighbourGrid& target_grid,
                                  std::span<const float> target, const RigidFlowOptions& options,
                                  const Device& device) {
  std::vector<double> taken(fits.size(), 0.0);
  std::vector<float> landed;
  std::vector<std::int32_t> owner;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::int32_t c = labels[i];
    if (c < 0 || !moves[std::size_t(c)]) continue;
    float end[3];
    fits[std::size_t(c)].transform.apply(&moved[3 * i], end);
    landed.insert(landed.end(), end, end + 3);
    owner.push_back(c);
  }
  if (owner.empty()) return taken;
  const float gate = options.icp.final_distance;
  const float reach = std::max(gate, options.landing_reach);
  const std::vector<std::int32_t> hits = target_grid.query_host(landed, 1, gate).indices;
  std::vector<float> spots;  // the second-sweep points landed on
  std::vector<std::int32_t> spot_owner;
  for (std::size_t r = 0; r < owner.size(); ++r) {
    if (hits[r] < 0) continue;
    spots.insert(spots.end(), &target[3 * std::size_t(hits[r])],
                 &target[3 * std::size_t(hits[r]) + 3]);
    spot_owner.push_back(owner[r]);
  }
  if (spot_owner.empty()) return taken;
  constexpr int kNeighbours = 8;
  const int k = int(std::min<std::size_t>(kNeighbours, labels.size()));
  const std::vector<std::int32_t> neighbours =
      geometry::NeighbourGrid::from_host(moved, device).query_host(spots, k, reach).indices;
  std::vector<std::int64_t> spots_of(fits.size(), 0), taken_of(fits.size(), 0);
  for (std::size_t r = 0; r < spot_owner.size(); ++r) {
    const auto c = std::size_t(spot_owner[r]);
    ++spots_of[c];
    for (int j = 0; j < k; ++j) {
      const std::int32_t other = neighbours[r * std::size_t(k) + std::size_t(j)];
      if (other >= 0 && labels[std::size_t(other)] != spot_owner[r]) {
        ++taken_of[c];
        break;
      }
    }
  }
  for (std::size_t c = 0; c < fits.size(); ++c) {
    if (spots_of[c] > 0) taken[c] = double(taken_of[c]) / double(spots_of[c]);
  }
  return taken;
}

}  // namespace

RigidFlow estimate_rigid_flow(std::span<const float> source, std::span<const float> target,
                              const std::optional<RigidTransform>& ego,
                              const RigidFlowOptions& options, const Device& device) {
  const std::size_t n = source.size() / 3, m = target.size() / 3;
  if (n == 0 || m == 0) throw std::invalid_argument("rigid scene flow: a cloud is empty");
  const auto grid = geometry::NeighbourGrid::from_host(target, device);

  RigidFlow result;
  result.ego_estimated = !ego;
  result.ego = ego ? *ego : estimate_ego(source, grid, target, options);
  std::vector<float> moved(source.size());  // the first sweep in the second's frame
  for (std::size_t i = 0; i < n; ++i) result.ego.apply(&source[3 * i], &moved[3 * i]);

  const geometry::Clusters clusters = geometry::cluster_points(moved, options.clusters, device);
  const auto count = std::size_t(clusters.count);
  result.clusters = clusters.count;
  std::vector<Box> boxes(count);
  for (std::size_t i = 0; i < n; ++i) {
    if (clusters.labels[i] >= 0) boxes[std::size_t(clusters.labels[i])].add(&moved[3 * i]);
  }
  // Clusters too wide to be a road user are static and not fitted.
  std::vector<std::int32_t> group(clusters.labels);
  for (std::int32_t& g : group) {
    if (g >= 0 && boxes[std::size_t(g)].horizontal_extent() > options.max_extent) g = -1;
  }

  // Each cluster's translation voted against the second sweep's points near it.
  std::vector<std::vector<float>> members(count), nearby(count);
  for (std::size_t i = 0; i < n; ++i) {
    if (group[i] >= 0) {
      auto& list = members[std::size_t(group[i])];
      list.insert(list.end(), &moved[3 * i], &moved[3 * i + 3]);
    }
  }
  std::vector<RigidTransform> initial(count);
#pragma omp parallel for schedule(dynamic)
  for (std::ptrdiff_t c = 0; c < std::ptrdiff_t(count); ++c) {
    const auto k = std::size_t(c);
    if (members[k].empty()) continue;
    for (std::size_t j = 0; j < m; ++j) {
      if (boxes[k].contains(&target[3 * j], options.max_shift))
        nearby[k].insert(nearby[k].end(), &target[3 * j], &target[3 * j + 3]);
    }
    initial[k] = translation(
        geometry::vote_translation(members[k], nearby[k], options.max_shift, options.vote_bin));
  }

  geometry::IcpOptions still = options.icp;
  still.iterations = 0;
  const std::vector<GroupFit> standing =
      geometry::align_groups(moved, group, std::vector<RigidTransform>(count), grid, target, still);
  // ICP from the voted translation and from standing still (a slow object's vote can lock onto
  // a neighbour): the better fit of the two.
  std::vector<GroupFit> fitted =
      geometry::align_groups(moved, group, initial, grid, target, options.icp);
  const std::vector<GroupFit> from_still = geometry::align_groups(
      moved, group, std::vector<RigidTransform>(count), grid, target, options.icp);
  for (std::size_t c = 0; c < count; ++c) {
    if (from_still[c].truncated < fitted[c].truncated) fitted[c] = from_still[c];
  }

  std::vector<std::uint8_t> cluster_moves(count, 0);
  for (std::size_t c = 0; c < count; ++c) {
    const GroupFit& fit = fitted[c];
    if (fit.points == 0) continue;
    const bool explains = fit.inlier_fraction >= options.min_inlier_fraction &&
                          fit.truncated <= (1.0 - options.min_gain) * standing[c].truncated;
    const double motion = displacement(fit.transform, boxes[c].centre());
    cluster_moves[c] =
        explains && motion >= options.min_motion && motion <= options.max_shift &&
        motion >= options.min_motion_over_rmse * standing[c].rmse *
                      std::max(1.0, std::sqrt(options.significance_points / double(fit.points))) &&
        rotation_degrees(fit.transform) <= options.max_rotation_deg;
  }
  const std::vector<double> taken =
      landing_taken(moved, clusters.labels, fitted, cluster_moves, grid, target, options, device);
  for (std::size_t c = 0; c < count; ++c) {
    // Only small clusters can pass for another small one nearby (poles, fragments of sparse
    // walls); a car may land where the car ahead of it was.
    if (cluster_moves[c] && double(fitted[c].points) < options.significance_points &&
        taken[c] > options.max_landing_taken)
      cluster_moves[c] = 0;
    result.moving_clusters += cluster_moves[c];
    const GroupFit& fit = fitted[c];
    if (fit.points == 0) continue;
    const double motion = displacement(fit.transform, boxes[c].centre());
    const auto centre = boxes[c].centre();
    log().debug(
        "cluster {} ({} points at {:.1f} {:.1f}, {:.1f} m wide): moved {:.3f} m, turned {:.1f} "
        "deg, inliers {:.2f} (still {:.2f}), rmse {:.3f} (still {:.3f}), landing taken {:.2f} "
        "-> {}",
        c, fit.points, centre[0], centre[1], boxes[c].horizontal_extent(), motion,
        rotation_degrees(fit.transform), fit.inlier_fraction, standing[c].inlier_fraction, fit.rmse,
        standing[c].rmse, taken[c], cluster_moves[c] ? "moving" : "static");
  }

  // Unclustered points near a clustered one move with it (object borders, sparse limbs).
  std::vector<std::int32_t> owner(group);
  std::vector<float> anchors;
  std::vector<std::size_t> anchor_rows, loose;
  for (std::size_t i = 0; i < n; ++i) {
    if (clusters.labels[i] >= 0) {
      anchors.insert(anchors.end(), &moved[3 * i], &moved[3 * i + 3]);
      anchor_rows.push_back(i);
    } else {
      loose.push_back(i);
    }
  }
  if (!anchors.empty() && !loose.empty()) {
    std::vector<float> queries;
    for (const std::size_t i : loose)
      queries.insert(queries.end(), &moved[3 * i], &moved[3 * i + 3]);
    const std::vector<std::int32_t> found = geometry::NeighbourGrid::from_host(anchors, device)
                                                .query_host(queries, 1, options.noise_reach)
                                                .indices;
    for (std::size_t q = 0; q < loose.size(); ++q) {
      if (found[q] >= 0) owner[loose[q]] = group[anchor_rows[std::size_t(found[q])]];
    }
  }

  result.flow.resize(source.size());
  result.moving.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    float end[3] = {moved[3 * i], moved[3 * i + 1], moved[3 * i + 2]};
    const std::int32_t c = owner[i];
    if (c >= 0 && cluster_moves[std::size_t(c)]) {
      fitted[std::size_t(c)].transform.apply(&moved[3 * i], end);
      result.moving[i] = 1;
    }
    for (int d = 0; d < 3; ++d)
      result.flow[3 * i + std::size_t(d)] = end[d] - source[3 * i + std::size_t(d)];
  }
  return result;
}

}  // namespace advect::lidar
