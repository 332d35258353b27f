#include "ClusterMotion.h"

#include <cmath>
#include <numbers>

#include "advect/engine/Device.h"
#include "advect/engine/Log.h"
#include "advect/geometry/NeighbourGrid.h"

namespace advect::lidar::detail {

namespace {

using geometry::GroupFit;
using geometry::RigidTransform;

double rotation_degrees(const RigidTransform& t) {
  const double cosine = (t.rotation[0] + t.rotation[4] + t.rotation[8] - 1.0) / 2.0;
  return std::acos(std::clamp(cosine, -1.0, 1.0)) * 180.0 / std::numbers::pi;
}

// For each candidate cluster (moves[c]): the fraction of the target's points it lands on (within
// the final ICP gate) that have a point of the sweep's other clusters, or of none, within
// options.landing_reach. A moving object lands on ground the sweep saw empty; 0 for the others.
std::vector<double> landing_taken(const SweepClusters& sweep,
                                  const geometry::NeighbourGrid& sweep_grid,
                                  const std::vector<GroupFit>& fits,
                                  const std::vector<std::uint8_t>& moves,
                                  const geometry::NeighbourGrid& target_grid,
                                  std::span<const float> target, const RigidFlowOptions& options) {
  const std::vector<std::int32_t>& labels = sweep.clusters.labels;
  std::vector<double> taken(fits.size(), 0.0);
  std::vector<float> landed;
  std::vector<std::int32_t> owner;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::int32_t c = labels[i];
    if (c < 0 || !moves[std::size_t(c)]) continue;
    float end[3];
    fits[std::size_t(c)].transform.apply(&sweep.points[3 * i], end);
    landed.insert(landed.end(), end, end + 3);
    owner.push_back(c);
  }
  if (owner.empty()) return taken;
  const float gate = options.icp.final_distance;
  const float reach = std::max(gate, options.landing_reach);
  const std::vector<std::int32_t> hits = target_grid.query_host(landed, 1, gate).indices;
  std::vector<float> spots;  // the target points landed on
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
  const std::vector<std::int32_t> neighbours = sweep_grid.query_host(spots, k, reach).indices;
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

void Box::add(const float* p) {
  for (int d = 0; d < 3; ++d) {
    low[std::size_t(d)] = std::min(low[std::size_t(d)], p[d]);
    high[std::size_t(d)] = std::max(high[std::size_t(d)], p[d]);
  }
}

bool Box::contains(const float* p, float margin) const {
  for (int d = 0; d < 3; ++d) {
    if (p[d] < low[std::size_t(d)] - margin || p[d] > high[std::size_t(d)] + margin) return false;
  }
  return true;
}

RigidTransform shift_by(const std::array<double, 3>& t) {
  RigidTransform out;
  for (int d = 0; d < 3; ++d) out.translation[d] = t[std::size_t(d)];
  return out;
}

double horizontal_displacement(const RigidTransform& t, const std::array<float, 3>& at) {
  float moved[3];
  t.apply(at.data(), moved);
  return std::hypot(double(moved[0]) - at[0], double(moved[1]) - at[1]);
}

SweepClusters cluster_sweep(std::vector<float> points, const geometry::NeighbourGrid& grid,
                            const RigidFlowOptions& options, const Device& device) {
  SweepClusters sweep;
  sweep.points = std::move(points);
  const std::vector<float>& p = sweep.points;
  const std::size_t n = p.size() / 3;
  sweep.clusters = geometry::cluster_points(p, options.clusters, device);
  const auto box_clusters = [&] {
    sweep.boxes.assign(std::size_t(sweep.clusters.count), Box{});
    for (std::size_t i = 0; i < n; ++i) {
      if (sweep.clusters.labels[i] >= 0)
        sweep.boxes[std::size_t(sweep.clusters.labels[i])].add(&p[3 * i]);
    }
  };
  box_clusters();
  // Clusters wider than any road user (a walker along a fence, cars parked in a row) are cut
  // again at half the radius: what touches a wall at 0.5 m is often apart from it at 0.25 m.
  std::vector<float> wide;
  std::vector<std::size_t> wide_rows;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t c = sweep.clusters.labels[i];
    if (c >= 0 && sweep.boxes[std::size_t(c)].horizontal_extent() > options.split_extent) {
      wide.insert(wide.end(), &p[3 * i], &p[3 * i + 3]);
      wide_rows.push_back(i);
    }
  }
  if (!wide_rows.empty()) {
    geometry::ClusterOptions finer = options.clusters;
    finer.radius /= 2;
    const geometry::Clusters parts = geometry::cluster_points(wide, finer, device);
    for (std::size_t r = 0; r < wide_rows.size(); ++r) {
      sweep.clusters.labels[wide_rows[r]] =
          parts.labels[r] < 0 ? -1 : sweep.clusters.count + parts.labels[r];
    }
    sweep.clusters.count += parts.count;
    box_clusters();
  }
  const auto count = std::size_t(sweep.clusters.count);
  // Clusters too wide to be a road user are static and not fitted.
  sweep.group = sweep.clusters.labels;
  for (std::int32_t& g : sweep.group) {
    if (g >= 0 && sweep.boxes[std::size_t(g)].horizontal_extent() > options.max_extent) g = -1;
  }
  sweep.members.resize(count);
  for (std::size_t i = 0; i < n; ++i) {
    if (sweep.group[i] >= 0) {
      auto& list = sweep.members[std::size_t(sweep.group[i])];
      list.insert(list.end(), &p[3 * i], &p[3 * i + 3]);
    }
  }

  // Each cluster's gate factor from the median distance of its points to their nearest neighbour.
  sweep.gate_scale.assign(count, 1.0f);
  if (options.gate_per_spacing > 0.0f && n > 1) {
    const std::vector<float> d2 = grid.query_host(p, 2).squared_distances;
    std::vector<std::vector<float>> spacing(count);
    for (std::size_t i = 0; i < n; ++i) {
      if (sweep.group[i] >= 0) spacing[std::size_t(sweep.group[i])].push_back(d2[2 * i + 1]);
    }
    for (std::size_t c = 0; c < count; ++c) {
      auto& d = spacing[c];
      if (d.empty()) continue;
      std::nth_element(d.begin(), d.begin() + std::ptrdiff_t(d.size() / 2), d.end());
      sweep.gate_scale[c] = std::max(
          1.0f, options.gate_per_spacing * std::sqrt(d[d.size() / 2]) / options.icp.final_distance);
    }
  }

  // Unclustered points near a clustered one move with it (object borders, sparse limbs).
  sweep.owner = sweep.group;
  std::vector<float> anchors, loose_points;
  std::vector<std::size_t> anchor_rows, loose;
  for (std::size_t i = 0; i < n; ++i) {
    auto& list = sweep.clusters.labels[i] >= 0 ? anchors : loose_points;
    list.insert(list.end(), &p[3 * i], &p[3 * i + 3]);
    (sweep.clusters.labels[i] >= 0 ? anchor_rows : loose).push_back(i);
  }
  if (!anchors.empty() && !loose.empty()) {
    const std::vector<std::int32_t> found = geometry::NeighbourGrid::from_host(anchors, device)
                                                .query_host(loose_points, 1, options.noise_reach)
                                                .indices;
    for (std::size_t q = 0; q < loose.size(); ++q) {
      if (found[q] >= 0) sweep.owner[loose[q]] = sweep.group[anchor_rows[std::size_t(found[q])]];
    }
  }
  return sweep;
}

ClusterMotions fit_cluster_motions(const SweepClusters& sweep,
                                   const geometry::NeighbourGrid& sweep_grid,
                                   std::span<const float> target,
                                   const geometry::NeighbourGrid& target_grid, int steps,
                                   const RigidFlowOptions& options) {
  const std::size_t count = sweep.members.size(), m = target.size() / 3;
  const float max_shift = options.max_shift * float(steps);

  // Each cluster's translation voted against the target's points near it.
  std::vector<RigidTransform> initial(count);
#pragma omp parallel for schedule(dynamic) num_threads(cpu_thread_count())
  for (std::ptrdiff_t c = 0; c < std::ptrdiff_t(count); ++c) {
    const auto k = std::size_t(c);
    if (sweep.members[k].empty()) continue;
    std::vector<float> nearby;
    for (std::size_t j = 0; j < m; ++j) {
      if (sweep.boxes[k].contains(&target[3 * j], max_shift))
        nearby.insert(nearby.end(), &target[3 * j], &target[3 * j + 3]);
    }
    initial[k] =
        shift_by(geometry::vote_translation(sweep.members[k], nearby, max_shift, options.vote_bin));
  }

  geometry::IcpOptions still = options.icp;
  still.iterations = 0;
  const std::vector<RigidTransform> identity(count);
  const std::vector<GroupFit> standing = geometry::align_groups(
      sweep.points, sweep.group, identity, target_grid, target, still, sweep.gate_scale);
  // ICP from the voted translation and from standing still (a slow object's vote can lock onto
  // a neighbour): the better fit of the two.
  ClusterMotions motions;
  motions.fits = geometry::align_groups(sweep.points, sweep.group, initial, target_grid, target,
                                        options.icp, sweep.gate_scale);
  const std::vector<GroupFit> from_still = geometry::align_groups(
      sweep.points, sweep.group, identity, target_grid, target, options.icp, sweep.gate_scale);
  for (std::size_t c = 0; c < count; ++c) {
    if (from_still[c].truncated < motions.fits[c].truncated) motions.fits[c] = from_still[c];
  }

  motions.moving.assign(count, 0);
  for (std::size_t c = 0; c < count; ++c) {
    const GroupFit& fit = motions.fits[c];
    if (fit.points == 0) continue;
    const bool explains = fit.inlier_fraction >= options.min_inlier_fraction &&
                          fit.truncated <= (1.0 - options.min_gain) * standing[c].truncated;
    // Road users move in the ground plane; a pole or a trunk slides up and down its own length.
    const double motion = horizontal_displacement(fit.transform, sweep.boxes[c].centre());
    motions.moving[c] =
        explains && motion >= options.min_motion * steps && motion <= max_shift &&
        motion >= options.min_motion_over_rmse * standing[c].rmse *
                      std::max(1.0, std::sqrt(options.significance_points / double(fit.points))) &&
        rotation_degrees(fit.transform) <= options.max_rotation_deg;
  }
  const std::vector<double> taken =
      landing_taken(sweep, sweep_grid, motions.fits, motions.moving, target_grid, target, options);
  for (std::size_t c = 0; c < count; ++c) {
    const GroupFit& fit = motions.fits[c];
    // Small clusters can pass for another one nearby (poles, fragments of sparse walls), and
    // over several sweeps any cluster can; over one sweep a car may land where the car ahead of
    // it was.
    const bool doubtful = double(fit.points) < options.significance_points || steps > 1;
    if (motions.moving[c] && doubtful && taken[c] > options.max_landing_taken)
      motions.moving[c] = 0;
    motions.moving_clusters += motions.moving[c];
    if (fit.points == 0) continue;
    const auto centre = sweep.boxes[c].centre();
    log().debug(
        "cluster {} ({} points at {:.1f} {:.1f}, {:.1f} m wide), {} step(s): voted {:.2f} {:.2f}, "
        "moved {:.3f} m, turned {:.1f} deg, inliers {:.2f} (still {:.2f}), rmse {:.3f} (still "
        "{:.3f}), landing taken {:.2f} -> {}",
        c, fit.points, centre[0], centre[1], sweep.boxes[c].horizontal_extent(), steps,
        initial[c].translation[0], initial[c].translation[1],
        horizontal_displacement(fit.transform, centre), rotation_degrees(fit.transform),
        fit.inlier_fraction, standing[c].inlier_fraction, fit.rmse, standing[c].rmse, taken[c],
        motions.moving[c] ? "moving" : "static");
  }
  return motions;
}

}  // namespace advect::lidar::detail
